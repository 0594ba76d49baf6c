#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"

namespace pillar {

// Pillar coverage: for each document and each concept, the share of the document's passages
// tagged with the concept. Rendered as a self-contained HTML page with an SVG heat map (no
// external assets, works offline) and as CSV.

struct CoverageColumn {
  std::string concept_id;
  std::string label;         // English prefLabel
  std::string scheme_id;
  std::string scheme_label;  // English prefLabel of the scheme
};

// A passage listed under a heat map cell.
struct CoveragePassage {
  std::string passage_id;
  std::string pinpoint;  // PinpointText(), may be empty
  std::string snippet;   // the start of the text, cut at a word boundary
};

// What the page holds, whatever the index holds (issue 14, case 10: 100,000 documents made a
// 1 GB page from 2.8 GB of memory). The counts and the CSV cover every document; the page
// shows at most kMaxPageRows documents (those with the most passages) and lists the same
// number of passages under every cell: as many as keep the page near kMaxListedPassages, at
// least one and at most kMaxListedPerCell. It says what it left out and where to find it.
inline constexpr size_t kMaxPageRows = 500;
inline constexpr size_t kMaxListedPerCell = 50;
inline constexpr size_t kMaxListedPassages = 5000;
// Issuing bodies in the "all documents by issuing body" heat map of a page that leaves
// documents out (the rest are summed into one row).
inline constexpr size_t kMaxIssuerRows = 200;

struct CoverageRow {
  DocumentRecord document;
  // The document's language has no tagging rules (no rule names it): its empty cells mean
  // "not looked for", not "not there", and the page says "no rules for <language>".
  bool no_rules = false;
  size_t passages = 0;                              // passages counted for this document
  std::vector<size_t> counts;                       // per column: passages tagged with it
  // Per column: the passages listed on the page, the first of counts[c] (see
  // kMaxListedPassages); empty for a row not on the page.
  std::vector<std::vector<CoveragePassage>> cells;
  double Share(size_t column) const {
    return passages == 0 ? 0.0 : static_cast<double>(counts[column]) / passages;
  }
};

struct CoverageMatrix {
  std::vector<CoverageColumn> columns;  // concepts in taxonomy order, grouped by scheme
  std::vector<CoverageRow> rows;        // every document, by issuer, then date, then id
  // Indexes into `rows` of the documents on the page, in row order: every row when there
  // are at most kMaxPageRows, else the kMaxPageRows with the most passages.
  std::vector<size_t> page_rows;
  size_t passages = 0;  // passages counted, over every row
  // Primary language subtags the taxonomy's rules name ("en", "fr"), sorted; empty when no
  // rule names a language (then every rule applies to every language).
  std::vector<std::string> rule_languages;
};

// "Spanish (es)": the English name of a language code, for the page.
std::string LanguageName(const std::string& code);

struct CoverageOptions {
  SearchRequest filter;       // which passages count (query and filters); default: all
  size_t snippet_chars = 160; // code points kept in each listed passage's snippet
};

// Reads every passage matching `options.filter` and counts its tags (rule, model and manual
// alike, as stored in the index). Columns are every concept of `taxonomy`, then any concept
// found in tags but not in the taxonomy (scheme "other"). Documents with no matching passage
// are left out. Memory grows with documents x concepts, not with passages: the listed
// passages are collected in the same pass while there are at most kMaxPageRows documents,
// else by a second pass over the documents on the page. Errors are the searcher's.
Result<CoverageMatrix> BuildCoverage(Searcher& searcher, const Taxonomy& taxonomy,
                                     const CoverageOptions& options = {});

// The HTML page: a title, the SVG heat map (rows grouped and labelled by issuer and year,
// columns grouped under scheme headers, a colour legend, a <title> tooltip with counts in
// every cell, each non-empty cell a link to #cell-R-C) and below it the passages of each
// non-empty cell under that anchor. Everything taken from the data is HTML-escaped. When
// `page_rows` leaves documents out, the page says how many and where they are (the CSV),
// and adds a heat map of every document summed by issuing body. `csv_name` is the CSV file
// written beside the page, if any (named in that notice).
void WriteCoverageHtml(const CoverageMatrix& matrix, const std::string& title,
                       const std::string& csv_name, std::ostream& out);
std::string CoverageHtml(const CoverageMatrix& matrix, const std::string& title = "Pillar coverage",
                         const std::string& csv_name = "");

// The same matrix as RFC 4180 CSV (CRLF): doc_id, title, issuer, date, passages, then one
// column per concept id holding the share (0 to 1, four decimals). Every row, written one
// record at a time.
void WriteCoverageCsv(const CoverageMatrix& matrix, std::ostream& out);
std::string CoverageCsv(const CoverageMatrix& matrix);

// The short, distinct header of a column on the page: the concept id, then as much of its
// label as fits (two schemes may have concepts of the same label). The full label is the
// header's tooltip and is listed in the column key under the heat map.
std::string ColumnHeader(const CoverageColumn& column);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace pillar
