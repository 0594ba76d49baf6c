// Queries that are not valid UTF-8 (a Latin-1 terminal, a pasted binary string): a usage error
// naming the byte, never a crash (issue 14, case 5).

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

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

}  // namespace
}  // namespace pillar
