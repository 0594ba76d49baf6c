// Manual tagging from the command line: tags survive re-indexing, revision and concurrency.

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::SourceDir;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

class Workspace {
 public:
  Workspace() {
    WriteReport(kOriginal);
  }
  static constexpr const char* kOriginal =
      "Field report\n\n"
      "1. Our teams kept a protective presence in the market of Lower Vell every day.\n\n"
      "2. Mission patrols and a quick reaction force deterred attacks on the displaced persons site.\n\n"
      "3. The budget for the next period is adopted as proposed by the Secretariat.\n";
  void WriteReport(const std::string& text) { dir_.Write("in/report.txt", text); }
  // Runs pillar with the workspace's index; returns the exit code.
  int Run(const std::string& args, std::string* out = nullptr) {
    std::string buf;
    return RunCommand(PillarBinary() + " " + args + " --index '" + index().string() + "'",
                      out ? out : &buf, true);
  }
  int Index() { return Run("index '" + (dir_.path() / "in").string() + "' -q"); }
  json Show(const std::string& id) {
    std::string out;
    REQUIRE(Run("show '" + id + "' --json", &out) == 0);
    return json::parse(out);
  }
  std::set<std::string> Pillars(const std::string& id) {
    std::set<std::string> out;
    json shown = Show(id);  // kept alive: the loop must not iterate a destroyed temporary
    for (const json& t : shown["pillars"]) out.insert(t["id"].get<std::string>());
    return out;
  }
  fs::path index() const { return dir_.path() / "idx"; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

TEST_CASE("pillar tag adds and removes pillars, with who, when and a note", "[cli][tag]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  CHECK(ws.Pillars("report#para-2").count("un-tier-2") == 1);  // the rule tag

  std::string out;
  REQUIRE(ws.Run("tag report#para-1 --add ucp-presence --by alice --note 'unarmed presence'",
                 &out) == 0);
  json p1 = ws.Show("report#para-1");
  bool manual = false;
  for (const json& t : p1["pillars"]) {
    if (t["id"] == "ucp-presence" && t["source"] == "manual") {
      manual = true;
      CHECK(t["by"] == "alice");
      CHECK(t["note"] == "unarmed presence");
      CHECK(!t["when"].get<std::string>().empty());
    }
  }
  CHECK(manual);
  REQUIRE(ws.Run("tag report#para-2 --remove un-tier-2", &out) == 0);
  CHECK(ws.Pillars("report#para-2").count("un-tier-2") == 0);

  // Search filters and facets see the change at once.
  REQUIRE(ws.Run("search '' --pillar ucp-presence --json", &out) == 0);
  json j = json::parse(out);
  REQUIRE(j["hits"].size() == 1);
  CHECK(j["hits"][0]["passage_id"] == "report#para-1");
  REQUIRE(ws.Run("search '' --pillar un-tier-2 --json", &out) == 0);
  CHECK(json::parse(out)["total"] == 0);

  CHECK(ws.Run("tag report#para-1 --add no-such-concept", &out) == 2);
  CHECK_THAT(out, Catch::Contains("unknown concept"));
  CHECK(ws.Run("tag report#para-1 --add ucp-presence --remove un-tier-1", &out) == 2);
}

TEST_CASE("Manual tags survive deleting the index and re-indexing from scratch", "[cli][tag]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  REQUIRE(ws.Run("tag report#para-3 --set ''") == 0);
  REQUIRE(ws.Run("tag report#para-1 --add ucp-presence") == 0);
  REQUIRE(ws.Run("tag report#para-2 --remove un-tier-2") == 0);
  fs::remove_all(ws.index() / "xapian");
  REQUIRE(ws.Index() == 0);
  CHECK(ws.Pillars("report#para-1").count("ucp-presence") == 1);
  CHECK(ws.Pillars("report#para-2").count("un-tier-2") == 0);
  CHECK(ws.Pillars("report#para-3").empty());
}

TEST_CASE("After a revision, manual tags follow their text or are kept as orphans",
          "[cli][tag]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  REQUIRE(ws.Run("tag report#para-1 --add ucp-presence --note presence") == 0);
  REQUIRE(ws.Run("tag report#para-2 --add au-physical") == 0);
  REQUIRE(ws.Run("tag report#para-3 --add au-environment --note 'about the budget'") == 0);

  // A paragraph is inserted before (numbers shift), one is reworded slightly and the
  // budget paragraph is deleted.
  ws.WriteReport(
      "Field report\n\n"
      "1. A new opening paragraph on the security situation in the district.\n\n"
      "2. Our teams kept a protective presence in the market of Lower Vell every single day.\n\n"
      "3. Mission patrols and a quick reaction force deterred attacks on the displaced persons site.\n");
  REQUIRE(ws.Index() == 0);
  CHECK(ws.Pillars("report#para-2").count("ucp-presence") == 1);  // fuzzy: reworded
  CHECK(ws.Pillars("report#para-3").count("au-physical") == 1);   // exact quote, new number
  CHECK(ws.Pillars("report#para-1").count("ucp-presence") == 0);

  std::string out;
  REQUIRE(ws.Run("annotations --orphans --json", &out) == 0);
  json orphans = json::parse(out);
  REQUIRE(orphans.size() == 1);
  CHECK(orphans[0]["note"] == "about the budget");
  CHECK(orphans[0]["orphan"] == true);
  REQUIRE(ws.Run("annotations --json", &out) == 0);
  CHECK(json::parse(out).size() == 3);  // nothing dropped
}

TEST_CASE("Concurrent pillar tag runs lose nothing", "[cli][tag][concurrency]") {
  Workspace ws;
  std::string text = "Field report\n\n";
  for (int i = 1; i <= 8; ++i) {
    text += std::to_string(i) + ". Paragraph " + std::to_string(i) +
            " on local mediation between communities.\n\n";
  }
  ws.WriteReport(text);
  REQUIRE(ws.Index() == 0);
  std::string script;
  for (int i = 1; i <= 8; ++i) {
    script += PillarBinary() + " tag report#para-" + std::to_string(i) +
              " --add ucp-accompaniment --index '" + ws.index().string() + "' >/dev/null & ";
  }
  script += "wait";
  std::string out;
  RunCommand("bash -c \"" + script + "\"", &out, true);
  REQUIRE(ws.Run("annotations --json", &out) == 0);
  CHECK(json::parse(out).size() == 8);
  for (int i = 1; i <= 8; ++i) {
    INFO(i);
    CHECK(ws.Pillars("report#para-" + std::to_string(i)).count("ucp-accompaniment") == 1);
  }
}

TEST_CASE("pillar eval scores rule tags against reviewed passages and a gold CSV",
          "[cli][eval]") {
  Workspace ws;
  REQUIRE(ws.Index() == 0);
  std::string out;
  CHECK(ws.Run("eval", &out) == 2);  // nothing reviewed yet
  REQUIRE(ws.Run("tag report#para-2 --set un-tier-2,au-physical") == 0);
  REQUIRE(ws.Run("tag report#para-3 --set ''") == 0);
  REQUIRE(ws.Run("eval --json", &out) == 0);
  json report = json::parse(out);
  CHECK(report["items"] == 2);
  for (const json& c : report["per_concept"]) {
    if (c["id"] == "un-tier-2") {
      CHECK(c["tp"] == 1);
      CHECK(c["fn"] == 0);
    }
  }
  ws.dir().Write("gold.csv", "passage_id,concepts\nreport#para-1,\"ucp-presence\"\nreport#para-3,\n");
  REQUIRE(ws.Run("eval --gold '" + (ws.dir().path() / "gold.csv").string() + "' --json", &out) == 0);
  CHECK(json::parse(out)["items"] == 2);
  REQUIRE(ws.Run("eval", &out) == 0);
  CHECK_THAT(out, Catch::Contains("micro average"));
}

TEST_CASE("The crosswalk widens a pillar filter to its matches, taxonomy lists the ids",
          "[cli][tag]") {
  std::string index = pillar::testing::SampleIndex().string();
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " search '' --pillar au-physical --json --limit 0 --index '" +
                         index + "'",
                     &out) == 0);
  size_t plain = json::parse(out)["total"];
  REQUIRE(RunCommand(PillarBinary() + " search '' --pillar au-physical --crosswalk --json "
                                      "--limit 0 --index '" + index + "'",
                     &out) == 0);
  size_t widened = json::parse(out)["total"];
  CHECK(widened >= plain);
  REQUIRE(RunCommand(PillarBinary() + " search '' --pillar un-tier-2 --json --limit 0 --index '" +
                         index + "'",
                     &out) == 0);
  CHECK(widened >= json::parse(out)["total"].get<size_t>());

