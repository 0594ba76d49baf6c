// Tags in Spanish, Portuguese, Arabic, Russian and Chinese (issue 16): the shipped rules reach
// their measured F1 on each language's labelled check set (and on the French one), Chinese
// rules are written the way the analyzer indexes Chinese, and the sample documents in Arabic,
// Spanish and Portuguese get tags and no "no rules" row in the coverage report.

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/segment/analyzer.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/eval.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"
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

const std::vector<std::string> kAllConcepts = {"un-tier-1",
                                               "un-tier-2",
                                               "un-tier-3",
                                               "au-political",
                                               "au-physical",
                                               "au-rights",
                                               "au-environment",
                                               "ucp-presence",
                                               "ucp-accompaniment",
                                               "ucp-early-warning",
                                               "ucp-ceasefire-monitoring",
                                               "ucp-mediation"};
const std::vector<std::string> kUnAu = {"un-tier-1",   "un-tier-2", "un-tier-3",     "au-political",
                                        "au-physical", "au-rights", "au-environment"};

const Taxonomy& Shipped() {
  static const Taxonomy taxonomy = [] {
    auto t = Taxonomy::Load({SourceDir() / "corpus/taxonomy/poc.skos.xml"});
    if (!t.ok()) {
      std::fprintf(stderr, "shipped taxonomy: %s\n", t.status().ToString().c_str());
      std::abort();
    }
    return std::move(*t);
  }();
  return taxonomy;
}

struct SplitScores {
  EvalReport all;    // the twelve concepts
  EvalReport un_au;  // the seven UN tiers and AU pillars
  size_t passages = 0;
};

// Rule tags (no model: it has no training passage in these languages) of one split of
// tests/fixtures/tagging/lang/LANG.jsonl against its labels.
SplitScores ScoreSplit(const std::string& lang, const std::string& split) {
  fs::path file = SourceDir() / "tests/fixtures/tagging/lang" / (lang + ".jsonl");
  std::ifstream in(file);
  REQUIRE(in);
  RuleTagger tagger(Shipped());
  Analyzer analyzer(lang);
  std::vector<std::pair<std::set<std::string>, std::set<std::string>>> items;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line);
    REQUIRE(j.at("lang") == lang);
    if (j.at("split") != split) continue;
    Passage p;
    p.id = j.at("id");
    p.text = j.at("text");
    p.language = lang;
    std::set<std::string> predicted;
    for (const Tag& t : tagger.TagPassage(p, analyzer.Tokenize(p.text), analyzer)) {
      predicted.insert(t.concept_id);
    }
    std::set<std::string> gold;
    for (const auto& c : j.at("concepts")) gold.insert(c.get<std::string>());
    items.emplace_back(std::move(predicted), std::move(gold));
  }
  SplitScores s;
  s.passages = items.size();
  s.all = Evaluate(items, kAllConcepts);
  s.un_au = Evaluate(items, kUnAu);
  return s;
}

std::string Table(const std::string& lang, const std::string& split, const SplitScores& s) {
  std::ostringstream out;
  out << lang << " " << split << " split, " << s.passages << " passages (P / R / F1):\n";
  for (const ConceptScores& c : s.all.per_concept) {
    out << "  " << c.id << ": " << c.precision << " / " << c.recall << " / " << c.f1 << "\n";
  }
  out << "  micro F1 " << s.all.micro_f1 << ", macro F1 " << s.all.macro_f1
      << ", macro F1 over the UN tiers and AU pillars " << s.un_au.macro_f1;
  return out.str();
}

// A language's floors: `all` over the twelve concepts (macro-F1 on the test split, micro-F1
// on the dev split), `un_au` the macro-F1 over the seven UN/AU concepts.
struct Floor {
  const char* lang;
  double all;
  double un_au;
};

TEST_CASE(
    "The shipped rules reach the recorded F1 on the test split of each language's check set "
    "(es, pt, ar, ru, zh, fr)",
    "[tag][lang]") {
  // Measured on 2026-12-06 on the sets grown to 42 passages (12 new situations, 31..42, written
  // and labelled blind, and a French file of all 42), the test split (17 passages) scored once:
  // macro-F1 over the twelve concepts es 0.772, pt 0.769, ar 0.758, ru 0.833, zh 0.889,
  // fr 0.818; over the seven UN/AU concepts es 0.847, pt 0.841, ar 0.823, ru 0.905, zh 0.905,
  // fr 0.830. Floors are those figures minus 0.03, rounded down. (On the first 30 passages,
  // 2026-12-05, 12 test passages: es/pt 0.872, ar/ru/zh 0.898; UN/AU es/pt 0.924, ar/ru/zh 0.968.)
  // docs/tagging.md, "Per-language check sets", has the table.
  for (const Floor& f :
       {Floor{"es", 0.74, 0.81}, Floor{"pt", 0.73, 0.81}, Floor{"ar", 0.72, 0.79},
        Floor{"ru", 0.80, 0.87}, Floor{"zh", 0.85, 0.87}, Floor{"fr", 0.78, 0.80}}) {
    SplitScores test = ScoreSplit(f.lang, "test");
    WARN(Table(f.lang, "test", test));
    CHECK(test.passages == 17);
    CHECK(test.all.macro_f1 >= f.all);
    CHECK(test.un_au.macro_f1 >= f.un_au);
  }
}

