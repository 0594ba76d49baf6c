#include "indexer/annotate/annotation_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <utility>

#include "indexer/annotate/fuzzy_match.h"
#include "indexer/base/clock.h"
#include "indexer/base/encoding.h"
#include "indexer/base/json.h"
#include "indexer/base/text.h"

namespace pillar {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kContextCodePoints = 32;  // W3C/Hypothesis quote context, each side
constexpr double kMinFuzzySimilarity = 0.8;

// Every column, in the order ReadRow() expects.
constexpr const char* kSelectColumns =
    "SELECT id, action, concepts, passage_id, doc_id, exact, prefix, suffix, pos_start, "
    "pos_end, byte_start, byte_end, created_by, created_at, note, orphan FROM annotations ";

// Version 1. `concepts` is a JSON array of strings; positions are code points, byte offsets
// bytes, both half-open over the document's extracted text.
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'set')),
  concepts TEXT NOT NULL,
  passage_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  exact TEXT NOT NULL,
  prefix TEXT NOT NULL,
  suffix TEXT NOT NULL,
  pos_start INTEGER NOT NULL,
  pos_end INTEGER NOT NULL,
  byte_start INTEGER NOT NULL,
  byte_end INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  note TEXT NOT NULL,
  orphan INTEGER NOT NULL DEFAULT 0,
  placed_how TEXT NOT NULL DEFAULT 'recorded'
);
CREATE INDEX annotations_doc_id ON annotations (doc_id);
CREATE INDEX annotations_passage_id ON annotations (passage_id);
PRAGMA user_version = 1;
)sql";

// Version 2: decisions can be deleted (kept, flagged, so that undo can bring them back) and
// every change is logged with who and when. `batch` groups the changes of one command (a
// `pillar tag --query` run is one batch, undone as one); `undoes` names the batch an undo
// reversed, `undone_by` the undo batch that reversed this one. A version 1 store gets one
// logged 'record' per existing decision, with the decision's own id, author and time, so
// change ids continue its annotation ids (the index's "applied" mark stays valid).
constexpr const char* kMigrateTo2 = R"sql(
ALTER TABLE annotations ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  batch INTEGER NOT NULL,
  annotation_id INTEGER NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('record', 'delete', 'restore')),
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  undoes INTEGER,
  undone_by INTEGER
);
CREATE INDEX changes_batch ON changes (batch);
CREATE INDEX changes_by ON changes (changed_by);
INSERT INTO changes (id, batch, annotation_id, op, changed_by, changed_at)
  SELECT id, id, id, 'record', created_by, created_at FROM annotations;
PRAGMA user_version = 2;
)sql";
static_assert(kAnnotationSchemaVersion == 2, "kMigrateTo2 writes user_version 2");

bool IsBusy(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// A failed SQLite call as a Status naming the file. Files that are not databases (or are
// damaged) are Corruption; everything else (cannot open, disk full, read-only, busy past the
// timeout) is IOError.
// What to do about a store that cannot be read: it holds the only copy of the manual tags, so
// it is never replaced behind the user's back.
constexpr std::string_view kDamagedStoreHint =
    "; it is the only copy of the manual tags and notes: restore it from a backup, or move it "
    "aside to start with none (the next `pillar index` or `pillar tag` creates a new one)";

Status SqlError(const std::filesystem::path& file, sqlite3* db, int rc, std::string_view what) {
  std::string message = file.string() + ": " + std::string(what) + ": " +
                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return Status::Corruption(message + std::string(kDamagedStoreHint));
  }
  if (IsBusy(rc)) {
    message += "; another pillar process is writing it: run this again when it has finished";
  }
  return Status::IOError(std::move(message));
}

// Calls `step` again while SQLite reports the database busy, until kBusyTimeoutMs passed.
// The connection's busy handler already waits in most places; this covers the ones where
// SQLite returns SQLITE_BUSY without calling it.
template <typename F>
int RetryWhileBusy(F step) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    int rc = step();
    if (!IsBusy(rc) || Clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// A prepared statement with bound parameters, finalized on destruction. A failed prepare or
// bind is reported by the next Step().
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Bind(int index, std::string_view text) {
    // A null pointer would bind SQL NULL; an empty string stays an empty string.
    const char* data = text.empty() ? "" : text.data();
    Check(sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void Bind(int index, int64_t value) { Check(sqlite3_bind_int64(stmt_, index, value)); }
  int ParameterCount() const { return stmt_ ? sqlite3_bind_parameter_count(stmt_) : 0; }

  // SQLITE_ROW, SQLITE_DONE or an error code. Busy is retried only before the first row:
  // retrying means resetting, which would deliver the rows again.
  int Step() {
    if (rc_ != SQLITE_OK) return rc_;
    if (rows_ > 0) return Row(sqlite3_step(stmt_));
    return Row(RetryWhileBusy([this] {
      int rc = sqlite3_step(stmt_);
      if (IsBusy(rc)) sqlite3_reset(stmt_);
      return rc;
    }));
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    rows_ = 0;
  }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const {
    auto* data = sqlite3_column_text(stmt_, column);
    if (data == nullptr) return "";
    return std::string(reinterpret_cast<const char*>(data),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  void Check(int rc) {
    if (rc_ == SQLITE_OK && rc != SQLITE_OK) rc_ = rc;
  }
  int Row(int rc) {
    if (rc == SQLITE_ROW) ++rows_;
    return rc;
  }

  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
  size_t rows_ = 0;
};

// BEGIN IMMEDIATE on construction (Begin()), ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  int Begin() {
    return RetryWhileBusy(
        [this] { return sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); });
  }
  // On SQLITE_BUSY the transaction stays open and COMMIT may be retried.
  int Commit() {
    return RetryWhileBusy(
        [this] { return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr); });
  }

 private:
  sqlite3* db_;
};

