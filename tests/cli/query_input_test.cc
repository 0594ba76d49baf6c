// Queries that are not valid UTF-8 (a Latin-1 terminal, a pasted binary string): a usage error
// naming the byte, never a crash (issue 14, case 5).

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "indexer/index/document_builder.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::SampleIndex;
using pillar::testing::ShellQuote;

TEST_CASE("A query that is not valid UTF-8 exits 2 with a message, in search, search --json and "
          "export",
          "[cli][query]") {
  const std::string latin1 = "caf\xE9 protection";  // "café" in Latin-1
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  for (const std::string& args :
       {"search " + ShellQuote(latin1), "search --json " + ShellQuote(latin1),
        "export --format jsonl --query " + ShellQuote(latin1)}) {
    INFO(args);
    std::string out;
    int rc = RunCommand(PillarBinary() + " " + args + index, &out, true);
    CHECK(rc == 2);
    CHECK(out.find("not valid UTF-8 (byte 3)") != std::string::npos);
  }
}

TEST_CASE("A query that starts with a negated word needs no --, before or after the options",
          "[cli][query]") {
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  nlohmann::json all = RunPillarJson("search --json -n 50 protection" + index);
  nlohmann::json without = RunPillarJson("search --json " + ShellQuote("-violence protection") +
                                         " -n50" + index);
  CHECK(without["query"] == "-violence protection");
  REQUIRE(without["hits"].size() > 0);
  CHECK(without["total"].get<int>() < all["total"].get<int>());
  for (const auto& hit : without["hits"]) {
    CHECK(hit["text"].get<std::string>().find("violence") == std::string::npos);
  }
  // The same query after the options, and as --query's value.
  nlohmann::json after = RunPillarJson("search -n 50 --json" + index + " " +
                                       ShellQuote("-violence protection"));
  CHECK(after["total"] == without["total"]);
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " export --format jsonl --query " +
                         ShellQuote("-violence protection") + index,
                     &out) == 0);
  std::istringstream lines(out);
  int exported = 0;
  for (std::string line; std::getline(lines, line); ++exported) {
    CHECK(nlohmann::json::parse(line)["text"].get<std::string>().find("violence") ==
          std::string::npos);
  }
  CHECK(exported == without["total"].get<int>());
  // An option that does not exist is still a usage error.
  CHECK(RunCommand(PillarBinary() + " search --no-such-option protection" + index, &out, true) ==
        2);
}

TEST_CASE("search, export and report search an acronym's long form too, unless --no-acronyms",
          "[cli][query][acronyms]") {
  // The sample's resolution defines "United Nations Stabilization Mission in Eastmark (UNSME)".
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  nlohmann::json both = RunPillarJson("search --json -n 100 UNSME" + index);
  nlohmann::json typed = RunPillarJson("search --json -n 100 --no-acronyms UNSME" + index);
  REQUIRE(both["also_searched"].size() == 1);
  CHECK(both["also_searched"][0]["words"] == "UNSME");
  CHECK(both["also_searched"][0]["also"][0] == "united nations stabilization mission in eastmark");
  CHECK(typed["also_searched"].empty());
  CHECK(both["total"].get<int>() > typed["total"].get<int>());
  CHECK(typed["total"].get<int>() > 0);
  // Every passage found only through the long form holds it, in its text or its headings
  // (whose words count as for any query), or is a list item whose lead-in holds it (the
  // resolution's "(a) ..." tasks under "... shall include the following priority tasks:").
  for (const auto& hit : both["hits"]) {
    std::string text = hit["text"].get<std::string>();
    for (const auto& heading : hit["section_path"]) text += " | " + heading.get<std::string>();
    if (text.find("UNSME") != std::string::npos) continue;
    if (IsListItem(hit["text"].get<std::string>())) continue;
    INFO(text);
    CHECK(text.find("Stabilization Mission in Eastmark") != std::string::npos);
  }
  // export and report count the same passages as search, with and without.
  auto lines = [&](const std::string& args) {
    std::string out;
    REQUIRE(RunCommand(PillarBinary() + " " + args + index, &out) == 0);
    return static_cast<int>(std::count(out.begin(), out.end(), '\n'));
  };
  CHECK(lines("export --format jsonl --query UNSME") == both["total"].get<int>());
  CHECK(lines("export --format jsonl --no-acronyms --query UNSME") == typed["total"].get<int>());
  std::string with_csv, typed_csv;
  testing::TempDir dir;
  const std::string html = " --out " + ShellQuote((dir.path() / "r.html").string());
  REQUIRE(RunCommand(PillarBinary() + " report --csv - --query UNSME" + html + index,
                     &with_csv) == 0);
  REQUIRE(RunCommand(PillarBinary() + " report --csv - --no-acronyms --query UNSME" + html +
                         index,
                     &typed_csv) == 0);
  CHECK(with_csv != typed_csv);
}

TEST_CASE("search says which words of a question it did not search, in text and JSON",
          "[cli][query][question]") {
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  const std::string question = ShellQuote("how does the mission protect civilians?");
  nlohmann::json asked = RunPillarJson("search --json " + question + index);
  nlohmann::json plain = RunPillarJson("search --json " + ShellQuote("mission protect civilians") +
                                       index);
  CHECK(asked["not_searched"] == nlohmann::json::array({"how", "does"}));
  CHECK(plain["not_searched"].empty());
  // The question finds what its subject's words find.
  CHECK(asked["total"] == plain["total"]);
  CHECK(asked["total"].get<int>() > 0);
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " search --no-facets " + question + index, &out) == 0);
  CHECK(out.find("Read as a question; not searched: how, does") != std::string::npos);
}

}  // namespace
}  // namespace pillar
