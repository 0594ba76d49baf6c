#pragma once

#include <string>
#include <vector>

#include "indexer/base/status.h"

namespace poppler {
class page;
}

namespace pillar {

// How pages without a text layer are read.
struct OcrOptions {
  bool enabled = false;  // off: such a page yields no words (a PDF of only those is refused)
  // Tesseract language packs joined by '+' ("eng", "eng+fra"). One language is the default:
  // each added language slows recognition and lets it pick wrong look-alike words, so a
  // user names the languages their scans are in. Each needs its tesseract-ocr-LANG package.
  std::string languages = "eng";
  // Rendering resolution. Tesseract reads best at about 300 dpi; a page so large that this
  // would exceed kMaxOcrPixels is rendered at the resolution that fits.
  int dpi = 300;
};

// A page rendered for OCR holds at most this many pixels (one byte each).
inline constexpr double kMaxOcrPixels = 60e6;

// One word read by OCR, placed like a word of a text layer: PDF points on the page as
// poppler shows it, origin at the top left (as poppler::text_box::bbox()).
struct OcrWord {
  std::string text;  // UTF-8, NFC, no spaces
  double x0 = 0, top = 0, x1 = 0, bottom = 0;
  // The font size in points, estimated from the height of the word's text line (ascender to
  // descender), the same for every word of a line, and snapped to the size most characters
  // of the page have when 12% below to 6% above it, so that lines of one font compare equal.
  double size = 0;
  bool space_after = false;  // another word follows on the same line
  int confidence = 0;        // Tesseract's, 0-100
};

// Renders `page` at options.dpi with poppler and reads it with Tesseract in
// options.languages. Returns the words in Tesseract's reading order (blocks, lines, words);
// an empty list for a blank page. Words Tesseract itself scores under 10 (specks, rules,
// picture edges) are left out. Each thread keeps one Tesseract instance per language set
// (loading a language takes a noticeable fraction of a second), so calls from several
// threads are safe. Tesseract's own messages are silenced.
// Errors: a language pack that is not installed -> Unsupported naming the package to
// install; poppler cannot render the page -> Corruption.
Result<std::vector<OcrWord>> OcrPage(const poppler::page& page, const OcrOptions& options);

// Checks that Tesseract can load every language of `languages` ("eng+fra"), so that a run
// with a missing pack fails once, before reading files. Unsupported names the package.
Status CheckOcrLanguages(const std::string& languages);

}  // namespace pillar
