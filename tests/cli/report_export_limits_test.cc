// `pillar report` and `pillar export` stay bounded on many documents and many passages
// (issue 14, case 10): the page holds at most kMaxPageRows documents and about
// kMaxListedPassages passages while the CSV keeps every document, and the W3C export does not
// hold every annotation in memory.

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "query/report/coverage_report.h"
#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

using testing::kUnderSanitizers;
using testing::ParseCsv;
using testing::PeakRssKb;
using testing::Pillar;
using testing::PillarBinary;
using testing::ReadFile;
using testing::ShellQuote;
using testing::TempDir;

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::string IndexArg(const TempDir& dir) {
  return " --index " + ShellQuote((dir.path() / "index").string());
}

void Index(const TempDir& dir) {
  std::string out;
  INFO(out);
  REQUIRE(Pillar("index -q -j 2 " + ShellQuote((dir.path() / "docs").string()) + IndexArg(dir),
                 &out, true) == 0);
}

TEST_CASE("pillar report over more documents than a page shows keeps the page bounded and "
          "every document in the CSV",
          "[cite][cli][limits]") {
  TempDir dir;
  const int kShort = static_cast<int>(kMaxPageRows) + 100;
  const char* issuers[] = {"Security Council", "General Assembly", "African Union"};
  for (int i = 0; i < kShort; ++i) {
    std::string text = "---\ntitle: Note " + std::to_string(i) + "\nissuer: " + issuers[i % 3] +
                       "\ndate: 2020-01-01\n---\n\n";
    for (int k = 1; k <= 10; ++k) {
      text += std::to_string(k) + ". Early warning and ceasefire monitoring by patrols near village " +
              std::to_string(k) + ".\n\n";
    }
    dir.Write("docs/d" + std::to_string(i) + ".md", text);
  }
  // One document with many more tagged passages than a cell lists.
  std::string text = "---\ntitle: Long note\nissuer: OCHA\n---\n\n";
  for (int k = 1; k <= 120; ++k) {
    text += std::to_string(k) + ". Community early warning networks alert patrols in village " +
            std::to_string(k) + ".\n\n";
  }
  dir.Write("docs/long.md", text);
  Index(dir);

  std::filesystem::path html = dir.path() / "report.html", csv = dir.path() / "report.csv";
  std::string out;
  REQUIRE(Pillar("report --out " + ShellQuote(html.string()) + " --csv " +
                     ShellQuote(csv.string()) + IndexArg(dir),
                 &out, true) == 0);
  INFO(out);
  CHECK(out.find("the page shows the 500 documents with the most passages") != std::string::npos);

  // The CSV: every document.
  std::vector<std::vector<std::string>> records;
  size_t at = 0;
  REQUIRE(ParseCsv(ReadFile(csv), &records, &at));
  CHECK(records.size() == static_cast<size_t>(kShort) + 2);

  // The page: the documents with the most passages (the long one among them), the others
  // summed by issuing body, and a notice saying how many are left out and where they are.
  std::string page = ReadFile(html);
  CHECK(CountOf(page, "<text class=\"doc\"") == kMaxPageRows);
  CHECK(CountOf(page, "<text class=\"issuer-sum\"") == 4);
  CHECK(page.find("Long note") != std::string::npos);
  CHECK(page.find("101 more documents") != std::string::npos);
  CHECK(page.find("report.csv") != std::string::npos);
  CHECK(page.find("All 601 documents, by issuing body") != std::string::npos);
  // The same number of passages under each cell, within the page's budget; what is not
  // listed is counted, with the command that gives it.
  size_t listed = CountOf(page, "<li><code>");
  CHECK(listed > 0);
  CHECK(listed <= kMaxListedPassages);
  CHECK(page.find(" more passages not listed on this page: <code>pillar export --doc long "
                  "--pillar ") != std::string::npos);
  // Every non-empty cell of a listed document still links to its section.
  CHECK(CountOf(page, "<a href=\"#cell-") == CountOf(page, "<section class=\"cell\""));
  // 601 documents made a page of 5.9 MB before.
  CHECK(page.size() < 3'500'000);
}

TEST_CASE("pillar export --format w3c writes many annotations without holding them all",
          "[cite][cli][limits]") {
  TempDir dir;
  for (int d = 0; d < 20; ++d) {
    std::string text;
    for (int k = 0; k < 400; ++k) {
      text += "Para " + std::to_string(k) +
              ". Community early warning networks and ceasefire monitoring patrols protect "
              "civilians in village " + std::to_string(k) + ".\n\n";
    }
    dir.Write("docs/d" + std::to_string(d) + ".txt", text);
  }
  Index(dir);
  std::filesystem::path json_path = dir.path() / "annotations.json";
  long kb = PeakRssKb(PillarBinary() + " export --format w3c" + IndexArg(dir) + " > " +
                      ShellQuote(json_path.string()));
  REQUIRE(kb > 0);
  // The output is 47 MB, more than the in-memory part (kSpillBytes): it went through the
  // temporary file and came back whole.
  nlohmann::json collection = nlohmann::json::parse(ReadFile(json_path));
  const nlohmann::json& items = collection["first"]["items"];
  CHECK(items.size() > 20'000);
  CHECK(collection["total"] == items.size());
  CHECK(items[0]["type"] == "Annotation");
  CHECK(items.back()["target"]["source"] == "urn:pillar:doc:d9");
  // Holding every annotation took 446 MB here; written as they come, 36 MB.
  if (kUnderSanitizers) {
    WARN("peak RSS " << kb << " KB not checked: ASan's shadow memory inflates it");
  } else {
    CHECK(kb < 150'000);
  }
}

}  // namespace
}  // namespace pillar
