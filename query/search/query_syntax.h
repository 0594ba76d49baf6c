#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {

// A query as Pillar hands it to Xapian's QueryParser, after the parts Pillar handles itself.
struct PreparedQuery {
  std::string text;                      // for QueryParser: symbols removed, years as ranges
  std::vector<std::string> symbol_keys;  // symbol filters (SymbolKeys form), any one matches
};

// The largest query accepted: Xapian's matcher grows worse than linearly with the terms of
// one query (a 10,000-word query took 20 s on a one-passage index), and no query a person
// types comes near these. Longer queries are InvalidArgument errors saying so.
inline constexpr size_t kMaxQueryBytes = 4096;
inline constexpr size_t kMaxQueryWords = 256;  // words, counted inside phrases too

// Checks `query` for the mistakes Xapian's parser would silently repair or misread, and
// prepares it:
//   - unbalanced double quotes or parentheses, a boolean operator (AND OR XOR NOT NEAR ADJ)
//     without operands, NEAR/x with a non-number, an empty field value (`doc:`), and a year
//     that is not four digits (`year:abc..`) or a range that runs backwards
//     (`year:2023..2012`) are InvalidArgument errors naming the column
//     (1-based, in characters) and what was expected;
//   - `year:2015` becomes the range `year:2015..2015` (ranges: `year:2012..2023`,
//     `year:2012..`, `year:..2015`);
//   - a document symbol typed as is (`S/RES/2719`, `S/RES/2719 (2023)`, `A/70/95`,
//     `symbol:A/70/95-S/2015/446`) becomes a document filter;
//   - typographic quotes (“ ” « ») are read as '"';
//   - a query longer than kMaxQueryBytes or kMaxQueryWords is refused.
Result<PreparedQuery> PrepareQuery(std::string_view query);

}  // namespace pillar
