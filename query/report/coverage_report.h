#pragma once

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

struct CoverageRow {
  DocumentRecord document;
  size_t passages = 0;                              // passages counted for this document
  std::vector<std::vector<CoveragePassage>> cells;  // per column: the tagged passages
  double Share(size_t column) const {
    return passages == 0 ? 0.0 : static_cast<double>(cells[column].size()) / passages;
  }
};

struct CoverageMatrix {
  std::vector<CoverageColumn> columns;  // concepts in taxonomy order, grouped by scheme
  std::vector<CoverageRow> rows;        // documents by issuer, then date, then id
};

struct CoverageOptions {
  SearchRequest filter;       // which passages count (query and filters); default: all
  size_t snippet_chars = 160; // code points kept in each listed passage's snippet
};

// Reads every passage matching `options.filter` and counts its tags (rule, model and manual
// alike, as stored in the index). Columns are every concept of `taxonomy`, then any concept
// found in tags but not in the taxonomy (scheme "other"). Documents with no matching passage
// are left out. Errors are the searcher's.
Result<CoverageMatrix> BuildCoverage(Searcher& searcher, const Taxonomy& taxonomy,
                                     const CoverageOptions& options = {});

// The HTML page: a title, the SVG heat map (rows grouped and labelled by issuer and year,
// columns grouped under scheme headers, a colour legend, a <title> tooltip with counts in
// every cell, each non-empty cell a link to #cell-R-C) and below it the passages of each
// non-empty cell under that anchor. Everything taken from the data is HTML-escaped.
std::string CoverageHtml(const CoverageMatrix& matrix, const std::string& title = "Pillar coverage");

// The same matrix as RFC 4180 CSV (CRLF): doc_id, title, issuer, date, passages, then one
// column per concept id holding the share (0 to 1, four decimals).
std::string CoverageCsv(const CoverageMatrix& matrix);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace pillar
