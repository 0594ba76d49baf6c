#include "indexer/index/index_writer.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include <xapian.h>

#include "indexer/index/layout.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::TempDir;
namespace fs = std::filesystem;

struct Run {
  IndexSummary summary;
  std::vector<FileReport> files;
};

Run Index(const std::vector<fs::path>& paths, const fs::path& index_dir,
          IndexOptions options = {}) {
  options.index_dir = index_dir;
  Run run;
  Result<IndexSummary> s = IndexPaths(paths, options, [&](const FileReport& r) {
    run.files.push_back(r);
  });
  REQUIRE(s.ok());
  run.summary = *s;
  return run;
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

Xapian::rev Revision(const fs::path& index_dir) {
  return Xapian::Database(XapianPath(index_dir).string()).get_revision();
}

TEST_CASE("Re-indexing unchanged files changes nothing; an edit re-indexes only that file",
          "[index]") {
  TempDir corpus, index;
  corpus.Write("docs/a.txt", "1. Patrols deter attacks on civilians.\n\n2. Night patrols too.\n");
  corpus.Write("docs/b.md", "# Early warning\n\nCommunity alert networks warn villages.\n");
  corpus.Write("docs/c.txt", "1. The budget is adopted.\n");
  Run first = Index({corpus.path() / "docs"}, index.path());
  CHECK(first.summary.indexed == 3);
  CHECK(first.summary.passages == 4);
  CHECK(Count(index.path(), "patrols") == 2);
  Xapian::rev rev = Revision(index.path());

  Run again = Index({corpus.path() / "docs"}, index.path());
  CHECK(again.summary.unchanged == 3);
  CHECK(again.summary.indexed == 0);
  CHECK(Revision(index.path()) == rev);

  corpus.Write("docs/b.md", "# Early warning\n\nRadio relays carry alerts to focal points.\n");
  Run edited = Index({corpus.path() / "docs"}, index.path());
  CHECK(edited.summary.indexed == 1);
  CHECK(edited.summary.unchanged == 2);
  CHECK(Count(index.path(), "villages") == 0);
  CHECK(Count(index.path(), "radio") == 1);

  fs::remove(corpus.path() / "docs/a.txt");
  Run removed = Index({corpus.path() / "docs"}, index.path());
  CHECK(removed.summary.removed == 1);
  CHECK(Count(index.path(), "patrols") == 0);
  auto searcher = Searcher::Open(index.path());
  REQUIRE(searcher.ok());
  CHECK((*searcher)->passage_count() == 2);
  CHECK((*searcher)->Documents()->size() == 2);
}

TEST_CASE("Bad files fail alone with a message naming them; the rest is indexed",
          "[index][bad-input]") {
  TempDir corpus, index;
  corpus.Write("good.txt", "1. Protective presence deters violence.\n");
  corpus.Write("empty.txt", "");
  corpus.Write("binary.html", std::string("\x7f" "ELF\0\0\0\x01\x02", 9));
  corpus.Write("latin1.md", "S\xE9" "curit\xE9\n");
  fs::create_symlink(corpus.path() / "missing.txt", corpus.path() / "dangling.txt");
  Run run = Index({corpus.path()}, index.path());
  CHECK(run.summary.indexed == 1);
  CHECK(run.summary.failed == 4);
  std::map<std::string, std::string> failures;
  for (const FileReport& r : run.files) {
    if (r.outcome == FileOutcome::kFailed) failures[fs::path(r.path).filename()] = r.message;
  }
  CHECK(failures["empty.txt"] == "empty file");
  CHECK_THAT(failures["binary.html"], Catch::Contains("binary content"));
  CHECK_THAT(failures["latin1.md"], Catch::Contains("invalid UTF-8 at byte offset 1 (line 1"));
  CHECK(failures.count("dangling.txt") == 1);
  CHECK(Count(index.path(), "presence") == 1);
}

TEST_CASE("A file that turns bad keeps what was indexed from it before", "[index][bad-input]") {
  TempDir corpus, index;
  corpus.Write("report.txt", "1. Accompaniment of human rights defenders.\n");
  Index({corpus.path()}, index.path());
  corpus.Write("report.txt", "\xFF\xFE\x00\xD8");  // UTF-16 with an unpaired surrogate
  Run run = Index({corpus.path()}, index.path());
  CHECK(run.summary.failed == 1);
  CHECK(Count(index.path(), "accompaniment") == 1);
}

TEST_CASE("Catalog records give metadata; a changed record re-indexes the file", "[index]") {
  TempDir corpus, index;
  corpus.Write("sample/res.txt", "The Security Council,\n\n1. Decides to act.\n");
  std::string catalog =
      "<catalog><document id=\"s-res-9999-2030\" file=\"sample/res.txt\">"
      "<title>Resolution 9999 (2030)</title><issuer>United Nations Security Council</issuer>"
      "<symbol>S/RES/9999 (2030)</symbol><date>2030-01-02</date><language>en</language>"
      "<type>resolution</type></document></catalog>";
  corpus.Write("catalog.xml", catalog);
  Run run = Index({corpus.path() / "sample"}, index.path());
  REQUIRE(run.summary.indexed == 1);
  auto searcher = Searcher::Open(index.path());
  auto doc = (*searcher)->GetDocument("s-res-9999-2030");
  REQUIRE(doc.ok());
  CHECK(doc->meta.symbol == "S/RES/9999 (2030)");
  auto p = (*searcher)->GetPassage("s-res-9999-2030#op-1");
  REQUIRE(p.ok());
  CHECK(p->locator == "1");
  // The enacting formula is no preambular paragraph.
  CHECK((*searcher)->GetPassage("s-res-9999-2030#p-1").ok());
  CHECK(!(*searcher)->GetPassage("s-res-9999-2030#pp-1").ok());

  corpus.Write("catalog.xml", std::string(catalog).replace(catalog.find("2030-01-02"), 10, "2030-02-03"));
  CHECK(Index({corpus.path() / "sample"}, index.path()).summary.indexed == 1);
}

TEST_CASE("A malformed catalog is reported with its line and the files are still indexed",
          "[index][bad-input]") {
  TempDir corpus, index;
  corpus.Write("sample/a.txt", "1. Text about mediation.\n");
  corpus.Write("catalog.xml", "<catalog>\n<document id=\"a\" file=\"sample/a.txt\">\n</catalog>");
  Run run = Index({corpus.path() / "sample"}, index.path());
  CHECK(run.summary.indexed == 1);
  REQUIRE(run.summary.failed == 1);
  CHECK_THAT(run.files.front().message, Catch::Contains("line 3"));
}

TEST_CASE("Two files with the same name stem get distinct document ids", "[index]") {
  TempDir corpus, index;
  corpus.Write("brief.txt", "1. Plain text brief on ceasefire monitoring.\n");
  corpus.Write("brief.md", "1. Markdown brief on ceasefire monitoring.\n");
  Run run = Index({corpus.path()}, index.path());
  CHECK(run.summary.indexed == 2);
  CHECK(Count(index.path(), "ceasefire") == 2);
  auto searcher = Searcher::Open(index.path());
  CHECK((*searcher)->GetDocument("brief").ok());
  CHECK((*searcher)->GetDocument("brief-2").ok());
  CHECK(Index({corpus.path()}, index.path()).summary.unchanged == 2);
}

TEST_CASE("Deleting the Xapian index and re-indexing rebuilds it from the files", "[index]") {
  TempDir corpus, index;
  corpus.Write("a.txt", "1. Local mediation between herders and farmers.\n");
  Index({corpus.path()}, index.path());
  fs::remove_all(XapianPath(index.path()));
  CHECK(Index({corpus.path()}, index.path()).summary.indexed == 1);
  CHECK(Count(index.path(), "mediation") == 1);
}

}  // namespace
}  // namespace pillar

namespace pillar {
namespace {

TEST_CASE("XML of another vocabulary is skipped in a folder but fails when named", "[index]") {
  pillar::testing::TempDir corpus, index;
  corpus.Write("notes.txt", "1. Ceasefire monitors reported two violations.\n");
  corpus.Write("taxonomy.xml", "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\"/>");
  IndexOptions options;
  options.index_dir = index.path();
  auto walked = IndexPaths({corpus.path()}, options);
  REQUIRE(walked.ok());
  CHECK(walked->indexed == 1);
  CHECK(walked->skipped == 1);
  CHECK(walked->failed == 0);
  auto named = IndexPaths({corpus.path() / "taxonomy.xml"}, options);
  REQUIRE(named.ok());
  CHECK(named->failed == 1);
}

}  // namespace
}  // namespace pillar
