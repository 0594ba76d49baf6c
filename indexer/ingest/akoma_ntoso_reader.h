#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// Akoma Ntoso 3.0 (OASIS LegalDocML) as profiled by AKN4UN for resolutions (`<statement>`
// with FRBRsubtype "deliberation"), and Akoma Ntoso 2.0; acts, bills, judgments, debates and
// other document types read the same way. docs/formats.md has the full account.
//
// Metadata from meta/identification: symbol = FRBRWork/FRBRnumber/@showAs (else @value);
// date = FRBRWork/FRBRdate/@date; issuer = FRBRWork/FRBRauthor/@href resolved to the
// TLCOrganization (matched by eId, id or href) in meta/references, its @showAs; language =
// FRBRExpression/FRBRlanguage/@language mapped to ISO 639-1 (eng -> en, fra -> fr...); title =
// preface docTitle, else FRBRWork/FRBRalias/@value, else FRBRname; type "resolution" for a
// statement of subtype deliberation or a document named resolution.
//
// Blocks, in document order, from everything but meta (preface, header, preamble, body /
// mainBody / judgmentBody / judgementBody / debateBody..., conclusions, attachments and the
// components after the document), each with Block.locator set explicitly and Block.anchor =
// eId (AKN 2.0: id):
//  - preamble: the enacting formula is a paragraph without locator; every other <p>, recital
//    or list item is "PP1", "PP2"...;
//  - containers (chapter, part, section, hcontainer, debateSection...) give heading blocks of
//    their num and heading, nested by containment;
//  - an article (or a numbered section of an act that calls its units "this Article") is
//    "Article 26"; its paragraph "(1)" or "1" is "Article 26(1)", that paragraph's point "b"
//    "Article 26(1)(b)". Without an article: "7." -> "7", a point "(b)" of 2 -> "2(b)";
//  - a numbered unit's num, lead-in heading, list intro and content are one block (a num is
//    never a block alone); its points and items follow; a wrapUp is a block with the
//    parent's locator;
//  - speech, question and answer set Block.speaker: @by resolved through the TLCPerson (or
//    TLCRole) in meta/references, else the <from> text; <from> is not part of the text;
//  - authorialNote elements are removed from the text and become footnote blocks after the
//    unit that carries them (locator = @marker, else their order).
class AkomaNtosoReader : public Reader {
 public:
  std::string_view Name() const override { return "akoma-ntoso"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

}  // namespace pillar
