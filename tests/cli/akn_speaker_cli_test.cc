// Speakers of an Akoma Ntoso debate (set by the AKN reader) reach the index, `speaker:` and
// the JSON output like TEI speakers do.

#include <catch2/catch.hpp>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::SourceDir;
using pillar::testing::TempDir;

TEST_CASE("An Akoma Ntoso debate's speakers are searchable with speaker: and shown in --json",
          "[cli][akn]") {
  TempDir dir;
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " +
                         ShellQuote((SourceDir() / "tests/fixtures/akn/debate-hall.akn.xml")
                                        .string()) +
                         " --index " + index,
                     &out, true) == 0);
  REQUIRE(RunCommand(PillarBinary() + " search 'speaker:brandt' --json --index " + index, &out) ==
          0);
  nlohmann::json r = nlohmann::json::parse(out);
  REQUIRE(r["hits"].size() == 2);
  for (const auto& hit : r["hits"]) CHECK(hit["speaker"] == "Mr. Osei Brandt");
  REQUIRE(RunCommand(PillarBinary() + " search footbridge --json --index " + index, &out) == 0);
  r = nlohmann::json::parse(out);
  bool asked = false;
  for (const auto& hit : r["hits"]) {
    asked = asked || hit.value("speaker", "") == "Ms. Mira Holt";
  }
  CHECK(asked);
}

}  // namespace
}  // namespace pillar
