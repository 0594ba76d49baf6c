#include "query/search/spelling.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "indexer/segment/analyzer.h"
#include "query/search/filter_check.h"

namespace pillar {

size_t EditDistance(std::string_view a, std::string_view b, size_t cutoff) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cutoff) return cutoff + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string SuggestQuery(const Xapian::Database& db, const std::string& query) {
  const std::vector<std::pair<size_t, size_t>> body = BodyRanges(query);
  auto in_body = [&](size_t begin, size_t end) {
    for (const auto& [b, e] : body) {
      if (begin >= b && end <= e) return true;
    }
    return false;
  };
  Analyzer analyzer("");
  std::string out;
  size_t pos = 0;
  bool changed = false;
  for (const Token& t : analyzer.Tokenize(query)) {
    if (t.position == 0) continue;
    out.append(query, pos, t.begin - pos);
    pos = t.end;
    std::string original = query.substr(t.begin, t.end - t.begin);
    bool plain = t.term.size() >= 4 && std::isalpha(static_cast<unsigned char>(t.term[0])) &&
                 in_body(t.begin, t.end);
    Xapian::doccount freq = plain ? db.get_termfreq(t.term) : 0;
    if (!plain || freq > kRarePassages) {
      out += original;
      continue;
    }
    size_t cutoff = t.term.size() >= 7 ? 2 : 1;
    std::string best;
    Xapian::doccount best_freq = 0;
    std::string first(1, t.term[0]);
    for (auto it = db.allterms_begin(first); it != db.allterms_end(first); ++it) {
      const std::string& cand = *it;
      if (cand.size() + cutoff < t.term.size() || cand.size() > t.term.size() + cutoff) continue;
      if (cand == t.term || EditDistance(t.term, cand, cutoff) > cutoff) continue;
      if (it.get_termfreq() > best_freq) {
        best_freq = it.get_termfreq();
        best = cand;
      }
    }
    // A word the index holds is only replaced by one far more common: "Okafor" stays even
    // though a commoner word is one edit away, unless that word is many times as common.
    if (best.empty() || (freq > 0 && best_freq < kCommonRatio * freq)) {
      out += original;
    } else {
      out += best;
      changed = true;
    }
  }
  out.append(query, pos, std::string::npos);
  return changed ? out : std::string();
}

}  // namespace pillar
