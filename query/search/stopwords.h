#pragma once

#include <string_view>

namespace pillar {

// Function words the query parser ignores outside phrases ("rule of law" searches rule AND
// law ranked, while "\"rule of law\"" keeps the phrase). English, French, Spanish and
// Portuguese, the working languages of the corpora Pillar serves. Index terms keep them.
inline constexpr std::string_view kStopwords[] = {
    // English
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "with",
    // French
    "au", "aux", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "il", "la", "le",
    "les", "leur", "ou", "par", "pour", "qui", "que", "sa", "se", "son", "sur", "un", "une",
    // Spanish and Portuguese
    "del", "el", "los", "las", "por", "con", "y", "o", "da", "do", "das", "dos", "em", "na",
    "no", "os", "para", "e"};

}  // namespace pillar