const char* ActionName(Annotation::Action action) {
  switch (action) {
    case Annotation::Action::kAdd:
      return "add";
    case Annotation::Action::kRemove:
      return "remove";
    case Annotation::Action::kSet:
      return "set";
  }
  return "add";
}

std::optional<Annotation::Action> ParseAction(std::string_view name) {
  if (name == "add") return Annotation::Action::kAdd;
  if (name == "remove") return Annotation::Action::kRemove;
  if (name == "set") return Annotation::Action::kSet;
  return std::nullopt;
}

const char* HowName(Placement::How how) {
  switch (how) {
    case Placement::How::kSameId:
      return "same-id";
    case Placement::How::kExactQuote:
      return "exact-quote";
    case Placement::How::kFuzzyQuote:
      return "fuzzy-quote";
    case Placement::How::kOrphan:
      return "orphan";
  }
  return "orphan";
}


std::string ConceptsToJson(const std::vector<std::string>& concepts) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& c : concepts) array.push_back(c);
  return DumpJson(array);
}

std::optional<std::vector<std::string>> ConceptsFromJson(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return std::nullopt;
  std::vector<std::string> concepts;
  for (const auto& item : parsed) {
    if (!item.is_string()) return std::nullopt;
    concepts.push_back(item.get<std::string>());
  }
  return concepts;
}

