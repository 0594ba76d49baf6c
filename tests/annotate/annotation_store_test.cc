#include "indexer/annotate/annotation_store.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "indexer/base/text.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using Action = Annotation::Action;
using How = Placement::How;
using pillar::testing::TempDir;

// A document as the passage splitter left it before content ids (docs/ids.md): paragraphs
// joined by blank lines, one passage per paragraph with ids "<doc>#p-<n>" that shift when a
// paragraph is inserted. The store re-anchors by quote whatever the ids do.
struct Doc {
  std::string text;
  std::vector<Passage> passages;
};

Doc MakeDoc(const std::string& doc_id, const std::vector<std::string>& paragraphs) {
  Doc doc;
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i > 0) doc.text += "\n\n";
    Passage p;
    p.id = doc_id + "#p-" + std::to_string(i + 1);
    p.doc_id = doc_id;
    p.ordinal = static_cast<int>(i);
    p.begin = doc.text.size();
    doc.text += paragraphs[i];
    p.end = doc.text.size();
    p.text = paragraphs[i];
    doc.passages.push_back(p);
  }
  return doc;
}

Annotation Decision(Action action, std::vector<std::string> concepts, const Doc& doc,
                    size_t passage, std::string note = "") {
  Annotation a;
  a.action = action;
  a.concepts = std::move(concepts);
  a.anchor = AnnotationStore::MakeAnchor(doc.passages.at(passage), doc.text);
  a.by = "reviewer";
  a.when = "2026-03-01T10:00:00Z";
  a.note = std::move(note);
  return a;
}

std::unique_ptr<AnnotationStore> OpenOrFail(const std::filesystem::path& file) {
  auto store = AnnotationStore::Open(file);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return std::move(store).value();
}

