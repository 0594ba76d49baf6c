#include "indexer/tag/eval.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>

#include "indexer/tag/rule_tagger.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::SourceDir;
using testing::TempDir;
using Items = std::vector<std::pair<std::set<std::string>, std::set<std::string>>>;

TEST_CASE("Evaluate computes per-concept, micro and macro scores by hand", "[tag]") {
  // a: tp 2 (items 1, 2), fp 1 (item 3), fn 1 (item 4) -> P 2/3, R 2/3, F1 2/3.
  // b: tp 1 (item 1), fp 0, fn 2 (items 3, 4)          -> P 1, R 1/3, F1 1/2.
  // c: never predicted nor gold                        -> 0, 0, 0 (zero_division = 0).
  // "x" is predicted but not among the evaluated ids: ignored.
  Items items = {
      {{"a", "b"}, {"a", "b"}},
      {{"a", "x"}, {"a"}},
      {{"a"}, {"b"}},
      {{}, {"a", "b"}},
      {{}, {}},
  };
  EvalReport r = Evaluate(items, {"a", "b", "c"});
  CHECK(r.items == 5);
  REQUIRE(r.per_concept.size() == 3);
  const ConceptScores& a = r.per_concept[0];
  CHECK(a.id == "a");
  CHECK((a.tp == 2 && a.fp == 1 && a.fn == 1));
  CHECK(a.precision == Approx(2.0 / 3));
  CHECK(a.recall == Approx(2.0 / 3));
  CHECK(a.f1 == Approx(2.0 / 3));
  const ConceptScores& b = r.per_concept[1];
  CHECK((b.tp == 1 && b.fp == 0 && b.fn == 2));
  CHECK(b.precision == Approx(1.0));
  CHECK(b.recall == Approx(1.0 / 3));
  CHECK(b.f1 == Approx(0.5));
  const ConceptScores& c = r.per_concept[2];
  CHECK((c.tp == 0 && c.fp == 0 && c.fn == 0));
  CHECK((c.precision == 0 && c.recall == 0 && c.f1 == 0));
  // Micro: tp 3, fp 1, fn 3 -> P 3/4, R 1/2, F1 0.6.
  CHECK(r.micro_p == Approx(0.75));
  CHECK(r.micro_r == Approx(0.5));
  CHECK(r.micro_f1 == Approx(0.6));
  // Macro: means over a, b, c.
  CHECK(r.macro_p == Approx((2.0 / 3 + 1 + 0) / 3));
  CHECK(r.macro_r == Approx((2.0 / 3 + 1.0 / 3 + 0) / 3));
  CHECK(r.macro_f1 == Approx((2.0 / 3 + 0.5 + 0) / 3));

  // No ids: every id seen, sorted (x is now a concept with one false positive).
  EvalReport all = Evaluate(items, {});
  REQUIRE(all.per_concept.size() == 3);
  CHECK(all.per_concept[2].id == "x");
  CHECK(all.per_concept[2].fp == 1);

  EvalReport empty = Evaluate({}, {"a"});
  CHECK(empty.items == 0);
  CHECK(empty.micro_f1 == 0);
}

TEST_CASE("LoadGoldCsv reads quoted fields, escapes, CRLF and several separators", "[tag]") {
  TempDir dir;
  auto path = dir.Write("gold.csv",
                        "\xEF\xBB\xBFpassage_id,concepts,note\r\n"
                        "doc-a#1,un-tier-2;au-physical,plain\r\n"
                        "\"doc-a#2\",\"un-tier-1 au-political\",\"says \"\"talk\"\", twice\"\r\n"
                        "doc-b#op-5,,\"a note\nover two lines\"\r\n"
                        "\r\n"
                        "doc-b#op-6,\"ucp-presence, ucp-accompaniment ;\",\n");
  auto gold = LoadGoldCsv(path);
  INFO(gold.status().ToString());
  REQUIRE(gold.ok());
  REQUIRE(gold->size() == 4);
  CHECK((*gold)[0].first == "doc-a#1");
  CHECK((*gold)[0].second == std::set<std::string>{"un-tier-2", "au-physical"});
  CHECK((*gold)[1].first == "doc-a#2");
  CHECK((*gold)[1].second == std::set<std::string>{"un-tier-1", "au-political"});
  CHECK((*gold)[2].first == "doc-b#op-5");
  CHECK((*gold)[2].second.empty());
  CHECK((*gold)[3].second == std::set<std::string>{"ucp-presence", "ucp-accompaniment"});
}

TEST_CASE("LoadGoldCsv errors name the file and the line", "[tag]") {
  TempDir dir;
  struct Case {
    const char* csv;
    const char* message;
  };
  const Case cases[] = {
      {"id,labels\na,b\n", "gold.csv: line 1: the header must name the columns"},
      {"passage_id,concepts\na,b\nc,\"d\n\n", "gold.csv: line 3: unterminated quoted field"},
      {"passage_id,concepts\na,b\nc,d,e\n", "gold.csv: line 3: expected 2 fields, found 3"},
      {"passage_id,concepts\na,b\n,c\n", "gold.csv: line 3: empty passage_id"},
      {"passage_id,concepts\na,b\n\"x\ny\",z\na,c\n",
       "gold.csv: line 5: duplicate passage_id 'a' (first on line 2)"},
      {"passage_id,concepts\n\"a\"b,c\n", "gold.csv: line 2: unexpected character after"},
  };
  for (const Case& c : cases) {
    INFO(c.csv);
    auto gold = LoadGoldCsv(dir.Write("gold.csv", c.csv));
    REQUIRE_FALSE(gold.ok());
    CHECK(gold.status().code() == Status::Code::kCorruption);
    CHECK_THAT(gold.status().message(), Catch::Contains(c.message));
  }
  auto missing = LoadGoldCsv(dir.path() / "none.csv");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
}

