// Speakers of an Akoma Ntoso debate (set by the AKN reader) reach the index, `speaker:` and
// the JSON output like TEI speakers do.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/pillar_json.h"
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
  REQUIRE(
      RunCommand(PillarBinary() + " index " +
                     ShellQuote((SourceDir() / "tests/fixtures/akn/debate-hall.akn.xml").string()) +
                     " --index " + index,
                 &out, true) == 0);
  nlohmann::json r = testing::RunPillarJson("search 'speaker:brandt' --json --index " + index);
  REQUIRE(r["hits"].size() == 2);
  for (const auto& hit : r["hits"]) CHECK(hit["speaker"] == "Mr. Osei Brandt");
  r = testing::RunPillarJson("search footbridge --json --index " + index);
  bool asked = false;
  for (const auto& hit : r["hits"]) {
    asked = asked || hit.value("speaker", "") == "Ms. Mira Holt";
  }
  CHECK(asked);
}

}  // namespace
}  // namespace pillar
