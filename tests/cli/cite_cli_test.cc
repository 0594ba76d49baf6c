// Whole-command tests of `pillar cite`, `pillar export` (citation formats) and `pillar report`.

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdint>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using testing::Pillar;
using testing::ReadFile;
using testing::ShellQuote;
using testing::TempDir;

std::string SampleIndexArg() { return " --index " + ShellQuote(testing::SampleIndex().string()); }

TEST_CASE("pillar cite prints house-style citations with pinpoints and quotes", "[cite][cli]") {
  std::string out;
  REQUIRE(Pillar("cite 's-res-2719-2023#op-5' 'au-poc-policy-2023#art-5' "
                 "'mandate-resolution-illustrative#pp-2' --quote" + SampleIndexArg(),
                 &out) == 0);
  INFO(out);
  CHECK(out.find("United Nations Security Council, resolution 2719 (2023), S/RES/2719 (2023), "
                 "21 December 2023, para. 5: \xE2\x80\x9C") == 0);
  CHECK(out.find("Article 5: \xE2\x80\x9C") != std::string::npos);
  CHECK(out.find("preambular para. 2") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 3);
}

TEST_CASE("pillar cite writes every citation format, a bad id fails without hiding the rest",
          "[cite][cli]") {
  std::string out;
  REQUIRE(Pillar("cite 's-res-2719-2023#op-5' hippo-2015 --format csl-json" + SampleIndexArg(),
                 &out) == 0);
  json items = json::parse(out);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["type"] == "legislation");
  CHECK(items[1]["type"] == "report");

  REQUIRE(Pillar("cite 's-res-2719-2023#op-5' --format csl-citation" + SampleIndexArg(), &out) ==
          0);
  json citation = json::parse(out);
  CHECK(citation["citationItems"][0]["locator"] == "5");
  CHECK(citation["citationItems"][0]["label"] == "paragraph");

  REQUIRE(Pillar("cite 'hippo-2015#para-12' --format ris" + SampleIndexArg(), &out) == 0);
  CHECK(out.find("TY  - RPRT\r\n") == 0);
  CHECK(out.find("SN  - A/70/95-S/2015/446\r\n") != std::string::npos);

  REQUIRE(Pillar("cite 'hippo-2015#para-12' --format bibtex" + SampleIndexArg(), &out) == 0);
  CHECK(out.find("@techreport{hippo_2015,") != std::string::npos);
  REQUIRE(Pillar("cite 'hippo-2015#para-12' --format biblatex" + SampleIndexArg(), &out) == 0);
  CHECK(out.find("@report{hippo_2015,") != std::string::npos);

  CHECK(Pillar("cite 'hippo-2015#para-12' 'hippo-2015#no-such' " + SampleIndexArg(), &out, true) ==
        1);
  CHECK(out.find("Report of the High-Level") != std::string::npos);
  CHECK(Pillar("cite 'nope#x'" + SampleIndexArg(), &out, true) == 2);
  CHECK(Pillar("cite 'hippo-2015#para-12' --format mla" + SampleIndexArg(), &out, true) == 2);
}

TEST_CASE("pillar export writes the citations of the documents behind the selected passages once "
          "each",
          "[cite][cli]") {
  std::string out;
  REQUIRE(Pillar("export --format csl-json --pillar ucp-early-warning" + SampleIndexArg(), &out) ==
          0);
  json items = json::parse(out);
  REQUIRE(items.size() >= 2);
  std::set<std::string> ids;
  for (const json& item : items) CHECK(ids.insert(item["id"].get<std::string>()).second);

  REQUIRE(Pillar("export --format ris --doc s-res-2719-2023" + SampleIndexArg(), &out) == 0);
  CHECK(out.find("TY  - STAT\r\n") == 0);
  CHECK(std::count(out.begin(), out.end(), '\n') > 5);
  size_t records = 0;
  for (size_t at = out.find("ER  - \r\n"); at != std::string::npos; at = out.find("ER  - ", at + 1)) {
    ++records;
  }
  CHECK(records == 1);
  CHECK(Pillar("export --format json --excel" + SampleIndexArg(), &out, true) == 2);
  CHECK(Pillar("export --format jsonl --excel" + SampleIndexArg(), &out, true) == 2);
}

// Width and height from a PNG's IHDR chunk; 0 when `png` is not a PNG.
std::pair<uint32_t, uint32_t> PngSize(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0};
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  return {be32(16), be32(20)};
}

std::string Screenshot(const TempDir& dir, const std::filesystem::path& html,
                       const std::string& name) {
  std::filesystem::path png = dir.path() / name;
  std::string out;
  int rc = testing::RunCommand(
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir=" + ShellQuote((dir.path() / ("profile-" + name)).string()) +
          " --screenshot=" + ShellQuote(png.string()) + " --window-size=1400,1000 " +
          ShellQuote("file://" + html.string()),
      &out, true);
  INFO(out);
  REQUIRE(rc == 0);
  return ReadFile(png);
}

TEST_CASE("pillar report writes a self-contained heat map that headless Chromium renders",
          "[cite][cli][chromium]") {
  TempDir dir;
  std::filesystem::path html = dir.path() / "report.html", csv = dir.path() / "matrix.csv";
  std::string out;
  REQUIRE(Pillar("report --out " + ShellQuote(html.string()) + " --csv " +
                     ShellQuote(csv.string()) + SampleIndexArg(),
                 &out, true) == 0);
  std::string page = ReadFile(html);
  REQUIRE(page.find("<svg") != std::string::npos);
  CHECK(page.find("<rect class=\"cell\"") != std::string::npos);
  CHECK(ReadFile(csv).find("doc_id,title,issuer,date,passages,un-tier-1") == 0);

  std::filesystem::path blank = dir.Write("blank.html", "<!DOCTYPE html><html><body></body></html>");
  std::string report_png = Screenshot(dir, html, "report.png");
  std::string blank_png = Screenshot(dir, blank, "blank.png");
  CHECK(PngSize(report_png) == std::pair<uint32_t, uint32_t>{1400, 1000});
  CHECK(PngSize(blank_png) == std::pair<uint32_t, uint32_t>{1400, 1000});
  // A white page compresses to a few kilobytes; the heat map's coloured cells and text do not.
  INFO("report " << report_png.size() << " bytes, blank " << blank_png.size() << " bytes");
  CHECK(report_png.size() > 40000);
  CHECK(report_png.size() > 8 * blank_png.size());
}

TEST_CASE("pillar report refuses to run without --out", "[cite][cli]") {
  std::string out;
  CHECK(Pillar("report" + SampleIndexArg(), &out, true) == 2);
}

}  // namespace
}  // namespace pillar
