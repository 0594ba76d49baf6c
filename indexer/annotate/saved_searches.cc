#include "indexer/annotate/saved_searches.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "indexer/base/clock.h"
#include "indexer/base/json.h"

namespace pillar {
namespace {

constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS saved_searches (
  name TEXT PRIMARY KEY,
  query TEXT NOT NULL,
  pillars TEXT NOT NULL,
  docs TEXT NOT NULL,
  languages TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
PRAGMA user_version = 1;
)sql";

Status Error(const std::filesystem::path& file, sqlite3* db, int rc, const std::string& what) {
  std::string message = file.string() + ": " + what + ": " +
                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return Status::Corruption(message);
  }
  return Status::IOError(message);
}

// A prepared statement, finalized on destruction.
struct Stmt {
  Stmt(sqlite3* db, const char* sql) { rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  ~Stmt() { sqlite3_finalize(s); }
  void Bind(int i, const std::string& text) {
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(s, i, text.c_str(), -1, SQLITE_TRANSIENT);
  }
  int Step() { return rc == SQLITE_OK ? sqlite3_step(s) : rc; }
  std::string Text(int i) const {
    auto* t = sqlite3_column_text(s, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_stmt* s = nullptr;
  int rc;
};

std::string ToJson(const std::vector<std::string>& list) { return DumpJson(nlohmann::json(list)); }
std::vector<std::string> FromJson(const std::string& text) {
  std::vector<std::string> out;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

SavedSearch Row(const Stmt& st) {
  SavedSearch s;
  s.name = st.Text(0);
  s.query = st.Text(1);
  s.pillars = FromJson(st.Text(2));
  s.docs = FromJson(st.Text(3));
  s.languages = FromJson(st.Text(4));
  s.by = st.Text(5);
  s.when = st.Text(6);
  return s;
}

constexpr const char* kColumns =
    "SELECT name, query, pillars, docs, languages, created_by, created_at FROM saved_searches ";

}  // namespace

Result<std::unique_ptr<SavedSearchStore>> SavedSearchStore::OpenWith(
    const std::filesystem::path& file, int flags, bool create) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Error(file, db, rc, "cannot open the saved searches");
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  Stmt check(
      db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name != 'saved_searches'");
  rc = check.Step();
  if (rc != SQLITE_ROW) {
    Status s = Error(file, db, rc, "cannot read the saved searches");
    sqlite3_close_v2(db);
    return s;
  }
  if (sqlite3_column_int64(check.s, 0) > 0) {
    sqlite3_close_v2(db);
    return Status::Corruption(file.string() +
                              ": an SQLite database but not Pillar's saved searches");
  }
  if (create) {
    rc = sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      Status s = Error(file, db, rc, "cannot create the saved searches");
      sqlite3_close_v2(db);
      return s;
    }
  }
  return std::unique_ptr<SavedSearchStore>(new SavedSearchStore(db, file));
}

Result<std::unique_ptr<SavedSearchStore>> SavedSearchStore::Open(
    const std::filesystem::path& file) {
  return OpenWith(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, true);
}

Result<std::unique_ptr<SavedSearchStore>> SavedSearchStore::OpenReadOnly(
    const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return Status::NotFound(file.string() +
                            ": no saved searches yet (pillar saved add NAME QUERY)");
  }
  return OpenWith(file, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, false);
}

SavedSearchStore::~SavedSearchStore() { sqlite3_close_v2(db_); }

Status SavedSearchStore::Save(const SavedSearch& search, bool replace) {
  if (search.name.empty()) return Status::InvalidArgument("a saved search needs a name");
  for (unsigned char c : search.name) {
    if (c < 0x20 || c == 0x7F) {
      return Status::InvalidArgument("a saved search's name has a control character");
    }
  }
  Stmt insert(db_, replace
                       ? "INSERT OR REPLACE INTO saved_searches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                       : "INSERT INTO saved_searches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.Bind(1, search.name);
  insert.Bind(2, search.query);
  insert.Bind(3, ToJson(search.pillars));
  insert.Bind(4, ToJson(search.docs));
  insert.Bind(5, ToJson(search.languages));
  insert.Bind(6, search.by);
  insert.Bind(7, search.when.empty() ? UtcNow() : search.when);
  int rc = insert.Step();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return Status::InvalidArgument("a search named '" + search.name +
                                   "' is saved already (--replace to replace it)");
  }
  if (rc != SQLITE_DONE) return Error(file_, db_, rc, "cannot save the search");
  return Status::Ok();
}

Result<SavedSearch> SavedSearchStore::Get(const std::string& name) const {
  Stmt get(db_, (std::string(kColumns) + "WHERE name = ?1").c_str());
  get.Bind(1, name);
  int rc = get.Step();
  if (rc == SQLITE_ROW) return Row(get);
  if (rc != SQLITE_DONE) return Error(file_, db_, rc, "cannot read the saved searches");
  return Status::NotFound("no saved search '" + name + "' (pillar saved list)");
}

Result<std::vector<SavedSearch>> SavedSearchStore::List() const {
  Stmt list(db_, (std::string(kColumns) + "ORDER BY name").c_str());
  std::vector<SavedSearch> out;
  for (;;) {
    int rc = list.Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Error(file_, db_, rc, "cannot read the saved searches");
    out.push_back(Row(list));
  }
  return out;
}

Status SavedSearchStore::Remove(const std::string& name) {
  Stmt remove(db_, "DELETE FROM saved_searches WHERE name = ?1");
  remove.Bind(1, name);
  int rc = remove.Step();
  if (rc != SQLITE_DONE) return Error(file_, db_, rc, "cannot remove the saved search");
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("no saved search '" + name + "' (pillar saved list)");
  }
  return Status::Ok();
}

}  // namespace pillar
