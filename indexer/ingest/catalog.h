#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/ingest/extracted_document.h"

namespace pillar {

// Bibliographic records that win over what a file says about itself (corpus/catalog.xml):
//   <catalog>
//     <document id="s-res-2719-2023" file="sample/s-res-2719-2023.txt">
//       <title>..</title> <issuer>..</issuer> <symbol>..</symbol> <date>2023-12-21</date>
//       <language>en</language> <type>resolution</type> <url>..</url> <author>..</author>
//     </document>
//   </catalog>
// `file` is relative to the catalog's own folder.
class Catalog {
 public:
  // Parses `file`. Corruption names the line and column of malformed XML, a <document>
  // without id or file, and duplicate ids.
  static Result<Catalog> Load(const std::filesystem::path& file);

  // The record whose file is `path` (compared as canonical paths), or nullptr.
  const DocumentMetadata* ForFile(const std::filesystem::path& path) const;

  // The entries whose file does not exist (moved, renamed, or a wrong file= path): their
  // records can never apply, so a run that uses the catalog says so (IndexPaths). Each is
  // "ID (file as written)", in catalog order.
  std::vector<std::string> EntriesWithoutFile() const;

  size_t size() const { return by_file_.size(); }
  const std::filesystem::path& source() const { return source_; }

 private:
  std::filesystem::path source_;
  std::map<std::string, DocumentMetadata> by_file_;  // canonical path -> record
  struct Entry {
    std::string id, file;  // as written
    std::filesystem::path full;
  };
  std::vector<Entry> entries_;  // catalog order
};

// The catalog that applies to an index path when none is given: the first "catalog.xml" in
// `path` itself (when a folder) or in its parent folders, at most three levels up.
std::optional<std::filesystem::path> FindCatalogFor(const std::filesystem::path& path);

}  // namespace pillar
