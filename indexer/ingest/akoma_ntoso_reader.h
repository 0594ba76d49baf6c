#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// Akoma Ntoso 3.0 (OASIS LegalDocML) as profiled by AKN4UN for resolutions (`<statement>`
// with FRBRsubtype "deliberation"); other document types (act, bill, doc...) read the same way.
//
// Metadata from meta/identification: symbol = FRBRWork/FRBRnumber/@showAs (else @value);
// date = FRBRWork/FRBRdate/@date; issuer = FRBRWork/FRBRauthor/@href resolved to the
// TLCOrganization (matched by eId, id or href) in meta/references, its @showAs; language =
// FRBRExpression/FRBRlanguage/@language mapped to ISO 639-1 (eng -> en, fra -> fr...); title =
// preface docTitle, else FRBRWork/FRBRalias/@value, else FRBRname; type "resolution" for a
// statement of subtype deliberation or a document named resolution.
//
// Blocks (each with Block.locator set explicitly and Block.anchor = eId):
//  - preamble: the enacting formula ("The Security Council,") is a paragraph without locator;
//    every <p> in a container, recital or directly in the preamble is "PP1", "PP2"...;
//  - body (body / mainBody / judgmentBody...): paragraph, article, point, item, alinea,
//    subparagraph... are numbered by their <num>: "7." -> "7", a point "(b)" of paragraph 2 ->
//    "2(b)", a subpoint "(i)" -> "2(b)(i)". The text of a numbered unit (its num, intro and
//    content) is one block; its points follow as their own blocks; a wrapUp is a block with
//    the parent's locator;
//  - heading / crossHeading / subheading, and section/part/chapter/title/hcontainer headings
//    (with their num: "I. General") become heading blocks, nested by containment;
//  - authorialNote elements are removed from the text and become footnote blocks after the
//    unit that carries them (locator = @marker, else their order);
//  - the preface (docTitle, docNumber...) and conclusions (signatures) feed metadata only.
class AkomaNtosoReader : public Reader {
 public:
  std::string_view Name() const override { return "akoma-ntoso"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

}  // namespace pillar
