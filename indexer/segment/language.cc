#include "indexer/segment/language.h"

#include <algorithm>
#include <climits>
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <map>

#include <cld2/public/compact_lang_det.h>

namespace pillar {
namespace {

// CLD2's code for a language as ISO 639-1: "zh-Hant" -> "zh", "sr-ME" -> "sr", the old "iw"
// (Hebrew) -> "he", "jw" (Javanese) -> "jv". "" for CLD2's unknown ("un"), its pseudo-languages
// ("xx-Kali"...) and languages with only a three-letter code ("haw", "ceb"...).
std::string IsoCode(CLD2::Language language) {
  if (language == CLD2::UNKNOWN_LANGUAGE) return "";
  std::string_view code = CLD2::LanguageCode(language);
  code = code.substr(0, code.find('-'));
  if (code.size() != 2 || code == "un" || code == "xx") return "";
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  return std::string(code);
}

}  // namespace

LanguageGuess GuessLanguage(std::string_view text) {
  LanguageGuess guess;
  if (text.empty() || text.size() > static_cast<size_t>(INT_MAX)) return guess;
  CLD2::Language language3[3];
  int percent3[3];
  double normalized_score3[3];
  int text_bytes = 0;
  int valid_prefix_bytes = 0;
  bool reliable = false;
  CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, /*cld_hints=*/nullptr,
      /*flags=*/0, language3, percent3, normalized_score3, /*resultchunkvector=*/nullptr,
      &text_bytes, &reliable, &valid_prefix_bytes);
  if (valid_prefix_bytes < static_cast<int>(text.size())) return guess;
  guess.language = IsoCode(language);
  guess.text_bytes = text_bytes;
  guess.reliable = reliable && !guess.language.empty();
  for (int k = 0; k < 3; ++k) {
    std::string code = IsoCode(language3[k]);
    if (code.empty() || percent3[k] <= 0) continue;
    if (code == guess.language) guess.percent = percent3[k];
    guess.top.emplace_back(std::move(code), text_bytes * percent3[k] / 100);
  }
  return guess;
}

DocumentLanguages::DocumentLanguages(const ExtractedDocument& doc, bool whole_document) {
  std::map<std::string, long> tally;  // language -> scored bytes, over all blocks
  long total = 0;
  for (const Block& block : doc.blocks) {
    std::string_view text = doc.BlockText(block);
    // Scored bytes never exceed the text's bytes: a short block cannot have its own language.
    if (!whole_document && text.size() < static_cast<size_t>(kMinBlockBytes)) continue;
    // The first few hundred bytes of a block tell its language as well as all of it, at a
    // fraction of the cost (CLD2's time grows with the bytes): cut at a space.
    if (text.size() > kSampleBytes) {
      size_t cut = text.rfind(' ', kSampleBytes);
      text = text.substr(0, cut == std::string_view::npos || cut < kSampleBytes / 2
                                ? kSampleBytes
                                : cut);
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
        text.remove_suffix(1);  // never end inside a UTF-8 sequence
      }
      if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.remove_suffix(1);
    }
    LanguageGuess guess = GuessLanguage(text);
    total += guess.text_bytes;
    for (const auto& [code, bytes] : guess.top) tally[code] += bytes;
    if (guess.reliable && guess.text_bytes >= kMinBlockBytes && guess.percent >= kMinBlockPercent) {
      spans_.push_back({block.begin, block.end, guess.language});
    }
  }
  if (!whole_document || total < kMinDocumentBytes) return;
  auto top = std::max_element(tally.begin(), tally.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; });
  if (top != tally.end() && top->second * 2 > total) dominant_ = top->first;
}

std::string_view DocumentLanguages::LanguageAt(size_t offset) const {
  auto after = std::upper_bound(spans_.begin(), spans_.end(), offset,
                                [](size_t o, const Span& s) { return o < s.begin; });
  if (after == spans_.begin()) return {};
  const Span& span = *(after - 1);
  return offset < span.end ? std::string_view(span.language) : std::string_view();
}

}  // namespace pillar
