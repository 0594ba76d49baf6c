// pillar import zotero: a Zotero library becomes the catalog, and its titles, authors, dates
// and symbols reach the index (issue 21, point 1).

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using testing::PillarBinary;
using testing::RunCommand;
using testing::RunPillarJson;
using testing::ShellQuote;
using testing::SourceDir;
using testing::TempDir;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// corpus/sample without its README and catalog, as a researcher's folder of downloads.
fs::path CopySample(const TempDir& dir) {
  fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  for (const fs::directory_entry& e : fs::directory_iterator(SourceDir() / "corpus/sample")) {
    if (e.path().filename() == "README.md") continue;
    fs::copy_file(e.path(), corpus / e.path().filename());
  }
  return corpus;
}

const nlohmann::json* Doc(const nlohmann::json& docs, const std::string& id) {
  for (const nlohmann::json& d : docs) {
    if (d.value("id", "") == id) return &d;
  }
  return nullptr;
}

TEST_CASE(
    "A Zotero CSL-JSON export imported into the catalog gives the index its titles "
    "authors dates and symbols",
    "[cli][zotero]") {
  TempDir dir;
  fs::path corpus = CopySample(dir);
  // A catalog kept by hand before Zotero: its records and comments must survive the import.
  dir.Write("corpus/catalog.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<catalog>\n"
            "  <!-- kept by hand -->\n"
            "  <document id=\"ngo-ucp-field-report\" file=\"ngo-ucp-field-report.html\">\n"
            "    <issuer>Tamarind Peace Teams</issuer>\n"
            "    <url>https://www.example.org/field-reports/staying-close-lower-vell</url>\n"
            "  </document>\n"
            "  <document id=\"press-es\" file=\"unsc-press-style-es.txt\">\n"
            "    <title>El Consejo de Seguridad debate la protección de los civiles</title>\n"
            "    <language>es</language>\n"
            "  </document>\n"
            "</catalog>\n");
  std::string out;
  std::string import =
      PillarBinary() + " import zotero " +
      ShellQuote((SourceDir() / "tests/fixtures/zotero/poc-library.json").string()) + " --corpus " +
      ShellQuote(corpus.string());
  REQUIRE(RunCommand(import, &out) == 0);
  INFO(out);
  CHECK(out.find("8XKQ2M4P -> s-res-2719-2023.txt (s-res-2719-2023, by attachment)") !=
        std::string::npos);
  // The first attachment (a scan) is not in the corpus; the second is.
  CHECK(out.find("T6ZB9M3H -> dpo-poc-policy-2023.md (dpo-poc-policy-2023, by attachment)") !=
        std::string::npos);
  CHECK(out.find("R2HD5K8Q -> think-tank-brief.html (think-tank-brief, by title)") !=
        std::string::npos);
  CHECK(out.find("F9VC4N1W -> ngo-ucp-field-report.html (ngo-ucp-field-report, by URL); "
                 "hand-written issuer kept") != std::string::npos);
  CHECK(out.find("unmatched  item http://zotero.org/users/local/Qm3kTz9a/items/B7MA3S5E "
                 "\"Protection of Civilians\"") != std::string::npos);
  CHECK(out.find("unmatched  file dpo-poc-handbook-2020.md") != std::string::npos);
  CHECK(out.find("unmatched  file unsc-press-style-es.txt") == std::string::npos);
  CHECK(out.find("6 matched, 1 items unmatched") != std::string::npos);

  std::string catalog = ReadAll(corpus / "catalog.xml");
  CHECK(catalog.find("<!-- kept by hand -->") != std::string::npos);
  CHECK(catalog.find("id=\"press-es\"") != std::string::npos);

  // Importing again changes nothing.
  REQUIRE(RunCommand(import, &out) == 0);
  CHECK(ReadAll(corpus / "catalog.xml") == catalog);

  REQUIRE(RunCommand(PillarBinary() + " index --index " +
                         ShellQuote((dir.path() / "idx").string()) + " " +
                         ShellQuote(corpus.string()) + " 2>&1",
                     &out) == 0);
  nlohmann::json docs =
      RunPillarJson("docs --json --index " + ShellQuote((dir.path() / "idx").string()));
  const nlohmann::json* res = Doc(docs, "s-res-2719-2023");
  REQUIRE(res);
  CHECK((*res)["title"] == "Resolution 2719 (2023)");
  CHECK((*res)["symbol"] == "S/RES/2719 (2023)");
  CHECK((*res)["date"] == "2023-12-21");
  CHECK((*res)["issuer"] == "United Nations Security Council");
  CHECK((*res)["type"] == "resolution");
  const nlohmann::json* hippo = Doc(docs, "hippo-2015");
  REQUIRE(hippo);
  CHECK((*hippo)["symbol"] == "A/70/95-S/2015/446");
  CHECK((*hippo)["date"] == "2015-06-17");
  CHECK((*hippo)["url"] == "https://undocs.org/A/70/95");
  const nlohmann::json* brief = Doc(docs, "think-tank-brief");
  REQUIRE(brief);
  CHECK((*brief)["issuer"] == "Northbridge Peace Operations Forum");
  CHECK((*brief)["author"] == "Joseph Kariuki-Lind; Helena Baptiste");
  CHECK((*brief)["type"] == "brief");
  const nlohmann::json* field = Doc(docs, "ngo-ucp-field-report");
  REQUIRE(field);
  CHECK((*field)["title"] ==
        "Staying close: a year of unarmed civilian protection in Lower Vell (field report)");
  CHECK((*field)["issuer"] == "Tamarind Peace Teams");  // hand-written, kept
  CHECK((*field)["author"] == "Amara Oduya");
  CHECK((*field)["date"] == "2024-05-14");
  CHECK(Doc(docs, "press-es"));

  // The symbol is searchable, and the citation has the imported record.
  REQUIRE(RunCommand(PillarBinary() + " cite 's-res-2719-2023#op-5' --index " +
                         ShellQuote((dir.path() / "idx").string()),
                     &out) == 0);
  CHECK(out.find("United Nations Security Council, resolution 2719 (2023), S/RES/2719 (2023), "
                 "21 December 2023, para. 5.") != std::string::npos);
}

TEST_CASE("pillar import zotero exits 1 naming the BibTeX entries it could not read",
          "[cli][zotero]") {
  TempDir dir;
  fs::path corpus = CopySample(dir);
  std::string out;
  int rc =
      RunCommand(PillarBinary() + " import zotero " +
                     ShellQuote((SourceDir() / "tests/fixtures/zotero/poc-library.bib").string()) +
                     " --corpus " + ShellQuote(corpus.string()) + " 2>&1",
                 &out);
  INFO(out);
  CHECK(rc == 1);
  CHECK(out.find("poc-library.bib: line 27:") != std::string::npos);
  CHECK(out.find("3 matched") != std::string::npos);
  CHECK(fs::exists(corpus / "catalog.xml"));
}

}  // namespace
}  // namespace pillar
