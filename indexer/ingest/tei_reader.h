#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// TEI P5 (`<TEI xmlns="http://www.tei-c.org/ns/1.0">`).
//
// Metadata from teiHeader: title = fileDesc/titleStmt/title (the one with type="main" when
// there are several); author = titleStmt/author (several joined with "; "); issuer =
// publicationStmt/authority, else publisher; date = publicationStmt/date/@when (else its
// text); symbol = publicationStmt/idno[@type="symbol"]; language =
// profileDesc/langUsage/language/@ident, else @xml:lang of <text> or <TEI>.
//
// Blocks from text/front, text/body and text/back: every <head> is a heading whose level is
// the nesting of its <div>s (div, div1..div7); <p>, <ab>, <item>, <lg> and <quote> outside a
// <p> are paragraphs, with Block.locator = @n when present (no locator otherwise: the
// splitter then looks for one in the text) and Block.anchor = @xml:id. Every <note> is
// removed from the text around it and becomes a footnote block right after its paragraph
// (locator = @n, else its order). teiHeader, <fw> (forme work: running heads, page numbers),
// <pb>, <lb> and <figure> graphics contribute no text; <pb n="..."/> sets the page of the
// blocks after it.
class TeiReader : public Reader {
 public:
  std::string_view Name() const override { return "tei"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

}  // namespace pillar
