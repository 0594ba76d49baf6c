#pragma once

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace pillar {

// An index folder holds the Xapian database (a derived cache, rebuilt by re-indexing) and,
// beside it, the annotation store (the only copy of manual tags and notes):
//   DIR/xapian/              Xapian glass database (or a stub file listing shards,
//                            IsShardStub)
//   DIR/annotations.sqlite   SQLite annotation store
//   DIR/saved.sqlite         SQLite saved searches and collections
inline std::filesystem::path XapianPath(const std::filesystem::path& index_dir) {
  return index_dir / "xapian";
}
// True when the Xapian database folder `xapian_dir` has a committed revision. Xapian writes a
// database's revision file ("iamglass"; "iamchert" for the older backend) whole, by renaming
// it into place after the tables are synced, so a folder without one is a first build killed
// before it committed anything: it holds nothing, and Xapian cannot open it.
inline bool HasCommittedRevision(const std::filesystem::path& xapian_dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(xapian_dir / "iamglass", ec) ||
         std::filesystem::is_regular_file(xapian_dir / "iamchert", ec);
}

// True when `xapian_path` (XapianPath of an index folder) is a file rather than a folder: a
// Xapian stub database listing the shards that make up the index (docs/scaling.md). It is
// searched as one index; it is not written to (each shard is indexed in its own folder).
inline bool IsShardStub(const std::filesystem::path& xapian_path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(xapian_path, ec);
}

inline std::filesystem::path AnnotationsPath(const std::filesystem::path& index_dir) {
  return index_dir / "annotations.sqlite";
}

// Saved searches and collections (indexer/annotate/saved_searches.h), beside the annotation
// store: kept when the index is rebuilt.
inline std::filesystem::path SavedSearchesPath(const std::filesystem::path& index_dir) {
  return index_dir / "saved.sqlite";
}

// $PILLAR_INDEX when set, else ./pillar-index.
inline std::filesystem::path DefaultIndexDir() {
  const char* env = std::getenv("PILLAR_INDEX");
  return env && *env ? std::filesystem::path(env) : std::filesystem::path("pillar-index");
}

}  // namespace pillar
