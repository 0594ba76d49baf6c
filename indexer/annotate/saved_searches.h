#pragma once

// Saved searches (`pillar saved`), also used as collections (`--collection NAME` on export and
// report): a name for a query and its filters, kept in the index folder beside the annotation
// store (layout.h: saved.sqlite), never inside the Xapian index, so re-indexing keeps them.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "indexer/base/status.h"

struct sqlite3;

namespace pillar {

struct SavedSearch {
  std::string name;
  std::string query;  // the search query language; "" is every passage
  std::vector<std::string> pillars, docs, languages;  // filters, each "any of them"
  std::string by;                                     // who saved it
  std::string when;                                   // ISO 8601 UTC
};

// One table `saved_searches` (name primary key; filters as JSON arrays; schema version 1 in
// `PRAGMA user_version`). Errors name the file: IOError when SQLite cannot open, read or
// write it, Corruption when it is not such a store, NotFound for a name not saved.
class SavedSearchStore {
 public:
  // Opens or creates the store (its folder must exist).
  static Result<std::unique_ptr<SavedSearchStore>> Open(const std::filesystem::path& file);
  // Opens an existing store for reading; NotFound when there is no file (nothing saved yet).
  static Result<std::unique_ptr<SavedSearchStore>> OpenReadOnly(const std::filesystem::path& file);
  ~SavedSearchStore();
  SavedSearchStore(const SavedSearchStore&) = delete;
  SavedSearchStore& operator=(const SavedSearchStore&) = delete;

  // Saves `search` under its name. InvalidArgument for an empty name, one with control
  // characters, or (unless `replace`) a name already saved.
  Status Save(const SavedSearch& search, bool replace);
  Result<SavedSearch> Get(const std::string& name) const;
  Result<std::vector<SavedSearch>> List() const;  // by name
  Status Remove(const std::string& name);         // NotFound when not saved

 private:
  SavedSearchStore(sqlite3* db, std::filesystem::path file) : db_(db), file_(std::move(file)) {}
  static Result<std::unique_ptr<SavedSearchStore>> OpenWith(const std::filesystem::path& file,
                                                            int flags, bool create);
  sqlite3* db_;
  std::filesystem::path file_;
};

}  // namespace pillar
