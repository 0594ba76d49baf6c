// Issue 14, case 2 and the signal handling of case 4: real `pillar` processes, real signals,
// real lock waits.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "indexer/annotate/annotation_store.h"
#include "indexer/index/index_writer.h"
#include "indexer/index/layout.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

// A `pillar` process whose standard error is a pipe the test reads, and whose standard
// output goes to a file.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& stdout_file) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      int out = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      std::vector<char*> argv;
      std::string binary = PillarBinary();
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (std::string& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    err_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (err_ >= 0) ::close(err_);
  }

  // Reads standard error until it contains `text` (true), or the process closes it or
  // writes nothing for a minute (false: a guard against hanging, not a measurement).
  bool WaitForStderr(const std::string& text) {
    char buf[4096];
    while (stderr_.find(text) == std::string::npos) {
      pollfd readable{err_, POLLIN, 0};
      if (::poll(&readable, 1, 60 * 1000) <= 0) return false;
      ssize_t n = ::read(err_, buf, sizeof(buf));
      if (n <= 0) return false;
      stderr_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  void Signal(int sig) { REQUIRE(::kill(pid_, sig) == 0); }

  // Waits for the process and returns its wait status; the rest of stderr is in stderr().
  int Wait() {
    WaitForStderr(std::string(1, '\0'));  // reads to the end
    int status = 0;
    REQUIRE(::waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return status;
  }

  const std::string& stderr_text() const { return stderr_; }

 private:
  pid_t pid_ = -1;
  int err_ = -1;
  std::string stderr_;
};

// `files` text files of 400 numbered paragraphs each under dir/in: enough that an indexing
// run is still going when a test signals it.
void WriteCorpus(const TempDir& dir, int files, const std::string& word = "district") {
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text += std::to_string(i + 1) + ". Patrols and community alert networks protect civilians in " +
            word + " " + std::to_string(i) + ", with local mediation.\n\n";
  }
  for (int f = 0; f < files; ++f) dir.Write("in/doc" + std::to_string(1000 + f) + ".txt", text);
}

// Waits (polling the disk) until `written()` or about 20 s.
void WaitUntil(const std::function<bool()>& written) {
  for (int i = 0; i < 8000 && !written(); ++i) ::usleep(2500);
}

size_t DocCount(const fs::path& index) {
  return RunPillarJson("docs --json --index " + ShellQuote(index.string())).size();
}

size_t PassageCount(const fs::path& index) {
  return RunPillarJson("search '' --json -n 0 --index " + ShellQuote(index.string()))["total"];
}

// The number in "the N files indexed above" of the interrupted message.
size_t CommittedFiles(const std::string& stderr_text) {
  std::smatch m;
  REQUIRE(std::regex_search(stderr_text, m, std::regex("the (\\d+) files indexed above")));
  return std::stoul(m[1]);
}

TEST_CASE(
    "SIGINT stops a first pillar index, keeps what it committed, exits 130 and a rerun "
    "finishes",
    "[cli][signal][crash]") {
  TempDir dir;
  WriteCorpus(dir, 200);
  fs::path index = dir.path() / "idx";
  Child run({"index", (dir.path() / "in").string(), "--index", index.string(), "-j", "1"},
            dir.path() / "out.txt");
  // As soon as the bulk build has written its first segment to disk.
  WaitUntil([&] { return fs::exists(index / "staging" / "shard-0-0" / "termlist.glass"); });
  run.Signal(SIGINT);
  int status = run.Wait();
  INFO(run.stderr_text());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_THAT(run.stderr_text(), Catch::Contains("interrupted by SIGINT"));
  CHECK_THAT(run.stderr_text(), Catch::Contains("run the same command again"));
  size_t committed = CommittedFiles(run.stderr_text());
  CHECK(committed < 200);
  // The index opens and holds exactly the files the message names, whole.
  CHECK_FALSE(fs::exists(index / "staging"));
  CHECK(DocCount(index) == committed);
  CHECK(PassageCount(index) == committed * 400);
  // The rerun does the rest.
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + ShellQuote(index.string()) + " -q",
                     &out) == 0);
  CHECK_THAT(out, Catch::Contains(std::to_string(200 - committed) + " indexed, " +
                                  std::to_string(committed) + " unchanged"));
  CHECK(DocCount(index) == 200);
  CHECK(PassageCount(index) == 200 * 400);
}

TEST_CASE("SIGTERM during a re-index commits whole documents and exits 143",
          "[cli][signal][crash]") {
  TempDir dir;
  dir.Write("in/first.txt", "1. The first document, about protective presence.\n");
  fs::path index = dir.path() / "idx";
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + ShellQuote(index.string()),
                     &out) == 0);
  Xapian::rev before = Xapian::Database(XapianPath(index).string()).get_revision();
  WriteCorpus(dir, 60);  // fewer new files than a bulk append needs: written in batches
  Child run({"index", (dir.path() / "in").string(), "--index", index.string(), "-j", "1",
             "--commit-every", "1"},
            dir.path() / "out.txt");
  // As soon as the first batch is committed.
  WaitUntil([&] {
    try {
      return Xapian::Database(XapianPath(index).string()).get_revision() > before;
    } catch (const Xapian::Error&) {
      return false;
    }
  });
  run.Signal(SIGTERM);
  int status = run.Wait();
  INFO(run.stderr_text());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 143);
  CHECK_THAT(run.stderr_text(), Catch::Contains("interrupted by SIGTERM"));
  size_t committed = CommittedFiles(run.stderr_text());
  CHECK(committed > 0);
  CHECK(committed < 60);
  CHECK(DocCount(index) == committed + 1);
  CHECK(PassageCount(index) == committed * 400 + 1);
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + ShellQuote(index.string()) + " -q",
                     &out) == 0);
  CHECK(DocCount(index) == 61);
  CHECK(PassageCount(index) == 60 * 400 + 1);
}

