#pragma once

// "Did you mean": corrections of the body words of a query from the index's own vocabulary.

#include <xapian.h>

#include <string>
#include <string_view>

namespace pillar {

// Levenshtein distance between `a` and `b` (bytes), or cutoff + 1 as soon as it is known to
// exceed `cutoff`.
size_t EditDistance(std::string_view a, std::string_view b, size_t cutoff);

// `query` with misspelt body words replaced, or "" when nothing was replaced. Only body words
// are looked at (BodyRanges: never field names, field values, operators or symbols, so
// `lang:fr` stays as it is); each word of four letters or more on its own:
//   - a word the index does not hold becomes the most frequent indexed word within one edit
//     (two for words of seven letters or more) that starts with the same letter;
//   - a word the index holds in at most kRarePassages passages becomes such a word when that
//     word is in kCommonRatio times as many passages (a typo the corpus itself contains,
//     "ceasfire" beside "ceasefire").
// Candidates are read from the index's term list under the word's first letter, so a typo in
// the first letter is not corrected.
std::string SuggestQuery(const Xapian::Database& db, const std::string& query);

inline constexpr Xapian::doccount kRarePassages = 3;
inline constexpr Xapian::doccount kCommonRatio = 20;

}  // namespace pillar
