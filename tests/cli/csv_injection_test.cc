// CSV written for spreadsheets never carries a live formula (issue 14, case 13): `export
// --format csv --excel` and `report --csv` defuse cells starting with = + - @ (OWASP).

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "query/cite/csv_export.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

TEST_CASE("DefuseFormula prefixes an apostrophe to cells a spreadsheet would run", "[cite][csv]") {
  CHECK(DefuseFormula("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")");
  CHECK(DefuseFormula("+1 extra patrols") == "'+1 extra patrols");
  CHECK(DefuseFormula("-2") == "'-2");
  CHECK(DefuseFormula("@SUM(A1)") == "'@SUM(A1)");
  CHECK(DefuseFormula("\tx") == "'\tx");
  CHECK(DefuseFormula("Protection of civilians") == "Protection of civilians");
  CHECK(DefuseFormula("") == "");
  CHECK(CsvRecord({"=1+1", "plain"}, true) == "'=1+1,plain\r\n");
  CHECK(CsvRecord({"=1+1", "plain"}) == "=1+1,plain\r\n");
}

TEST_CASE("export --format csv --excel and report --csv defuse formula cells from documents",
          "[cli][csv]") {
  TempDir dir;
  // A file whose name (the title) and text start like formulas. Our own words.
  dir.Write("in/=HYPERLINK.txt",
            "@SUM(A1) the committee met the patrol near the market to discuss protection of "
            "civilians.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + index,
                     &out, true) == 0);
  REQUIRE(RunCommand(PillarBinary() + " export --format csv --excel --index " + index, &out) == 0);
  CHECK(out.find(",'=HYPERLINK,") != std::string::npos);
  CHECK(out.find(",'@SUM(A1) the committee") != std::string::npos);
  CHECK(out.find(",=HYPERLINK,") == std::string::npos);
  // For R and scripts, without --excel, the cells are as written.
  REQUIRE(RunCommand(PillarBinary() + " export --format csv --index " + index, &out) == 0);
  CHECK(out.find(",=HYPERLINK,") != std::string::npos);

  std::string csv = (dir.path() / "matrix.csv").string();
  REQUIRE(RunCommand(PillarBinary() + " report --out " +
                         ShellQuote((dir.path() / "report.html").string()) + " --csv " +
                         ShellQuote(csv) + " --index " + index,
                     &out, true) == 0);
  std::ifstream in(csv);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find(",'=HYPERLINK,") != std::string::npos);
  CHECK(text.str().find(",=HYPERLINK,") == std::string::npos);
}

}  // namespace
}  // namespace pillar
