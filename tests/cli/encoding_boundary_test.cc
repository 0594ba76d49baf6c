// Names and metadata that are not UTF-8 meet one policy at the boundary (issue 14, case 1):
// file names keep their stray bytes visible as \xHH, files that declare another encoding are
// converted, and nothing aborts the run.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

nlohmann::json DocById(const nlohmann::json& docs, const std::string& id) {
  for (const auto& d : docs) {
    if (d["id"] == id) return d;
  }
  FAIL("no document " << id);
  return {};
}

TEST_CASE("A Latin-1 file name and an ISO-8859-1 catalog are indexed, searched and swept",
          "[cli][encoding]") {
  TempDir dir;
  const std::string latin1_name = "caf\xE9 r\xE9union.txt";  // "café réunion.txt" in Latin-1
  dir.Write("docs/" + latin1_name,
            "Peacekeepers shall protect civilians under imminent threat of physical violence.\n");
  dir.Write("docs/brief.txt", "Early warning networks alert communities before attacks.\n");
  dir.Write("docs/catalog.xml",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
            "<catalog><document id=\"brief\" file=\"brief.txt\">"
            "<title>Alerte pr\xE9"
            "coce \xE0 Bangui</title><issuer>Minist\xE8re</issuer>"
            "</document></catalog>\n");
  // A web page saved by an old editor in windows-1252, curly quotes and all.
  dir.Write("docs/page.html",
            "<html><head><meta charset=\"windows-1252\"><title>Note</title></head><body>"
            "<p>The \x93protective presence\x94 of unarmed monitors deters attacks.</p>"
            "</body></html>");
  const std::string index = " --index " + ShellQuote((dir.path() / "idx").string());
  const std::string docs = ShellQuote((dir.path() / "docs").string());

  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index -q " + docs + index, &out, true) == 0);
  CHECK(out.find("0 failed") != std::string::npos);

  nlohmann::json listed = RunPillarJson("docs --json" + index);
  REQUIRE(listed.size() == 3);
  nlohmann::json cafe = DocById(listed, "caf-xe9-r-xe9union");
  CHECK(cafe["title"] == "caf\\xE9 r\\xE9union");
  CHECK(cafe["path"].get<std::string>().find("/docs/caf\\xE9 r\\xE9union.txt") !=
        std::string::npos);
  nlohmann::json brief = DocById(listed, "brief");
  CHECK(brief["title"] ==
        "Alerte pr\xC3\xA9"
        "coce \xC3\xA0 Bangui");
  CHECK(brief["issuer"] == "Minist\xC3\xA8re");

  nlohmann::json hits = RunPillarJson("search --json imminent" + index);
  REQUIRE(hits["hits"].size() == 1);
  CHECK(hits["hits"][0]["doc_id"] == "caf-xe9-r-xe9union");
  nlohmann::json quoted =
      RunPillarJson("search --json " + ShellQuote("\"protective presence\"") + index);
  REQUIRE(quoted["hits"].size() == 1);
  CHECK(quoted["hits"][0]["text"].get<std::string>().find(
            "\xE2\x80\x9Cprotective presence\xE2\x80\x9D") != std::string::npos);

  // A second run finds the file under its escaped name: nothing changed.
  REQUIRE(RunCommand(PillarBinary() + " index " + docs + index, &out, true) == 0);
  CHECK(out.find("0 indexed, 3 unchanged") != std::string::npos);

  // Removed from the folder, it is swept like any other file.
  fs::remove(dir.path() / "docs" / latin1_name);
  REQUIRE(RunCommand(PillarBinary() + " index " + docs + index, &out, true) == 0);
  CHECK(out.find("1 removed") != std::string::npos);
  CHECK(RunPillarJson("docs --json" + index).size() == 2);
}

TEST_CASE("A catalog that is not UTF-8 and declares no encoding is refused with its line",
          "[cli][encoding]") {
  TempDir dir;
  dir.Write("docs/brief.txt", "Early warning networks alert communities before attacks.\n");
  dir.Write("docs/catalog.xml",
            "<catalog>\n<document id=\"brief\" file=\"brief.txt\"><title>R\xE9sum\xE9</title>"
            "</document></catalog>\n");
  std::string out;
  int rc = RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "docs").string()) +
                          " --index " + ShellQuote((dir.path() / "idx").string()),
                      &out, true);
  CHECK(rc == 1);  // the catalog failed; the document is indexed without it
  CHECK(out.find("catalog.xml") != std::string::npos);
  CHECK(out.find("line 2, column") != std::string::npos);
  CHECK(out.find("invalid UTF-8") != std::string::npos);
  CHECK(out.find("1 indexed") != std::string::npos);
}

}  // namespace
}  // namespace pillar
