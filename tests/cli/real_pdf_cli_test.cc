// Real PDFs through the whole command line: symbol search, printed metadata in `pillar docs`
// and citations (published UN documents from ../shared/realdocs, skipped when absent), and an
// Arabic annex in a PDF that Chromium prints, read in logical order and found by Arabic words.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE(
    "pillar search finds a real UN document by the symbol printed on it, and docs and "
    "cite show the printed metadata",
    "[cli][pdf][realdocs]") {
  if (testing::RealDocsDir().empty()) {
    WARN(
        "skipped: ../shared/realdocs beside the repository is absent (published documents "
        "for testing)");
    return;
  }
  fs::path un = testing::RealDocsDir() / "un";
  TempDir dir;
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " +
                         ShellQuote((un / "S_RES_2769 (2025).en.pdf").string()) + " " +
                         ShellQuote((un / "S_RES_2781 (2025).en.pdf").string()) + " " +
                         ShellQuote((un / "S_2025_176.en.pdf").string()) + " --index " + index,
                     &out, true) == 0);
  for (const auto& [symbol, doc] :
       {std::pair<std::string, std::string>{"S/RES/2769", "s-res-2769-2025-en"},
        {"S/RES/2781", "s-res-2781-2025-en"},
        {"S/2025/176", "s-2025-176-en"}}) {
    json r = RunPillarJson("search " + ShellQuote(symbol) + " --json --index " + index);
    INFO(symbol);
    REQUIRE(!r["hits"].empty());
    CHECK(r["hits"][0]["doc_id"] == doc);
  }
  json docs = RunPillarJson("docs --json --index " + index);
  bool seen = false;
  for (const json& d : docs) {
    if (d["id"] != "s-2025-176-en") continue;
    seen = true;
    CHECK(d["symbol"] == "S/2025/176");
    CHECK(d["issuer"] == "United Nations Security Council");
    CHECK(d["date"] == "2025-03-20");
    CHECK(d["author"] == "");
    CHECK(d["type"] == "report");
    std::string title = d["title"];
    CHECK(title.find("Report of the Secretary-General") != std::string::npos);
  }
  CHECK(seen);
  REQUIRE(RunCommand(PillarBinary() + " cite 's-res-2769-2025-en#op-27' --index " + index, &out) ==
          0);
  CHECK(out.find("United Nations Security Council") != std::string::npos);
  CHECK(out.find("S/RES/2769 (2025)") != std::string::npos);
  CHECK(out.find("para. 27") != std::string::npos);
}

TEST_CASE(
    "An Arabic annex in a PDF is read in logical order, is an Arabic passage and is found "
    "by an Arabic query",
    "[cli][pdf][language][chromium]") {
  TempDir dir;
  // Our own text; Chromium sets the Arabic paragraph right to left and poppler hands its words
  // back in visual order.
  fs::path html = dir.Write(
      "letter.html",
      "<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: DejaVu Sans\">"
      "<p>Letter dated 1 March 2025 from the Permanent Representative addressed to the President "
      "of the Security Council. I have the honour to transmit the annex below, in Arabic, on the "
      "protection of civilians in the region.</p>"
      "<p dir=\"rtl\" lang=\"ar\">[الأصل بالعربية] تؤكد البعثة أن حماية المدنيين في عام 2025 "
      "تتطلب الإنذار المبكر والحوار مع المجتمعات المحلية في جميع المناطق.</p></body></html>");
  fs::path pdf = dir.path() / "in" / "letter.pdf";
  fs::create_directories(pdf.parent_path());
  std::string out;
  int rc = RunCommand(
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--no-pdf-header-footer --user-data-dir=" +
          ShellQuote((dir.path() / "profile").string()) + " --print-to-pdf=" +
          ShellQuote(pdf.string()) + " " + ShellQuote("file://" + html.string()),
      &out, true);
  INFO(out);
  REQUIRE(rc == 0);
  REQUIRE(fs::exists(pdf));

  std::string index = ShellQuote((dir.path() / "idx").string());
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote(pdf.string()) + " --index " + index,
                     &out, true) == 0);
  json r = RunPillarJson("search 'المدنيين' --json --index " + index);
  REQUIRE(r["hits"].size() == 1);
  const json& hit = r["hits"][0];
  std::string text = hit["text"];
  CHECK(text.rfind("[الأصل بالعربية] تؤكد البعثة أن حماية المدنيين في عام 2025", 0) == 0);
  CHECK(text.find("الإنذار المبكر") != std::string::npos);
  json ar = RunPillarJson("search 'الإنذار' --lang ar --json --index " + index);
  CHECK(ar["hits"].size() == 1);
  json en = RunPillarJson("search 'honour' --lang en --json --index " + index);
  CHECK(en["hits"].size() == 1);
}

}  // namespace
}  // namespace pillar
