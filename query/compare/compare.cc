#include "query/compare/compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include "indexer/base/json.h"
#include "indexer/base/text.h"
#include "query/search/json_output.h"
#include "query/search/stopwords.h"

namespace pillar {
namespace {

using nlohmann::json;

// Words too common in any policy text to tell two groups apart. The query parser's lists
// (stopwords.h) are kept short on purpose; here a longer English list only trims a display.
constexpr std::string_view kCommonEn[] = {
    "all",   "also",    "any",   "been",   "being", "between",   "both",  "but",   "can",
    "could", "each",    "have",  "has",    "had",   "may",       "more",  "must",  "not",
    "other", "our",     "shall", "should", "such",  "than",      "them",  "these", "they",
    "those", "through", "under", "upon",   "well",  "when",      "where", "which", "while",
    "who",   "whom",    "will",  "within", "would", "including", "there", "what",  "only"};

bool IsStopword(std::string_view word, std::string_view language) {
  for (std::string_view s : StopwordsFor(language)) {
    if (s == word) return true;
  }
  if (language != "en") {
    for (std::string_view s : StopwordsFor("en")) {
      if (s == word) return true;
    }
  }
  return std::find(std::begin(kCommonEn), std::end(kCommonEn), word) != std::end(kCommonEn);
}

// Lowercases ASCII letters only: enough to merge a sentence's first word with the others
// without ICU on every word; other scripts keep their case.
std::string LowerAscii(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool AllDigits(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The query text of one side: the shared query and the side's org and year filters.
std::string SideQuery(const std::string& query, const CompareSide& side) {
  std::string q = query.empty() ? "" : "(" + query + ")";
  if (!side.orgs.empty()) {
    std::string orgs;
    for (const std::string& org : side.orgs) {
      std::string quoted;
      for (char c : org) {
        if (c != '"') quoted += c;  // a quote cannot occur in an issuer's name
      }
      orgs += (orgs.empty() ? "" : " OR ") + std::string("org:\"") + quoted + "\"";
    }
    q += (q.empty() ? "" : " ") + (side.orgs.size() > 1 ? "(" + orgs + ")" : orgs);
  }
  if (!side.years.empty()) q += (q.empty() ? "" : " ") + ("year:" + side.years);
  return q;
}

struct Counted {
  std::map<std::string, size_t> words;
  size_t total_words = 0;
};

Result<CompareSideResult> RunSide(Searcher& searcher, const CompareRequest& request,
                                  const CompareSide& side, const char* name, Counted* counted) {
  SearchRequest search;
  search.query = SideQuery(request.query, side);
  if (!side.concept_id.empty()) search.pillars = {side.concept_id};
  search.docs = side.docs;
  search.limit = request.passages;
  search.suggest = false;
  search.any_word_fallback = false;
  Result<SearchResult> found = searcher.Search(search);
  if (!found.ok()) {
    return Status::InvalidArgument(std::string("side ") + name + ": " + found.status().message());
  }
  CompareSideResult out;
  out.total = found->total;
  out.hits = std::move(found->hits);
  for (const auto& [doc, n] : found->doc_facet) out.docs.emplace_back(doc, n);
  std::stable_sort(out.docs.begin(), out.docs.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  Status counting = searcher.ForEachPassage(search, [&](const Passage& p, const DocumentRecord&) {
    ForEachWord(p.text, [&](std::string_view raw) {
      if (raw.size() < 3 || AllDigits(raw)) return;
      std::string word = LowerAscii(raw);
      if (IsStopword(word, p.language)) return;
      ++counted->words[word];
      ++counted->total_words;
    });
  });
  if (!counting.ok()) return counting;
  out.words = counted->total_words;
  return out;
}

}  // namespace

Result<CompareResult> Compare(Searcher& searcher, const CompareRequest& request) {
  Counted ca, cb;
  Result<CompareSideResult> a = RunSide(searcher, request, request.a, "a", &ca);
  if (!a.ok()) return a.status();
  Result<CompareSideResult> b = RunSide(searcher, request, request.b, "b", &cb);
  if (!b.ok()) return b.status();

  // Log-odds ratio with an informative Dirichlet prior: the prior count of a word is its
  // count on both sides together (alpha_0 = n_a + n_b), which shrinks rare words towards
  // no difference instead of letting a word seen twice on one side and never on the other top
  // the list (the weakness of plain frequency ratios).
  const double n_a = static_cast<double>(ca.total_words);
  const double n_b = static_cast<double>(cb.total_words);
  const double alpha_0 = n_a + n_b;
  std::map<std::string, std::pair<size_t, size_t>> both;
  for (const auto& [w, n] : ca.words) both[w].first = n;
  for (const auto& [w, n] : cb.words) both[w].second = n;
  std::vector<DistinctiveWord> scored;
  if (n_a > 0 && n_b > 0) {
    for (const auto& [w, counts] : both) {
      if (counts.first + counts.second < 2) continue;
      const double y_a = static_cast<double>(counts.first);
      const double y_b = static_cast<double>(counts.second);
      const double alpha = y_a + y_b;
      const double delta = std::log((y_a + alpha) / (n_a + alpha_0 - y_a - alpha)) -
                           std::log((y_b + alpha) / (n_b + alpha_0 - y_b - alpha));
      const double variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha);
      scored.push_back({w, counts.first, counts.second, delta / std::sqrt(variance)});
    }
  }
  std::sort(scored.begin(), scored.end(), [](const DistinctiveWord& x, const DistinctiveWord& y) {
    return x.z != y.z ? x.z > y.z : x.word < y.word;
  });
  for (const DistinctiveWord& w : scored) {
    if (a->distinctive.size() >= request.words || w.z <= 0) break;
    a->distinctive.push_back(w);
  }
  for (auto it = scored.rbegin(); it != scored.rend(); ++it) {
    if (b->distinctive.size() >= request.words || it->z >= 0) break;
    b->distinctive.push_back(*it);
  }
  return CompareResult{std::move(a).value(), std::move(b).value()};
}

std::string CompareResultJson(const CompareRequest& request, const CompareResult& result) {
  auto side_json = [](const CompareSide& side, const CompareSideResult& r) {
    json j;
    j["concept"] = side.concept_id;
    j["orgs"] = side.orgs;
    j["years"] = side.years.empty() ? json(nullptr) : json(side.years);
    j["docs"] = side.docs;
    j["total"] = r.total;
    j["words"] = r.words;
    json docs = json::array();
    for (const auto& [doc, n] : r.docs) docs.push_back({{"doc", doc}, {"passages", n}});
    j["docs_count"] = std::move(docs);
    json passages = json::array();
    for (const Hit& hit : r.hits) {
      json p = json::parse(PassageObjectJson(hit.passage, hit.document));
      p["snippet"] = hit.snippet.text;
      passages.push_back(std::move(p));
    }
    j["passages"] = std::move(passages);
    json words = json::array();
    for (const DistinctiveWord& w : r.distinctive) {
      words.push_back({{"word", w.word},
                       {"count_a", w.count_a},
                       {"count_b", w.count_b},
                       {"z", std::round(w.z * 100) / 100}});
    }
    j["distinctive"] = std::move(words);
    return j;
  };
  json out;
  out["query"] = request.query;
  out["a"] = side_json(request.a, result.a);
  out["b"] = side_json(request.b, result.b);
  return DumpJson(out);
}

}  // namespace pillar
