// Tagging at scale from the command line: by query (with a dry run), ids from standard input,
// undo and delete with the change log, and the orphans `pillar index` reports.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

constexpr const char* kReport =
    "Field report\n\n"
    "1. Our teams kept a protective presence in the market of Lower Vell every day.\n\n"
    "2. Mission patrols and a quick reaction force deterred attacks on the displaced persons "
    "site.\n\n"
    "3. The budget for the next period is adopted as proposed by the Secretariat.\n\n"
    "4. Patrols by night were added after the attacks on the market.\n";

class Workspace {
 public:
  Workspace() { dir_.Write("in/report.txt", kReport); }
  int Run(const std::string& args, std::string* out = nullptr, const std::string& input = "") {
    std::string buf;
    std::string command = PillarBinary() + " " + args + " --index " + ShellQuote(index());
    if (!input.empty()) command = "printf '%s' " + ShellQuote(input) + " | " + command;
    return RunCommand(command, out ? out : &buf, true);
  }
  int Index(std::string* out = nullptr) {
    return Run("index " + ShellQuote((dir_.path() / "in").string()) + " -q", out);
  }
  // The passages carrying `concept_id`, as search sees them.
  std::set<std::string> Tagged(const std::string& concept_id) {
    std::string out;
    REQUIRE(Run("search '' --pillar " + concept_id + " --json -n 100", &out) == 0);
    std::set<std::string> ids;
    json result = json::parse(out);
    for (const json& h : result["hits"]) ids.insert(h["passage_id"].get<std::string>());
    return ids;
  }
  json Log() {
    std::string out;
    REQUIRE(Run("annotations --log --json", &out) == 0);
    return json::parse(out);
  }
  std::string index() const { return (dir_.path() / "idx").string(); }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

TEST_CASE("pillar tag --query tags every passage the query finds, and --dry-run changes nothing",
          "[cli][tag][batch]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  REQUIRE(ws.Tagged("ucp-mediation").empty());

  std::string out;
  REQUIRE(ws.Run("tag --query patrols --add ucp-mediation --by alice --dry-run", &out) == 0);
  CHECK(out.find("would change 2 of 2 passages") != std::string::npos);
  CHECK(out.find("would tag report#para-2") != std::string::npos);
  CHECK(ws.Tagged("ucp-mediation").empty());
  CHECK(ws.Log().empty());

  REQUIRE(ws.Run("tag --query patrols --add ucp-mediation --by alice", &out) == 0);
  CHECK(out.find("changed 2 of 2 passages (0 already so)") != std::string::npos);
  CHECK(ws.Tagged("ucp-mediation") == std::set<std::string>{"report#para-2", "report#para-4"});
  // A filter narrows the query; passages the decision would not change are left alone.
  REQUIRE(ws.Run("tag --query '' --pillar ucp-mediation --add ucp-mediation --by alice", &out) ==
          0);
  CHECK(out.find("changed 0 of 2 passages (2 already so)") != std::string::npos);
  json log = ws.Log();
  REQUIRE(log.size() == 2);
  CHECK(log[0]["by"] == "alice");
  CHECK(log[0]["batch"] == log[1]["batch"]);

  // --remove by query.
  REQUIRE(ws.Run("tag --query 'night' --remove ucp-mediation --by alice", &out) == 0);
  CHECK(ws.Tagged("ucp-mediation") == std::set<std::string>{"report#para-2"});

  // A bad query changes nothing and says why.
  CHECK(ws.Run("tag --query '(patrols' --add ucp-mediation", &out) == 2);
  CHECK(ws.Run("tag report#para-1 --query patrols --add ucp-mediation", &out) == 2);
}

TEST_CASE("pillar tag - reads passage ids from standard input and reports the ones not found",
          "[cli][tag][batch]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  std::string out;
  int rc = ws.Run("tag - --add ucp-mediation --by bob", &out,
                  "# picked by hand\nreport#para-1\n\nreport#nowhere\nreport#para-3 first pick\n");
  CHECK(rc == 1);  // one id failed, the others were tagged
  CHECK(out.find("standard input line 4") != std::string::npos);
  CHECK(out.find("report#nowhere") != std::string::npos);
  CHECK(ws.Tagged("ucp-mediation") == std::set<std::string>{"report#para-1", "report#para-3"});
}

TEST_CASE("pillar annotations --undo takes back the author's last batch and --delete one decision",
          "[cli][tag][batch]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  std::string out;
  REQUIRE(ws.Run("tag --query patrols --add ucp-mediation --by alice", &out) == 0);
  REQUIRE(ws.Run("tag report#para-1 --add ucp-mediation --by bob", &out) == 0);
  REQUIRE(ws.Tagged("ucp-mediation").size() == 3);

  REQUIRE(ws.Run("annotations --undo --by alice", &out) == 0);
  CHECK(out.find("undone: #2") != std::string::npos);
  CHECK(ws.Tagged("ucp-mediation") == std::set<std::string>{"report#para-1"});
  CHECK(ws.Run("annotations --undo --by alice", &out) == 2);  // nothing left of alice's
  CHECK(out.find("nothing to undo") != std::string::npos);

  REQUIRE(ws.Run("annotations --delete 3 --by carol", &out) == 0);
  CHECK(ws.Tagged("ucp-mediation").empty());
  CHECK(ws.Run("annotations --delete 3", &out) == 2);
  CHECK(ws.Run("annotations --delete 77", &out) == 2);
  REQUIRE(ws.Run("annotations --undo --by carol", &out) == 0);
  CHECK(out.find("restored") != std::string::npos);
  CHECK(ws.Tagged("ucp-mediation") == std::set<std::string>{"report#para-1"});

  // The log has it all, with authors; a re-index agrees with what the commands applied.
  json log = ws.Log();
  REQUIRE(log.size() == 7);
  CHECK(log[3]["op"] == "delete");
  CHECK(log[3]["by"] == "alice");
  CHECK(log[5]["by"] == "carol");
  CHECK(log[6]["op"] == "restore");
  REQUIRE(ws.Run("index " + ShellQuote((ws.dir().path() / "in").string()) + " -q --force") == 0);
  CHECK(ws.Tagged("ucp-mediation") == std::set<std::string>{"report#para-1"});
}

TEST_CASE("pillar index reports the manual tags it orphans on stderr and in its JSON summary",
          "[cli][tag][batch]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  std::string out;
  REQUIRE(ws.Run("tag report#para-3 --add ucp-mediation --by dana", &out) == 0);
  REQUIRE(ws.Run("tag report#para-1 --add un-tier-1 --by erin", &out) == 0);

  // Paragraph 3 rewritten beyond recognition: its tag is orphaned, the others stay.
  ws.dir().Write(
      "in/report.txt",
      "Field report\n\n"
      "1. Our teams kept a protective presence in the market of Lower Vell every day.\n\n"
      "3. Weather was fine and nothing else happened in the period.\n");
  REQUIRE(ws.Run("index " + ShellQuote((ws.dir().path() / "in").string()) + " --json", &out) == 0);
  CHECK(out.find("manual tag #1 (add ucp-mediation by dana) on report#para-3 is orphaned: its "
                 "passage text changed") != std::string::npos);
  json summary = json::parse(out.substr(out.find('{')));
  REQUIRE(summary["orphans"].size() == 1);
  CHECK(summary["orphans"][0]["annotation_id"] == 1);
  CHECK(summary["orphans"][0]["by"] == "dana");
  CHECK(summary["orphans"][0]["why"] == "its passage text changed");
  CHECK(summary["indexed"] == 1);

  // Orphans made before are not reported again; a removed document orphans the rest.
  REQUIRE(ws.Run("index " + ShellQuote((ws.dir().path() / "in").string()) + " --json", &out) == 0);
  CHECK(json::parse(out)["orphans"].empty());
  std::filesystem::remove(ws.dir().path() / "in/report.txt");
  ws.dir().Write("in/other.txt", "Other\n\nSomething else entirely.\n");
  REQUIRE(ws.Run("index " + ShellQuote((ws.dir().path() / "in").string()) + " --json", &out) == 0);
  summary = json::parse(out.substr(out.find('{')));
  REQUIRE(summary["orphans"].size() == 1);
  CHECK(summary["orphans"][0]["annotation_id"] == 2);
  CHECK(summary["orphans"][0]["why"] == "its document was removed");
}

}  // namespace
}  // namespace pillar