template <typename T>
T ValueOrFail(Result<T> result) {
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return std::move(result).value();
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Code points [start, end) of `s`, counted here independently of the store's own helpers.
std::string SliceCodePoints(std::string_view s, int64_t start, int64_t end) {
  std::string out;
  int64_t index = -1;
  for (char ch : s) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++index;
    if (index >= start && index < end) out += ch;
  }
  return out;
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

void ExecSql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

std::vector<int64_t> Ids(const std::vector<Annotation>& annotations) {
  std::vector<int64_t> ids;
  for (const auto& a : annotations) ids.push_back(a.id);
  return ids;
}

const std::string kP1 =
    "The Security Council reaffirms its primary responsibility for the maintenance of "
    "international peace and security.";
const std::string kP2 =
    "Decides that the mandate of the mission shall include the protection of civilians under "
    "threat of physical violence, within its capabilities and areas of deployment.";
const std::string kP3 =
    "Requests the Secretary-General to report every ninety days on the implementation of this "
    "resolution, including on conflict-related sexual violence.";
const std::string kInserted =
    "Recalling its resolutions 1265 (1999) and 1894 (2009) on the protection of civilians in "
    "armed conflict.";

// ------------------------------------------------------------------------------------------
// Opening, persistence, queries

TEST_CASE("AnnotationStore creates a WAL store file and finds every field again after reopening",
          "[annotate]") {
  TempDir dir;
  const auto file = dir.path() / "annotations.sqlite";
  Doc doc = MakeDoc("s-res-2719", {kP1, "Protéger les civils — حماية المدنيين.", kP3});
  Annotation added = Decision(Action::kAdd, {"un-tier-2"}, doc, 1, "Vu en séance: « ok »");
  Annotation set = Decision(Action::kSet, {"un-tier-1", "un-tier-3"}, doc, 2);
  set.when = "";  // filled in with the current time
  int64_t first = 0, second = 0;
  {
    auto store = OpenOrFail(file);
    REQUIRE(std::filesystem::exists(file));
    first = ValueOrFail(store->Record(added));
    second = ValueOrFail(store->Record(set));
    CHECK(second > first);
  }
  CHECK(SqlText(file, "PRAGMA journal_mode") == "wal");
  CHECK(SqlText(file, "PRAGMA user_version") == std::to_string(kAnnotationSchemaVersion));

  auto store = OpenOrFail(file);
  auto all = ValueOrFail(store->All());
  REQUIRE(all.size() == 2);
  const Annotation& a = all[0];
  CHECK(a.id == first);
  CHECK(a.action == Action::kAdd);
  CHECK(a.concepts == std::vector<std::string>{"un-tier-2"});
  CHECK(a.anchor.passage_id == "s-res-2719#p-2");
  CHECK(a.anchor.doc_id == "s-res-2719");
  CHECK(a.anchor.quote.exact == added.anchor.quote.exact);
  CHECK(a.anchor.quote.prefix == added.anchor.quote.prefix);
  CHECK(a.anchor.quote.suffix == added.anchor.quote.suffix);
  CHECK(a.anchor.position.start == added.anchor.position.start);
  CHECK(a.anchor.position.end == added.anchor.position.end);
  CHECK(a.anchor.position.byte_start == added.anchor.position.byte_start);
  CHECK(a.anchor.position.byte_end == added.anchor.position.byte_end);
  CHECK(a.by == "reviewer");
  CHECK(a.when == "2026-03-01T10:00:00Z");
  CHECK(a.note == "Vu en séance: « ok »");
  CHECK_FALSE(a.orphan);

  const Annotation& b = all[1];
  CHECK(b.action == Action::kSet);
  CHECK(b.concepts == std::vector<std::string>{"un-tier-1", "un-tier-3"});
  REQUIRE(b.when.size() == 20);  // 2026-08-13T12:34:56Z
  CHECK(b.when[10] == 'T');
  CHECK(b.when.back() == 'Z');

  // A third session keeps appending after the reopened history.
  int64_t third = ValueOrFail(store->Record(Decision(Action::kSet, {}, doc, 0)));
  CHECK(third > second);
  auto again = ValueOrFail(store->All());
  REQUIRE(again.size() == 3);
  CHECK(again[2].concepts.empty());
}

TEST_CASE("AnnotationStore returns annotations by passage, by document and in full, oldest first",
          "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc one = MakeDoc("doc-one", {kP1, kP2});
  Doc two = MakeDoc("doc-two", {kP3});
  std::vector<int64_t> ids;
  ids.push_back(ValueOrFail(store->Record(Decision(Action::kAdd, {"c1"}, one, 1))));
  ids.push_back(ValueOrFail(store->Record(Decision(Action::kAdd, {"c2"}, two, 0))));
  ids.push_back(ValueOrFail(store->Record(Decision(Action::kRemove, {"c1"}, one, 1))));
  ids.push_back(ValueOrFail(store->Record(Decision(Action::kAdd, {"c3"}, one, 0))));
  ids.push_back(ValueOrFail(store->Record(Decision(Action::kAdd, {"c4"}, one, 1))));
  REQUIRE(std::is_sorted(ids.begin(), ids.end()));

  auto passage = ValueOrFail(store->ForPassage("doc-one#p-2"));
  CHECK(Ids(passage) == std::vector<int64_t>{ids[0], ids[2], ids[4]});
  CHECK(passage[1].action == Action::kRemove);
  CHECK(Ids(ValueOrFail(store->ForDocument("doc-one"))) ==
        std::vector<int64_t>{ids[0], ids[2], ids[3], ids[4]});
  CHECK(Ids(ValueOrFail(store->ForDocument("doc-two"))) == std::vector<int64_t>{ids[1]});
  CHECK(Ids(ValueOrFail(store->All())) == ids);
  CHECK(ValueOrFail(store->ForPassage("doc-one#p-9")).empty());
  CHECK(ValueOrFail(store->ForDocument("nope")).empty());
  CHECK(ValueOrFail(store->Orphans()).empty());
}

TEST_CASE("AnnotationStore rejects malformed decisions without writing them", "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc doc = MakeDoc("d", {kP1});
  auto none = store->Record(Decision(Action::kAdd, {}, doc, 0));
  CHECK(none.status().code() == Status::Code::kInvalidArgument);
  auto two = store->Record(Decision(Action::kRemove, {"a", "b"}, doc, 0));
  CHECK(two.status().code() == Status::Code::kInvalidArgument);
  auto empty_concept = store->Record(Decision(Action::kSet, {"a", ""}, doc, 0));
  CHECK(empty_concept.status().code() == Status::Code::kInvalidArgument);
  Annotation no_passage = Decision(Action::kAdd, {"a"}, doc, 0);
  no_passage.anchor.passage_id.clear();
  CHECK(store->Record(no_passage).status().code() == Status::Code::kInvalidArgument);
  CHECK(ValueOrFail(store->All()).empty());
}

TEST_CASE("Opening a file that is not an SQLite database fails cleanly and leaves it untouched",
          "[annotate]") {
  std::string garbage;
  for (int i = 0; i < 100; ++i) garbage += "This is a policy memo, not an SQLite database.\n";
  // One byte matters: SQLite itself takes a 1-byte file for an empty database.
  for (const std::string& content :
       {garbage, std::string("x"), std::string("SQLite format 3"), std::string(600, '\0')}) {
    TempDir dir;
    const auto file = dir.Write("memo.txt", content);
    INFO(content.size() << " bytes");

    auto store = AnnotationStore::Open(file);
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == Status::Code::kCorruption);
    CHECK_THAT(store.status().message(), Catch::Contains(file.string()));
    CHECK(ReadFile(file) == content);
    // No journal, WAL or shared-memory file was left beside it.
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                        std::filesystem::directory_iterator()) == 1);
  }
}

