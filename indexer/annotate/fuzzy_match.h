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
// Banded (only diagonals within `max_distance` are computed) and stops as soon as a whole row
// exceeds the bound: O(min(|a|,|b|) * max_distance) time, O(|b|) memory.
std::optional<size_t> BoundedLevenshtein(std::u32string_view a, std::u32string_view b,
                                         size_t max_distance);

// Normalised edit similarity 1 - distance / max(|a|, |b|) in [0, 1] (1 for two empty texts).
// Returns nullopt without running the full edit distance when the similarity is certainly
// below `min_similarity`: lengths too far apart, or too few shared character trigrams (the
// q-gram lemma: each edit destroys at most 3 trigrams).
std::optional<double> EditSimilarity(std::u32string_view a, std::u32string_view b,
                                     double min_similarity);

}  // namespace pillar
