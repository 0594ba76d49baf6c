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

std::optional<size_t> BoundedLevenshtein(std::u32string_view a, std::u32string_view b,
                                         size_t max_distance) {
  const size_t n = a.size(), m = b.size();
  const size_t k = max_distance;
  if ((n > m ? n - m : m - n) > k) return std::nullopt;
  if (n == 0 || m == 0) return std::max(n, m);
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
    cur[hi + 1] = inf;  // read as "above" by the next row, whose band reaches one further
    if (row_min > k) return std::nullopt;
    std::swap(prev, cur);
  }
  if (prev[m] > k) return std::nullopt;
  return prev[m];
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
  const auto distance = BoundedLevenshtein(a, b, k);
  if (!distance) return std::nullopt;
  const double similarity = 1.0 - static_cast<double>(*distance) / static_cast<double>(longest);
  if (similarity + 1e-12 < min_similarity) return std::nullopt;
  return similarity;
}

}  // namespace pillar