TEST_CASE("Opening an SQLite database of another program is refused and leaves it untouched",
          "[annotate]") {
  TempDir dir;
  const auto file = dir.path() / "other.db";
  ExecSql(file, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('keep me');");
  const std::string before = ReadFile(file);

  auto store = AnnotationStore::Open(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == Status::Code::kCorruption);
  CHECK_THAT(store.status().message(), Catch::Contains(file.string()));
  CHECK(ReadFile(file) == before);
  CHECK(SqlText(file, "PRAGMA journal_mode") == "delete");
}

TEST_CASE("Opening a store written by a newer schema is refused as unsupported", "[annotate]") {
  TempDir dir;
  const auto file = dir.path() / "future.db";
  ExecSql(file, "CREATE TABLE annotations(id INTEGER PRIMARY KEY); PRAGMA user_version = 99;");
  auto store = AnnotationStore::Open(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == Status::Code::kUnsupported);
  CHECK_THAT(store.status().message(), Catch::Contains(file.string()));
  CHECK_THAT(store.status().message(), Catch::Contains("99"));
}

TEST_CASE("Opening a store in a missing folder is an IOError naming the file", "[annotate]") {
  TempDir dir;
  const auto file = dir.path() / "no-such-folder" / "annotations.sqlite";
  auto store = AnnotationStore::Open(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == Status::Code::kIOError);
  CHECK_THAT(store.status().message(), Catch::Contains(file.string()));
  CHECK_FALSE(std::filesystem::exists(file.parent_path()));
}

// ------------------------------------------------------------------------------------------
// MakeAnchor

TEST_CASE(
    "MakeAnchor counts positions in code points and offsets in bytes with accented and "
    "Arabic text",
    "[annotate]") {
  const std::string before = "Résolution 2719 — préambule, « protéger » et l’été: ";
  const std::string arabic_before = "قرار مجلس الأمن بشأن حماية المدنيين في النزاعات المسلحة ";
  const std::string passage_text = "Protéger les civils — حماية المدنيين.";
  const std::string after = " Suite: ça continue après la virgule, puis شكرا جزيلا لكم جميعا.";
  const std::string doc_text = before + arabic_before + passage_text + after;
  Passage p;
  p.id = "d#p-2";
  p.doc_id = "d";
  p.text = passage_text;
  p.begin = before.size() + arabic_before.size();
  p.end = p.begin + passage_text.size();

  Anchor anchor = AnnotationStore::MakeAnchor(p, doc_text);
  CHECK(anchor.passage_id == "d#p-2");
  CHECK(anchor.doc_id == "d");
  CHECK(anchor.quote.exact == passage_text);
  CHECK(anchor.position.byte_start == static_cast<int64_t>(p.begin));
  CHECK(anchor.position.byte_end == static_cast<int64_t>(p.end));
  const auto start_cp = static_cast<int64_t>(CountCodePoints(before + arabic_before));
  CHECK(anchor.position.start == start_cp);
  CHECK(anchor.position.end == start_cp + static_cast<int64_t>(CountCodePoints(passage_text)));
  CHECK(anchor.position.start < anchor.position.byte_start);  // multi-byte letters before it
  CHECK(SliceCodePoints(doc_text, anchor.position.start, anchor.position.end) == passage_text);

  // 32 code points of context each side, whole UTF-8 sequences only (Arabic: 2 bytes each).
  CHECK(CountCodePoints(anchor.quote.prefix) == 32);
  CHECK(CountCodePoints(anchor.quote.suffix) == 32);
  CHECK(anchor.quote.prefix.size() > 32);
  CHECK(FindInvalidUtf8(anchor.quote.prefix) == std::string_view::npos);
  CHECK(FindInvalidUtf8(anchor.quote.suffix) == std::string_view::npos);
  CHECK(SliceCodePoints(doc_text, anchor.position.start - 32, anchor.position.start) ==
        anchor.quote.prefix);
  CHECK(SliceCodePoints(doc_text, anchor.position.end, anchor.position.end + 32) ==
        anchor.quote.suffix);
  CHECK(StartsWith(after, anchor.quote.suffix));
}

TEST_CASE("MakeAnchor gives short or empty context at the edges of the document", "[annotate]") {
  Doc doc = MakeDoc("d", {"Été.", "Fin — نهاية"});
  Anchor first = AnnotationStore::MakeAnchor(doc.passages[0], doc.text);
  CHECK(first.quote.prefix.empty());
  CHECK(first.quote.suffix == "\n\nFin — نهاية");
  CHECK(first.position.start == 0);
  CHECK(first.position.end == 4);
  CHECK(first.position.byte_end == 6);  // É and é take two bytes each
  Anchor last = AnnotationStore::MakeAnchor(doc.passages[1], doc.text);
  CHECK(last.quote.prefix == "Été.\n\n");
  CHECK(last.quote.suffix.empty());
  CHECK(last.position.start == 6);
  CHECK(last.position.byte_start == 8);
  CHECK(last.position.end == 6 + 11);
  CHECK(last.position.byte_end == static_cast<int64_t>(doc.text.size()));
}

// ------------------------------------------------------------------------------------------
// Reanchor

TEST_CASE(
    "Reanchor keeps an annotation on its passage when its id and text are unchanged and "
    "refreshes its position",
    "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc old_doc = MakeDoc("d", {kP1, kP2, kP3});
  int64_t id = ValueOrFail(store->Record(Decision(Action::kAdd, {"un-tier-2"}, old_doc, 1)));

  SECTION("nothing changed") {
    auto placements = ValueOrFail(store->Reanchor("d", old_doc.passages, old_doc.text));
    REQUIRE(placements.size() == 1);
    CHECK(placements[0].annotation_id == id);
    CHECK(placements[0].how == How::kSameId);
    CHECK(placements[0].passage_id == "d#p-2");
  }
  SECTION("the paragraph before it was reworded, moving its byte range") {
    Doc new_doc = MakeDoc("d", {"The Council reaffirms.", kP2, kP3});
    auto placements = ValueOrFail(store->Reanchor("d", new_doc.passages, new_doc.text));
    REQUIRE(placements.size() == 1);
    CHECK(placements[0].how == How::kSameId);
    auto stored = ValueOrFail(store->ForPassage("d#p-2"));
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].anchor.position.byte_start == static_cast<int64_t>(new_doc.passages[1].begin));
    CHECK(stored[0].anchor.quote.prefix == "The Council reaffirms.\n\n");
    CHECK_FALSE(stored[0].orphan);
  }
}

