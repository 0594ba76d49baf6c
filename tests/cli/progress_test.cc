// Issue 17, progress: `pillar index` on a real pseudo-terminal, in a pipe, and as JSON.

#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

// `files` text files of 300 numbered paragraphs under dir/in: a run of a second or more.
void WriteCorpus(const TempDir& dir, int files) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += std::to_string(i + 1) +
            ". Unarmed protection teams accompany civilians to the market in district " +
            std::to_string(i) + " and report threats to the early warning network.\n\n";
  }
  for (int f = 0; f < files; ++f) dir.Write("in/doc" + std::to_string(1000 + f) + ".txt", text);
}

struct PtyRun {
  int exit_code = -1;
  std::string output;  // everything the program wrote to the terminal (stdout and stderr)
};

// Runs pillar with `args` on a new pseudo-terminal of 120 columns (its standard input,
// output and error) and returns what it wrote there.
PtyRun RunOnPty(const std::vector<std::string>& args) {
  int master = -1;
  winsize size{};
  size.ws_col = 120;
  size.ws_row = 40;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setenv("TERM", "xterm", 1);
    std::string binary = PillarBinary();
    std::vector<std::string> copy = args;
    std::vector<char*> argv{binary.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  PtyRun run;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(master, buf, sizeof(buf));
    if (n > 0) {
      run.output.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the program has exited and closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

const std::string kErase = "\r\033[K";

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_CASE(
    "pillar index on a terminal draws a live progress line with files MB and the merge phase "
    "and erases it",
    "[cli][progress]") {
  TempDir dir;
  WriteCorpus(dir, 40);
  fs::path index = dir.path() / "idx";
  PtyRun run = RunOnPty({"index", (dir.path() / "in").string(), "--index", index.string(),
                         "-j", "1"});
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  // Drawn from the start (0 of 40 files), in place, with sizes; then the bulk build's merge.
  CHECK_THAT(run.output, Catch::Contains(kErase + "indexing  0/40 files  0.0/"));
  CHECK_THAT(run.output, Catch::Contains(" MB"));
  CHECK_THAT(run.output, Catch::Contains(kErase + "merging the index"));
  // Erased before anything else is printed: every per-file line and the summary start on a
  // clean line, and no drawing is left after the summary.
  CHECK(Count(run.output, "indexed   ") == 40);
  for (size_t at = run.output.find("indexed   "); at != std::string::npos;
       at = run.output.find("indexed   ", at + 1)) {
    bool clean = run.output[at - 1] == '\n' ||
                 run.output.compare(at - kErase.size(), kErase.size(), kErase) == 0;
    CHECK(clean);
  }
  size_t summary = run.output.find("40 indexed, 0 unchanged");
  REQUIRE(summary != std::string::npos);
  CHECK(run.output.compare(summary - kErase.size(), kErase.size(), kErase) == 0);
  CHECK(run.output.find("\033[", summary) == std::string::npos);
  // No drawn line is wider than the terminal (a wrapped line cannot be redrawn in place).
  std::stringstream lines(run.output);
  for (std::string line; std::getline(lines, line, '\r');) CHECK(line.size() <= 120 + 3);
}

TEST_CASE("pillar index --progress=none or --quiet on a terminal draws nothing",
          "[cli][progress]") {
  TempDir dir;
  WriteCorpus(dir, 3);
  for (const char* flag : {"--progress=none", "--quiet"}) {
    PtyRun run = RunOnPty({"index", (dir.path() / "in").string(), "--index",
                           (dir.path() / (std::string("idx") + flag)).string(), flag});
    INFO(flag << "\n" << run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.output.find("\033[") == std::string::npos);
    CHECK(run.output.find("indexing  ") == std::string::npos);
  }
}

TEST_CASE("pillar index in a pipe shows no progress unless asked with --progress=json",
          "[cli][progress]") {
  TempDir dir;
  WriteCorpus(dir, 12);
  const std::string in = ShellQuote((dir.path() / "in").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + in + " --index " +
                         ShellQuote((dir.path() / "a").string()) + " 2>&1 | cat",
                     &out) == 0);
  CHECK(out.find("\033[") == std::string::npos);
  CHECK(out.find("indexing  ") == std::string::npos);
  CHECK(out.find("\"phase\"") == std::string::npos);

  // JSON on standard error, one object per line; standard output keeps its lines.
  REQUIRE(RunCommand(PillarBinary() + " index -q " + in + " --index " +
                         ShellQuote((dir.path() / "b").string()) +
                         " --progress=json 2>&1 >/dev/null | cat",
                     &out) == 0);
  INFO(out);
  std::vector<nlohmann::json> events;
  std::stringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    REQUIRE_NOTHROW(events.push_back(nlohmann::json::parse(line)));
  }
  REQUIRE(events.size() >= 3);
  const nlohmann::json& first = events.front();
  CHECK(first["phase"] == "reading");
  CHECK(first["files"] == 0);
  CHECK(first["total"] == 12);
  uint64_t total_bytes = first["total_bytes"];
  CHECK(total_bytes == 12 * fs::file_size(dir.path() / "in" / "doc1000.txt"));
  bool merged = false;
  double elapsed = 0;
  for (const nlohmann::json& e : events) {
    for (const char* key : {"phase", "files", "total", "bytes", "total_bytes", "elapsed"}) {
      CHECK(e.contains(key));
    }
    merged = merged || e["phase"] == "merging";
    CHECK(e["elapsed"].get<double>() >= elapsed);  // in order
    elapsed = e["elapsed"];
  }
  CHECK(merged);
  const nlohmann::json& last = events.back();
  CHECK(last["phase"] == "done");
  CHECK(last["files"] == 12);
  CHECK(last["bytes"] == total_bytes);
}

TEST_CASE("pillar index --progress with an unknown mode is a usage error", "[cli][progress]") {
  TempDir dir;
  WriteCorpus(dir, 1);
  std::string out;
  CHECK(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                       " --index " + ShellQuote((dir.path() / "idx").string()) +
                       " --progress=sometimes",
                   &out, true) == 2);
  CHECK_FALSE(fs::exists(dir.path() / "idx"));
}

}  // namespace
}  // namespace pillar
