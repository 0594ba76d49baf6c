// Speakers through the whole command line: a parliamentary TEI sitting indexed, a speech found
// by a phrase with its speaker in --json, `speaker:` searches, and the speaker in citations.
// The written fixture always runs; the real ParlaMint sitting (../shared/realdocs) when present.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

json Search(const std::string& query, const std::string& index) {
  return testing::RunPillarJson("search " + ShellQuote(query) + " --json --limit 100 --index " +
                                index);
}

std::set<std::string> Speakers(const json& result) {
  std::set<std::string> speakers;
  for (const json& hit : result["hits"]) speakers.insert(hit.value("speaker", ""));
  return speakers;
}

TEST_CASE(
    "pillar search finds a speech of the written sitting by phrase and by speaker, and "
    "cite names the speaker",
    "[cli][tei][speaker]") {
  TempDir dir;
  std::string index = ShellQuote((dir.path() / "idx").string());
  fs::path fixture = testing::SourceDir() / "tests/fixtures/tei/riverside-assembly-session.tei.xml";
  std::string out;
  REQUIRE(
      RunCommand(PillarBinary() + " index " + ShellQuote(fixture.string()) + " --index " + index,
                 &out, true) == 0);

  json phrase = Search("\"lantern patrols along the eastern embankment\"", index);
  REQUIRE(phrase["hits"].size() == 1);
  const json& hit = phrase["hits"][0];
  CHECK(hit["speaker"] == "Tomas Lindqvist");
  CHECK(hit["footnote"] == false);

  json okafor = Search("speaker:Okafor", index);
  CHECK(okafor["total"] == 3);
  CHECK(Speakers(okafor) == std::set<std::string>{"Ada Okafor"});
  json full = Search("speaker:\"Tomas Lindqvist\"", index);
  CHECK(full["total"] == 2);
  CHECK(Speakers(full) == std::set<std::string>{"Tomas Lindqvist"});
  json both = Search("patrols AND speaker:lindqvist", index);
  CHECK(both["total"] == 2);
  CHECK(Search("patrols AND speaker:okafor", index)["total"] == 0);
  // Notes carry no speaker: "Applause" is found, without one.
  json applause = Search("applause", index);
  REQUIRE(applause["hits"].size() == 1);
  CHECK_FALSE(applause["hits"][0].contains("speaker"));

  std::string id = hit["passage_id"];
  REQUIRE(RunCommand(PillarBinary() + " cite " + ShellQuote(id) + " --index " + index, &out) == 0);
  CHECK(out.find("speech by Tomas Lindqvist") != std::string::npos);
  REQUIRE(RunCommand(PillarBinary() + " cite " + ShellQuote(id) +
                         " --format csl-citation --index " + index,
                     &out) == 0);
  json citation = json::parse(out);
  CHECK(citation["citationItems"][0]["suffix"] == ", speech by Tomas Lindqvist");
  CHECK(citation["citationItems"][0]["itemData"]["note"] == "Speakers cited: Tomas Lindqvist");
  CHECK_FALSE(citation["citationItems"][0]["itemData"].contains("editor"));
}

TEST_CASE(
    "pillar search finds a speech of the real ParlaMint sitting by phrase, with its "
    "speaker, and speaker: finds only that speaker",
    "[cli][tei][speaker][realdocs]") {
  if (testing::RealDocsDir().empty()) {
    WARN(
        "skipped: ../shared/realdocs beside the repository is absent (published documents "
        "for testing)");
    return;
  }
  fs::path path = testing::RealDocsDir() / "tei/ParlaMint-ES-CT_2015-10-26-0101.xml";
  // A phrase from the last utterance, and its speaker's name as the note before it prints it.
  pugi::xml_document xml;
  REQUIRE(xml.load_file(path.c_str()));
  pugi::xpath_node_set us = xml.select_nodes("//u");
  REQUIRE(us.size() > 1);
  pugi::xml_node last = us[us.size() - 1].node();
  std::string who = last.attribute("who").value();
  pugi::xml_node seg = last.select_node("seg[string-length(.) > 80]").node();
  REQUIRE(seg);
  std::istringstream words(seg.child_value());
  std::string phrase;
  std::string w;
  for (int k = 0; k < 6 && words >> w; ++k) phrase += (k ? " " : "") + w;
  std::string note =
      last.select_node("preceding-sibling::note[@type='speaker'][1]").node().child_value();
  REQUIRE(note.back() == ')');
  std::string name = note.substr(note.rfind('(') + 1);
  name.pop_back();
  int segs = static_cast<int>(xml.select_nodes(("//u[@who='" + who + "']/seg").c_str()).size());

  TempDir dir;
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote(path.string()) + " --index " + index,
                     &out, true) == 0);
  json found = Search("\"" + phrase + "\"", index);
  INFO(phrase);
  REQUIRE(!found["hits"].empty());
  CHECK(found["hits"][0]["speaker"] == name);

  // The surname as written (the second word of the name) finds that speaker's passages only.
  std::string surname = name.substr(name.find(' ') + 1);
  surname = surname.substr(0, surname.find(' '));
  json theirs = Search("speaker:" + surname, index);
  INFO(surname);
  CHECK(theirs["total"].get<int>() >= segs);
  CHECK(Speakers(theirs) == std::set<std::string>{name});
}

}  // namespace
}  // namespace pillar
