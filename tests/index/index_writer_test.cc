#include "indexer/index/index_writer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include <sys/mount.h>
#include <unistd.h>

#include <xapian.h>

#include "indexer/index/layout.h"
#include "indexer/segment/passage_id.h"
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

TEST_CASE("Re-indexing unchanged files changes nothing, an edit re-indexes only that file",
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

TEST_CASE("Bad files fail alone with a message naming them, the rest is indexed",
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

TEST_CASE("Catalog records give metadata, a changed record re-indexes the file", "[index]") {
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
  CHECK((*searcher)->GetPassage("s-res-9999-2030#" + ContentFragment("The Security Council,")).ok());
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

namespace pillar {
namespace {

// Every passage id of an index, with its terms, values and data.
std::map<std::string, std::string> Dump(const fs::path& index_dir) {
  Xapian::Database db(XapianPath(index_dir).string());
  std::map<std::string, std::string> out;
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    Xapian::Document doc = db.get_document(*p);
    std::string id, all;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      if ((*t).rfind("Q", 0) == 0) id = *t;
      all += *t + ":" + std::to_string(t.get_wdf()) + ":" +
             std::to_string(t.positionlist_count()) + " ";
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      all += "#" + std::to_string(v.get_valueno()) + "=" + *v;
    }
    out[id] = all + "|" + doc.get_data();
  }
  return out;
}

// Every (stem, word) pair of an index's synonym table, as "Zstem word".
std::set<std::string> Forms(const fs::path& index_dir) {
  Xapian::Database db(XapianPath(index_dir).string());
  std::set<std::string> out;
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
    for (auto w = db.synonyms_begin(*k); w != db.synonyms_end(*k); ++w) out.insert(*k + " " + *w);
  }
  return out;
}

TEST_CASE("An empty index is built in parallel shards and comes out as a one-writer build does",
          "[index][bulk]") {
  TempDir corpus, bulk, incremental;
  std::string filler;
  for (int i = 1; i <= 40; ++i) {
    filler += std::to_string(i) + ". Patrols and early warning networks protect civilians in "
              "district " + std::to_string(i) + ".\n\n";
  }
  for (int f = 0; f < 12; ++f) corpus.Write("in/doc" + std::to_string(f) + ".txt", filler);
  corpus.Write("in/first.md", "# Mediation\n\nLocal mediation between herders and farmers.\n");

  // An empty index: the bulk path, with two writers.
  IndexOptions two;
  two.jobs = 2;
  Run a = Index({corpus.path() / "in"}, bulk.path(), two);
  CHECK(a.summary.indexed == 13);
  // A non-empty index: the incremental path, one file first, then the rest.
  Index({corpus.path() / "in" / "first.md"}, incremental.path());
  Run b = Index({corpus.path() / "in"}, incremental.path(), two);
  CHECK(b.summary.indexed == 12);
  CHECK(b.summary.unchanged == 1);

  // Same passages, each with the same terms (wdf, positions), values and data.
  std::map<std::string, std::string> from_bulk = Dump(bulk.path());
  CHECK(from_bulk.size() == 12 * 40 + 1);
  CHECK(from_bulk == Dump(incremental.path()));
  // And the same stem forms: each stem's words, whichever writer met them.
  std::set<std::string> forms = Forms(bulk.path());
  CHECK(forms.count("Zpatrol patrols"));
  CHECK(forms.count("Zprotect protect") == 0);  // a word that is its own stem is not recorded
  CHECK(forms == Forms(incremental.path()));
  // The same again when each writer starts a new segment every 50 passages (about five
  // segments each, compacted together at the end).
  TempDir segmented;
  IndexOptions small = two;
  small.segment_passages = 50;
  Run c = Index({corpus.path() / "in"}, segmented.path(), small);
  CHECK(c.summary.indexed == 13);
  CHECK(Dump(segmented.path()) == from_bulk);
  CHECK(Forms(segmented.path()) == forms);
  // Same document records and metadata.
  auto searcher = Searcher::Open(bulk.path());
  REQUIRE(searcher.ok());
  CHECK((*searcher)->GetDocument("doc7").ok());
  CHECK(Count(bulk.path(), "mediation") == 1);
  CHECK(Count(bulk.path(), "patrols") == 12 * 40);
  // Nothing of the build is left beside the index.
  for (const auto& entry : fs::directory_iterator(bulk.path())) {
    std::string name = entry.path().filename().string();
    CHECK((name == "xapian" || name.rfind("annotations.sqlite", 0) == 0));
  }
  // The next run on the built index is incremental: nothing changed, nothing written.
  Xapian::rev rev = Revision(bulk.path());
  Run again = Index({corpus.path() / "in"}, bulk.path(), two);
  CHECK(again.summary.unchanged == 13);
  CHECK(Revision(bulk.path()) == rev);
}

TEST_CASE("What a killed bulk build left behind is cleared and the build redone",
          "[index][bulk][crash]") {
  TempDir corpus, index;
  corpus.Write("in/a.txt", "1. Protective presence in the camps.\n");
  corpus.Write("in/b.txt", "1. Ceasefire monitoring along the line.\n");
  // A killed bulk run leaves an empty index, a staging folder of shards and maybe a half
  // compacted database.
  fs::create_directories(index.path() / "staging");
  {
    Xapian::WritableDatabase empty(XapianPath(index.path()).string(), Xapian::DB_CREATE_OR_OPEN);
    Xapian::WritableDatabase shard((index.path() / "staging" / "shard-0").string(),
                                   Xapian::DB_CREATE_OR_OPEN);
    Xapian::Document stray;
    stray.add_term("Qstray#p-1");
    stray.add_term("presence");
    shard.add_document(stray);
    shard.commit();
  }
  index.Write("xapian.new/junk", "half written");
  Run run = Index({corpus.path() / "in"}, index.path());
  CHECK(run.summary.indexed == 2);
  CHECK_FALSE(fs::exists(index.path() / "staging"));
  CHECK_FALSE(fs::exists(index.path() / "xapian.new"));
  CHECK(Count(index.path(), "presence") == 1);  // the stray shard document is not in it
  CHECK(Count(index.path(), "ceasefire") == 1);
}

}  // namespace
}  // namespace pillar

