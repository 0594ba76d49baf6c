#pragma once

#include <cstddef>

#include "indexer/ingest/layout/pdf_layout.h"
#include "indexer/ingest/reader.h"

namespace pillar {

// Limits on one PDF.
struct PdfLimits {
  int max_pages = 5000;                   // longer documents are refused
  size_t max_text_bytes = 64ull << 20;    // extracted text: 64 MiB
};

// PDF through poppler-cpp. Takes the positioned words of each page (page::text_list with
// fonts) and hands them to the layout code (indexer/ingest/layout/pdf_layout.h: lines,
// columns, reading order, furniture, footnotes, paragraphs, headings, hyphenation).
//
// UN documents (indexer/ingest/un/un_conventions.h): the masthead of the first page ("United
// Nations", the symbol, the organ, "Distr.: General", the date, "Original: English") and the
// title under it become metadata and are not passages; job numbers ("25-07317 (E)"), barcodes
// ("*2507317*") and reissue notes are left out on every page.
//
// Metadata from the document information dictionary: Title, Author, CreationDate (as
// YYYY-MM-DD, UTC); a UN masthead replaces them (the symbol, the issuing organ as author, the
// printed date, the printed title). The catalog wins over all of it.
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

// The hyphenation decision lives with the layout code; exposed here for tests.
using layout::IsCommonWordEnding;
using layout::JoinHyphenatedWord;

}  // namespace pillar