TEST_CASE(
    "The shipped rules tag the dev split of each language's check set as labelled, hard "
    "negatives included",
    "[tag][lang]") {
  // The rules were tuned on the first 18 dev passages of es, pt, ar, ru and zh (1.000
  // everywhere when written; still all correct on 2026-12-06). The seven dev passages added on
  // 2026-12-06 (situations 31..42) and the French file were written after the rules and are not
  // all correct, so the floors are no longer 0.95 but the figures measured on 2026-12-06 minus
  // 0.03, rounded down: micro-F1 es 0.901, pt 0.877, ar 0.886, ru 0.877, zh 0.877, fr 0.718;
  // macro-F1 over the seven UN/AU concepts es 0.918, pt 0.877, ar 0.902, ru 0.877, zh 0.877,
  // fr 0.671. Raise them again when rules are tuned on these dev passages.
  for (const Floor& f :
       {Floor{"es", 0.87, 0.88}, Floor{"pt", 0.84, 0.84}, Floor{"ar", 0.85, 0.87},
        Floor{"ru", 0.84, 0.84}, Floor{"zh", 0.84, 0.84}, Floor{"fr", 0.68, 0.64}}) {
    SplitScores dev = ScoreSplit(f.lang, "dev");
    INFO(Table(f.lang, "dev", dev));
    CHECK(dev.passages == 25);
    CHECK(dev.all.micro_f1 >= f.all);
    CHECK(dev.un_au.macro_f1 >= f.un_au);
  }
}

TEST_CASE(
    "Every concept has positive rules and a budget negative in each of es, pt, ar, ru and zh, "
    "and the AU pillars and UCP methods in sw",
    "[tag][lang]") {
  std::map<std::pair<std::string, std::string>, int> positive;  // (concept, lang) -> rules
  std::map<std::pair<std::string, std::string>, int> negative;
  for (const Concept& c : Shipped().concepts()) {
    for (const Rule& r : c.rules) {
      if (r.kind == Rule::Kind::kMask) continue;
      (r.weight > 0 ? positive : negative)[{c.id, r.language}]++;
    }
  }
  for (const std::string& id : kAllConcepts) {
    for (const char* lang : {"es", "pt", "ar", "ru", "zh", "sw"}) {
      bool un_tier = id.rfind("un-", 0) == 0;
      INFO(id << " in " << lang);
      CHECK(positive[{id, lang}] >= (std::string(lang) == "sw" ? 4 : 5));
      if (!un_tier || std::string(lang) != "sw") CHECK(negative[{id, lang}] >= 1);
    }
  }
}

TEST_CASE(
    "Chinese rules are written one character a word, as the analyzer indexes Chinese, and "
    "then match as phrases",
    "[tag][lang]") {
  // The analyzer gives each Han character its own position (bigrams have none), so a rule
  // word of two characters could never sit at a phrase position.
  Analyzer zh("zh");
  std::vector<std::string> positional;
  for (const Token& t : zh.Tokenize("维和人员巡逻")) {
    if (t.position > 0) positional.push_back(t.term);
  }
  CHECK(positional == std::vector<std::string>{"维", "和", "人", "员", "巡", "逻"});

  size_t zh_rules = 0;
  for (const Concept& c : Shipped().concepts()) {
    for (const Rule& r : c.rules) {
      if (r.language != "zh") continue;
      ++zh_rules;
      INFO(c.id << ": " << r.text);
      for (const std::string& w : r.words) CHECK(CountCodePoints(w) == 1);
      // A pr:term of several words is matched as a bag of words: several characters go in a
      // pr:phrase (or a pr:near on purpose).
      CHECK((r.kind != Rule::Kind::kTerm || r.words.size() == 1));
    }
  }
  CHECK(zh_rules > 100);

  RuleTagger tagger(Shipped());
  Passage p;
  p.id = "zh-patrol";
  p.language = "zh";
  p.text = "特派团部队在营地周围日夜巡逻，以威慑武装团体对平民的袭击。";
  std::set<std::string> ids;
  for (const Tag& t : tagger.TagPassage(p, zh.Tokenize(p.text), zh)) ids.insert(t.concept_id);
  CHECK(ids == std::set<std::string>{"un-tier-2", "au-physical"});
  // The same characters apart do not make the phrase.
  p.text = "巡回法庭审理了逻辑上相关的案件。";
  ids.clear();
  for (const Tag& t : tagger.TagPassage(p, zh.Tokenize(p.text), zh)) ids.insert(t.concept_id);
  CHECK(ids.count("un-tier-2") == 0);
}

