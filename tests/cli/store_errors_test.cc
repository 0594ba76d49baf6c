// The annotation store and the index folder when they cannot be written or hold a damaged
// row (issue 14, cases 14, 15 and 16). Run as root, the commands under test run as the
// unprivileged user "nobody" (setpriv), for whom the permissions really hold.

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

constexpr char kText[] =
    "The mission deployed troops and conducted armed patrols to provide physical protection to "
    "civilians under imminent threat of physical violence.\n\n"
    "Early warning networks and community alert systems help communities prepare before "
    "attacks.\n";

// `pillar ARGS` as a user who may not write what root made read-only.
std::string Unprivileged() {
  std::string bin = ShellQuote(PillarBinary());
  return ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " + bin : bin;
}

// An index of one document with two manual tags, world-readable.
struct TaggedIndex {
  TempDir dir;
  std::string index;
  std::string first_passage, second_passage;
  TaggedIndex() {
    dir.Write("docs/mission.txt", kText);
    index = (dir.path() / "idx").string();
    std::string out;
    REQUIRE(RunCommand(PillarBinary() + " index -q " + ShellQuote((dir.path() / "docs").string()) +
                           " --index " + ShellQuote(index),
                       &out, true) == 0);
    nlohmann::json hits = RunPillarJson("search --json patrols --index " + ShellQuote(index));
    first_passage = hits["hits"][0]["passage_id"];
    hits = RunPillarJson("search --json warning --index " + ShellQuote(index));
    second_passage = hits["hits"][0]["passage_id"];
    REQUIRE(RunCommand(PillarBinary() + " tag " + ShellQuote(first_passage) +
                           " --add un-tier-1 --note first --index " + ShellQuote(index),
                       &out, true) == 0);
    REQUIRE(RunCommand(PillarBinary() + " tag " + ShellQuote(second_passage) +
                           " --add ucp-early-warning --note second --index " + ShellQuote(index),
                       &out, true) == 0);
    fs::permissions(dir.path(), fs::perms(0755));
  }
  fs::path store() const { return fs::path(index) / "annotations.sqlite"; }
};

TEST_CASE("pillar annotations lists a store it may not write, and writes nothing to it",
          "[cli][annotations]") {
  TaggedIndex t;
  // Read-only for everyone but root, in a folder nobody else may write: no -shm can be made.
  for (const auto& entry : fs::directory_iterator(t.index)) {
    if (entry.is_regular_file()) fs::permissions(entry.path(), fs::perms(0444));
  }
  fs::permissions(t.index, fs::perms(0555));
  std::string out;
  int rc =
      RunCommand(Unprivileged() + " annotations --json --index " + ShellQuote(t.index), &out, true);
  fs::permissions(t.index, fs::perms(0755));
  INFO(out);
  REQUIRE(rc == 0);
  nlohmann::json listed = nlohmann::json::parse(out);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["note"] == "first");
  CHECK(listed[1]["note"] == "second");
}

TEST_CASE("A folder that may not be written is reported as such, not as another writer",
          "[cli][index]") {
  TaggedIndex t;
  fs::permissions(t.index, fs::perms(0555));
  fs::permissions(fs::path(t.index) / "xapian", fs::perms(0555));
  std::string out;
  int rc =
      RunCommand(Unprivileged() + " index --force " + ShellQuote((t.dir.path() / "docs").string()) +
                     " --index " + ShellQuote(t.index),
                 &out, true);
  fs::permissions(fs::path(t.index) / "xapian", fs::perms(0755));
  fs::permissions(t.index, fs::perms(0755));
  INFO(out);
  CHECK(rc == 1);
  CHECK(out.find("cannot write to the index folder (Permission denied)") != std::string::npos);
  CHECK(out.find("another pillar process") == std::string::npos);
}

TEST_CASE("One damaged annotation row is flagged and skipped, the others are listed and applied",
          "[cli][annotations]") {
  TaggedIndex t;
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.store().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "UPDATE annotations SET concepts = '[\"un-tier-1\"' WHERE note = 'first'",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  std::string out;
  int rc = RunCommand(
      PillarBinary() + " annotations --json --index " + ShellQuote(t.index) + " 2>/dev/null", &out);
  CHECK(rc == 1);  // listed, and the damage is reported
  nlohmann::json listed = nlohmann::json::parse(out);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["unreadable"].get<std::string>().find("not a JSON array") != std::string::npos);
  CHECK(listed[1]["unreadable"].is_null());
  CHECK(listed[1]["concepts"][0] == "ucp-early-warning");

  // Re-indexing applies the readable tag and warns about the damaged one.
  rc =
      RunCommand(PillarBinary() + " index --force " + ShellQuote((t.dir.path() / "docs").string()) +
                     " --index " + ShellQuote(t.index),
                 &out, true);
  CHECK(rc == 0);
  CHECK(out.find("manual tag #1 not applied") != std::string::npos);
  nlohmann::json hits = RunPillarJson("search --json warning --index " + ShellQuote(t.index));
  bool manual = false;
  for (const auto& p : hits["hits"][0]["pillars"]) {
    if (p["id"] == "ucp-early-warning" && p["source"] == "manual") manual = true;
  }
  CHECK(manual);
}

}  // namespace
}  // namespace pillar