// Tags every passage of a JSON-lines fixture ({id, lang, text, concepts}) with the shipped
// taxonomy and scores the result against its labels.
struct FixtureScores {
  EvalReport report;
  int negatives = 0;         // passages whose gold is empty (hard negatives)
  int negatives_tagged = 0;  // ... that got at least one tag
  double NegativeFpRate() const {
    return negatives ? static_cast<double>(negatives_tagged) / negatives : 0;
  }
  std::string Table(const std::string& name) const;
};

std::string FixtureScores::Table(const std::string& name) const {
  const EvalReport& r = report;
  char buf[200];
  std::string table = name + ": " + std::to_string(r.items) + " passages\n";
  std::snprintf(buf, sizeof buf, "%-26s %4s %4s %4s %6s %6s %6s\n", "concept", "tp", "fp", "fn",
                "P", "R", "F1");
  table += buf;
  for (const ConceptScores& s : r.per_concept) {
    std::snprintf(buf, sizeof buf, "%-26s %4d %4d %4d %6.3f %6.3f %6.3f\n", s.id.c_str(), s.tp,
                  s.fp, s.fn, s.precision, s.recall, s.f1);
    table += buf;
  }
  std::snprintf(buf, sizeof buf,
                "micro P %.3f R %.3f F1 %.3f | macro P %.3f R %.3f F1 %.3f\n"
                "negatives (empty gold): %d, tagged: %d, FP rate %.3f\n",
                r.micro_p, r.micro_r, r.micro_f1, r.macro_p, r.macro_r, r.macro_f1, negatives,
                negatives_tagged, NegativeFpRate());
  return table + buf;
}

FixtureScores ScoreFixture(const std::filesystem::path& jsonl) {
  Result<Taxonomy> tax = Taxonomy::Load({SourceDir() / "corpus/taxonomy/poc.skos.xml"});
  INFO(tax.status().ToString());
  REQUIRE(tax.ok());
  RuleTagger tagger(*tax);
  std::map<std::string, Analyzer> analyzers;

  std::ifstream in(jsonl);
  INFO(jsonl.string());
  REQUIRE(in);
  Items items;
  FixtureScores scores;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    INFO("line " << line_no);
    REQUIRE(j.is_object());
    std::string lang = j.value("lang", "en");
    Analyzer& analyzer = analyzers.try_emplace(lang, lang).first->second;
    std::set<std::string> predicted, gold;
    for (const Tag& t : tagger.TagTokens(analyzer.Tokenize(j.at("text").get<std::string>()),
                                         analyzer)) {
      predicted.insert(t.concept_id);
    }
    for (const auto& c : j.at("concepts")) gold.insert(c.get<std::string>());
    if (gold.empty()) {
      ++scores.negatives;
      scores.negatives_tagged += !predicted.empty();
    }
    items.emplace_back(std::move(predicted), std::move(gold));
  }
  std::vector<std::string> ids;
  for (const Concept& c : tax->concepts()) ids.push_back(c.id);
  scores.report = Evaluate(items, ids);
  return scores;
}

// The measured quality of the shipped rules on the hand-labelled passages of
// tests/fixtures/tagging/ (figures in docs/tagging.md). The floors sit about 0.03-0.04 under the
// measured figures, so that a rule change that costs quality fails here.
constexpr double kDevMicroF1Floor = 0.92;      // measured 0.957
constexpr double kHoldoutMicroF1Floor = 0.81;  // measured 0.853
constexpr double kNegativeFpRateCeiling = 0.10;  // measured 0.016 (dev), 0 (holdout)

TEST_CASE("The shipped rules reach the recorded micro-F1 on the dev set", "[tag]") {
  FixtureScores scores = ScoreFixture(SourceDir() / "tests/fixtures/tagging/devset.jsonl");
  WARN(scores.Table("dev set"));
  CHECK(scores.report.items >= 100);
  CHECK(scores.report.micro_f1 >= kDevMicroF1Floor);
  CHECK(scores.NegativeFpRate() <= kNegativeFpRateCeiling);
}

// The holdout was written after the rules, in other words: the honest figure.
TEST_CASE("The shipped rules reach the recorded micro-F1 on the holdout set", "[tag]") {
  FixtureScores scores = ScoreFixture(SourceDir() / "tests/fixtures/tagging/holdout.jsonl");
  WARN(scores.Table("holdout set"));
  CHECK(scores.report.items >= 40);
  CHECK(scores.report.micro_f1 >= kHoldoutMicroF1Floor);
  CHECK(scores.NegativeFpRate() <= kNegativeFpRateCeiling);
}

}  // namespace
}  // namespace pillar