// One row in kSelectColumns order.
Annotation ReadRow(const Statement& row) {
  Annotation a;
  a.id = row.Int(0);
  auto action = ParseAction(row.Text(1));
  auto concepts = ConceptsFromJson(row.Text(2));
  // One damaged row must not hide the others: it is flagged, listed, and not applied.
  if (!action) {
    a.unreadable = "unknown action '" + EscapeInvalidUtf8(row.Text(1)) + "'";
  } else if (!concepts) {
    a.unreadable = "concepts are not a JSON array of strings: " +
                   EscapeInvalidUtf8(row.Text(2).substr(0, 200));
  }
  if (action) a.action = *action;
  if (concepts) a.concepts = std::move(*concepts);
  a.anchor.passage_id = row.Text(3);
  a.anchor.doc_id = row.Text(4);
  a.anchor.quote.exact = row.Text(5);
  a.anchor.quote.prefix = row.Text(6);
  a.anchor.quote.suffix = row.Text(7);
  a.anchor.position.start = row.Int(8);
  a.anchor.position.end = row.Int(9);
  a.anchor.position.byte_start = row.Int(10);
  a.anchor.position.byte_end = row.Int(11);
  a.by = row.Text(12);
  a.when = row.Text(13);
  a.note = row.Text(14);
  a.orphan = row.Int(15) != 0;
  return a;
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The anchor of the byte range [begin, end) of `doc_text` with `exact` as quote.
Anchor AnchorAt(std::string_view doc_text, size_t begin, size_t end, std::string exact) {
  begin = std::min(begin, doc_text.size());
  end = std::clamp(end, begin, doc_text.size());
  Anchor anchor;
  anchor.quote.exact = std::move(exact);
  size_t from = begin;
  for (size_t n = 0; n < kContextCodePoints && from > 0; ++n) {
    --from;
    while (from > 0 && IsContinuation(doc_text[from])) --from;
  }
  anchor.quote.prefix = std::string(doc_text.substr(from, begin - from));
  size_t to = end;
  for (size_t n = 0; n < kContextCodePoints && to < doc_text.size(); ++n) {
    ++to;
    while (to < doc_text.size() && IsContinuation(doc_text[to])) ++to;
  }
  anchor.quote.suffix = std::string(doc_text.substr(end, to - end));
  const auto start = static_cast<int64_t>(CountCodePoints(doc_text.substr(0, begin)));
  anchor.position.start = start;
  anchor.position.end =
      start + static_cast<int64_t>(CountCodePoints(doc_text.substr(begin, end - begin)));
  anchor.position.byte_start = static_cast<int64_t>(begin);
  anchor.position.byte_end = static_cast<int64_t>(end);
  return anchor;
}

// How well the text around [begin, end) agrees with a stored prefix and suffix: the share of
// each that matches (compared outwards from the quote), summed, in [0, 2]. An empty stored
// prefix (the quote opened the document) matches only at the start, likewise the suffix.
double ContextScore(std::string_view doc_text, size_t begin, size_t end, std::string_view prefix,
                    std::string_view suffix) {
  double score = 0;
  if (prefix.empty()) {
    score += begin == 0 ? 1 : 0;
  } else {
    size_t n = 0;
    while (n < prefix.size() && n < begin &&
           prefix[prefix.size() - 1 - n] == doc_text[begin - 1 - n])
      ++n;
    score += static_cast<double>(n) / static_cast<double>(prefix.size());
  }
  if (suffix.empty()) {
    score += end == doc_text.size() ? 1 : 0;
  } else {
    size_t n = 0;
    while (n < suffix.size() && end + n < doc_text.size() && suffix[n] == doc_text[end + n]) ++n;
    score += static_cast<double>(n) / static_cast<double>(suffix.size());
  }
  return score;
}

int64_t Distance(int64_t a, int64_t b) { return a > b ? a - b : b - a; }

// Where one annotation goes in the new text of its document.
struct Located {
  Placement::How how = Placement::How::kOrphan;
  Anchor anchor;  // the new anchor (passage_id set) unless orphan
};

// Re-anchors annotations against one version of a document's passages (see Reanchor() in
// the header for the order of attempts). Passage texts are decoded to code points only when
// the fuzzy step first needs them.
class Locator {
 public:
  Locator(const std::vector<Passage>& passages, std::string_view doc_text)
      : passages_(passages), doc_text_(doc_text) {
    for (size_t i = 0; i < passages.size(); ++i) by_id_.emplace(passages[i].id, i);
  }

  Located Locate(const Anchor& old) {
    Located located;
    const std::string& exact = old.quote.exact;
    if (auto it = by_id_.find(old.passage_id); it != by_id_.end()) {
      const Passage& p = passages_[it->second];
      if (p.text == exact) {
        located.how = Placement::How::kSameId;
        located.anchor = AnnotationStore::MakeAnchor(p, doc_text_);
        return located;
      }
    }
    if (exact.empty()) return located;  // nothing to look for
    if (FindExact(old, located)) return located;
    FindFuzzy(old, located);
    return located;
  }

 private:
  // The passage containing byte `offset`, or nullptr.
  const Passage* PassageAt(size_t offset) const {
    for (const auto& p : passages_) {
      if (p.begin <= offset && offset < p.end) return &p;
    }
    return nullptr;
  }

  bool FindExact(const Anchor& old, Located& located) const {
    const std::string& exact = old.quote.exact;
    const Passage* best_passage = nullptr;
    size_t best_at = 0;
    double best_score = -1;
    for (size_t at = doc_text_.find(exact); at != std::string_view::npos;
         at = doc_text_.find(exact, at + 1)) {
      const Passage* p = PassageAt(at);
      if (p == nullptr) continue;  // e.g. inside a heading: no passage to attach to
      double score =
          ContextScore(doc_text_, at, at + exact.size(), old.quote.prefix, old.quote.suffix);
      bool better = score > best_score + 1e-9;
      if (!better && std::abs(score - best_score) <= 1e-9) {
        better = Distance(static_cast<int64_t>(at), old.position.byte_start) <
                 Distance(static_cast<int64_t>(best_at), old.position.byte_start);
      }
      if (better) best_passage = p, best_at = at, best_score = score;
    }
    if (best_passage == nullptr) return false;
    located.how = Placement::How::kExactQuote;
    located.anchor = AnchorAt(doc_text_, best_at, best_at + exact.size(), exact);
    located.anchor.passage_id = best_passage->id;
    located.anchor.doc_id = best_passage->doc_id;
    return true;
  }

  void FindFuzzy(const Anchor& old, Located& located) {
    if (passage_code_points_.empty() && !passages_.empty()) {
      passage_code_points_.reserve(passages_.size());
      for (const auto& p : passages_) passage_code_points_.push_back(ToCodePoints(p.text));
    }
    const std::u32string quote = ToCodePoints(old.quote.exact);
    const Passage* best = nullptr;
    double best_similarity = kMinFuzzySimilarity;
    for (size_t i = 0; i < passages_.size(); ++i) {
      // Passing the best so far as the floor narrows the edit band for later candidates.
      auto similarity = EditSimilarity(quote, passage_code_points_[i], best_similarity);
      if (!similarity) continue;
      bool better = best == nullptr || *similarity > best_similarity + 1e-12;
      if (!better && std::abs(*similarity - best_similarity) <= 1e-12) {
        better = Distance(static_cast<int64_t>(passages_[i].begin), old.position.byte_start) <
                 Distance(static_cast<int64_t>(best->begin), old.position.byte_start);
      }
      if (better) best = &passages_[i], best_similarity = *similarity;
    }
    if (best == nullptr) return;
    located.how = Placement::How::kFuzzyQuote;
    located.anchor = AnnotationStore::MakeAnchor(*best, doc_text_);
  }

  const std::vector<Passage>& passages_;
  std::string_view doc_text_;
  std::unordered_map<std::string_view, size_t> by_id_;
  std::vector<std::u32string> passage_code_points_;
};

Status ReadHeader(sqlite3* db, const std::filesystem::path& file, int64_t* version,
                  int64_t* objects) {
  Statement v(db, "PRAGMA user_version");
  int rc = v.Step();
  if (rc != SQLITE_ROW) return SqlError(file, db, rc, "cannot read the annotation store");
  *version = v.Int(0);
  Statement n(db, "SELECT count(*) FROM sqlite_master");
  rc = n.Step();
  if (rc != SQLITE_ROW) return SqlError(file, db, rc, "cannot read the annotation store");
  *objects = n.Int(0);
  return Status::Ok();
}

Status NotAStore(const std::filesystem::path& file) {
  return Status::Corruption(file.string() +
                            ": an SQLite database but not a Pillar annotation store (it has "
                            "tables and no annotation schema version)");
}

// Reads the header and refuses what this Pillar must not touch: a store of a newer schema
// (Unsupported) or a database with tables but no annotation schema (Corruption).
Status CheckStore(sqlite3* db, const std::filesystem::path& file, int64_t* version,
                  int64_t* objects) {
  if (Status s = ReadHeader(db, file, version, objects); !s.ok()) return s;
  if (*version > kAnnotationSchemaVersion) {
    return Status::Unsupported(file.string() + ": annotation store schema version " +
                               std::to_string(*version) + " is newer than this Pillar's (" +
                               std::to_string(kAnnotationSchemaVersion) + ")");
  }
  if (*version == 0 && *objects > 0) return NotAStore(file);
  return Status::Ok();
}

// Checks the file before changing anything (a foreign database is refused untouched), then
// sets the connection up and creates the schema if the store is new.
Status Initialise(sqlite3* db, const std::filesystem::path& file) {
  int64_t version = 0, objects = 0;
  if (Status s = CheckStore(db, file, &version, &objects); !s.ok()) return s;

  {
    Statement wal(db, "PRAGMA journal_mode=WAL");
    int rc = wal.Step();
    // A file system without shared memory keeps the rollback journal: still correct, since
    // writers serialise through BEGIN IMMEDIATE either way.
    if (rc != SQLITE_ROW) return SqlError(file, db, rc, "cannot enable the WAL journal");
  }
  for (const char* pragma : {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    int rc = RetryWhileBusy([&] { return sqlite3_exec(db, pragma, nullptr, nullptr, nullptr); });
    if (rc != SQLITE_OK) return SqlError(file, db, rc, "cannot configure the annotation store");
  }
  if (version == kAnnotationSchemaVersion) return Status::Ok();

  Transaction txn(db);
  int rc = txn.Begin();
  const char* what = version == 0 ? "cannot create the annotation store"
                                  : "cannot upgrade the annotation store to schema version 2";
  if (rc != SQLITE_OK) return SqlError(file, db, rc, what);
  // Another process may have created or upgraded the schema since the first look.
  if (Status s = ReadHeader(db, file, &version, &objects); !s.ok()) return s;
  if (version == kAnnotationSchemaVersion) return Status::Ok();  // rolled back: nothing written
  if (version == 0 && objects > 0) return NotAStore(file);
  // One transaction: a crash part way leaves the store as it was.
  rc = SQLITE_OK;
  if (version == 0) rc = sqlite3_exec(db, kCreateSchema, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, kMigrateTo2, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) rc = txn.Commit();
  if (rc != SQLITE_OK) return SqlError(file, db, rc, what);
  return Status::Ok();
}

// Refuses a non-empty file without the SQLite header before SQLite sees it: SQLite takes a
// 1-byte file for an empty database (a work-around in its Unix VFS) and would overwrite it.
// An empty file is a new store. Files that cannot be read are left to SQLite to report.
Status CheckHeader(const std::filesystem::path& file) {
  static constexpr char kMagic[] = "SQLite format 3";       // 16 bytes with the terminating NUL
  static constexpr std::uintmax_t kMinDatabaseBytes = 512;  // the smallest page size
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec || size == 0) return Status::Ok();
  std::ifstream in(file, std::ios::binary);
  char header[sizeof kMagic] = {};
  if (!in.read(header, sizeof header) && size >= sizeof header) return Status::Ok();
  if (size < kMinDatabaseBytes || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return Status::Corruption(file.string() + ": not an SQLite database (no SQLite header in its " +
                              std::to_string(size) + " bytes)" + std::string(kDamagedStoreHint));
  }
  return Status::Ok();
}

}  // namespace

