// The coverage page reads right (issue 17): distinct column headers, rows in languages
// without rules marked as such, and a report saved into the corpus is not indexed next time.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using testing::Pillar;
using testing::ReadFile;
using testing::SampleIndex;
using testing::ShellQuote;
using testing::SourceDir;
using testing::TempDir;

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string SampleReport(const TempDir& dir) {
  fs::path page = dir.path() / "report.html";
  std::string out;
  REQUIRE(Pillar("report --index " + ShellQuote(SampleIndex().string()) + " --out " +
                     ShellQuote(page.string()),
                 &out, true) == 0);
  return ReadFile(page);
}

TEST_CASE("Report column headers are distinct and keep the full label as a tooltip",
          "[cli][report]") {
  TempDir dir;
  std::string page = SampleReport(dir);
  // <text class="concept" ...><title>ID: LABEL (SCHEME)</title>HEADER</text>
  std::regex header("<text class=\"concept\"[^>]*><title>([^<]*)</title>([^<]*)</text>");
  std::set<std::string> headers;
  size_t columns = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), header);
       it != std::sregex_iterator(); ++it) {
    ++columns;
    headers.insert((*it)[2]);
  }
  REQUIRE(columns >= 12);
  CHECK(headers.size() == columns);
  // The UN tier and the AU pillar of the same name.
  CHECK(page.find("<title>un-tier-3: Establishment of a protective environment (") !=
        std::string::npos);
  CHECK(page.find("<title>au-environment: Establishment of a protective environment (") !=
        std::string::npos);
  CHECK(headers.count("un-tier-3 \u00B7 Establishment of a\u2026") == 1);
  CHECK(headers.count("au-environment \u00B7 Establishment\u2026") == 1);
  // The column key lists every full label.
  CHECK(page.find("<tr><td><code>au-environment</code></td><td>Establishment of a protective "
                  "environment</td>") != std::string::npos);
}

TEST_CASE("Report rows of documents in languages without rules say no rules for the language",
          "[cli][report]") {
  // The shipped rules cover en, fr, es, pt, ar, ru and zh (issue 16): a German document has
  // none, a Spanish one has.
  TempDir dir;
  fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  fs::copy_file(SourceDir() / "corpus/sample/unsc-press-style-es.txt",
                corpus / "unsc-press-style-es.txt");
  WriteFile(corpus / "bericht-de.txt",
            "Bericht der Kommission\n\n"
            "Die Kommission hat im vergangenen Jahr zahlreiche Gemeinden im Norden des Landes "
            "besucht und mit den Bewohnerinnen und Bewohnern über ihre Sorgen gesprochen. Viele "
            "Familien berichteten, dass sie wegen der schlechten Ernte und der steigenden Preise "
            "kaum genug zu essen haben.\n\n"
            "Die Kommission empfiehlt der Regierung, die Versorgung mit Trinkwasser zu "
            "verbessern, die Schulen wieder zu eröffnen und die Straßen zwischen den Dörfern "
            "instand zu setzen, damit die Märkte erreichbar bleiben.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string taxonomy = ShellQuote((SourceDir() / "corpus/taxonomy/poc.skos.xml").string());
  std::string out;
  REQUIRE(Pillar("index --taxonomy " + taxonomy + " --index " + index + " " +
                     ShellQuote(corpus.string()),
                 &out, true) == 0);
  fs::path report = dir.path() / "report.html";
  REQUIRE(Pillar("report --index " + index + " --out " + ShellQuote(report.string()), &out, true) ==
          0);
  std::string page = ReadFile(report);
  CHECK(page.find(">no rules for German (de)</text>") != std::string::npos);
  CHECK(page.find("class=\"doc no-rules\"") != std::string::npos);
  CHECK(page.find("id=\"no-rules\"") != std::string::npos);  // the notice above the map
  CHECK(page.find("no rules for Spanish") == std::string::npos);
  CHECK(page.find("no rules for English") == std::string::npos);
}

TEST_CASE(
    "A report written into the corpus folder is skipped by the next index run and warned "
    "about",
    "[cli][report]") {
  TempDir dir;
  fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  for (const char* name : {"s-res-2719-2023.txt", "ucp-community-early-warning.md"}) {
    fs::copy_file(SourceDir() / "corpus/sample" / name, corpus / name);
  }
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string taxonomy = ShellQuote((SourceDir() / "corpus/taxonomy/poc.skos.xml").string());
  std::string out;
  REQUIRE(Pillar("index --taxonomy " + taxonomy + " --index " + index + " " +
                     ShellQuote(corpus.string()),
                 &out, true) == 0);

  // In the folder above the corpus (beside it, not in it): no warning.
  std::string outside;
  REQUIRE(Pillar("report --index " + index + " --out " +
                     ShellQuote((dir.path() / "outside.html").string()),
                 &outside, true) == 0);
  INFO(outside);
  CHECK(outside.find("pillar: warning") == std::string::npos);

  std::string inside;
  REQUIRE(Pillar("report --index " + index + " --out " +
                     ShellQuote((corpus / "coverage.html").string()),
                 &inside, true) == 0);
  INFO(inside);
  CHECK(inside.find("pillar: warning: ") != std::string::npos);
  CHECK(inside.find("coverage.html is in a folder of the indexed corpus (2 indexed documents") !=
        std::string::npos);
  CHECK(
      ReadFile(corpus / "coverage.html").find("<meta name=\"generator\" content=\"Pillar report") !=
      std::string::npos);

  std::string again;
  REQUIRE(Pillar("index --index " + index + " " + ShellQuote(corpus.string()), &again, true) == 0);
  INFO(again);
  CHECK(again.find("skipped   " + (corpus / "coverage.html").string() +
                   " (a report written by pillar report, not a document)") != std::string::npos);
  CHECK(again.find("0 indexed, 2 unchanged, 0 removed, 1 skipped, 0 failed") != std::string::npos);

  // Named on the command line, it is refused the same way (and the run says a file failed).
  std::string named;
  CHECK(Pillar("index --index " + index + " " + ShellQuote((corpus / "coverage.html").string()),
               &named, true) == 1);
  CHECK(named.find("coverage.html: a report written by pillar report, not a document") !=
        std::string::npos);
}

}  // namespace
}  // namespace pillar
