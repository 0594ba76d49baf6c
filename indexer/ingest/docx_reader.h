#pragma once

#include <cstdint>

#include "indexer/ingest/reader.h"

namespace pillar {

// Limits on what a DOCX container may make us decompress. A ZIP entry declares its size, but
// a hostile file can lie, so reads also stop at the limit whatever the entry claims.
struct DocxLimits {
  uint64_t max_entry_bytes = 64ull << 20;   // one part, uncompressed: 64 MiB
  uint64_t max_total_bytes = 256ull << 20;  // all parts read, uncompressed: 256 MiB
  // Uncompressed/compressed size of one part. Text XML compresses 5-20x; a zip bomb, 1000x.
  // Checked for parts over 1 MiB only, so small, very repetitive parts are fine.
  uint64_t max_ratio = 200;
  uint64_t max_entries = 10000;  // entries in the container's directory
};

// Word 2007+ documents (.docx), read with libzip and pugixml.
//
// Parts: word/document.xml (required), word/styles.xml, word/numbering.xml,
// word/footnotes.xml, word/endnotes.xml, word/comments.xml, docProps/core.xml; located by name
// (the package relationships are not followed). Headers and footers are not read: Word
// repeats them on every page, so they are boilerplate by construction. Every XML part goes
// through LoadXml's checks (no entity declarations, depth).
//
// Blocks: each body paragraph <w:p> (also inside content controls and layout tables) is one
// block; text comes from <w:t> runs (deleted text, field instructions and drawings' layout
// numbers are skipped; tabs and breaks are spaces, non-breaking hyphens '-'). Text boxes
// (w:txbxContent; one branch of each mc:AlternateContent) follow the paragraph anchoring them.
// A paragraph is a heading when its style, or a style it is based on, is named "heading N" /
// "Titre N" / "Título N" / "Überschrift N", or declares an outline level (w:outlineLvl 0-5 ->
// level 1-6), or the paragraph itself does; "Title" is a level-1 heading. Failing that, a
// short paragraph (<= 160 bytes and 16 words, no final '.', ';' or ',') outside tables whose
// text is all bold or all >= 1.15x the body's font size is a heading one level below the last
// style heading; a short bold numbered one takes its list level. Numbered
// paragraphs (w:numPr) get their marker synthesized from word/numbering.xml when the level's
// format is decimal, lower/upper letter or lower/upper roman ("%1." -> "3.", "(%2)" ->
// "(b)"), counting per list and level as Word does; bullets get no marker.
// Tables (rule in indexer/ingest/table_rows.h): a data table gives one paragraph per row with
// its column headers; a layout table is read paragraph by paragraph.
// Footnote, endnote and comment references are removed from the body; each cited note becomes
// a footnote block right after the paragraph (or row) citing it, numbered per kind in citation
// order, with locators "1", "en1", "comment1".
// Metadata from docProps/core.xml: dc:title, dc:creator (author), dcterms:created (date,
// YYYY-MM-DD), dc:language.
class DocxReader : public Reader {
 public:
  DocxReader() = default;
  explicit DocxReader(const DocxLimits& limits) : limits_(limits) {}
  std::string_view Name() const override { return "docx"; }
  bool IsText() const override { return false; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;

 private:
  DocxLimits limits_;
};

}  // namespace pillar
