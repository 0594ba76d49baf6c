#pragma once

#include <string>
#include <string_view>

namespace pillar {

// The kinds of paragraph markers policy texts print at the start of a paragraph.
enum class LocatorKind {
  kNone,
  kNumber,   // "12."            -> label "12"
  kDecimal,  // "12.3" / "2.1.4" -> label "12.3"
  kLetter,   // "(a)" or "a)"    -> label "a"
  kRoman,    // "(iv)"           -> label "iv"
  kArticle,  // "Article 5"      -> label "Article 5"
};

struct DetectedLocator {
  LocatorKind kind = LocatorKind::kNone;
  std::string label;
};

// Detects the marker at the start of `paragraph`. `previous_letter` is the last letter
// sub-paragraph seen under the current parent (0 if none): it decides whether "(i)" is the
// letter after "(h)" or the first roman sub-point.
DetectedLocator DetectLocator(std::string_view paragraph, char previous_letter = 0);

// The id fragment for a locator: "12" -> "para-12", "5(a)(ii)" -> "para-5-a-ii",
// "Article 5" -> "art-5", "Section 9(1)" -> "sec-9-1"; in resolutions operative paragraphs become "op-5", "op-5-a" and
// preambular ones "pp-3". Empty locator -> "".
std::string FragmentForLocator(std::string_view locator, bool resolution);

}  // namespace pillar
