#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pillar {

// Approximate text comparison for re-anchoring annotations whose passage was reworded.
// Everything counts Unicode code points, so an accented or Arabic letter is one edit.

// Decodes valid UTF-8 `s` into code points.
std::u32string ToCodePoints(std::string_view s);

// The Levenshtein distance between `a` and `b` if it is at most `max_distance`, else nullopt.
// Their common prefix and suffix are dropped first (they never change the distance); then
// only diagonals within a band are computed, the band doubling from the length gap up to
// `max_distance`, each try stopping as soon as a whole row exceeds its band:
// O(|a| + |b| + m * distance) time for a middle part of m code points, O(|b|) memory.
// When `cells` is given, the number of matrix cells computed is added to it.
std::optional<size_t> BoundedLevenshtein(std::u32string_view a, std::u32string_view b,
                                         size_t max_distance, size_t* cells = nullptr);

// The most matrix cells EditSimilarity computes for one pair (about a second of work).
inline constexpr size_t kMaxEditCells = size_t{200} << 20;

// Normalised edit similarity 1 - distance / max(|a|, |b|) in [0, 1] (1 for two empty texts).
// Returns nullopt without running the full edit distance when the similarity is certainly
// below `min_similarity`: lengths too far apart, or too few shared character trigrams (the
// q-gram lemma: each edit destroys at most 3 trigrams). A pair whose comparison would cost
// more than kMaxEditCells (long texts edited all over) is compared within what that pays
// for, and returns nullopt when its distance is beyond.
std::optional<double> EditSimilarity(std::u32string_view a, std::u32string_view b,
                                     double min_similarity);

}  // namespace pillar
