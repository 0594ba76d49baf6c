// Issue 14, cases 4 and 17: an index folder that a first build left before its first commit
// (or before it wrote its schema) is rebuilt by the next run and reported plainly by readers.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include <xapian.h>

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

size_t Passages(const fs::path& index_dir) {
  auto searcher = Searcher::Open(index_dir);
  REQUIRE(searcher.ok());
  return (*searcher)->passage_count();
}

TEST_CASE("An index folder a first build left without a committed revision is rebuilt by the "
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

TEST_CASE("Readers of an index without a committed revision or without its schema say it is "
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

}  // namespace
}  // namespace pillar
