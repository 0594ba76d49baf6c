#pragma once

#include <cstdlib>
#include <filesystem>

namespace pillar {

// An index folder holds the Xapian database (a derived cache, rebuilt by re-indexing) and,
// beside it, the annotation store (the only copy of manual tags and notes):
//   DIR/xapian/              Xapian glass database
//   DIR/annotations.sqlite   SQLite annotation store
inline std::filesystem::path XapianPath(const std::filesystem::path& index_dir) {
  return index_dir / "xapian";
}
inline std::filesystem::path AnnotationsPath(const std::filesystem::path& index_dir) {
  return index_dir / "annotations.sqlite";
}

// $PILLAR_INDEX when set, else ./pillar-index.
inline std::filesystem::path DefaultIndexDir() {
  const char* env = std::getenv("PILLAR_INDEX");
  return env && *env ? std::filesystem::path(env) : std::filesystem::path("pillar-index");
}

}  // namespace pillar
