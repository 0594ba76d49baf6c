#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"

namespace pillar {

// The formats of `pillar export` and GET /api/export.
const std::vector<std::string>& ExportFormats();

struct ExportOptions {
  std::string format = "jsonl";  // one of ExportFormats()
  bool excel = false;            // csv: the byte-order mark, formula cells defused
};

// Writes the passages of `request` (query and filters) in `options.format` to `out`: JSON
// lines (the passage object), CSV (one row per passage x tag; needs `taxonomy`), W3C Web
// Annotations (one per tag; needs `taxonomy`), or the citations of the documents behind them.
// Written as the passages arrive, except the W3C collection and citations.
Status WriteExport(Searcher& searcher, const SearchRequest& request, const ExportOptions& options,
                   const Taxonomy* taxonomy, std::ostream& out);

}  // namespace pillar
