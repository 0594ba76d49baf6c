// Whole-command tests: the built `pillar` binary on real files.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::ShellQuote;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::SourceDir;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

int Pillar(const std::string& args, std::string* out, bool merge_stderr = false) {
  return RunCommand(PillarBinary() + " " + args, out, merge_stderr);
}

TEST_CASE("pillar index then search --json returns every DESIGN field", "[cli][e2e]") {
  TempDir dir;
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(Pillar("index " + ShellQuote((SourceDir() / "corpus/sample").string()) + " --index " +
                     index + " --quiet",
                 &out) == 0);
  REQUIRE(Pillar("search 'early warning' --json --index " + index, &out) == 0);
  json j = json::parse(out);
  CHECK(j["query"] == "early warning");
  CHECK(j["total"].get<int>() > 5);
  REQUIRE(j["hits"].size() == 10);
  for (const json& h : j["hits"]) {
    for (const char* field : {"passage_id", "doc_id", "title", "locator", "page", "section",
                              "score", "pillars", "snippet", "text", "highlights"}) {
      INFO(field);
      CHECK(h.contains(field));
    }
    CHECK(h["passage_id"].get<std::string>().rfind(h["doc_id"].get<std::string>() + "#", 0) == 0);
    CHECK(!h["title"].is_null());
    CHECK(h["pillars"].is_array());
    for (const json& s : h["highlights"]) {
      std::string text = h["text"];
      std::string word = text.substr(s[0].get<size_t>(), s[1].get<size_t>() - s[0].get<size_t>());
      CHECK((word.size() >= 5));
    }
  }
  // Across the top hits the source's locators, sections and pillars show up.
  bool locator = false, section = false;
  for (const json& h : j["hits"]) {
    locator = locator || !h["locator"].is_null();
    section = section || !h["section"].is_null();
  }
  CHECK(locator);
  CHECK(section);
  CHECK(j["facets"]["doc"].is_object());
  CHECK(j["facets"]["pillar"].is_object());
  size_t sum = 0;
  for (auto& [k, v] : j["facets"]["doc"].items()) sum += v.get<size_t>();
  CHECK(sum == j["total"].get<size_t>());

  // show and export agree with search.
  std::string id = j["hits"][0]["passage_id"];
  REQUIRE(Pillar("show " + ShellQuote(id) + " --json --index " + index, &out) == 0);
  json shown = json::parse(out);
  CHECK(shown["text"] == j["hits"][0]["text"]);
  CHECK(shown["context"]["before"].is_array());
  REQUIRE(Pillar("export --format jsonl --index " + index, &out) == 0);
  std::istringstream lines(out);
  std::string line;
  size_t count = 0;
  bool found = false;
  while (std::getline(lines, line)) {
    json p = json::parse(line);
    ++count;
    if (p["passage_id"] == id) found = true;
  }
  CHECK(found);
  REQUIRE(Pillar("docs --json --index " + index, &out) == 0);
  size_t passages = 0;
  for (const json& d : json::parse(out)) passages += d["passages"].get<size_t>();
  CHECK(count == passages);
}

TEST_CASE("pillar index reports each bad file on one line and exits 1", "[cli][bad-input]") {
  TempDir dir;
  dir.Write("in/good.txt", "1. Community early warning networks.\n");
  dir.Write("in/empty.txt", "");
  dir.Write("in/binary.md", std::string("\0\1\2\3garbage", 11));
  dir.Write("in/latin1.md", "S\xE9" "curit\xE9\n");  // .txt would go to charset detection
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string err;
  int code = RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                            " --index " + index + " 2>&1 >/dev/null",
                        &err);
  CHECK(code == 1);
  std::istringstream lines(err);
  std::string line;
  std::vector<std::string> errors;
  while (std::getline(lines, line)) errors.push_back(line);
  REQUIRE(errors.size() == 3);
  for (const std::string& e : errors) {
    CHECK(e.rfind("pillar: ", 0) == 0);
    bool names_file = e.find("empty.txt: empty file") != std::string::npos ||
                      e.find("binary.md: binary content") != std::string::npos ||
                      e.find("latin1.md: invalid UTF-8 at byte offset 1") != std::string::npos;
    CHECK(names_file);
  }
  std::string out;
  REQUIRE(Pillar("search warning --index " + index, &out) == 0);
  CHECK_THAT(out, Catch::Contains("good"));
}

