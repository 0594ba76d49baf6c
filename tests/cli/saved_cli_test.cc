// Saved searches and collections: pillar saved add/list/remove, search --saved, and
// --collection on export and report.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE(
    "A saved search runs by name, narrows export and report as a collection, and survives "
    "a rebuilt index",
    "[cli][saved]") {
  TempDir dir;
  dir.Write("in/report.txt",
            "Field report\n\n"
            "1. Our teams kept a protective presence in the market of Lower Vell every day.\n\n"
            "2. Mission patrols and a quick reaction force deterred attacks on the displaced "
            "persons site.\n\n"
            "3. The budget for the next period is adopted as proposed by the Secretariat.\n\n"
            "4. Patrols by night were added after the attacks on the market.\n");
  const std::string index = " --index " + ShellQuote(dir.path() / "idx");
  auto run = [&](const std::string& args, std::string* out) {
    return RunCommand(PillarBinary() + " " + args + index, out, true);
  };
  auto hits = [&](const std::string& args) {
    std::string out;
    REQUIRE(RunCommand(PillarBinary() + " " + args + " --json -n 100" + index, &out) == 0);
    std::set<std::string> ids;
    json result = json::parse(out);
    for (const json& h : result["hits"]) ids.insert(h["passage_id"].get<std::string>());
    return ids;
  };
  std::string out;
  REQUIRE(run("index " + ShellQuote(dir.path() / "in") + " -q", &out) == 0);

  REQUIRE(run("saved add patrols patrols --by ann", &out) == 0);
  CHECK(out.find("saved 'patrols' (2 passages match now)") != std::string::npos);
  REQUIRE(run("saved add market-physical market --pillar au-physical", &out) == 0);
  CHECK(run("saved add patrols budget", &out) == 2);     // taken: --replace to replace
  CHECK(run("saved add broken '(patrols'", &out) == 2);  // a bad query is not saved
  CHECK(run("saved add nameless", &out) == 2);

  REQUIRE(RunCommand(PillarBinary() + " saved list --json" + index, &out) == 0);
  json list = json::parse(out);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["name"] == "market-physical");
  CHECK(list[0]["pillars"] == json::array({"au-physical"}));
  CHECK(list[1]["by"] == "ann");

  CHECK(hits("search --saved patrols") == std::set<std::string>{"report#para-2", "report#para-4"});
  CHECK(hits("search --saved market-physical") == std::set<std::string>{"report#para-4"});
  // Words and filters given with --saved narrow it.
  CHECK(hits("search --saved patrols night") == std::set<std::string>{"report#para-4"});
  CHECK(hits("search --saved market-physical --pillar un-tier-2") ==
        std::set<std::string>{"report#para-4"});

  // A collection on export and report.
  REQUIRE(RunCommand(PillarBinary() + " export --collection patrols" + index, &out) == 0);
  std::set<std::string> exported;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    exported.insert(json::parse(line)["passage_id"].get<std::string>());
  }
  CHECK(exported == std::set<std::string>{"report#para-2", "report#para-4"});
  REQUIRE(RunCommand(PillarBinary() + " report --collection market-physical --csv - --out " +
                         ShellQuote(dir.path() / "r.html") + index,
                     &out) == 0);
  CHECK(out.find("\nreport,report,,,1,") != std::string::npos);  // one passage counted
  CHECK(run("export --collection nowhere", &out) == 2);
  CHECK(out.find("no saved search 'nowhere'") != std::string::npos);

  // Kept beside the index: a rebuilt index keeps them.
  fs::remove_all(dir.path() / "idx/xapian");
  REQUIRE(run("index " + ShellQuote(dir.path() / "in") + " -q", &out) == 0);
  CHECK(hits("search --saved patrols").size() == 2);

  REQUIRE(run("saved remove patrols", &out) == 0);
  CHECK(run("saved remove patrols", &out) == 2);
  CHECK(run("search --saved patrols", &out) == 2);
}

}  // namespace
}  // namespace pillar