TEST_CASE(
    "Reanchor follows the exact quote to its new passage id when a paragraph is inserted "
    "before it",
    "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc old_doc = MakeDoc("d", {kP1, kP2, kP3});
  int64_t id = ValueOrFail(store->Record(Decision(Action::kAdd, {"un-tier-2"}, old_doc, 1)));
  int64_t other = ValueOrFail(store->Record(Decision(Action::kAdd, {"x"}, MakeDoc("e", {kP2}), 0)));

  // Ids shift by one: "#p-2" now names the old first paragraph.
  Doc new_doc = MakeDoc("d", {kInserted, kP1, kP2, kP3});
  auto placements = ValueOrFail(store->Reanchor("d", new_doc.passages, new_doc.text));
  REQUIRE(placements.size() == 1);
  CHECK(placements[0].annotation_id == id);
  CHECK(placements[0].how == How::kExactQuote);
  CHECK(placements[0].passage_id == "d#p-3");

  CHECK(ValueOrFail(store->ForPassage("d#p-2")).empty());
  auto moved = ValueOrFail(store->ForPassage("d#p-3"));
  REQUIRE(moved.size() == 1);
  Anchor expected = AnnotationStore::MakeAnchor(new_doc.passages[2], new_doc.text);
  CHECK(moved[0].anchor.quote.exact == kP2);
  CHECK(moved[0].anchor.quote.prefix == expected.quote.prefix);
  CHECK(moved[0].anchor.quote.suffix == expected.quote.suffix);
  CHECK(moved[0].anchor.position.start == expected.position.start);
  CHECK(moved[0].anchor.position.byte_start == expected.position.byte_start);
  CHECK(moved[0].anchor.position.byte_end == expected.position.byte_end);
  CHECK_FALSE(moved[0].orphan);
  // The other document's annotation was not touched.
  auto untouched = ValueOrFail(store->ForDocument("e"));
  REQUIRE(untouched.size() == 1);
  CHECK(untouched[0].id == other);
  CHECK(untouched[0].anchor.passage_id == "e#p-1");
}

