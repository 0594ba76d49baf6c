#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/index/passage_codec.h"
#include "indexer/segment/passage.h"

namespace pillar {

// Citation formatters: (document, passage) pairs -> the formats researchers import into
// Zotero, pandoc/LaTeX and word processors. The mappings (CSL types, RIS tags, BibTeX entry
// types) follow docs/citations.md; the reasons are in ../shared/FORMATS.md section 1.

enum class CitationFormat {
  kText,         // house style close to UN usage, one line per cited passage
  kCslJson,      // CSL-JSON: an array of items (one per document)
  kCslCitation,  // csl-citation.json: one citation object whose cite-items carry the
                 //   pinpoint (locator + label) and the item data
  kRis,          // RIS, CRLF line ends, UTF-8, Zotero's tag mapping
  kBibtex,       // classic BibTeX (@techreport / @misc)
  kBiblatex,     // BibLaTeX (@report / @online / @misc)
};

// What a citation adds for a passage read by OCR from a scanned page (Passage::ocr): after
// the pinpoint in kText, after the pinpoint in RIS N1 notes and BibTeX/BibLaTeX pinpoint
// comments. CSL has no field for where a text came from: a CSL item cited for such a passage
// gets kOcrCslNote as its `note` (Zotero's Extra).
inline constexpr std::string_view kOcrNote = "(text from OCR)";
inline constexpr std::string_view kOcrCslNote =
    "Cited text read by OCR from a scanned copy; check it against the original.";

// "text", "csl-json", "csl-citation", "ris", "bibtex", "biblatex".
const std::vector<std::string>& CitationFormatNames();
// InvalidArgument naming the accepted formats for anything else.
Result<CitationFormat> ParseCitationFormat(std::string_view name);

// What is cited: a document, and optionally one of its passages (the pinpoint).
struct CiteItem {
  DocumentRecord document;
  std::optional<Passage> passage;  // none: the document as a whole
};

struct CitationOptions {
  CitationFormat format = CitationFormat::kText;
  bool quote = false;  // kText: add the passage text in quotation marks; kRis: as a note
};

// Formats `items`. kText gives one line per item, in order. The bibliographic formats give
// one record per distinct document (first appearance order), keyed by CitationKeys(); the
// pinpoints of its cited passages go where the format has room for them (RIS N1 notes,
// BibTeX/BibLaTeX comment lines before the entry showing the \cite[...]{key} to use,
// csl-citation cite-items). CSL-JSON items carry no pinpoint (CSL keeps those in citations).
std::string FormatCitations(const std::vector<CiteItem>& items, const CitationOptions& options);

// --- Building blocks (exposed for tests and for other writers) ---

// A citation key from a document id: ASCII letters and digits kept (lowercased), every other
// run becomes '_', e.g. "s-res-2719-2023" -> "s_res_2719_2023"; "doc" when nothing is left;
// a leading digit gets a "doc_" prefix.
std::string CitationKey(std::string_view doc_id);
// Keys for `doc_ids` in order: CitationKey() of each, made unique by appending "_2", "_3"...
// to later collisions. Equal ids get equal keys.
std::vector<std::string> CitationKeys(const std::vector<std::string>& doc_ids);

// The pinpoint as printed: "para. 5(a)", "preambular para. 3", "Article 5", "footnote 2",
// "p. 12", joined by ", " ("para. 7(b), p. 2"), after "speech by <speaker>" when the passage
// has a speaker (debates: "speech by Pere Pérez, p. 4"); "" when there is none of these.
std::string PinpointText(const Passage& passage);

// The CSL locator/label pair: paragraphs -> ("5(a)", "paragraph"), preambular paragraphs ->
// ("PP3", "paragraph"), articles -> ("5", "article-locator"), footnotes -> ("2", "note"),
// else the page -> ("12", "page"); both empty when there is nothing to point at.
struct CslLocator {
  std::string locator;
  std::string label;
};
CslLocator CslLocatorOf(const Passage& passage);

// CSL type for a Pillar document type: resolution -> legislation; report, policy,
// guidelines, handbook, brief, press-release -> report; article -> article; else document.
std::string CslType(std::string_view doc_type);
// RIS TY: legislation -> STAT, report -> RPRT, article -> ELEC (web) or GEN, else GEN.
std::string RisType(const DocumentMetadata& meta);

// The institution that publishes a document: "United Nations" for UN bodies, "African
// Union" for AU bodies, else the issuer itself.
std::string PublisherOf(const DocumentMetadata& meta);

// The title used in citations: SC resolutions (symbol S/RES/N (YYYY)) are "resolution N
// (YYYY)" in the text style, since they have no title; else the catalogue title.
std::string CitationTitle(const DocumentMetadata& meta);

// "21 December 2023", "June 2015", "2023" from an ISO date; the input when unparsable.
std::string HumanDate(std::string_view iso_date);

// Escapes the characters special to (La)TeX in a BibTeX field value: & % $ # _ { } ~ ^ \.
// Non-ASCII text is kept as UTF-8.
std::string BibtexEscape(std::string_view text);

}  // namespace pillar
