// End-to-end: the PDF, DOCX, Akoma Ntoso and TEI samples through `pillar index` and
// `pillar search --json`.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::ShellQuote;
namespace fs = std::filesystem;

// An index of corpus/sample built once for these tests.
const std::string& SampleIndexDir() {
  static testing::TempDir* dir = new testing::TempDir;
  static const std::string index = [] {
    std::string idx = (dir->path() / "idx").string();
    std::string out;
    int code = testing::RunCommand(testing::PillarBinary() + " index " +
                                       ShellQuote((testing::SourceDir() / "corpus/sample").string()) +
                                       " --quiet --index " + ShellQuote(idx),
                                   &out, true);
    INFO(out);
    REQUIRE(code == 0);
    return idx;
  }();
  return index;
}

json Search(const std::string& query, const std::string& extra = "",
            const std::string& index = SampleIndexDir()) {
  std::string out;
  int code = testing::RunCommand(testing::PillarBinary() + " search " + ShellQuote(query) +
                                     " --json --limit 50 --index " + ShellQuote(index) + " " + extra,
                                 &out);
  INFO(out);
  REQUIRE(code == 0);
  return json::parse(out);
}

std::vector<json> HitsOf(const json& result, const std::string& doc_id) {
  std::vector<json> hits;
  for (const json& h : result["hits"]) {
    if (h["doc_id"] == doc_id) hits.push_back(h);
  }
  return hits;
}

TEST_CASE("Searching a phrase the PDF hyphenates at a line end finds it", "[ingest][e2e][pdf]") {
  json r = Search("\"illustrative text written for the Pillar project\"");
  std::vector<json> hits = HitsOf(r, "unsme-poc-strategy-draft");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["locator"] == "1");
  CHECK(hits[0]["page"] == 1);
  json pop = Search("\"displaced population\"");
  CHECK(HitsOf(pop, "unsme-poc-strategy-draft").size() == 1);
}

TEST_CASE("No PDF passage holds the running header or footer, and notes stay apart",
          "[ingest][e2e][pdf]") {
  std::string out;
  REQUIRE(testing::RunCommand(testing::PillarBinary() + " export --format jsonl --index " +
                                  ShellQuote(SampleIndexDir()),
                              &out) == 0);
  int passages = 0;
  bool note = false, para5 = false;
  size_t start = 0;
  while (start < out.size()) {
    size_t nl = out.find('\n', start);
    json p = json::parse(out.substr(start, nl - start));
    start = nl == std::string::npos ? out.size() : nl + 1;
    if (p["doc_id"] != "unsme-poc-strategy-draft") continue;
    ++passages;
    std::string text = p["text"];
    CHECK(text.find("UNSME/POC/2024/1") == std::string::npos);
    CHECK(text.find("DRAFT") == std::string::npos);
    CHECK(text.find("Page 2 of 3") == std::string::npos);
    if (text.find("one-hour target") != std::string::npos) {
      note = true;
      CHECK(p["footnote"] == true);
      CHECK(p["locator"] == "fn1");
    }
    if (text.rfind("5. Early warning relies first", 0) == 0) {
      para5 = true;
      CHECK(p["page"] == 1);
      CHECK(text.find("check them with a second source") != std::string::npos);
      CHECK(text.find("one-hour") == std::string::npos);
    }
  }
  CHECK(passages > 10);
  CHECK(note);
  CHECK(para5);
}

TEST_CASE("The Akoma Ntoso resolution has locators from its numbering and its FRBR metadata",
          "[ingest][e2e][akn]") {
  json r = Search("local mediation peace committees ceasefire");
  std::vector<json> hits = HitsOf(r, "unsme-mandate-resolution-illustrative");
  REQUIRE_FALSE(hits.empty());
  bool found = false;
  for (const json& h : hits) {
    if (h["locator"] == "2(b)") {
      found = true;
      CHECK(h["symbol"] == "S/RES/9999 (2024)");
      CHECK(h["date"] == "2024-06-27");
      CHECK(h["issuer"] == "United Nations Security Council");
      CHECK(h["section"] == "Priority tasks");
    }
  }
  CHECK(found);

  // Without a catalog the same metadata comes from the file itself.
  testing::TempDir dir;
  fs::copy_file(testing::SourceDir() / "corpus/sample/unsme-mandate-resolution-illustrative.akn.xml",
                dir.path() / "res.akn.xml");
  std::string idx = (dir.path() / "idx").string(), out;
  REQUIRE(testing::RunCommand(testing::PillarBinary() + " index " + ShellQuote(dir.path().string()) +
                                  " --quiet --index " + ShellQuote(idx),
                              &out) == 0);
  json alone = Search("proactive deployment patrols", "", idx);
  REQUIRE_FALSE(alone["hits"].empty());
  const json& h = alone["hits"][0];
  CHECK(h["locator"] == "2(a)(i)");
  CHECK(h["symbol"] == "S/RES/9999 (2024)");
  CHECK(h["date"] == "2024-06-27");
  CHECK(h["issuer"] == "United Nations Security Council");
  CHECK(h["type"] == "resolution");
  json pp = Search("Government of Eastmark primary responsibility", "", idx);
  REQUIRE_FALSE(pp["hits"].empty());
  CHECK(pp["hits"][0]["locator"] == "PP3");
}

TEST_CASE("The DOCX and TEI samples index with section paths and metadata",
          "[ingest][e2e][docx][tei]") {
  json d = Search("consent second team member");
  std::vector<json> docx = HitsOf(d, "tamarind-accompaniment-concept-note");
  REQUIRE_FALSE(docx.empty());
  json w = Search("threats reported by the networks protection plan");
  bool listed = false;
  for (const json& h : HitsOf(w, "tamarind-accompaniment-concept-note")) {
    if (h["locator"] == "2") {
      listed = true;
      CHECK(h["section_path"].back() == "Objectives");
      CHECK(h["date"] == "2024-05-02");
    }
  }
  CHECK(listed);

  json t = Search("proximity compel comply");
  std::vector<json> tei = HitsOf(t, "npof-ceasefire-monitoring-working-paper");
  REQUIRE_FALSE(tei.empty());
  CHECK(tei[0]["section_path"] ==
        json::array({"2. Who monitors, and how", "2.1 Unarmed civilian protection teams"}));
  CHECK(tei[0]["symbol"] == "NPOF-WP/2024/03");
  json n = Search("trusted observers local ceasefire arrangements");
  bool numbered = false;
  for (const json& h : HitsOf(n, "npof-ceasefire-monitoring-working-paper")) {
    numbered = numbered || h["locator"] == "2.1.1";
  }
  CHECK(numbered);
}

}  // namespace
}  // namespace pillar
