#pragma once

#include <cstddef>

#include "indexer/ingest/reader.h"

namespace pillar {

// Limits on one PDF.
struct PdfLimits {
  int max_pages = 5000;                   // longer documents are refused
  size_t max_text_bytes = 64ull << 20;    // extracted text: 64 MiB
};

// PDF through poppler-cpp. Rebuilds the text a careful reader sees from the positioned words
// of each page (page::text_list with fonts):
//
//  - lines: words grouped by vertical overlap, in poppler's reading order;
//  - running headers and footers: lines in the top or bottom 12% of a page whose text, with
//    digits masked, repeats on at least two pages and 40% of them ("UNSME/POC/2024/1 DRAFT",
//    "Page 2 of 9"), and lines there that are only a page number ("12", "- 12 -", "Page 3",
//    "iv") are left out;
//  - footnotes: the run of lines at the bottom of a page (above the footer) set in a font
//    smaller than the body's that starts with a note number; each note becomes a footnote
//    block (locator = its number) placed after the paragraph in progress, so a paragraph the
//    notes interrupt is never glued to them. Note calls (small raised digits in the body) are
//    removed from the text;
//  - headings: lines in a font 15% larger than the body's (level 1) or entirely bold lines
//    that look like headings (HeadingLevelOfLine; level 2); consecutive heading lines in the
//    same font are one heading;
//  - paragraphs: a new one starts after a vertical gap over 1.2 line pitches, at a first-line
//    indent, at a list marker ("(a)", "12."), at a change of font size, or after a short line
//    ending a sentence. A paragraph that runs over a page break is one block with the page
//    where it starts;
//  - hyphenation: a line ending in "-" after a lowercase letter, followed by a line starting
//    with a lowercase letter, is joined without the hyphen when the joined word occurs
//    elsewhere in the document, or the second part is a common suffix (tion, ment, ity...),
//    or neither part is a word of the document ("popu-" + "lation"); it keeps its hyphen
//    when the hyphenated compound occurs elsewhere or otherwise ("community-" + "based").
//    Soft hyphens always join.
//
// Metadata from the document information dictionary: Title, Author, CreationDate (as
// YYYY-MM-DD, UTC). The catalog wins over all of it.
//
// Scanned pages: with options.ocr.enabled, a page from which poppler gets no word at all is
// rendered and read by Tesseract (indexer/ingest/ocr.h); its words go through the same
// line, paragraph and furniture rules as a text layer's (no bold, sizes from line heights),
// and the blocks that start on such a page are marked Block::ocr. Pages with a text layer
// are never OCR'd.
//
// Errors: no "%PDF-" header, or no "%%EOF" in the last 1 KiB (a truncated file) ->
// Corruption; poppler cannot load it -> Corruption ("damaged"); encrypted with a password ->
// Unsupported; over the page limit -> Unsupported; no text at all -> Corruption ("no text
// layer (a scanned PDF): re-run with `pillar index --ocr` ..."; with OCR on, "no text found,
// not even by OCR"); an OCR language not installed -> Unsupported. poppler's own messages
// are silenced.
class PdfReader : public Reader {
 public:
  PdfReader() = default;
  explicit PdfReader(const PdfLimits& limits) : limits_(limits) {}
  std::string_view Name() const override { return "pdf"; }
  bool IsText() const override { return false; }
  // Read() is ReadWithOptions() with default options (no OCR).
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
  Status ReadWithOptions(const std::filesystem::path& path, std::string_view bytes,
                         const ReadOptions& options, ExtractedDocument* out) const override;
  // "ocr:<languages>" when OCR is on, else "".
  std::string OptionsKey(const ReadOptions& options) const override;

 private:
  PdfLimits limits_;
};

// The hyphenation decision, exposed for tests: true when "prefix-" at a line end followed by
// "suffix" on the next line should be joined as one word without the hyphen. `known_word`
// answers whether a lowercase word occurs elsewhere in the document.
template <typename KnownWord>
bool JoinHyphenatedWord(std::string_view prefix, std::string_view suffix, KnownWord known_word);

bool IsCommonWordEnding(std::string_view suffix);

template <typename KnownWord>
bool JoinHyphenatedWord(std::string_view prefix, std::string_view suffix, KnownWord known_word) {
  std::string joined(prefix);
  joined += suffix;
  for (char& c : joined) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (known_word(joined)) return true;
  std::string compound(prefix);
  compound += '-';
  compound += suffix;
  for (char& c : compound) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (known_word(compound)) return false;
  if (IsCommonWordEnding(suffix)) return true;
  // Two fragments that are not words of the document ("popu" + "lation") are one word; a
  // real compound's parts are usually words themselves ("community" + "based").
  std::string head(prefix), tail(suffix);
  for (char& c : head) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return !known_word(head) && !known_word(tail);
}

}  // namespace pillar
