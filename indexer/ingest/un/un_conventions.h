#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/ingest/extracted_document.h"

namespace pillar::un {

// Conventions of United Nations documents (the masthead of the first page, document symbols,
// job numbers and barcodes), used by any reader that meets them. Pure text functions: the
// caller decides which lines to ask about.

// A UN document symbol as printed, normalised: spaces around '/' removed, one space before a
// "(YYYY)" suffix ("S /RES/2769 (2025)" -> "S/RES/2769 (2025)"). Returns "" when `text` is
// not a symbol: an uppercase series letter or two ("A", "S", "E", "ST", "CRC"), then
// slash-separated parts of letters, digits and dots ("S/2025/176", "A/79/19",
// "E/CN.7/2012/L.2", "S/PRST/2025/1", "A/RES/79/1"), with at least one digit, optionally
// followed by "(2025)" and by "*" (a reissue mark).
std::string NormalizeSymbol(std::string_view text);

// True for the job number printed at the foot of the first page and on later pages:
// "25-07317 (E)", "25-07317", "25-07317 (F) 180325 180325".
bool IsJobNumber(std::string_view line);

// True for the barcode line under the job number: "*2507317*".
bool IsBarcode(std::string_view line);

// True for a reissue note: "Reissued for technical reasons on 3 March 2025."
bool IsReissueNote(std::string_view line);

// A printed date "16 January 2025" (English, French "16 janvier 2025", Spanish "16 de enero
// de 2025") as "2025-01-16"; "" when `line` is not one date.
std::string ParseDate(std::string_view line);

// The issuing organ named on a masthead line: "Security Council" -> "United Nations Security
// Council"; "General Assembly", "Economic and Social Council", and their French and Spanish
// names likewise. "" for any other line.
std::string IssuerOfBodyLine(std::string_view line);

// One line of the first page with what the masthead reader needs of it.
struct MastheadLine {
  std::string text;
  double top = 0;   // points from the top of the page
  double size = 0;  // font size
  bool bold = false;
};

// What the masthead and title of a UN document's first page say.
struct Masthead {
  bool found = false;            // a UN masthead: "United Nations" and a symbol at the top
  std::string symbol;            // "S/RES/2769 (2025)"
  std::string issuer;            // "United Nations Security Council"
  std::string date;              // ISO, from the printed date
  std::string language;          // ISO 639-1 of this version: the language line above
                                 // "Original: French", else the original ("Original: English")
  std::string title;             // "Resolution 2769 (2025)", "Letter dated ... addressed to ..."
  std::string type;              // resolution | letter | report | "" when not told
  std::string note;              // "Reissued for technical reasons on ..."
  std::vector<size_t> consumed;  // indexes of the lines that are masthead, title or furniture
  std::vector<std::string> printed_lines;  // their texts: an inner title page repeats them
};

// Reads the masthead, title and first-page furniture of a UN document from the lines of its
// first page (in reading order, with `body_size` the document's body font size and
// `page_height` in points). Masthead lines are those in the top third of the page before the
// title, and the organ and "Official Records" lines of a cover anywhere on the page; the title is
// the run of lines set larger than the body, or bold, that follows them
// ("Adopted by the Security Council at its ..." under a resolution's title is consumed, not
// part of it). Returns found = false, and consumes nothing, when the page has no UN masthead.
Masthead ReadMasthead(const std::vector<MastheadLine>& lines, double body_size, double page_height);

// Fills `meta` from a masthead: symbol, issuer (also as the author: a UN document's author is
// its issuing body, not the typist the PDF names), date, title, type, language and note
// replace what the file's information dictionary said.
void ApplyMasthead(const Masthead& masthead, DocumentMetadata* meta);

}  // namespace pillar::un
