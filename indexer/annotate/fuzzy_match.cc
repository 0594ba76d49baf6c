#include "indexer/annotate/fuzzy_match.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "indexer/base/text.h"

namespace pillar {

namespace {

// Character trigrams packed into one integer each (a code point fits in 21 bits), sorted so
// two lists can be intersected as multisets by one merge.
std::vector<uint64_t> SortedTrigrams(std::u32string_view s) {
  std::vector<uint64_t> grams;
  if (s.size() < 3) return grams;
  grams.reserve(s.size() - 2);
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    grams.push_back((uint64_t{s[i]} << 42) | (uint64_t{s[i + 1]} << 21) | uint64_t{s[i + 2]});
  }
  std::sort(grams.begin(), grams.end());
  return grams;
}

size_t CommonCount(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return common;
}

}  // namespace

std::u32string ToCodePoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, i));
  return out;
}

namespace {

// Drops the common prefix and suffix of `a` and `b`: an alignment never pays for them, so the
// edit distance of what is left is the edit distance of the whole. After a one-word edit of a
// long passage only the few characters around the edit remain.
void StripCommon(std::u32string_view& a, std::u32string_view& b) {
  size_t p = 0;
  while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
  a.remove_prefix(p);
  b.remove_prefix(p);
  size_t q = 0;
  while (q < a.size() && q < b.size() && a[a.size() - 1 - q] == b[b.size() - 1 - q]) ++q;
  a.remove_suffix(q);
  b.remove_suffix(q);
}

// The banded dynamic programme: the distance if it is at most `k`, else nullopt.
// REQUIRES: a and b non-empty, their length gap at most k.
std::optional<size_t> Banded(std::u32string_view a, std::u32string_view b, size_t k,
                             size_t* cells) {
  const size_t n = a.size(), m = b.size();
  // Cells off the band hold `inf`; no value ever grows past it, so nothing overflows.
  const size_t inf = k + 1;
  std::vector<size_t> prev(m + 2, inf), cur(m + 2, inf);
  for (size_t j = 0; j <= std::min(m, k); ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    const size_t lo = i > k ? i - k : 1;
    const size_t hi = std::min(m, i + k);
    cur[lo - 1] = lo == 1 && i <= k ? i : inf;
    size_t row_min = cur[lo - 1];
    for (size_t j = lo; j <= hi; ++j) {
      size_t best = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      best = std::min({best, prev[j] + 1, cur[j - 1] + 1, inf});
      cur[j] = best;
      row_min = std::min(row_min, best);
    }
    if (cells) *cells += hi + 1 - lo;
    cur[hi + 1] = inf;  // read as "above" by the next row, whose band reaches one further
    if (row_min > k) return std::nullopt;
    std::swap(prev, cur);
  }
  if (prev[m] > k) return std::nullopt;
  return prev[m];
}

}  // namespace

std::optional<size_t> BoundedLevenshtein(std::u32string_view a, std::u32string_view b,
                                         size_t max_distance, size_t* cells) {
  StripCommon(a, b);
  const size_t n = a.size(), m = b.size();
  const size_t gap = n > m ? n - m : m - n;
  if (gap > max_distance) return std::nullopt;
  if (n == 0 || m == 0) return std::max(n, m);
  // Widen the band by doubling, from the least the lengths allow: each try costs
  // O(n * band), so the whole costs O(n * distance) rather than O(n * max_distance), and a
  // small edit in a long text stays cheap even where a large one is allowed.
  for (size_t band = std::max<size_t>(gap, 1);; band = std::min(max_distance, band * 2)) {
    if (auto d = Banded(a, b, std::min(band, max_distance), cells)) return d;
    if (band >= max_distance) return std::nullopt;
  }
}

std::optional<double> EditSimilarity(std::u32string_view a, std::u32string_view b,
                                     double min_similarity) {
  const size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  const double slack = std::clamp(1.0 - min_similarity, 0.0, 1.0);
  const auto k =
      std::min(longest, static_cast<size_t>(slack * static_cast<double>(longest) + 1e-9));
  const size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > k) return std::nullopt;
  // q-gram lemma (q = 3): distance <= k implies at least longest - 2 - 3k shared trigrams.
  if (longest > 2 + 3 * k) {
    const size_t needed = longest - 2 - 3 * k;
    if (CommonCount(SortedTrigrams(a), SortedTrigrams(b)) < needed) return std::nullopt;
  }
  // What the comparison may cost: a band of k around texts of `middle` code points after their
  // common ends. Past the budget (a long passage with edits all over it), the band shrinks to
  // what the budget pays for, and a pair whose distance is beyond it counts as not similar:
  // the annotation is then reported as not re-attached (kept, never dropped) rather than
  // holding up indexing for minutes.
  std::u32string_view ma = a, mb = b;
  StripCommon(ma, mb);
  const size_t middle = std::max<size_t>(std::max(ma.size(), mb.size()), 1);
  const size_t affordable = kMaxEditCells / (2 * middle);
  const auto distance = BoundedLevenshtein(ma, mb, std::min(k, affordable));
  if (!distance) return std::nullopt;
  const double similarity = 1.0 - static_cast<double>(*distance) / static_cast<double>(longest);
  if (similarity + 1e-12 < min_similarity) return std::nullopt;
  return similarity;
}

}  // namespace pillar