TEST_CASE("Reanchor picks the occurrence whose prefix and suffix match when the quote repeats",
          "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  const std::string repeated = "Welcomes the report of the Secretary-General.";
  Doc old_doc = MakeDoc("d", {"Preamble one.", repeated, "Takes note of the first annex.", repeated,
                              "Takes note of the second annex."});
  ValueOrFail(store->Record(Decision(Action::kAdd, {"c"}, old_doc, 3)));

  // After the insertion the first occurrence sits nearer the old byte position than the second.
  Doc new_doc =
      MakeDoc("d", {"A new opening paragraph of some fifty bytes.", "Preamble one.", repeated,
                    "Takes note of the first annex.", repeated, "Takes note of the second annex."});
  REQUIRE(std::abs(static_cast<long>(new_doc.passages[2].begin) -
                   static_cast<long>(old_doc.passages[3].begin)) <
          std::abs(static_cast<long>(new_doc.passages[4].begin) -
                   static_cast<long>(old_doc.passages[3].begin)));
  auto placements = ValueOrFail(store->Reanchor("d", new_doc.passages, new_doc.text));
  REQUIRE(placements.size() == 1);
  CHECK(placements[0].how == How::kExactQuote);
  CHECK(placements[0].passage_id == "d#p-5");
}

TEST_CASE("Reanchor attaches a slightly reworded passage by fuzzy match", "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc old_doc = MakeDoc("d", {kP1, kP2, kP3});
  ValueOrFail(store->Record(Decision(Action::kAdd, {"un-tier-2"}, old_doc, 1, "core mandate")));
  const std::string reworded =
      "Decides that the mandate of the Mission shall include the protection of civilians under "
      "imminent threat of physical violence, within its capabilities and its areas of "
      "deployment.";

  bool shifted = GENERATE(false, true);
  Doc new_doc =
      shifted ? MakeDoc("d", {kInserted, kP1, reworded, kP3}) : MakeDoc("d", {kP1, reworded, kP3});
  const Passage& target = new_doc.passages[shifted ? 2 : 1];
  auto placements = ValueOrFail(store->Reanchor("d", new_doc.passages, new_doc.text));
  REQUIRE(placements.size() == 1);
  CHECK(placements[0].how == How::kFuzzyQuote);
  CHECK(placements[0].passage_id == target.id);

  auto stored = ValueOrFail(store->ForPassage(target.id));
  REQUIRE(stored.size() == 1);
  Anchor expected = AnnotationStore::MakeAnchor(target, new_doc.text);
  CHECK(stored[0].anchor.quote.exact == reworded);
  CHECK(stored[0].anchor.quote.prefix == expected.quote.prefix);
  CHECK(stored[0].anchor.quote.suffix == expected.quote.suffix);
  CHECK(stored[0].anchor.position.start == expected.position.start);
  CHECK(stored[0].anchor.position.end == expected.position.end);
  CHECK(stored[0].anchor.position.byte_start == expected.position.byte_start);
  CHECK(stored[0].note == "core mandate");
  CHECK_FALSE(stored[0].orphan);

  // Re-anchoring the same text again now finds the refreshed anchor by id.
  auto again = ValueOrFail(store->Reanchor("d", new_doc.passages, new_doc.text));
  CHECK(again[0].how == How::kSameId);
}

