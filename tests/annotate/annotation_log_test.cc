// The annotation store's change log (schema version 2): every change logged with author and
// time, deletion, undo by author and batch, and the upgrade of a version 1 store.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "indexer/annotate/annotation_store.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using Action = Annotation::Action;
using pillar::testing::TempDir;

template <typename T>
T ValueOrFail(Result<T> r) {
  INFO(r.status().message());
  REQUIRE(r.ok());
  return std::move(r.value());
}

Annotation Decision(Action action, const std::string& concept_id, const std::string& passage_id,
                    const std::string& by) {
  Annotation a;
  a.action = action;
  a.concepts = {concept_id};
  a.anchor.passage_id = passage_id;
  a.anchor.doc_id = passage_id.substr(0, passage_id.find('#'));
  a.anchor.quote.exact = "text of " + passage_id;
  a.anchor.position = {0, 10, 0, 10};
  a.by = by;
  return a;
}

void ExecSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

std::string SqlText(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::vector<int64_t> Ids(const std::vector<Annotation>& list) {
  std::vector<int64_t> ids;
  for (const Annotation& a : list) ids.push_back(a.id);
  return ids;
}

TEST_CASE("Every recorded decision is logged with its author and time, a batch as one change",
          "[annotate][log]") {
  TempDir dir;
  auto store = ValueOrFail(AnnotationStore::Open(dir.path() / "a.sqlite"));
  int64_t one = ValueOrFail(store->Record(Decision(Action::kAdd, "c1", "d#p-1", "alice")));
  std::vector<int64_t> batch =
      ValueOrFail(store->RecordAll({Decision(Action::kAdd, "c2", "d#p-1", "bob"),
                                    Decision(Action::kAdd, "c2", "d#p-2", "bob")}));
  REQUIRE(batch.size() == 2);
  std::vector<Change> log = ValueOrFail(store->Changes());
  REQUIRE(log.size() == 3);
  CHECK(log[0].annotation_id == one);
  CHECK(log[0].by == "alice");
  CHECK(log[0].op == "record");
  CHECK(log[0].when.size() == 20);  // 2026-12-05T02:38:00Z
  CHECK(log[1].batch == log[2].batch);
  CHECK(log[1].batch != log[0].batch);
  CHECK(log[2].by == "bob");
  CHECK(ValueOrFail(store->LastId()) == log[2].id);

  // Nothing is recorded when one decision of a batch is invalid.
  Annotation bad = Decision(Action::kAdd, "c3", "d#p-3", "bob");
  bad.concepts.clear();
  CHECK(!store->RecordAll({Decision(Action::kAdd, "c3", "d#p-3", "bob"), bad}).ok());
  CHECK(ValueOrFail(store->All()).size() == 3);
}

TEST_CASE("Undo takes back the last batch of that author only, and again the one before",
          "[annotate][log]") {
  TempDir dir;
  auto store = ValueOrFail(AnnotationStore::Open(dir.path() / "a.sqlite"));
  int64_t a1 = ValueOrFail(store->Record(Decision(Action::kAdd, "c1", "d#p-1", "alice")));
  std::vector<int64_t> a2 =
      ValueOrFail(store->RecordAll({Decision(Action::kAdd, "c2", "d#p-1", "alice"),
                                    Decision(Action::kAdd, "c2", "d#p-2", "alice")}));
  int64_t b1 = ValueOrFail(store->Record(Decision(Action::kAdd, "c9", "d#p-1", "bob")));

  Undone undone = ValueOrFail(store->UndoLast("alice"));
  CHECK(Ids(undone.deleted) == std::vector<int64_t>{a2[1], a2[0]});
  CHECK(undone.restored.empty());
  CHECK(Ids(ValueOrFail(store->All())) == std::vector<int64_t>{a1, b1});
  // The deleted rows are kept (for the log and for undo), and left out of every read.
  CHECK(ValueOrFail(store->Deleted()).size() == 2);
  CHECK(Ids(ValueOrFail(store->ForPassage("d#p-1"))) == std::vector<int64_t>{a1, b1});

  undone = ValueOrFail(store->UndoLast("alice"));
  CHECK(Ids(undone.deleted) == std::vector<int64_t>{a1});
  CHECK(Ids(ValueOrFail(store->All())) == std::vector<int64_t>{b1});
  Result<Undone> nothing = store->UndoLast("alice");
  CHECK(nothing.status().code() == Status::Code::kNotFound);

  // The undos are in the log, by the author, naming the batch each reversed.
  std::vector<Change> log = ValueOrFail(store->Changes());
  REQUIRE(log.size() == 7);
  CHECK(log[4].op == "delete");
  CHECK(log[4].undoes == log[1].batch);
  CHECK(log[1].undone_by == log[4].batch);
  CHECK(log[3].undone_by == 0);  // bob's
}

TEST_CASE("A deleted decision is restored by the deleter's undo and cannot be deleted twice",
          "[annotate][log]") {
  TempDir dir;
  auto store = ValueOrFail(AnnotationStore::Open(dir.path() / "a.sqlite"));
  int64_t id = ValueOrFail(store->Record(Decision(Action::kAdd, "c1", "d#p-1", "alice")));
  Annotation gone = ValueOrFail(store->Delete(id, "bob"));
  CHECK(gone.id == id);
  CHECK(ValueOrFail(store->All()).empty());
  CHECK(store->Delete(id, "bob").status().code() == Status::Code::kInvalidArgument);
  CHECK(store->Delete(999, "bob").status().code() == Status::Code::kNotFound);
  Undone undone = ValueOrFail(store->UndoLast("bob"));
  CHECK(Ids(undone.restored) == std::vector<int64_t>{id});
  CHECK(Ids(ValueOrFail(store->All())) == std::vector<int64_t>{id});
  std::vector<Change> log = ValueOrFail(store->Changes());
  REQUIRE(log.size() == 3);
  CHECK(log[1].op == "delete");
  CHECK(log[1].by == "bob");
  CHECK(log[2].op == "restore");
}

// The schema a store of version 1 has: as `AnnotationStore::Open` created it up to commit
// 1e9ba60 (before the change log), with one decision as `pillar tag` recorded it then.
constexpr const char* kVersion1Store = R"sql(
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
INSERT INTO annotations VALUES (1, 'add', '["un-tier-2"]', 'r#para-1', 'r', 'Patrols.', '', '',
  0, 8, 0, 8, 'carol', '2025-03-01T10:00:00Z', 'seen', 0, 'recorded');
INSERT INTO annotations VALUES (4, 'remove', '["un-tier-1"]', 'r#para-2', 'r', 'Budget.', '', '',
  9, 16, 9, 16, 'dave', '2025-03-02T11:00:00Z', '', 1, 'orphan');
)sql";