  REQUIRE(RunCommand(PillarBinary() + " taxonomy --json", &out) == 0);
  std::set<std::string> ids;
  for (const json& c : json::parse(out)) ids.insert(c["id"].get<std::string>());
  CHECK(ids == std::set<std::string>{"un-tier-1", "un-tier-2", "un-tier-3", "au-physical",
                                     "au-political", "au-rights", "au-environment",
                                     "ucp-presence", "ucp-accompaniment", "ucp-early-warning",
                                     "ucp-ceasefire-monitoring", "ucp-mediation"});
}

}  // namespace
}  // namespace pillar

namespace pillar {
namespace {

TEST_CASE("An index built with its own taxonomy is tagged, re-tagged and listed with it",
          "[cli][tag]") {
  TempDir dir;
  dir.Write("in/notes.txt", "1. Herders and farmers met at the well.\n\n2. The budget is adopted.\n");
  dir.Write("codebook.skos.xml",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
            "xmlns:skos=\"http://www.w3.org/2004/02/skos/core#\" xmlns:pr=\"urn:pillar:rules#\">"
            "<skos:ConceptScheme rdf:about=\"urn:x:codebook\"><skos:notation>codebook"
            "</skos:notation><skos:prefLabel xml:lang=\"en\">Codebook</skos:prefLabel>"
            "</skos:ConceptScheme>"
            "<skos:Concept rdf:about=\"urn:x:pastoral\"><skos:notation>pastoral</skos:notation>"
            "<skos:inScheme rdf:resource=\"urn:x:codebook\"/>"
            "<skos:prefLabel xml:lang=\"en\">Pastoral conflict</skos:prefLabel>"
            "<pr:rules version=\"1\" threshold=\"1\"><pr:term weight=\"1\">herders</pr:term>"
            "</pr:rules></skos:Concept></rdf:RDF>");
  std::string index = "'" + (dir.path() / "idx").string() + "'";
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index '" + (dir.path() / "in").string() +
                         "' --taxonomy '" + (dir.path() / "codebook.skos.xml").string() +
                         "' --index " + index,
                     &out, true) == 0);
  REQUIRE(RunCommand(PillarBinary() + " search '' --pillar pastoral --json --index " + index,
                     &out) == 0);
  CHECK(json::parse(out)["total"] == 1);
  // pillar tag knows the index's own concepts, and re-tags with its rules.
  REQUIRE(RunCommand(PillarBinary() + " tag notes#para-2 --add pastoral --index " + index,
                     &out, true) == 0);
  REQUIRE(RunCommand(PillarBinary() + " search '' --pillar pastoral --json --index " + index,
                     &out) == 0);
  CHECK(json::parse(out)["total"] == 2);
  CHECK(RunCommand(PillarBinary() + " tag notes#para-2 --add un-tier-2 --index " + index, &out,
                   true) == 2);
}

}  // namespace
}  // namespace pillar