namespace pillar {
namespace {

TEST_CASE("A searcher opened on the empty index sees the whole bulk-built index after it",
          "[index][bulk]") {
  TempDir corpus, index;
  fs::create_directories(corpus.path() / "empty");
  Index({corpus.path() / "empty"}, index.path());  // an empty index that opens
  auto searcher = Searcher::Open(index.path());
  REQUIRE(searcher.ok());
  SearchRequest request;
  request.query = "patrols";
  auto before = (*searcher)->Search(request);
  REQUIRE(before.ok());
  CHECK(before->total == 0);

  for (int f = 0; f < 6; ++f) {
    corpus.Write("in/doc" + std::to_string(f) + ".txt",
                 "1. Night patrols near the camp.\n\n2. Patrols at the market.\n");
  }
  IndexOptions two;
  two.jobs = 2;
  Run run = Index({corpus.path() / "in"}, index.path(), two);
  REQUIRE(run.summary.indexed == 6);
  // The same open searcher reopens onto the swapped-in database: all of it, not a part.
  auto after = (*searcher)->Search(request);
  REQUIRE(after.ok());
  CHECK(after->total == 12);
  CHECK(after->doc_facet.size() == 6);
}

}  // namespace
}  // namespace pillar

namespace pillar {
namespace {

TEST_CASE("A run that at least doubles an index appends through shards and comes out as a "
          "whole build does",
          "[index][bulk]") {
  TempDir corpus, appended, whole;
  corpus.Write("in/first.md", "# Mediation\n\nLocal mediation between herders and farmers.\n");
  corpus.Write("in/gone.md", "# Old\n\nA paragraph about ceasefire monitoring.\n");
  Index({corpus.path() / "in"}, appended.path());
  auto searcher = Searcher::Open(appended.path());  // stays open across the append
  REQUIRE(searcher.ok());

  // 70 new files (>= 64 and >= the 2 indexed), one changed file, one removed file.
  for (int f = 0; f < 70; ++f) {
    corpus.Write("in/new" + std::to_string(f) + ".txt",
                 "1. Patrols in district " + std::to_string(f) + ".\n\n2. Early warning.\n");
  }
  corpus.Write("in/first.md", "# Mediation\n\nLocal mediation between herders and traders.\n");
  fs::remove(corpus.path() / "in" / "gone.md");
  IndexOptions two;
  two.jobs = 2;
  two.segment_passages = 16;  // several segments per writer
  Run run = Index({corpus.path() / "in"}, appended.path(), two);
  CHECK(run.summary.indexed == 71);
  CHECK(run.summary.removed == 1);

  Index({corpus.path() / "in"}, whole.path(), two);  // the same files into an empty index
  std::map<std::string, std::string> from_append = Dump(appended.path());
  CHECK(from_append.size() == 70 * 2 + 1);
  CHECK(from_append == Dump(whole.path()));
  // Every stem form of the whole build is there. (Forms of words no passage holds any more,
  // "farmers" here, stay in the synonym table: a stem query looks them up and finds nothing.)
  std::set<std::string> appended_forms = Forms(appended.path()), whole_forms = Forms(whole.path());
  CHECK(whole_forms.count("Zpatrol patrols"));
  CHECK(std::includes(appended_forms.begin(), appended_forms.end(), whole_forms.begin(),
                      whole_forms.end()));
  CHECK(Count(appended.path(), "traders") == 1);
  CHECK(Count(appended.path(), "farmers") == 0);
  CHECK(Count(appended.path(), "ceasefire") == 0);
  for (const auto& entry : fs::directory_iterator(appended.path())) {
    std::string name = entry.path().filename().string();
    CHECK((name == "xapian" || name.rfind("annotations.sqlite", 0) == 0));
  }
  // The searcher opened before the append reopens onto the whole result.
  SearchRequest request;
  request.query = "patrols";
  auto after = (*searcher)->Search(request);
  REQUIRE(after.ok());
  CHECK(after->total == 70);
  // And the next run is incremental and changes nothing.
  Xapian::rev rev = Revision(appended.path());
  Run again = Index({corpus.path() / "in"}, appended.path(), two);
  CHECK(again.summary.unchanged == 71);
  CHECK(Revision(appended.path()) == rev);
}

// A tmpfs of a few megabytes mounted at `dir` for the life of the object: a real disk that
// fills up. Mounting needs root (and a kernel that lets this process mount); mounted() says
// whether it worked.
class SmallDisk {
 public:
  SmallDisk(const fs::path& dir, int megabytes) : dir_(dir) {
    fs::create_directories(dir_);
    mounted_ = ::geteuid() == 0 && ::mount("tmpfs", dir_.c_str(), "tmpfs", 0,
                                           Size(megabytes).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  // Gives the disk room again, keeping what is on it.
  bool Grow(int megabytes) {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, Size(megabytes).c_str()) == 0;
  }

 private:
  static std::string Size(int megabytes) { return "size=" + std::to_string(megabytes) + "m"; }
  fs::path dir_;
  bool mounted_ = false;
};

TEST_CASE("A bulk append that runs out of disk space fails, keeps the index as it was, and the "
          "next run completes it",
          "[index][bulk][bad-input]") {
  TempDir corpus, scratch;
  SmallDisk disk(scratch.path() / "disk", 6);
  if (!disk.mounted()) {
    WARN("not run: mounting a 6 MB tmpfs needs root");
    return;
  }
  const fs::path index = scratch.path() / "disk" / "idx";
  corpus.Write("in/first.md", "# Mediation\n\nLocal mediation between herders and farmers.\n");
  corpus.Write("in/second.md", "# Presence\n\nProtective presence at the water point.\n");
  Run first = Index({corpus.path() / "in"}, index);
  REQUIRE(first.summary.indexed == 2);

  // 100 new files (1.6 MB of text) double the index, so they go to segments on the same
  // disk, whose few megabytes their passages outgrow.
  std::string filler;
  for (int i = 1; i <= 60; ++i) {
    filler += std::to_string(i) + ". Patrols and early warning networks protect civilians in "
              "the district, and community alert networks report threats to the base.\n\n";
  }
  for (int f = 0; f < 100; ++f) corpus.Write("in/new" + std::to_string(f) + ".txt", filler);
  IndexOptions two;
  two.index_dir = index;
  two.jobs = 2;
  Result<IndexSummary> full = IndexPaths({corpus.path() / "in"}, two);
  REQUIRE_FALSE(full.ok());
  // The message names the folder and says why.
  const std::string& why = full.status().message();
  CHECK_THAT(why, Catch::Contains(index.string()) && Catch::Contains("No space left"));

  // The index is as it was: both documents, nothing of the new files, nothing left beside it.
  CHECK(Count(index, "mediation") == 1);
  CHECK(Count(index, "presence") == 1);
  CHECK(Count(index, "patrols") == 0);
  CHECK_FALSE(fs::exists(index / "staging"));
  CHECK_FALSE(fs::exists(index / "xapian.new"));

  // With room again, the next run indexes the new files and keeps the old ones.
  REQUIRE(disk.Grow(256));
  Run again = Index({corpus.path() / "in"}, index, two);
  CHECK(again.summary.indexed == 100);
  CHECK(again.summary.unchanged == 2);
  CHECK(Count(index, "patrols") == 100 * 60);
  CHECK(Count(index, "mediation") == 1);
}

}  // namespace
}  // namespace pillar