TEST_CASE("A version 1 store is read as it is and upgraded on open, losing nothing",
          "[annotate][log]") {
  TempDir dir;
  const auto file = dir.path() / "annotations.sqlite";
  ExecSql(file, kVersion1Store);

  {  // Read-only: listed as it is, nothing written.
    auto reader = ValueOrFail(AnnotationStore::OpenReadOnly(file));
    CHECK(Ids(ValueOrFail(reader->All())) == std::vector<int64_t>{1, 4});
    CHECK(ValueOrFail(reader->LastId()) == 4);
    CHECK(ValueOrFail(reader->Changes()).empty());
    CHECK(!reader->Record(Decision(Action::kAdd, "c", "r#para-1", "x")).ok());
  }
  CHECK(SqlText(file, "PRAGMA user_version") == "1");

  auto store = ValueOrFail(AnnotationStore::Open(file));
  CHECK(SqlText(file, "PRAGMA user_version") == "2");
  std::vector<Annotation> all = ValueOrFail(store->All());
  REQUIRE(all.size() == 2);
  CHECK(all[0].by == "carol");
  CHECK(all[0].note == "seen");
  CHECK(all[1].orphan);
  // Each old decision is in the log as recorded by its author at its time, under its own id:
  // the last change id is the last annotation id, as an index's applied mark expects.
  std::vector<Change> log = ValueOrFail(store->Changes());
  REQUIRE(log.size() == 2);
  CHECK(log[0].annotation_id == 1);
  CHECK(log[0].by == "carol");
  CHECK(log[0].when == "2025-03-01T10:00:00Z");
  CHECK(log[1].id == 4);
  CHECK(ValueOrFail(store->LastId()) == 4);
  // New decisions carry on; carol's old one can be undone.
  int64_t id = ValueOrFail(store->Record(Decision(Action::kAdd, "c", "r#para-1", "erin")));
  CHECK(id == 5);
  CHECK(ValueOrFail(store->LastId()) == 5);
  Undone undone = ValueOrFail(store->UndoLast("carol"));
  CHECK(Ids(undone.deleted) == std::vector<int64_t>{1});

  // A second open finds the upgraded store and changes nothing.
  auto again = ValueOrFail(AnnotationStore::Open(file));
  CHECK(Ids(ValueOrFail(again->All())) == std::vector<int64_t>{4, 5});
}

}  // namespace
}  // namespace pillar