TEST_CASE(
    "Reanchor orphans an annotation whose passage was deleted, keeps it, and re-attaches "
    "it when the passage returns",
    "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc old_doc = MakeDoc("d", {kP1, kP2, kP3});
  int64_t kept = ValueOrFail(store->Record(Decision(Action::kAdd, {"c1"}, old_doc, 0)));
  int64_t lost = ValueOrFail(store->Record(Decision(Action::kAdd, {"c2"}, old_doc, 1)));

  Doc new_doc = MakeDoc("d", {kP1, kP3});
  auto placements = ValueOrFail(store->Reanchor("d", new_doc.passages, new_doc.text));
  REQUIRE(placements.size() == 2);
  CHECK(placements[0].annotation_id == kept);
  CHECK(placements[0].how == How::kSameId);
  CHECK(placements[1].annotation_id == lost);
  CHECK(placements[1].how == How::kOrphan);
  CHECK(placements[1].passage_id.empty());

  auto all = ValueOrFail(store->All());
  REQUIRE(all.size() == 2);
  CHECK_FALSE(all[0].orphan);
  CHECK(all[1].orphan);
  CHECK(all[1].anchor.quote.exact == kP2);  // kept as it was, for a reviewer to re-place
  auto orphans = ValueOrFail(store->Orphans());
  REQUIRE(orphans.size() == 1);
  CHECK(orphans[0].id == lost);

  // The paragraph comes back (say the deletion was reverted): the orphan re-attaches.
  auto back = ValueOrFail(store->Reanchor("d", old_doc.passages, old_doc.text));
  CHECK(back[1].how == How::kSameId);
  CHECK(ValueOrFail(store->Orphans()).empty());
}

TEST_CASE("Reanchor refuses passages whose byte range lies outside the text", "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc doc = MakeDoc("d", {kP1});
  ValueOrFail(store->Record(Decision(Action::kAdd, {"c"}, doc, 0)));
  doc.passages[0].end = doc.text.size() + 5;
  auto placements = store->Reanchor("d", doc.passages, doc.text);
  CHECK(placements.status().code() == Status::Code::kInvalidArgument);
  CHECK_FALSE(ValueOrFail(store->All())[0].orphan);
}