TEST_CASE("A second SIGINT ends pillar index at once and the next run still finishes",
          "[cli][signal][crash]") {
  TempDir dir;
  WriteCorpus(dir, 200);
  fs::path index = dir.path() / "idx";
  Child run({"index", (dir.path() / "in").string(), "--index", index.string(), "-j", "1"},
            dir.path() / "out.txt");
  WaitUntil([&] { return fs::exists(index / "staging" / "shard-0-0" / "termlist.glass"); });
  run.Signal(SIGINT);
  // The same signal sent twice before it is handled arrives once: send the second after the
  // first was seen.
  REQUIRE(run.WaitForStderr("again to stop at once"));
  run.Signal(SIGINT);
  int status = run.Wait();
  INFO(run.stderr_text());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_THAT(run.stderr_text(), Catch::Contains("interrupted again: exiting at once"));
  // The shards it was writing are not left behind for the next run to find (issue 17).
  CHECK_FALSE(fs::exists(index / "staging"));
  CHECK(fs::exists(index / "xapian"));
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + ShellQuote(index.string()) + " -q",
                     &out) == 0);
  CHECK(DocCount(index) == 200);
  CHECK(PassageCount(index) == 200 * 400);
  CHECK_FALSE(fs::exists(index / "staging"));
}

// Indexes dir/in into dir/idx and returns the index folder.
fs::path IndexIn(const TempDir& dir) {
  fs::path index = dir.path() / "idx";
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + ShellQuote(index.string()),
                     &out) == 0);
  return index;
}

TEST_CASE(
    "SIGINT while pillar tag waits for the index's write lock records nothing and exits "
    "130",
    "[cli][signal][tag]") {
  TempDir dir;
  dir.Write("in/a.txt", "1. Protective presence in the camps.\n");
  fs::path index = IndexIn(dir);
  {
    Xapian::WritableDatabase writer(XapianPath(index).string(), Xapian::DB_OPEN);  // the lock
    Child tag({"tag", "a#para-1", "--add", "ucp-presence", "--index", index.string()},
              dir.path() / "out.txt");
    // The lock's holder (this test process) is named, not just waited for silently.
    REQUIRE(tag.WaitForStderr("waiting for the index lock held by pid " +
                              std::to_string(::getpid()) + " ("));
    tag.Signal(SIGINT);
    int status = tag.Wait();
    INFO(tag.stderr_text());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    CHECK_THAT(tag.stderr_text(), Catch::Contains("nothing was recorded"));
  }
  CHECK(RunPillarJson("annotations --json --index " + ShellQuote(index.string())).empty());
}

TEST_CASE(
    "pillar tag waiting while pillar index re-indexes the edited document keeps the new "
    "text and the tag",
    "[cli][tag][crash]") {
  TempDir dir;
  dir.Write("in/a.txt",
            "1. Old wording about protective presence in the camps.\n\n"
            "2. Second paragraph on early warning.\n");
  fs::path index = IndexIn(dir);
  dir.Write("in/a.txt",
            "1. Revised wording about protective presence near the river.\n\n"
            "2. Second paragraph on early warning.\n");

  // Re-index the edited document. While this run holds the index's write lock (its file
  // callback runs before it commits), `pillar tag` starts on the same passage and waits.
  std::unique_ptr<Child> tag;
  IndexOptions options;
  options.index_dir = index;
  Result<IndexSummary> run = IndexPaths({dir.path() / "in"}, options, [&](const FileReport& r) {
    if (r.outcome != FileOutcome::kIndexed || tag) return;
    tag = std::make_unique<Child>(
        std::vector<std::string>{"tag", "a#para-1", "--add", "ucp-accompaniment", "--note",
                                 "checked against the revision", "--index", index.string()},
        dir.path() / "tag.txt");
    REQUIRE(tag->WaitForStderr("waiting for the index lock held by pid"));
  });
  REQUIRE(run.ok());
  REQUIRE(run->indexed == 1);
  REQUIRE(tag);
  int status = tag->Wait();
  INFO(tag->stderr_text());
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);

  std::string quoted = ShellQuote(index.string());
  // search, show and export all give the new text...
  json hits = RunPillarJson("search river --json --index " + quoted)["hits"];
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["text"].get<std::string>().find("Revised wording") != std::string::npos);
  json shown = RunPillarJson("show 'a#para-1' --json --index " + quoted);
  CHECK(shown.dump().find("Revised wording") != std::string::npos);
  CHECK(shown.dump().find("Old wording") == std::string::npos);
  std::string exported;
  REQUIRE(RunCommand(PillarBinary() + " export --index " + quoted, &exported) == 0);
  CHECK_THAT(exported, Catch::Contains("Revised wording"));
  CHECK_THAT(exported, !Catch::Contains("Old wording"));
  CHECK(RunPillarJson("search camps --json --index " + quoted)["total"] == 0);
  // ...and the tag is kept, in the index and in the store, anchored to the new text.
  json tagged = RunPillarJson("search '' --pillar ucp-accompaniment --json --index " + quoted);
  REQUIRE(tagged["total"] == 1);
  CHECK(tagged["hits"][0]["passage_id"] == "a#para-1");
  json notes = RunPillarJson("annotations --json --index " + quoted);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].dump().find("Revised wording") != std::string::npos);
  // A later run changes nothing and keeps it.
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + quoted,
                     &out) == 0);
  CHECK(RunPillarJson("search '' --pillar ucp-accompaniment --json --index " + quoted)["total"] ==
        1);
}

}  // namespace
}  // namespace pillar
