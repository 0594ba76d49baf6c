#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// TEI P5 (`<TEI xmlns="http://www.tei-c.org/ns/1.0">`), and `<teiCorpus>` files read as one
// document. docs/formats.md describes the mapping in full.
//
// Metadata from teiHeader: title = fileDesc/titleStmt/title (the one with type="main" when
// there are several); author = titleStmt/author (several joined with "; "); issuer =
// publicationStmt/authority, else publisher; date = publicationStmt/date/@when (else its
// text); symbol = publicationStmt/idno[@type="symbol"]; language =
// profileDesc/langUsage/language/@ident, else @xml:lang of <text> or the root. A teiCorpus
// takes its own header's fields first and fills the rest from its members'.
//
// Blocks from text/front, text/body and text/back: every <head> is a heading whose level is
// the nesting of its <div>s (div, div1..div7); <p>, <ab>, <item>, <lg>, <l> and <quote>
// outside a <p> are paragraphs, with Block.locator = @n when present (no locator otherwise:
// the splitter then looks for one in the text) and Block.anchor = @xml:id. Every <note>,
// <stage>, <kinesic>, <vocal>, <incident> and <gap> is removed from the text around it and
// becomes a footnote block right after its paragraph (locator = @n, else its order).
// teiHeader, <fw>, <pb>, <lb> and <figure> graphics contribute no text; <pb n="..."/> sets the
// page of the blocks after it.
//
// Speeches: a <u> is one paragraph per <seg> (else one paragraph), an <sp> holds paragraphs;
// their blocks get Block.speaker: <sp>'s <speaker>, else @who resolved to the listPerson's
// persName (forenames, then surnames), else the name in the <note type="speaker"> before the
// <u> (the part in final parentheses, remembered per id), else the note's text, else the id.
//
// teiCorpus members are read in order, each under its title as a level-1 heading; members
// and header listPersons given as <xi:include href="..."> are read from files inside the
// corpus file's folder (bounded: 10,000 files, 256 MiB); an include that cannot be followed
// fails the file (Unsupported or IOError, naming the href).
class TeiReader : public Reader {
 public:
  std::string_view Name() const override { return "tei"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

}  // namespace pillar
