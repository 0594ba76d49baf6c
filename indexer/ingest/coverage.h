#pragma once

// The coverage check of issue 15 ("no silent loss"): how much of a file's visible text its
// reader kept, measured without the reader. Each format's visible text is found by a small
// walker of its own (pugixml, gumbo, libzip with the readers' limits), so a reader that skips
// an element is caught rather than trusted.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pillar {

struct CoverageOptions {
  // Below this share of the visible words, CoverageWarning() warns and MeasureCoverage() names
  // where the unread words are.
  double warn_below = 0.5;
  // At most this many element or part names in Coverage::unread.
  size_t max_names = 3;
};

struct Coverage {
  // False when the format is not measured (PDF: its reader has measures of its own) or its
  // bytes could not be parsed for measuring; the other fields are then zero, `why_not` says why.
  bool measured = false;
  std::string why_not;
  size_t visible_words = 0;  // words of the file's visible text (ForEachWord in base/text.h)
  size_t kept_words = 0;     // words of the extracted text
  // Where the words missing from the extracted text are, most first: element names ("u",
  // "w:hyperlink") or DOCX part names ("word/endnotes.xml"), with the words missing there.
  // Filled only when Share() < options.warn_below (it costs a second walk).
  std::vector<std::pair<std::string, size_t>> unread;

  // kept_words / visible_words, capped at 1 (a reader may add words, e.g. list numbers);
  // 1 when the file shows no words; -1 when not measured.
  double Share() const;
};

// Measures how much of a file's visible text `extracted_text` (ExtractedDocument::text, what
// becomes passages) holds. `format` is the reader's Name() for the file ("text", "markdown",
// "html", "docx", "xml", "akoma-ntoso", "tei", "pdf"); `bytes` are the file's bytes as read.
// Visible text per format:
//  - XML (Akoma Ntoso, TEI): every text node except metadata (AKN <meta>, TEI <teiHeader>),
//    parsed by LoadXml() with the XML readers' protections;
//  - HTML: what a browser shows: every text node except <head>, script, style, noscript,
//    template and elements with the `hidden` attribute;
//  - DOCX: the <w:t> runs of word/document.xml, word/footnotes.xml and word/endnotes.xml
//    (mc:Fallback copies skipped), read within DocxLimits;
//  - text: the text itself; Markdown: the text without YAML front matter, HTML comments and
//    link targets (the rest of its syntax is punctuation, which has no words);
//  - PDF and unknown formats: not measured.
// Never fails: a file that cannot be parsed again is returned not measured.
Coverage MeasureCoverage(std::string_view format, std::string_view bytes,
                         std::string_view extracted_text, const CoverageOptions& options = {});

// True when MeasureCoverage() measures files of `format` (a reader's Name()), so that callers
// keep the bytes only for those.
bool CoverageMeasures(std::string_view format);

// The warning for `file` when coverage.Share() < options.warn_below, else "":
// "FILE: passages hold 8% of the file's 4,931 words; text in <u> elements may be unread".
std::string CoverageWarning(std::string_view file, const Coverage& coverage,
                            const CoverageOptions& options = {});

}  // namespace pillar