TEST_CASE("Kiswahili rules tag the AU pillars and UCP methods in a few written examples",
          "[tag][lang]") {
  // A smoke test, not a measure: the examples were written beside the rules. Kiswahili has no
  // stemmer in Xapian 1.4, so each rule names the forms it matches.
  RuleTagger tagger(Shipped());
  Analyzer sw("sw");
  struct Example {
    const char* text;
    std::set<std::string> concepts;
  };
  const Example examples[] = {
      {"Vikosi vya Umoja wa Afrika viliongeza doria za usiku karibu na kambi ya wakimbizi wa "
       "ndani ili kuzuia mashambulizi dhidi ya raia.",
       {"un-tier-2", "au-physical"}},
      {"Mjumbe maalum alikutana na viongozi wa makundi yenye silaha ili kuendeleza mazungumzo "
       "ya kisiasa na mchakato wa amani.",
       {"un-tier-1", "au-political"}},
      {"Timu ya walinzi wasio na silaha inaishi katika kijiji usiku na mchana, na uwepo wao "
       "unaoonekana unawazuia wanamgambo.",
       {"ucp-presence"}},
      {"Mitandao ya tahadhari ya mapema ya kijamii ilituma taarifa kuhusu watu wenye silaha, na "
       "familia zikapata muda wa kujificha.",
       {"ucp-early-warning"}},
      {"Bajeti iliyopendekezwa kwa kipindi hiki ni dola milioni 120 kwa ajili ya magari na "
       "ofisi.",
       {}},
      {"Kamati za amani zilisaidia upatanishi kati ya wafugaji na wakulima kuhusu migogoro ya "
       "ardhi.",
       {"un-tier-1", "au-political", "ucp-mediation"}},
  };
  for (const Example& e : examples) {
    Passage p;
    p.id = "sw";
    p.language = "sw";
    p.text = e.text;
    std::set<std::string> ids;
    for (const Tag& t : tagger.TagPassage(p, sw.Tokenize(p.text), sw)) ids.insert(t.concept_id);
    INFO(e.text);
    CHECK(ids == e.concepts);
  }
}

TEST_CASE(
    "Every sample document in Arabic, Spanish and Portuguese gets rule tags, and the coverage "
    "report marks no sample language as without rules",
    "[tag][lang][cli][report]") {
  std::string out;
  REQUIRE(Pillar("export --format jsonl --index " + ShellQuote(SampleIndex().string()), &out) == 0);
  std::map<std::string, std::string> language_of;  // doc id -> language
  std::map<std::string, int> tagged;               // doc id -> passages with a rule tag
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line);
    std::string lang = j.at("language");
    if (lang != "ar" && lang != "es" && lang != "pt") continue;
    std::string doc = j.at("doc_id");
    language_of[doc] = lang;
    bool rule_tag = false;
    for (const auto& t : j.at("pillars")) rule_tag = rule_tag || t.at("source") == "rule";
    tagged[doc] += rule_tag ? 1 : 0;
  }
  // dpo-poc-policy-2023-ar, au-poc-policy-2023-pt, unsc-press-style-es.
  REQUIRE(language_of.size() == 3);
  std::set<std::string> languages;
  for (const auto& [doc, lang] : language_of) {
    INFO(doc << " (" << lang << ")");
    languages.insert(lang);
    CHECK(tagged[doc] >= 5);
  }
  CHECK(languages == std::set<std::string>{"ar", "es", "pt"});

  TempDir dir;
  fs::path page = dir.path() / "report.html";
  REQUIRE(Pillar("report --index " + ShellQuote(SampleIndex().string()) + " --out " +
                     ShellQuote(page.string()),
                 &out, true) == 0);
  std::string html = ReadFile(page);
  for (const char* name : {"Arabic", "Spanish", "Portuguese", "English", "French"}) {
    CHECK(html.find(std::string("no rules for ") + name) == std::string::npos);
  }
  CHECK(html.find("id=\"no-rules\"") == std::string::npos);
}

}  // namespace
}  // namespace pillar
