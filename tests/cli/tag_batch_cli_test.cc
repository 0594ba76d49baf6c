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

TEST_CASE("pillar agreement gives kappa and alpha from the coders' tags, and their disagreements",
          "[cli][agreement]") {
  Workspace ws;
  std::string text = "Coding sample\n\n";
  for (int k = 1; k <= 10; ++k) {
    text += std::to_string(k) + ". Paragraph number " + std::to_string(k) +
            " of the sample, about item " + std::string(1, static_cast<char>('a' + k)) + ".\n\n";
  }
  ws.dir().Write("in/report.txt", text);
  REQUIRE(ws.Index() == 0);
  auto ids = [](std::initializer_list<int> numbers) {
    std::string out;
    for (int k : numbers) out += "report#para-" + std::to_string(k) + "\n";
    return out;
  };
  std::string out;
  // The ten units of the kappa case in agreement_test.cc: A 1111000000, B 1110000001.
  REQUIRE(ws.Run("tag - --set ucp-mediation --by ann", &out, ids({1, 2, 3, 4})) == 0);
  REQUIRE(ws.Run("tag - --set '' --by ann", &out, ids({5, 6, 7, 8, 9, 10})) == 0);
  REQUIRE(ws.Run("tag - --set ucp-mediation --by ben", &out, ids({1, 2, 3, 10})) == 0);
  REQUIRE(ws.Run("tag - --set '' --by ben", &out, ids({4, 5, 6, 7, 8, 9})) == 0);

  REQUIRE(ws.Run("agreement --by ann --by ben --json", &out) == 0);
  json report = json::parse(out);
  REQUIRE(report["concepts"].size() == 1);
  const json& c = report["concepts"][0];
  CHECK(c["concept"] == "ucp-mediation");
  CHECK(c["units"] == 10);
  // po = 0.8, pe = 0.52: kappa = 0.28 / 0.48 = 7/12; alpha = 1 - 19 * 4 / 192 = 116/192.
  CHECK(c["kappa"][0]["kappa"].get<double>() == Approx(7.0 / 12.0));
  CHECK(c["alpha"].get<double>() == Approx(116.0 / 192.0));
  REQUIRE(report["disagreements"].size() == 2);
  CHECK(report["disagreements"][0]["passage_id"] == "report#para-10");
  CHECK(report["disagreements"][0]["yes"] == json::array({"ben"}));
  CHECK(report["disagreements"][1]["passage_id"] == "report#para-4");

  REQUIRE(ws.Run("agreement --by ann --by ben", &out) == 0);
  CHECK(out.find("0.583") != std::string::npos);
  CHECK(out.find("0.604") != std::string::npos);
  CHECK(out.find("report#para-4  ucp-mediation: yes ann; no ben") != std::string::npos);

  // A concept neither used: kappa and alpha undefined (null), never 0.
  REQUIRE(ws.Run("agreement --by ann --by ben --concept un-tier-1 --json", &out) == 0);
  report = json::parse(out);
  CHECK(report["concepts"][0]["kappa"][0]["kappa"].is_null());
  CHECK(report["concepts"][0]["alpha"].is_null());
  REQUIRE(ws.Run("agreement --by ann --by ben --concept un-tier-1", &out) == 0);
  CHECK(out.find("undefined") != std::string::npos);
  CHECK(out.find("0.000") == std::string::npos);
  CHECK(ws.Run("agreement --by ann", &out) == 2);
}

}  // namespace
}  // namespace pillar
