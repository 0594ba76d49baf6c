// Search quality on the judged query set (tests/fixtures/queries/judged.jsonl): nDCG@10 over
// the sample corpus, guarded by a floor that is raised as ranking improves.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

// The mean nDCG@10 the judged set must not fall below; the floor sits about 0.05 under the
// measured mean. 0.846 with any-word queries; 0.799 since words are all required (issue 17):
// several judged queries were written for the any-word meaning (docs/query.md, Search
// quality). Raise it as search improves.
constexpr double kFloor = 0.82;  // measured 0.872 (issue 22 ranking; 0.799 before)
constexpr size_t kDepth = 10;

struct JudgedQuery {
  std::string id;
  std::string query;
  std::string lang;
  std::map<std::string, int> grades;  // passage id -> 1 or 2
};

std::vector<JudgedQuery> LoadJudged() {
  const auto path = testing::SourceDir() / "tests/fixtures/queries/judged.jsonl";
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<JudgedQuery> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto j = nlohmann::json::parse(line);
    JudgedQuery q;
    q.id = j.at("id").get<std::string>();
    q.query = j.at("query").get<std::string>();
    q.lang = j.value("lang", "");
    for (const auto& [pid, grade] : j.at("relevant").items()) q.grades[pid] = grade.get<int>();
    out.push_back(std::move(q));
  }
  return out;
}

double Gain(int grade) { return std::pow(2.0, grade) - 1.0; }
double Discount(size_t rank0) { return std::log2(static_cast<double>(rank0) + 2.0); }

// nDCG@k of `ranked` (passage ids, best first) against `grades`. Unjudged passages gain 0;
// the ideal ranking orders every judged passage of the query by grade.
double Ndcg(const std::vector<std::string>& ranked, const std::map<std::string, int>& grades,
            size_t k) {
  double dcg = 0;
  for (size_t i = 0; i < ranked.size() && i < k; ++i) {
    auto it = grades.find(ranked[i]);
    if (it != grades.end()) dcg += Gain(it->second) / Discount(i);
  }
  std::vector<int> ideal;
  for (const auto& [pid, grade] : grades) ideal.push_back(grade);
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (size_t i = 0; i < ideal.size() && i < k; ++i) idcg += Gain(ideal[i]) / Discount(i);
  return idcg > 0 ? dcg / idcg : 0;
}

TEST_CASE("nDCG at 10 rewards judged passages at the top and is 1 for the ideal order",
          "[search][quality]") {
  const std::map<std::string, int> grades = {{"a", 2}, {"b", 1}};
  CHECK(Ndcg({"a", "b"}, grades, kDepth) == Approx(1.0));
  CHECK(Ndcg({"x", "y"}, grades, kDepth) == Approx(0.0));
  CHECK(Ndcg({"b", "a"}, grades, kDepth) < 1.0);
  // One grade-2 hit at rank 1 of an ideal of (2, 1): 3 / (3 + 1/log2(3)).
  CHECK(Ndcg({"a"}, grades, kDepth) == Approx(3.0 / (3.0 + 1.0 / std::log2(3.0))));
}

TEST_CASE("The judged query set keeps its mean nDCG at 10 above the recorded floor",
          "[search][quality]") {
  const std::vector<JudgedQuery> judged = LoadJudged();
  REQUIRE(judged.size() >= 35);

  auto opened = Searcher::Open(testing::SampleIndex());
  REQUIRE(opened.ok());
  Searcher& searcher = *opened.value();

  struct Row {
    std::string id, query, error;
    double ndcg = 0;
  };
  std::vector<Row> rows;
  for (const JudgedQuery& q : judged) {
    INFO(q.id << ": " << q.query);
    // Every judged passage must exist in the sample index, or the judgments are stale.
    for (const auto& [pid, grade] : q.grades) {
      INFO("judged passage " << pid);
      CHECK(searcher.GetPassage(pid).ok());
      CHECK((grade == 1 || grade == 2));
    }
    // The query's "lang" says what language it is written in; it is not a filter. Only a
    // lang: in the query text itself restricts the results.
    SearchRequest request;
    request.query = q.query;
    request.limit = kDepth;
    request.facets = false;
    request.suggest = false;
    Row row{q.id, q.query, "", 0};
    auto result = searcher.Search(request);
    if (!result.ok()) {
      // A construct the engine cannot parse yet scores 0 rather than failing the test.
      row.error = result.status().message();
    } else {
      std::vector<std::string> ranked;
      for (const Hit& hit : result->hits) ranked.push_back(hit.passage.id);
      row.ndcg = Ndcg(ranked, q.grades, kDepth);
    }
    rows.push_back(row);
  }

  double sum = 0;
  for (const Row& r : rows) sum += r.ndcg;
  const double mean = rows.empty() ? 0 : sum / static_cast<double>(rows.size());

  std::ostringstream report;
  report << "nDCG@" << kDepth << " over " << rows.size() << " judged queries: mean "
         << mean << " (floor " << kFloor << ")\n";
  for (const Row& r : rows) {
    char figure[16];
    std::snprintf(figure, sizeof figure, "%.3f", r.ndcg);
    report << "  " << r.id << "  " << figure << "  " << r.query;
    if (!r.error.empty()) report << "  [not parsed: " << r.error << "]";
    report << "\n";
  }
  WARN(report.str());

  REQUIRE(mean >= kFloor);
}

}  // namespace
}  // namespace pillar
