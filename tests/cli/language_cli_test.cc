// Language identification seen from the command line: `pillar docs --json`, `--lang` and
// `lang:` on files whose language no catalog and no markup gives.

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
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
using pillar::testing::SourceDir;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

std::map<std::string, std::string> DocLanguages(const std::string& index) {
  std::map<std::string, std::string> languages;
  for (const json& d : RunPillarJson("docs --json --index " + index)) {
    languages[d["id"]] = d["language"];
  }
  return languages;
}

TEST_CASE("pillar index detects French and Spanish plain-text files, and --lang finds them",
          "[cli][language]") {
  TempDir dir;
  dir.Write("in/consignes.txt",
            "Consignes de patrouille\n\n"
            "Les patrouilles de nuit partent du camp à dix-neuf heures et suivent la route du "
            "marché jusqu'au village voisin, où les comités de protection les attendent.\n\n"
            "Chaque patrouille rend compte des incidents signalés par les habitants et des "
            "menaces contre les civils dans un rapport écrit remis le lendemain matin.\n");
  dir.Write("in/informe.txt",
            "Informe de la misión\n\n"
            "Las patrullas nocturnas salen del campamento a las siete de la tarde y recorren la "
            "carretera del mercado hasta la aldea vecina, donde las esperan los comités.\n\n"
            "Cada patrulla informa de los incidentes señalados por los habitantes y de las "
            "amenazas contra los civiles en un informe escrito entregado a la mañana siguiente.\n");
  dir.Write("in/orders.txt",
            "Patrol orders\n\n"
            "Night patrols leave the camp at seven in the evening and follow the market road to "
            "the next village, where the protection committees wait for them.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + index + " --quiet",
                     &out) == 0);
  std::map<std::string, std::string> languages = DocLanguages(index);
  CHECK(languages["consignes"] == "fr");
  CHECK(languages["informe"] == "es");
  CHECK(languages["orders"] == "en");

  // French stemming: "patrouilles" finds "patrouille"; only the French file answers.
  json fr = RunPillarJson("search patrouilles --lang fr --json --index " + index);
  REQUIRE(fr["hits"].size() >= 1);
  for (const json& h : fr["hits"]) CHECK(h["doc_id"] == "consignes");
  json es = RunPillarJson("search 'lang:es patrullas' --json --index " + index);
  REQUIRE(es["hits"].size() >= 1);
  for (const json& h : es["hits"]) CHECK(h["doc_id"] == "informe");
  CHECK(RunPillarJson("search patrouilles --lang en --json --index " + index)["hits"].empty());
}

TEST_CASE(
    "An Arabic annex paragraph of an English text file is an Arabic passage, found by an "
    "Arabic query and --lang ar",
    "[cli][language]") {
  TempDir dir;
  dir.Write("in/letter.txt",
            "Letter to the President of the Security Council\n\n"
            "I have the honour to transmit the report of the protection committee on the "
            "situation of civilians in the northern districts, as requested by the Council.\n\n"
            "The committee visited the camps and the market towns and met the local leaders, "
            "the women's groups and the youth associations over three weeks.\n\n"
            "Annex\n\n"
            "زارت لجنة الحماية المخيمات والأسواق في المقاطعات الشمالية، والتقت بالقادة المحليين "
            "وبمجموعات النساء والشباب، وأوصت بتسيير دوريات ليلية لحماية المدنيين.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + index + " --quiet",
                     &out) == 0);
  CHECK(DocLanguages(index)["letter"] == "en");

  json ar = RunPillarJson("search 'دوريات المدنيين' --json --index " + index);
  REQUIRE(ar["hits"].size() == 1);
  CHECK(ar["hits"][0]["language"] == "ar");
  std::string text = ar["hits"][0]["text"];
  CHECK(text.find("لجنة الحماية") != std::string::npos);
  // The filter follows the passage's language, not the document's.
  json only_ar = RunPillarJson("search '' --lang ar --json --index " + index);
  REQUIRE(only_ar["hits"].size() == 1);
  CHECK(only_ar["hits"][0]["passage_id"] == ar["hits"][0]["passage_id"]);
  json en = RunPillarJson("search committee --lang en --json --index " + index);
  CHECK(en["hits"].size() >= 1);
  for (const json& h : en["hits"]) CHECK(h["language"] == "en");
}

TEST_CASE("The sample corpus keeps the languages its catalog and markup give", "[cli][language]") {
  std::string index = ShellQuote(pillar::testing::SampleIndex().string());
  std::map<std::string, std::string> languages = DocLanguages(index);
  REQUIRE(languages.size() >= 15);
  std::map<std::string, std::string> expected = {{"dpo-poc-policy-2023-fr", "fr"},
                                                 {"dpo-poc-policy-2023-ar", "ar"},
                                                 {"au-poc-policy-2023-pt", "pt"},
                                                 {"s-res-2719-2023", "en"},
                                                 {"hippo-2015", "en"},
                                                 {"unsc-press-style-es", "es"}};
  for (const auto& [id, language] : expected) {
    INFO(id);
    CHECK(languages[id] == language);
  }
}

}  // namespace
}  // namespace pillar