TEST_CASE("OrphanDocument marks every annotation of that document orphan and no other",
          "[annotate]") {
  TempDir dir;
  auto store = OpenOrFail(dir.path() / "a.db");
  Doc gone = MakeDoc("gone", {kP1, kP2});
  Doc stays = MakeDoc("stays", {kP3});
  ValueOrFail(store->Record(Decision(Action::kAdd, {"c"}, gone, 0)));
  ValueOrFail(store->Record(Decision(Action::kAdd, {"c"}, stays, 0)));
  ValueOrFail(store->Record(Decision(Action::kRemove, {"c"}, gone, 1)));
  REQUIRE(store->OrphanDocument("gone").ok());
  REQUIRE(store->OrphanDocument("never-annotated").ok());
  auto orphans = ValueOrFail(store->Orphans());
  REQUIRE(orphans.size() == 2);
  CHECK(orphans[0].anchor.doc_id == "gone");
  CHECK(orphans[1].anchor.doc_id == "gone");
  CHECK_FALSE(ValueOrFail(store->ForDocument("stays"))[0].orphan);
  CHECK(ValueOrFail(store->All()).size() == 3);
}

// ------------------------------------------------------------------------------------------
// ApplyManualDecisions

Tag RuleTag(const std::string& concept_id, double score) {
  Tag t;
  t.concept_id = concept_id;
  t.source = kTagSourceRule;
  t.score = score;
  t.evidence = {"pattern"};
  t.rule_version = "r1";
  return t;
}

Annotation Manual(Action action, std::vector<std::string> concepts, std::string note = "") {
  Annotation a;
  a.action = action;
  a.concepts = std::move(concepts);
  a.by = "ana";
  a.when = "2026-04-01T09:00:00Z";
  a.note = std::move(note);
  return a;
}

std::vector<std::string> Concepts(const std::vector<Tag>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) out.push_back(t.concept_id + ":" + t.source);
  return out;
}

TEST_CASE("ApplyManualDecisions adds manual tags and replaces a rule tag for the same concept",
          "[annotate]") {
  const std::vector<Tag> automatic = {RuleTag("tier-1", 0.7), RuleTag("tier-2", 0.4)};
  CHECK(Concepts(ApplyManualDecisions(automatic, {})) ==
        std::vector<std::string>{"tier-1:rule", "tier-2:rule"});

  auto tags = ApplyManualDecisions(automatic, {Manual(Action::kAdd, {"tier-3"}, "named in op. 4"),
                                               Manual(Action::kAdd, {"tier-1"})});
  REQUIRE(Concepts(tags) ==
          std::vector<std::string>{"tier-1:manual", "tier-2:rule", "tier-3:manual"});
  const Tag& added = tags[2];
  CHECK(added.score == 1);
  CHECK(added.by == "ana");
  CHECK(added.when == "2026-04-01T09:00:00Z");
  CHECK(added.note == "named in op. 4");
  CHECK(added.evidence == std::vector<std::string>{"named in op. 4"});
  CHECK(tags[0].score == 1);
  CHECK(tags[0].evidence.empty());
  CHECK(tags[0].rule_version.empty());
}

TEST_CASE("ApplyManualDecisions removes rule and manual tags, and a later add brings one back",
          "[annotate]") {
  const std::vector<Tag> automatic = {RuleTag("tier-1", 0.7), RuleTag("tier-2", 0.4)};
  CHECK(Concepts(ApplyManualDecisions(automatic, {Manual(Action::kRemove, {"tier-2"})})) ==
        std::vector<std::string>{"tier-1:rule"});
  CHECK(Concepts(ApplyManualDecisions(
            automatic, {Manual(Action::kAdd, {"tier-3"}), Manual(Action::kRemove, {"tier-3"})})) ==
        std::vector<std::string>{"tier-1:rule", "tier-2:rule"});
  CHECK(Concepts(ApplyManualDecisions(
            automatic, {Manual(Action::kRemove, {"tier-1"}), Manual(Action::kAdd, {"tier-1"})})) ==
        std::vector<std::string>{"tier-2:rule", "tier-1:manual"});
  CHECK(Concepts(ApplyManualDecisions(automatic, {Manual(Action::kRemove, {"absent"})})) ==
        std::vector<std::string>{"tier-1:rule", "tier-2:rule"});
}

