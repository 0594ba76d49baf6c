// pillar index --watch: a real watcher process follows files edited, added and deleted under
// the folder, sleeps while nothing changes, and stops cleanly on SIGTERM and SIGINT.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

// Generous: the machine running the tests may be busy. The test waits only as long as it
// takes; the limit only decides when to give up.
constexpr auto kPatience = std::chrono::seconds(60);

// The watcher, started in its own process; killed at the end if still running.
class Watcher {
 public:
  Watcher(const fs::path& folder, const fs::path& index, const fs::path& log) {
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      std::string out = log.string();
      FILE* f = std::freopen(out.c_str(), "w", stdout);
      if (f == nullptr || std::freopen(out.c_str(), "a", stderr) == nullptr) _exit(127);
      std::string binary = PillarBinary();
      execl(binary.c_str(), binary.c_str(), "index", folder.c_str(), "--index", index.c_str(),
            "--watch", "--debounce", "100", static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Watcher() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // User plus system CPU time so far, in clock ticks (/proc/PID/stat fields 14 and 15).
  long CpuTicks() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int k = 3; fields >> field; ++k) {  // field 3 is the state
      if (k == 14) utime = std::stol(field);
      if (k == 15) stime = std::stol(field);
    }
    return utime + stime;
  }
  // Sends `signal` and waits for the exit; returns the exit status (or -1 when killed by a
  // signal or still running after the patience ran out).
  int Stop(int signal) {
    ::kill(pid_, signal);
    auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = 0;
};

// The documents the index holds (pillar docs --json), or an empty set while there is none.
std::set<std::string> Docs(const fs::path& index) {
  std::string out;
  if (RunCommand(PillarBinary() + " search '' -n 100 --json --index " + ShellQuote(index), &out) !=
      0) {
    return {};
  }
  std::set<std::string> docs;
  json result = json::parse(out, nullptr, false);
  if (result.is_discarded()) return {};
  for (const json& h : result["hits"]) docs.insert(h["doc_id"].get<std::string>());
  return docs;
}
// Whether any passage of the index holds `word`.
bool Finds(const fs::path& index, const std::string& word) {
  std::string out;
  if (RunCommand(PillarBinary() + " search " + word + " --json --index " + ShellQuote(index) +
                     " 2>/dev/null",
                 &out) != 0) {
    return false;
  }
  json result = json::parse(out, nullptr, false);
  return !result.is_discarded() && result["total"].get<int>() > 0 && !result["any_word_hits"];
}

template <typename Pred>
bool WaitFor(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

TEST_CASE("pillar index --watch follows files edited, added and deleted, without a busy loop",
          "[cli][watch]") {
  TempDir dir;
  dir.Write("in/a.txt", "A note about night patrols near the river.\n");
  const fs::path index = dir.path() / "idx";
  Watcher watcher(dir.path() / "in", index, dir.path() / "watch.log");
  REQUIRE(WaitFor([&] { return Docs(index) == std::set<std::string>{"a"}; }));

  dir.Write("in/b.txt", "A second note about shelters for displaced families.\n");
  CHECK(WaitFor([&] { return Docs(index) == std::set<std::string>{"a", "b"}; }));

  dir.Write("in/a.txt", "The note now speaks of ceasefire monitoring instead.\n");
  CHECK(WaitFor([&] { return Finds(index, "ceasefire") && !Finds(index, "river"); }));

  fs::create_directories(dir.path() / "in/sub");
  dir.Write("in/sub/c.txt", "A note in a folder made while watching, about mediation.\n");
  CHECK(WaitFor([&] { return Docs(index).count("c") == 1; }));

  fs::remove(dir.path() / "in/b.txt");
  CHECK(WaitFor([&] { return Docs(index) == std::set<std::string>{"a", "c"}; }));

  // Idle, it sleeps: over two seconds without changes it uses a small fraction of the CPU a
  // polling loop would (two seconds' worth of ticks, sysconf(_SC_CLK_TCK) a second).
  // (First let the run that removed b.txt finish closing the index.)
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  long before = watcher.CpuTicks();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  long used = watcher.CpuTicks() - before;
  long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  INFO("CPU ticks used while idle for 2 s: " << used << " (" << ticks_per_second << " a second)");
  CHECK(used <= ticks_per_second / 10);

  // SIGTERM while waiting: a clean stop, exit 0, the index as the last run left it.
  CHECK(watcher.Stop(SIGTERM) == 0);
  std::string log;
  RunCommand("cat " + ShellQuote(dir.path() / "watch.log"), &log);
  CHECK(log.find("watch stopped by SIGTERM") != std::string::npos);
  CHECK(Docs(index) == std::set<std::string>{"a", "c"});
}

TEST_CASE("pillar index --watch stops on SIGINT and ignores changes inside its own index folder",
          "[cli][watch]") {
  TempDir dir;
  dir.Write("in/a.txt", "A note about early warning networks.\n");
  // The index inside the watched folder: its own writes must not wake the watcher again.
  const fs::path index = dir.path() / "in" / ".idx";
  Watcher watcher(dir.path() / "in", index, dir.path() / "watch.log");
  REQUIRE(WaitFor([&] { return Docs(index) == std::set<std::string>{"a"}; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::string log;
  RunCommand("cat " + ShellQuote(dir.path() / "watch.log"), &log);
  size_t runs = 0;
  for (size_t at = log.find(" failed; "); at != std::string::npos;
       at = log.find(" failed; ", at + 1)) {
    ++runs;
  }
  CHECK(runs == 1);
  CHECK(watcher.Stop(SIGINT) == 0);
}

TEST_CASE("pillar index --debounce needs --watch", "[cli][watch]") {
  TempDir dir;
  dir.Write("in/a.txt", "Text.\n");
  std::string out;
  CHECK(RunCommand(PillarBinary() + " index " + ShellQuote(dir.path() / "in") + " --index " +
                       ShellQuote(dir.path() / "idx") + " --debounce 100",
                   &out, true) == 2);
}

}  // namespace
}  // namespace pillar
