// Issue 14, cases 4 and 17: an index folder that a first build left before its first commit
// (or before it wrote its schema) is rebuilt by the next run and reported plainly by readers.
// And what tools/killloop found: a manual decision recorded by a `pillar tag` killed before it
// updated the index is applied by the next run.

#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "indexer/annotate/annotation_store.h"
#include "indexer/index/index_writer.h"
#include "indexer/index/layout.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

// What `kill -9` leaves when it lands while Xapian creates the database of a first build:
// the lock file, empty tables and the revision file still under its temporary name (it is
// renamed to "iamglass" as the last step of the first commit). Made with Xapian itself.
void LeaveUncommittedFirstBuild(const fs::path& index_dir) {
  fs::path xapian_dir = XapianPath(index_dir);
  fs::create_directories(index_dir);
  { Xapian::WritableDatabase created(xapian_dir.string(), Xapian::DB_CREATE_OR_OPEN); }
  fs::rename(xapian_dir / "iamglass", xapian_dir / "v.tmp");
  for (const char* table : {"postlist.glass", "termlist.glass"}) {
    std::ofstream(xapian_dir / table, std::ios::trunc);
  }
  REQUIRE_FALSE(HasCommittedRevision(xapian_dir));
}

size_t Count(const fs::path& index_dir, const std::string& query) {
  auto searcher = Searcher::Open(index_dir);
  REQUIRE(searcher.ok());
  SearchRequest request;
  request.query = query;
  request.limit = 0;
  auto result = (*searcher)->Search(request);
  REQUIRE(result.ok());
  return result->total;
}

size_t Passages(const fs::path& index_dir) {
  auto searcher = Searcher::Open(index_dir);
  REQUIRE(searcher.ok());
  return (*searcher)->passage_count();
}

TEST_CASE(
    "An index folder a first build left without a committed revision is rebuilt by the "
    "next run with a note",
    "[index][crash]") {
  TempDir dir;
  dir.Write("in/a.txt", "1. Protective presence in the camps.\n\n2. Early warning.\n");
  fs::path index = dir.path() / "idx";
  LeaveUncommittedFirstBuild(index);
  // Xapian alone cannot open it: before the fix every later run failed the same way.
  CHECK_THROWS_AS(Xapian::WritableDatabase(XapianPath(index).string(), Xapian::DB_CREATE_OR_OPEN),
                  Xapian::DatabaseError);

  IndexOptions options;
  options.index_dir = index;
  Result<IndexSummary> run = IndexPaths({dir.path() / "in"}, options);
  REQUIRE(run.ok());
  CHECK(run->indexed == 1);
  REQUIRE(run->warnings.size() == 1);
  CHECK_THAT(run->warnings[0], Catch::Contains("interrupted first build"));
  CHECK(Passages(index) == 2);
}

TEST_CASE(
    "Readers of an index without a committed revision or without its schema say it is "
    "empty or unfinished",
    "[index][crash]") {
  TempDir dir;
  fs::path no_revision = dir.path() / "no-revision";
  LeaveUncommittedFirstBuild(no_revision);
  fs::path no_schema = dir.path() / "no-schema";
  {
    // Killed after Xapian's first commit, before the schema's: a revision, no metadata.
    fs::create_directories(no_schema);
    Xapian::WritableDatabase db(XapianPath(no_schema).string(), Xapian::DB_CREATE_OR_OPEN);
    db.commit();
  }
  for (const fs::path& index : {no_revision, no_schema}) {
    INFO(index);
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(index);
    REQUIRE_FALSE(searcher.ok());
    CHECK(searcher.status().code() == Status::Code::kNotFound);
    CHECK_THAT(searcher.status().message(), Catch::Contains("empty or unfinished"));
    CHECK_THAT(searcher.status().message(), !Catch::Contains("schema version"));

    std::string out;
    CHECK(RunCommand(PillarBinary() + " search protection --index " + ShellQuote(index.string()),
                     &out, /*merge_stderr=*/true) == 2);
    CHECK_THAT(out, Catch::Contains("the index is empty or unfinished"));
    CHECK_THAT(out, Catch::Contains("run `pillar index"));
  }
  // And `pillar index` builds both.
  dir.Write("in/a.txt", "1. Protective presence in the camps.\n");
  for (const fs::path& index : {no_revision, no_schema}) {
    std::string out;
    REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                           " --index " + ShellQuote(index.string()),
                       &out) == 0);
    CHECK(Passages(index) == 1);
  }
}

// The passage's tags as the index has them: "concept:source" each.
std::vector<std::string> IndexedTags(const fs::path& index, const std::string& passage_id) {
  auto searcher = Searcher::Open(index);
  REQUIRE(searcher.ok());
  Result<Passage> p = (*searcher)->GetPassage(passage_id);
  REQUIRE(p.ok());
  std::vector<std::string> out;
  for (const Tag& t : p->tags) {
    out.push_back(t.concept_id + ":" + t.source);
  }
  return out;
}

TEST_CASE(
    "A manual tag recorded by a pillar tag killed before it updated the index is applied "
    "by the next index run",
    "[index][crash][annotate]") {
  TempDir dir;
  dir.Write("in/a.txt", "1. Protective presence in the camps.\n\n2. Early warning networks.\n");
  fs::path index = dir.path() / "idx";
  IndexOptions options;
  options.index_dir = index;
  REQUIRE(IndexPaths({dir.path() / "in"}, options).ok());
  Xapian::rev before = Xapian::Database(XapianPath(index).string()).get_revision();

  // What the kill leaves: the decision in the store (written first), the index as it was.
  {
    auto searcher = Searcher::Open(index);
    REQUIRE(searcher.ok());
    Result<Passage> passage = (*searcher)->GetPassage("a#para-2");
    REQUIRE(passage.ok());
    Result<std::string> text = (*searcher)->GetDocumentText("a");
    REQUIRE(text.ok());
    auto store = AnnotationStore::Open(AnnotationsPath(index));
    REQUIRE(store.ok());
    Annotation a;
    a.action = Annotation::Action::kAdd;
    a.concepts = {"ucp-mediation"};
    a.anchor = AnnotationStore::MakeAnchor(*passage, *text);
    a.by = "test";
    a.note = "recorded, then killed";
    REQUIRE((*store)->Record(a).ok());
  }
  auto manual = [&] {
    std::vector<std::string> tags = IndexedTags(index, "a#para-2");
    return std::count(tags.begin(), tags.end(), "ucp-mediation:manual");
  };
  REQUIRE(manual() == 0);

  // No file changed, yet the run applies the decision...
  Result<IndexSummary> run = IndexPaths({dir.path() / "in"}, options);
  REQUIRE(run.ok());
  CHECK(run->unchanged == 1);
  CHECK(manual() == 1);
  CHECK(Count(index, "pillar:ucp-mediation") == 1);
  // ...and the run after it, with nothing new, leaves the index untouched.
  Xapian::rev applied = Xapian::Database(XapianPath(index).string()).get_revision();
  CHECK(applied > before);
  REQUIRE(IndexPaths({dir.path() / "in"}, options).ok());
  CHECK(Xapian::Database(XapianPath(index).string()).get_revision() == applied);
  CHECK(manual() == 1);
}

}  // namespace
}  // namespace pillar
