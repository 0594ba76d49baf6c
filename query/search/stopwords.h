#pragma once

#include <span>
#include <string_view>

namespace pillar {

// Function words the query parser ignores outside phrases ("rule of law" searches rule AND
// law, while "\"rule of law\"" keeps the phrase). One list per language, applied only when
// the query is parsed for passages of that language: a merged list made `do no harm` mean
// `harm` in English, "do" and "no" being Portuguese function words. Index terms keep them.
// Kept short on purpose: with all words required, a word wrongly listed here silently
// widens the match, one wrongly missing only asks that the passage contains it.
inline constexpr std::string_view kStopwordsEn[] = {
    "a",  "an", "and", "are", "as", "at",  "be",    "by",   "for",  "from", "in",   "into", "is",
    "it", "its", "of", "on",  "or", "that", "the", "their", "this", "to",  "was",  "were", "with"};
inline constexpr std::string_view kStopwordsFr[] = {
    "au", "aux", "ce", "ces", "dans", "de",  "des", "du",  "elle", "en", "et", "il", "la", "le",
    "les", "leur", "ou", "par", "pour", "qui", "que", "sa", "se",   "son", "sur", "un", "une"};
inline constexpr std::string_view kStopwordsEs[] = {
    "a",  "al", "con", "de", "del", "el",  "en", "la", "las", "lo",
    "los", "o", "para", "por", "que", "se", "su", "un", "una", "y"};
inline constexpr std::string_view kStopwordsPt[] = {
    "a",  "ao", "as", "com", "da", "das", "de", "do", "dos", "e",    "em",  "na",
    "nas", "no", "nos", "o",  "os", "para", "por", "que", "se", "um", "uma"};

// The stop words of `language` (ISO 639-1), or none for a language without a list.
inline std::span<const std::string_view> StopwordsFor(std::string_view language) {
  if (language == "en") return kStopwordsEn;
  if (language == "fr") return kStopwordsFr;
  if (language == "es") return kStopwordsEs;
  if (language == "pt") return kStopwordsPt;
  return {};
}

}  // namespace pillar