AnnotationStore::AnnotationStore(sqlite3* db, std::filesystem::path file, int version)
    : db_(db), file_(std::move(file)), version_(version) {}

AnnotationStore::~AnnotationStore() { sqlite3_close_v2(db_); }

Result<std::unique_ptr<AnnotationStore>> AnnotationStore::Open(const std::filesystem::path& file) {
  if (Status s = CheckHeader(file); !s.ok()) return s;
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(file.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqlError(file, db, rc, "cannot open the annotation store");
    sqlite3_close_v2(db);
    return s;
  }
  std::unique_ptr<AnnotationStore> store(
      new AnnotationStore(db, file, kAnnotationSchemaVersion));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  if (Status s = Initialise(db, file); !s.ok()) return s;
  return store;
}

namespace {

// `file` as an SQLite URI ("file:/path?immutable=1"): characters with a meaning in URIs are
// percent-encoded.
std::string ImmutableUri(const std::filesystem::path& file) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : file.string()) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7F) {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?immutable=1";
}

// Opens `name` read-only and checks it is a store this Pillar can read.
Status OpenForReading(const std::string& name, int flags, const std::filesystem::path& file,
                      sqlite3** db, int* schema_version) {
  int rc = sqlite3_open_v2(name.c_str(), db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX | flags,
                           nullptr);
  if (rc != SQLITE_OK) return SqlError(file, *db, rc, "cannot open the annotation store");
  sqlite3_busy_timeout(*db, kBusyTimeoutMs);
  int64_t version = 0, objects = 0;
  if (Status s = CheckStore(*db, file, &version, &objects); !s.ok()) return s;
  if (version == 0) return NotAStore(file);  // empty: nothing to read, and nothing is created
  *schema_version = static_cast<int>(version);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<AnnotationStore>> AnnotationStore::OpenReadOnly(
    const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return Status::NotFound(file.string() + ": no annotation store (no manual tags yet)");
  }
  if (Status s = CheckHeader(file); !s.ok()) return s;
  sqlite3* db = nullptr;
  int version = 0;
  Status opened = OpenForReading(file.string(), 0, file, &db, &version);
  if (!opened.ok() && opened.code() == Status::Code::kIOError) {
    // A WAL store needs its -shm file, which a read-only folder or a full disk may not let
    // SQLite create: read the file as it is on disk.
    sqlite3_close_v2(db);
    db = nullptr;
    opened = OpenForReading(ImmutableUri(file), SQLITE_OPEN_URI, file, &db, &version);
  }
  if (!opened.ok()) {
    sqlite3_close_v2(db);
    return opened;
  }
  return std::unique_ptr<AnnotationStore>(new AnnotationStore(db, file, version));
}