TEST_CASE(
    "ApplyManualDecisions set keeps exactly the reviewed set and later decisions apply on "
    "top",
    "[annotate]") {
  const std::vector<Tag> automatic = {RuleTag("tier-1", 0.7), RuleTag("tier-2", 0.4)};
  auto set = Manual(Action::kSet, {"tier-2", "csrsv"}, "reviewed");
  auto tags = ApplyManualDecisions(automatic, {Manual(Action::kAdd, {"tier-3"}), set});
  REQUIRE(Concepts(tags) == std::vector<std::string>{"tier-2:manual", "csrsv:manual"});
  CHECK(tags[0].evidence == std::vector<std::string>{"reviewed"});

  CHECK(Concepts(ApplyManualDecisions(automatic, {set, Manual(Action::kAdd, {"tier-1"}),
                                                  Manual(Action::kRemove, {"tier-2"})})) ==
        std::vector<std::string>{"csrsv:manual", "tier-1:manual"});
  CHECK(ApplyManualDecisions(automatic, {Manual(Action::kSet, {})}).empty());
  CHECK(Concepts(ApplyManualDecisions(
            automatic, {Manual(Action::kSet, {}), Manual(Action::kSet, {"tier-1", "tier-1"})})) ==
        std::vector<std::string>{"tier-1:manual"});
}

TEST_CASE("ApplyManualDecisions skips orphaned decisions", "[annotate]") {
  const std::vector<Tag> automatic = {RuleTag("tier-1", 0.7)};
  auto orphan_set = Manual(Action::kSet, {});
  orphan_set.orphan = true;
  auto orphan_add = Manual(Action::kAdd, {"tier-3"});
  orphan_add.orphan = true;
  CHECK(Concepts(ApplyManualDecisions(automatic, {orphan_set, orphan_add})) ==
        std::vector<std::string>{"tier-1:rule"});
}

// ------------------------------------------------------------------------------------------
// Concurrency

constexpr int kWriters = 4;
constexpr int kRecordsEach = 50;

Annotation Numbered(int writer, int n) {
  Annotation a;
  a.action = Action::kAdd;
  a.concepts = {"c-" + std::to_string(n)};
  a.anchor.passage_id = "d#p-" + std::to_string(n);
  a.anchor.doc_id = "d";
  a.anchor.quote.exact = "text";
  a.by = "writer-" + std::to_string(writer);
  return a;
}

void CheckEveryRecordPresent(const std::filesystem::path& file) {
  auto store = OpenOrFail(file);
  auto all = ValueOrFail(store->All());
  CHECK(all.size() == static_cast<size_t>(kWriters * kRecordsEach));
  std::set<std::string> seen;
  std::set<int64_t> ids;
  for (const auto& a : all) {
    seen.insert(a.by + "/" + a.concepts.at(0));
    ids.insert(a.id);
  }
  CHECK(seen.size() == static_cast<size_t>(kWriters * kRecordsEach));
  CHECK(ids.size() == all.size());
}

TEST_CASE("Stores in several threads writing to one new file lose no record", "[annotate]") {
  TempDir dir;
  const auto file = dir.path() / "shared.sqlite";
  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      ++ready;
      while (ready.load() < kWriters) std::this_thread::yield();
      auto store = AnnotationStore::Open(file);  // all open a brand-new file at once
      if (!store.ok()) {
        failures += kRecordsEach;
        return;
      }
      for (int n = 0; n < kRecordsEach; ++n) {
        if (!(*store)->Record(Numbered(w, n)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures.load() == 0);
  CheckEveryRecordPresent(file);
}

TEST_CASE("Separate processes writing to one store lose no record", "[annotate]") {
  TempDir dir;
  const auto file = dir.path() / "shared.sqlite";
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int failed = 0;
      {
        auto store = AnnotationStore::Open(file);
        if (!store.ok()) ::_exit(2);
        for (int n = 0; n < kRecordsEach; ++n) {
          if (!(*store)->Record(Numbered(w, n)).ok()) ++failed;
        }
      }
      ::_exit(failed == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CheckEveryRecordPresent(file);
}

}  // namespace
}  // namespace pillar
