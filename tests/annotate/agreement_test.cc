// Agreement measures against values computed by hand from the textbook formulas.

#include "indexer/annotate/agreement.h"

#include <catch2/catch.hpp>

namespace pillar {
namespace {

std::vector<std::pair<bool, bool>> Labels(const std::string& first, const std::string& second) {
  REQUIRE(first.size() == second.size());
  std::vector<std::pair<bool, bool>> out;
  for (size_t i = 0; i < first.size(); ++i) out.emplace_back(first[i] == '1', second[i] == '1');
  return out;
}

TEST_CASE("Cohen's kappa equals the hand computation from po and pe", "[annotate][agreement]") {
  // A: 1111000000, B: 1110000001. They agree on 8 of 10: po = 0.8. Each says yes on 4:
  // pe = 0.4 * 0.4 + 0.6 * 0.6 = 0.52. kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 7/12.
  auto kappa = CohenKappa(Labels("1111000000", "1110000001"));
  REQUIRE(kappa);
  CHECK(*kappa == Approx(7.0 / 12.0).epsilon(1e-12));  // 0.583333

  // The 2x2 table of Cohen's kappa's usual worked example: 20 both yes, 5 first only, 10
  // second only, 15 both no. po = 35/50 = 0.7; first yes 25/50, second yes 30/50:
  // pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4.
  std::string a, b;
  a += std::string(20, '1') + std::string(5, '1') + std::string(10, '0') + std::string(15, '0');
  b += std::string(20, '1') + std::string(5, '0') + std::string(10, '1') + std::string(15, '0');
  kappa = CohenKappa(Labels(a, b));
  REQUIRE(kappa);
  CHECK(*kappa == Approx(0.4).epsilon(1e-12));

  // Perfect disagreement on a balanced set: po = 0, pe = 0.5, kappa = -1.
  CHECK(*CohenKappa(Labels("1100", "0011")) == Approx(-1.0));
}

TEST_CASE(
    "Cohen's kappa is undefined, not 0, when chance agreement is certain or there are no "
    "units",
    "[annotate][agreement]") {
  CHECK(!CohenKappa(Labels("0000", "0000")));  // pe = 1
  CHECK(!CohenKappa(Labels("1111", "1111")));
  CHECK(!CohenKappa({}));
  // One coder constant, the other not: pe = 1 * 0.5 + 0 * 0.5 = 0.5, po = 0.5: kappa 0.
  CHECK(*CohenKappa(Labels("1111", "1100")) == Approx(0.0).margin(1e-12));
}

TEST_CASE(
    "Krippendorff's alpha for two coders equals the hand computation from the "
    "coincidence matrix",
    "[annotate][agreement]") {
  // The same 10 units as the kappa case. Pairable values n = 20: yes n1 = 8, no n0 = 12. The
  // two disagreeing units give o01 = o10 = 2. alpha = 1 - (n - 1) * (o01 + o10) / (2 n0 n1)
  // = 1 - 19 * 4 / (2 * 12 * 8) = 1 - 76/192 = 116/192 = 0.604167.
  std::vector<std::vector<int>> units;
  for (const auto& [x, y] : Labels("1111000000", "1110000001")) units.push_back({x, y});
  auto alpha = KrippendorffAlphaNominal(units);
  REQUIRE(alpha);
  CHECK(*alpha == Approx(116.0 / 192.0).epsilon(1e-12));
}

TEST_CASE(
    "Krippendorff's alpha reproduces the published nominal example with four coders and "
    "missing values",
    "[annotate][agreement]") {
  // Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the example of 4
  // observers, 12 units, values 1-5 with gaps: nominal alpha = 0.743. By hand: 40 pairable
  // values (unit 12 has one value and is left out); n1 = 9, n2 = 13, n3 = 10, n4 = 5, n5 = 3;
  // sum_c n_c (n_c - 1) = 72 + 156 + 90 + 20 + 6 = 344, so sum_{c!=k} n_c n_k = 1600 - 40 -
  // 344 = 1216; disagreeing coincidences: unit 2 (2,2,3,2) gives 2, unit 6 (1,2,3,4) gives 4,
  // unit 8 (1,1,2,1) gives 2: 8 in all. alpha = 1 - 39 * 8 / 1216 = 1 - 312/1216 = 0.743421.
  std::vector<std::vector<int>> units = {{1, 1, 1},    {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3},
                                         {2, 2, 2, 2}, {1, 2, 3, 4}, {4, 4, 4, 4}, {1, 1, 2, 1},
                                         {2, 2, 2, 2}, {5, 5, 5},    {1, 1},       {3}};
  auto alpha = KrippendorffAlphaNominal(units);
  REQUIRE(alpha);
  CHECK(*alpha == Approx(1.0 - 312.0 / 1216.0).epsilon(1e-12));
  CHECK(*alpha == Approx(0.743).margin(0.0005));
}

TEST_CASE("Krippendorff's alpha is undefined when every value is the same or nothing pairs",
          "[annotate][agreement]") {
  CHECK(!KrippendorffAlphaNominal({{0, 0}, {0, 0, 0}}));
  CHECK(!KrippendorffAlphaNominal({{1}, {0}}));
  CHECK(!KrippendorffAlphaNominal({}));
}

Annotation Coded(const std::string& by, const std::string& passage_id, Annotation::Action action,
                 std::vector<std::string> concepts) {
  Annotation a;
  a.by = by;
  a.anchor.passage_id = passage_id;
  a.anchor.doc_id = "d";
  a.action = action;
  a.concepts = std::move(concepts);
  return a;
}

TEST_CASE(
    "A coder's labels are what their own decisions add up to, and disagreements name the "
    "coders",
    "[annotate][agreement]") {
  using Action = Annotation::Action;
  std::vector<Annotation> all = {
      Coded("ann", "d#1", Action::kAdd, {"x"}),    Coded("ann", "d#1", Action::kAdd, {"y"}),
      Coded("ben", "d#1", Action::kSet, {"x"}),    Coded("ann", "d#2", Action::kAdd, {"x"}),
      Coded("ann", "d#2", Action::kRemove, {"x"}),  // ann changed her mind: no x on d#2
      Coded("ben", "d#2", Action::kSet, {}),       Coded("cat", "d#2", Action::kAdd, {"x"}),
      Coded("ann", "d#3", Action::kAdd, {"x"}),  // coded by ann alone: not a unit
      Coded("zed", "d#1", Action::kAdd, {"z"}),  // not among the coders asked
  };
  Codings codings = CodingsOf(all, {"ann", "ben", "cat"});
  CHECK(codings["d#1"]["ann"] == std::set<std::string>{"x", "y"});
  CHECK(codings["d#2"]["ann"].empty());
  CHECK(codings["d#1"].count("zed") == 0);

  AgreementReport report = MeasureAgreement(codings, {"ann", "ben", "cat"}, {});
  REQUIRE(report.concepts.size() == 2);  // x and y: the concepts used, sorted
  const ConceptAgreement& x = report.concepts[0];
  CHECK(x.concept_id == "x");
  CHECK(x.units == 2);
  REQUIRE(x.pairs.size() == 3);
  CHECK(x.pairs[0].units == 2);  // ann/ben on d#1 and d#2, agreeing on both
  CHECK(x.pairs[0].agree == 2);
  CHECK(x.pairs[1].units == 1);  // ann/cat on d#2 only
  REQUIRE(report.disagreements.size() == 2);
  CHECK(report.disagreements[0].passage_id == "d#1");
  CHECK(report.disagreements[0].concept_id == "y");
  CHECK(report.disagreements[0].yes == std::vector<std::string>{"ann"});
  CHECK(report.disagreements[1].passage_id == "d#2");
  CHECK(report.disagreements[1].yes == std::vector<std::string>{"cat"});
  CHECK(report.disagreements[1].no == std::vector<std::string>{"ann", "ben"});
}

}  // namespace
}  // namespace pillar
