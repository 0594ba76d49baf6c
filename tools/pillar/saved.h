#pragma once

// Saved searches on the command line: `pillar saved`, `search --saved NAME`, and collections
// (`--collection NAME` on export and report).

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

#include "indexer/base/status.h"
#include "query/search/searcher.h"

namespace pillar::cli {

// Narrows `request` to saved search `name` of the index: its query is joined to the request's
// with AND, and each of its filters applies as well as the request's own (a filter given on
// both sides keeps the passages that satisfy both). NotFound when nothing is saved under
// `name`.
Status ApplySavedSearch(const std::filesystem::path& index_dir, const std::string& name,
                        SearchRequest* request);

// Adds `--collection NAME` (a saved search used as a collection) to `sub`.
void AddCollectionOption(CLI::App* sub, std::string* name);

}  // namespace pillar::cli