TEST_CASE("pillar exits 2 on usage errors and malformed queries", "[cli][bad-input]") {
  TempDir dir;
  std::string out;
  CHECK(Pillar("frobnicate", &out, true) == 2);
  CHECK(Pillar("search", &out, true) == 2);
  CHECK(Pillar("search x --index " + ShellQuote((dir.path() / "none").string()), &out, true) == 2);
  CHECK_THAT(out, Catch::Contains("no index here"));
  dir.Write("in/a.txt", "1. Text.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  REQUIRE(Pillar("index " + ShellQuote((dir.path() / "in").string()) + " --index " + index, &out) == 0);
  CHECK(Pillar("search 'AND AND' --index " + index, &out, true) == 2);
  CHECK_THAT(out, Catch::Contains("query syntax error at column 1"));
  CHECK(Pillar("search '\"unclosed' --index " + index, &out, true) == 2);
  CHECK_THAT(out, Catch::Contains("unclosed quote"));
  CHECK(Pillar("search 'year:abc..' --index " + index, &out, true) == 2);
  CHECK_THAT(out, Catch::Contains("four-digit years"));
  CHECK(Pillar("show no-such#para-1 --index " + index, &out, true) == 2);
}

// 400 numbered paragraphs that mention "district": enough text per file that an indexing
// run of many of them is still going when a test kills it.
std::string DistrictFiller() {
  std::string filler;
  for (int i = 0; i < 400; ++i) {
    filler += std::to_string(i + 1) + ". Patrols and community alert networks protect "
              "civilians in district " + std::to_string(i) + ", with local mediation.\n\n";
  }
  return filler;
}

// Runs `pillar index IN --index INDEX -j JOBS` in a child process, SIGKILLs it as soon as
// `written()` says it has put something on disk (or after about 10 s), and returns its wait
// status.
int IndexKilledWhen(const fs::path& in, const fs::path& index, const char* jobs,
                    const std::function<bool()>& written) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int fd = ::open("/dev/null", O_WRONLY);
    ::dup2(fd, 1);
    ::execl(PillarBinary().c_str(), "pillar", "index", in.c_str(), "--index", index.c_str(),
            "-j", jobs, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 4000 && !written(); ++i) ::usleep(2500);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// Runs `pillar index IN --index INDEX --quiet` to the end and checks that the index then
// holds `docs` documents and nothing of a build is left beside it.
void IndexToTheEnd(const fs::path& in, const fs::path& index, size_t docs) {
  std::string out;
  REQUIRE(Pillar("index " + ShellQuote(in.string()) + " --index " + ShellQuote(index.string()) +
                     " --quiet",
                 &out) == 0);
  REQUIRE(Pillar("docs --json --index " + ShellQuote(index.string()), &out) == 0);
  CHECK(json::parse(out).size() == docs);
  CHECK_FALSE(fs::exists(index / "staging"));
}

// Indexes `files` new files of 400 paragraphs into an index that holds one document, kills
// the run as soon as it has written something (into the index, or into its staging shards),
// and checks that the index answers with what it had, shows nothing of the killed run, and
// that the next run completes it.
void KillDuringIndexingThenComplete(int files) {
  TempDir dir;
  dir.Write("in/first.txt", "1. The first committed document about protective presence.\n");
  fs::path index = dir.path() / "idx";
  std::string out;
  REQUIRE(Pillar("index " + ShellQuote((dir.path() / "in").string()) + " --index " +
                     ShellQuote(index.string()) + " -j 1",
                 &out) == 0);
  std::string filler = DistrictFiller();
  for (int f = 0; f < files; ++f) dir.Write("in/batch/doc" + std::to_string(f) + ".txt", filler);

  // Kill the run as soon as it has written something of the new batch to disk.
  int status = IndexKilledWhen(dir.path() / "in", index, "1", [&] {
    std::error_code ec;
    bool growing = fs::exists(index / "staging" / "shard-0-0" / "termlist.glass", ec);
    for (auto& e : fs::directory_iterator(index / "xapian", ec)) {
      if (e.path().filename().string().find("tmp") != std::string::npos ||
          fs::file_size(e.path(), ec) > 64 * 1024) {
        growing = true;
      }
    }
    return growing;
  });
  REQUIRE(WIFSIGNALED(status));  // killed mid-run, not finished

  // The index opens and answers with what was committed before.
  REQUIRE(Pillar("search presence --index " + ShellQuote(index.string()), &out) == 0);
  CHECK_THAT(out, Catch::Contains("first"));
  // Nothing of the killed run is visible: it was one uncommitted transaction, or shards not
  // yet swapped in.
  REQUIRE(Pillar("search district --index " + ShellQuote(index.string()) + " --json", &out) == 0);
  CHECK(json::parse(out)["total"] == 0);
  // The next run completes it.
  IndexToTheEnd(dir.path() / "in", index, static_cast<size_t>(files) + 1);
}

TEST_CASE("kill -9 while adding files to an index leaves the last committed index usable, "
          "the next run completes it",
          "[cli][crash]") {
  KillDuringIndexingThenComplete(60);  // under 64 new files: the one-writer path
}

TEST_CASE("kill -9 while appending to an index through shards loses only the new files, "
          "the next run completes it",
          "[cli][crash][bulk]") {
  KillDuringIndexingThenComplete(150);  // 150 new files double the index: shards
}

TEST_CASE("kill -9 during the bulk build of a new index leaves an empty index, the next run "
          "builds it",
          "[cli][crash][bulk]") {
  TempDir dir;
  std::string filler = DistrictFiller();
  for (int f = 0; f < 150; ++f) dir.Write("in/doc" + std::to_string(f) + ".txt", filler);
  fs::path index = dir.path() / "idx";

  // Kill the run as soon as the second shard holds something.
  int status = IndexKilledWhen(dir.path() / "in", index, "2", [&] {
    std::error_code ec;
    return fs::exists(index / "staging" / "shard-1-0" / "termlist.glass", ec);
  });
  REQUIRE(WIFSIGNALED(status));

  // The index opens, empty: nothing of the killed build is visible.
  std::string out;
  REQUIRE(Pillar("search district --index " + ShellQuote(index.string()) + " --json", &out) == 0);
  CHECK(json::parse(out)["total"] == 0);
  // The next run clears the leftovers and builds the whole index.
  IndexToTheEnd(dir.path() / "in", index, 150);
  REQUIRE(Pillar("search district --index " + ShellQuote(index.string()) + " --json", &out) == 0);
  CHECK(json::parse(out)["total"] == 150 * 400);
}

}  // namespace
}  // namespace pillar