Anchor AnnotationStore::MakeAnchor(const Passage& passage, std::string_view doc_text) {
  Anchor anchor = AnchorAt(doc_text, passage.begin, passage.end, passage.text);
  anchor.passage_id = passage.id;
  anchor.doc_id = passage.doc_id;
  return anchor;
}

namespace {

Status Validate(const Annotation& annotation) {
  const bool one_concept = annotation.action != Annotation::Action::kSet;
  if (one_concept && annotation.concepts.size() != 1) {
    return Status::InvalidArgument(std::string("an '") + ActionName(annotation.action) +
                                   "' decision names exactly one concept, not " +
                                   std::to_string(annotation.concepts.size()));
  }
  for (const auto& c : annotation.concepts) {
    if (c.empty() || FindInvalidUtf8(c) != std::string_view::npos) {
      return Status::InvalidArgument("a concept id is empty or not UTF-8");
    }
  }
  const Anchor& anchor = annotation.anchor;
  if (anchor.passage_id.empty() || anchor.doc_id.empty()) {
    return Status::InvalidArgument("an annotation needs a passage id and a document id");
  }
  const PositionSelector& pos = anchor.position;
  if (pos.start < 0 || pos.end < pos.start || pos.byte_start < 0 || pos.byte_end < pos.byte_start) {
    return Status::InvalidArgument("an annotation's position is negative or reversed");
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> AnnotationStore::Record(const Annotation& annotation) {
  Result<std::vector<int64_t>> ids = RecordAll({annotation});
  if (!ids.ok()) return ids.status();
  return ids->front();
}

Result<int64_t> AnnotationStore::NextBatch() const {
  Statement next(db_, "SELECT COALESCE(MAX(batch), 0) + 1 FROM changes");
  int rc = next.Step();
  if (rc != SQLITE_ROW) return SqlError(file_, db_, rc, "cannot read the change log");
  return next.Int(0);
}

Status AnnotationStore::LogChange(int64_t batch, int64_t annotation_id, const char* op,
                                  std::string_view by, const std::string& when, int64_t undoes) {
  Statement log(db_,
                "INSERT INTO changes (batch, annotation_id, op, changed_by, changed_at, undoes) "
                "VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0))");
  log.Bind(1, batch);
  log.Bind(2, annotation_id);
  log.Bind(3, op);
  log.Bind(4, by);
  log.Bind(5, when);
  log.Bind(6, undoes);
  int rc = log.Step();
  if (rc != SQLITE_DONE) return SqlError(file_, db_, rc, "cannot log the change");
  return Status::Ok();
}

Result<std::vector<int64_t>> AnnotationStore::RecordAll(
    const std::vector<Annotation>& annotations) {
  for (const Annotation& a : annotations) {
    if (Status s = Validate(a); !s.ok()) return s;
  }
  std::vector<int64_t> ids;
  if (annotations.empty()) return ids;
  if (version_ < 2) {
    return Status::IOError(file_.string() + ": cannot record an annotation: opened read-only");
  }

  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot record an annotation");
  Result<int64_t> batch = NextBatch();
  if (!batch.ok()) return batch.status();
  Statement insert(
      db_,
      "INSERT INTO annotations (action, concepts, passage_id, doc_id, exact, prefix, "
      "suffix, pos_start, pos_end, byte_start, byte_end, created_by, created_at, "
      "note, orphan, placed_how) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  for (const Annotation& annotation : annotations) {
    const Anchor& anchor = annotation.anchor;
    const PositionSelector& pos = anchor.position;
    const std::string when = annotation.when.empty() ? UtcNow() : annotation.when;
    insert.Reset();
    insert.Bind(1, ActionName(annotation.action));
    insert.Bind(2, ConceptsToJson(annotation.concepts));
    insert.Bind(3, anchor.passage_id);
    insert.Bind(4, anchor.doc_id);
    insert.Bind(5, anchor.quote.exact);
    insert.Bind(6, anchor.quote.prefix);
    insert.Bind(7, anchor.quote.suffix);
    insert.Bind(8, pos.start);
    insert.Bind(9, pos.end);
    insert.Bind(10, pos.byte_start);
    insert.Bind(11, pos.byte_end);
    insert.Bind(12, annotation.by);
    insert.Bind(13, when);
    insert.Bind(14, annotation.note);
    insert.Bind(15, int64_t{annotation.orphan ? 1 : 0});
    insert.Bind(16, annotation.orphan ? "orphan" : "recorded");
    rc = insert.Step();
    if (rc != SQLITE_DONE) return SqlError(file_, db_, rc, "cannot record an annotation");
    const int64_t id = sqlite3_last_insert_rowid(db_);
    if (Status s = LogChange(*batch, id, "record", annotation.by, when, 0); !s.ok()) return s;
    ids.push_back(id);
  }
  rc = txn.Commit();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot record an annotation");
  return ids;
}

Result<Annotation> AnnotationStore::Delete(int64_t id, std::string_view by) {
  if (version_ < 2) {
    return Status::IOError(file_.string() + ": cannot delete an annotation: opened read-only");
  }
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot delete an annotation");
  Result<std::vector<Annotation>> found =
      Select("WHERE id = ?1", std::to_string(id), /*with_deleted=*/true);
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return Status::NotFound(file_.string() + ": no annotation #" + std::to_string(id) +
                            " (pillar annotations lists them)");
  }
  Result<std::vector<Annotation>> live = Select("WHERE id = ?1", std::to_string(id));
  if (!live.ok()) return live.status();
  if (live->empty()) {
    return Status::InvalidArgument(file_.string() + ": annotation #" + std::to_string(id) +
                                   " is already deleted");
  }
  Statement update(db_, "UPDATE annotations SET deleted = 1 WHERE id = ?1");
  update.Bind(1, id);
  rc = update.Step();
  if (rc != SQLITE_DONE) return SqlError(file_, db_, rc, "cannot delete an annotation");
  Result<int64_t> batch = NextBatch();
  if (!batch.ok()) return batch.status();
  if (Status s = LogChange(*batch, id, "delete", by, UtcNow(), 0); !s.ok()) return s;
  rc = txn.Commit();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot delete an annotation");
  return live->front();
}

Result<Undone> AnnotationStore::UndoLast(std::string_view by) {
  if (version_ < 2) return Status::IOError(file_.string() + ": cannot undo: opened read-only");
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot undo");
  Undone undone;
  {
    Statement last(db_,
                   "SELECT COALESCE(MAX(batch), 0) FROM changes WHERE changed_by = ?1 AND "
                   "undoes IS NULL AND undone_by IS NULL");
    last.Bind(1, by);
    rc = last.Step();
    if (rc != SQLITE_ROW) return SqlError(file_, db_, rc, "cannot read the change log");
    undone.batch = last.Int(0);
  }
  if (undone.batch == 0) {
    return Status::NotFound(file_.string() + ": nothing to undo: no change by '" +
                            std::string(by) + "' that is not undone already");
  }
  std::vector<std::pair<int64_t, std::string>> changes;  // annotation id, op; latest first
  {
    Statement read(db_,
                   "SELECT annotation_id, op FROM changes WHERE batch = ?1 ORDER BY id DESC");
    read.Bind(1, undone.batch);
    for (;;) {
      rc = read.Step();
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqlError(file_, db_, rc, "cannot read the change log");
      changes.emplace_back(read.Int(0), read.Text(1));
    }
  }
  Result<int64_t> batch = NextBatch();
  if (!batch.ok()) return batch.status();
  const std::string when = UtcNow();
  Statement flag(db_, "UPDATE annotations SET deleted = ?1 WHERE id = ?2");
  for (const auto& [annotation_id, op] : changes) {
    // A recorded decision is taken back; a deleted (or restored) one goes back to before.
    const bool delete_it = op != "delete";
    flag.Reset();
    flag.Bind(1, int64_t{delete_it ? 1 : 0});
    flag.Bind(2, annotation_id);
    rc = flag.Step();
    if (rc != SQLITE_DONE) return SqlError(file_, db_, rc, "cannot undo");
    if (Status s = LogChange(*batch, annotation_id, delete_it ? "delete" : "restore", by, when,
                             undone.batch);
        !s.ok()) {
      return s;
    }
    Result<std::vector<Annotation>> row =
        Select("WHERE id = ?1", std::to_string(annotation_id), /*with_deleted=*/true);
    if (!row.ok()) return row.status();
    for (Annotation& a : *row) (delete_it ? undone.deleted : undone.restored).push_back(a);
  }
  Statement mark(db_, "UPDATE changes SET undone_by = ?1 WHERE batch = ?2");
  mark.Bind(1, *batch);
  mark.Bind(2, undone.batch);
  rc = mark.Step();
  if (rc != SQLITE_DONE) return SqlError(file_, db_, rc, "cannot undo");
  rc = txn.Commit();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot undo");
  return undone;
}

Result<std::vector<Change>> AnnotationStore::Changes() const {
  std::vector<Change> out;
  if (version_ < 2) return out;
  std::lock_guard lock(mutex_);
  Statement read(db_,
                 "SELECT id, batch, annotation_id, op, changed_by, changed_at, "
                 "COALESCE(undoes, 0), COALESCE(undone_by, 0) FROM changes ORDER BY id");
  for (;;) {
    int rc = read.Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqlError(file_, db_, rc, "cannot read the change log");
    Change c;
    c.id = read.Int(0);
    c.batch = read.Int(1);
    c.annotation_id = read.Int(2);
    c.op = read.Text(3);
    c.by = read.Text(4);
    c.when = read.Text(5);
    c.undoes = read.Int(6);
    c.undone_by = read.Int(7);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Annotation>> AnnotationStore::Deleted() const {
  if (version_ < 2) return std::vector<Annotation>{};
  std::lock_guard lock(mutex_);
  return Select("WHERE deleted = 1", "", /*with_deleted=*/true);
}

Result<std::vector<Annotation>> AnnotationStore::Select(std::string_view where,
                                                        std::string_view key,
                                                        bool with_deleted) const {
  std::string sql = std::string(kSelectColumns) + std::string(where);
  if (version_ >= 2 && !with_deleted) {
    sql += where.empty() ? "WHERE deleted = 0" : " AND deleted = 0";
  }
  sql += " ORDER BY id";
  Statement select(db_, sql.c_str());
  if (select.ParameterCount() > 0) select.Bind(1, key);
  std::vector<Annotation> out;
  for (;;) {
    int rc = select.Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqlError(file_, db_, rc, "cannot read annotations");
    out.push_back(ReadRow(select));
  }
  return out;
}

Result<std::vector<Annotation>> AnnotationStore::ForDocument(std::string_view doc_id) const {
  std::lock_guard lock(mutex_);
  return Select("WHERE doc_id = ?1", doc_id);
}

Result<std::vector<Annotation>> AnnotationStore::ForPassage(std::string_view passage_id) const {
  std::lock_guard lock(mutex_);
  return Select("WHERE passage_id = ?1", passage_id);
}

Result<std::vector<Annotation>> AnnotationStore::All() const {
  std::lock_guard lock(mutex_);
  return Select("", "");
}

Result<int64_t> AnnotationStore::LastId() const {
  std::lock_guard lock(mutex_);
  Statement last(db_, version_ >= 2 ? "SELECT COALESCE(MAX(id), 0) FROM changes"
                                    : "SELECT COALESCE(MAX(id), 0) FROM annotations");
  int rc = last.Step();
  if (rc != SQLITE_ROW) return SqlError(file_, db_, rc, "cannot read annotations");
  return last.Int(0);
}

Result<std::vector<Annotation>> AnnotationStore::Orphans() const {
  std::lock_guard lock(mutex_);
  return Select("WHERE orphan = 1", "");
}

Result<std::vector<Placement>> AnnotationStore::Reanchor(std::string_view doc_id,
                                                         const std::vector<Passage>& passages,
                                                         std::string_view doc_text) {
  for (const auto& p : passages) {
    if (p.begin > p.end || p.end > doc_text.size()) {
      return Status::InvalidArgument("passage " + p.id + ": byte range " + std::to_string(p.begin) +
                                     "-" + std::to_string(p.end) +
                                     " is not inside the document's " +
                                     std::to_string(doc_text.size()) + " bytes");
    }
  }
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot re-anchor annotations");
  // Read inside the write transaction: nobody can record in between.
  auto annotations = Select("WHERE doc_id = ?1", doc_id);
  if (!annotations.ok()) return annotations.status();

  Locator locator(passages, doc_text);
  // A passage's history shares one anchor: locate each distinct one once.
  std::map<std::string, Located> cache;
  Statement update(db_,
                   "UPDATE annotations SET passage_id = ?1, exact = ?2, prefix = ?3, suffix = ?4, "
                   "pos_start = ?5, pos_end = ?6, byte_start = ?7, byte_end = ?8, orphan = ?9, "
                   "placed_how = ?10 WHERE id = ?11");
  std::vector<Placement> placements;
  placements.reserve(annotations->size());
  for (const Annotation& a : *annotations) {
    const Anchor& old = a.anchor;
    std::string key = old.passage_id + '\0' + old.quote.exact + '\0' + old.quote.prefix + '\0' +
                      old.quote.suffix + '\0' + std::to_string(old.position.byte_start);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(std::move(key), locator.Locate(old)).first;
    const Located& located = it->second;
    const bool orphan = located.how == Placement::How::kOrphan;
    const Anchor& anchor = orphan ? old : located.anchor;
    placements.push_back({a.id, orphan ? "" : anchor.passage_id, a.orphan, located.how});

    update.Reset();
    update.Bind(1, anchor.passage_id);
    update.Bind(2, anchor.quote.exact);
    update.Bind(3, anchor.quote.prefix);
    update.Bind(4, anchor.quote.suffix);
    update.Bind(5, anchor.position.start);
    update.Bind(6, anchor.position.end);
    update.Bind(7, anchor.position.byte_start);
    update.Bind(8, anchor.position.byte_end);
    update.Bind(9, int64_t{orphan ? 1 : 0});
    update.Bind(10, HowName(located.how));
    update.Bind(11, a.id);
    rc = update.Step();
    if (rc != SQLITE_DONE) return SqlError(file_, db_, rc, "cannot re-anchor annotations");
  }
  rc = txn.Commit();
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot re-anchor annotations");
  return placements;
}

Status AnnotationStore::OrphanDocument(std::string_view doc_id,
                                       std::vector<Annotation>* newly) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  int rc = txn.Begin();
  if (rc == SQLITE_OK && newly != nullptr) {
    Result<std::vector<Annotation>> before = Select("WHERE doc_id = ?1 AND orphan = 0", doc_id);
    if (!before.ok()) return before.status();
    for (Annotation& a : *before) {
      a.orphan = true;
      newly->push_back(std::move(a));
    }
  }
  if (rc == SQLITE_OK) {
    Statement update(db_,
                     "UPDATE annotations SET orphan = 1, placed_how = 'orphan' WHERE doc_id = ?1");
    update.Bind(1, doc_id);
    rc = update.Step();
    if (rc == SQLITE_DONE) rc = txn.Commit();
  }
  if (rc != SQLITE_OK) return SqlError(file_, db_, rc, "cannot mark annotations orphan");
  return Status::Ok();
}

std::vector<Tag> ApplyManualDecisions(const std::vector<Tag>& automatic,
                                      const std::vector<Annotation>& history) {
  std::vector<Tag> tags = automatic;
  auto drop = [&tags](const std::string& concept_id) {
    std::erase_if(tags, [&](const Tag& t) { return t.concept_id == concept_id; });
  };
  auto manual = [](const Annotation& a, const std::string& concept_id) {
    Tag t;
    t.concept_id = concept_id;
    t.source = kTagSourceManual;
    t.score = 1;
    t.by = a.by;
    t.when = a.when;
    t.note = a.note;
    if (!a.note.empty()) t.evidence.push_back(a.note);
    return t;
  };
  for (const Annotation& a : history) {
    if (a.orphan || !a.unreadable.empty()) continue;
    switch (a.action) {
      case Annotation::Action::kAdd:
        for (const auto& c : a.concepts) {
          if (c.empty()) continue;
          // Replace in place, so a confirmed rule tag keeps its position.
          auto it = std::find_if(tags.begin(), tags.end(),
                                 [&](const Tag& t) { return t.concept_id == c; });
          if (it == tags.end()) {
            tags.push_back(manual(a, c));
          } else {
            *it = manual(a, c);
            tags.erase(
                std::remove_if(it + 1, tags.end(), [&](const Tag& t) { return t.concept_id == c; }),
                tags.end());
          }
        }
        break;
      case Annotation::Action::kRemove:
        for (const auto& c : a.concepts) drop(c);
        break;
      case Annotation::Action::kSet:
        tags.clear();
        for (const auto& c : a.concepts) {
          if (c.empty()) continue;
          bool seen = std::any_of(tags.begin(), tags.end(),
                                  [&](const Tag& t) { return t.concept_id == c; });
          if (!seen) tags.push_back(manual(a, c));
        }
        break;
    }
  }
  return tags;
}

}  // namespace pillar
