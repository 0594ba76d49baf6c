// Filters that never fail silently, from the command line (issue 17): an unknown value, field
// or reversed year range exits 2 naming what is valid, in every command that filters; an
// offset past the end says so.

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using Catch::Contains;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::SampleIndex;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

std::string Index() { return " --index " + ShellQuote(SampleIndex().string()); }

// Runs `pillar ARGS --index SAMPLE`, stdout and stderr merged into *out.
int Pillar(const std::string& args, std::string* out) {
  return RunCommand(PillarBinary() + " " + args + Index(), out, true);
}

TEST_CASE(
    "An unknown filter value exits 2 with the nearest valid values in search, export, "
    "report and similar",
    "[cli][filters]") {
  TempDir dir;
  const std::string report = ShellQuote((dir.path() / "r.html").string());
  struct Case {
    std::string args;
    std::string says;
  };
  const Case cases[] = {
      {"search protection --pillar un-tier-4", "un-tier-2"},
      {"search protection --lang xx", "no language 'xx'"},
      {"search protection --doc hipo-2015", "hippo-2015"},
      {"search " + ShellQuote("protection type:resolutoin"), "resolution"},
      {"export --format jsonl --pillar un-tier-4", "un-tier-2"},
      {"export --format csv --query " + ShellQuote("org:\"African Onion\""), "african-union"},
      {"report --out " + report + " --lang xx", "no language 'xx'"},
      {"similar " + ShellQuote("dpo-poc-policy-2023#para-12.3") + " --doc nope", "no document"},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    std::string out;
    CHECK(Pillar(c.args, &out) == 2);
    CHECK_THAT(out, Contains(c.says));
  }
  CHECK(!std::filesystem::exists(dir.path() / "r.html"));
}

TEST_CASE("Codes in any case and issuing bodies as printed filter like the index's own values",
          "[cli][filters]") {
  nlohmann::json fr = RunPillarJson("search --json protection --lang fr" + Index());
  nlohmann::json upper = RunPillarJson("search --json protection --lang FR" + Index());
  CHECK(fr["total"].get<int>() > 0);
  CHECK(upper["total"] == fr["total"]);
  // The org facet shows the issuing body as printed; pasted back, it filters.
  nlohmann::json all = RunPillarJson("search --json protection" + Index());
  REQUIRE(all["facets"]["org"].contains("African Union"));
  nlohmann::json au =
      RunPillarJson("search --json " + ShellQuote("protection org:\"African Union\"") + Index());
  CHECK(au["total"] == all["facets"]["org"]["African Union"]);
  // --crosswalk widens a concept id typed in any case as it widens the id itself.
  nlohmann::json widened =
      RunPillarJson("search --json '' --pillar au-physical --crosswalk" + Index());
  nlohmann::json widened_upper =
      RunPillarJson("search --json '' --pillar AU-PHYSICAL --crosswalk" + Index());
  CHECK(widened["total"].get<int>() > 0);
  CHECK(widened_upper["total"] == widened["total"]);
  std::string out;
  REQUIRE(Pillar("export --format jsonl --query " + ShellQuote("type:Resolution"), &out) == 0);
  CHECK_THAT(out, Contains("\"type\":\"resolution\""));
}

TEST_CASE("An unknown field or a reversed year range exits 2 and says why", "[cli][filters]") {
  std::string out;
  CHECK(Pillar("search " + ShellQuote("author:mandela"), &out) == 2);
  CHECK_THAT(out, Contains("unknown field 'author:'"));
  CHECK_THAT(out, Contains("doc: org: type: lang: pillar: year:"));
  CHECK(Pillar("search " + ShellQuote("protection year:2023..2012"), &out) == 2);
  CHECK_THAT(out, Contains("runs backwards"));
  CHECK(Pillar("search " + ShellQuote("S/RES/2719"), &out) == 0);
  CHECK(Pillar("search " + ShellQuote("A/70/95-S/2015/446"), &out) == 0);
}

TEST_CASE("An offset past the last passage is said on stderr and in the JSON", "[cli][filters]") {
  std::string err_file;
  TempDir dir;
  const std::string err = ShellQuote((dir.path() / "err").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " search patrols --offset 500" + Index() + " 2>" + err,
                     &out) == 0);
  REQUIRE(RunCommand("cat " + err, &err_file) == 0);
  CHECK_THAT(err_file, Contains("offset 500 is past the last of "));
  nlohmann::json j = RunPillarJson("search --json patrols --offset 500" + Index() + " 2>/dev/null");
  CHECK(j["hits"].empty());
  CHECK(j["total"].get<int>() > 0);
  CHECK(j["offset_past_end"] == true);
  CHECK_THAT(err_file, Contains(std::to_string(j["total"].get<int>()) + " passages"));
  nlohmann::json first = RunPillarJson("search --json patrols" + Index());
  CHECK(first["offset_past_end"] == false);
}

TEST_CASE("Did you mean on the command line leaves field names alone", "[cli][suggest]") {
  std::string out;
  REQUIRE(Pillar("search " + ShellQuote("mediaton lang:en"), &out) == 0);
  CHECK_THAT(out, Contains("Did you mean: mediation lang:en"));
  REQUIRE(Pillar("search " + ShellQuote("ceasfire monitoring"), &out) == 0);
  CHECK_THAT(out, Contains("Did you mean: ceasefire monitoring"));
}

}  // namespace
}  // namespace pillar