namespace pillar {
namespace {

TEST_CASE("pillar search flags, similar and the text output work from the command line",
          "[cli][query]") {
  std::string index = ShellQuote(pillar::testing::SampleIndex().string());
  std::string out;
  REQUIRE(Pillar("search 'protection civilians' --per-doc 1 --limit 50 --json --index " + index,
                 &out) == 0);
  std::set<std::string> docs;
  json collapsed = json::parse(out);  // named: a loop over a temporary's member would dangle
  for (const json& h : collapsed["hits"]) {
    CHECK(docs.insert(h["doc_id"].get<std::string>()).second);  // one passage per document
  }
  CHECK(docs.size() >= 5);
  REQUIRE(Pillar("similar 'dpo-poc-policy-2023#para-12.3' --json --index " + index, &out) == 0);
  json similar = json::parse(out);
  REQUIRE(!similar["hits"].empty());
  for (const json& h : similar["hits"]) CHECK(h["passage_id"] != "dpo-poc-policy-2023#para-12.3");
  REQUIRE(Pillar("search civilians --boost-pillar un-tier-2 --limit 1 --json --index " + index,
                 &out) == 0);
  bool boosted = false;
  json top = json::parse(out);
  for (const json& t : top["hits"][0]["pillars"]) boosted |= t["id"] == "un-tier-2";
  CHECK(boosted);
  // Text output: facets after the hits, a suggestion for a misspelling, and no terminal
  // escapes when the output is a pipe.
  REQUIRE(Pillar("search 'ceasfire' --index " + index, &out) == 0);
  CHECK_THAT(out, Catch::Contains("Did you mean: ceasefire"));
  REQUIRE(Pillar("search patrols --limit 2 --index " + index, &out) == 0);
  CHECK_THAT(out, Catch::Contains("Facets (passages):"));
  CHECK_THAT(out, Catch::Contains("  pillar: "));
  CHECK(out.find('\x1b') == std::string::npos);
}

}  // namespace
}  // namespace pillar
