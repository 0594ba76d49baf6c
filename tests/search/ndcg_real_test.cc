// Search quality on real documents (issue 22): the judged set of researcher queries over
// ../shared/realdocs (tests/fixtures/queries/judged-real.jsonl), nDCG@10 of Pillar's default
// search, guarded by floors that are raised as ranking improves. The same figures beside
// plain Xapian and FTS5 come from tools/rankeval (docs/query.md, "Search quality").

#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/index/index_writer.h"
#include "query/search/searcher.h"
#include "tests/support/judged_set.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

// Floors about 0.05 under the measured means (docs/query.md): all 115 queries, and the 22
// held-out test queries that ranking changes must not be tuned on.
constexpr double kFloorAll = 0.82;   // measured 0.870 (115 queries; 0.652 at first)
constexpr double kFloorTest = 0.76;  // measured 0.812 (0.572 at first)
constexpr size_t kDepth = 10;

TEST_CASE("The real-text judged query set keeps its mean nDCG at 10 above the recorded floors",
          "[search][quality][realdocs]") {
  const fs::path realdocs = testing::RealDocsDir();
  if (realdocs.empty()) {
    WARN(
        "skipped: ../shared/realdocs beside the repository is absent (published documents "
        "for testing)");
    return;
  }
  std::vector<testing::JudgedQuery> judged;
  const fs::path set = testing::SourceDir() / "tests/fixtures/queries/judged-real.jsonl";
  const std::string error = testing::LoadJudgedSet(set, &judged);
  INFO(error);
  REQUIRE(error.empty());
  REQUIRE(judged.size() >= 40);

  // The set was judged on an index of the whole folder, built the way `pillar index` does.
  testing::TempDir dir;
  IndexOptions options;
  options.index_dir = dir.path() / "index";
  options.taxonomy = testing::SourceDir() / "corpus/taxonomy/poc.skos.xml";
  auto summary = IndexPaths({realdocs}, options);
  REQUIRE(summary.ok());
  auto opened = Searcher::Open(options.index_dir);
  REQUIRE(opened.ok());
  Searcher& searcher = *opened.value();

  std::map<std::string, std::vector<double>> by_split;
  std::vector<double> all;
  std::ostringstream report;
  for (const testing::JudgedQuery& q : judged) {
    INFO(q.id << ": " << q.query);
    // A judged id missing from the index means the ids changed: tools/rankeval --remap
    // re-resolves them by the hashes of their text.
    for (const auto& [pid, grade] : q.grades) {
      INFO("judged passage " << pid << " (stale? see tools/rankeval --remap)");
      CHECK(searcher.GetPassage(pid).ok());
    }
    SearchRequest request;  // as `pillar search` sends it, less facets and suggestions
    request.query = q.query;
    request.limit = kDepth;
    request.facets = false;
    request.suggest = false;
    auto result = searcher.Search(request);
    double ndcg = 0, p5 = 0;
    std::string note;
    if (!result.ok()) {
      note = "  [not parsed: " + result.status().message() + "]";
    } else {
      std::vector<std::string> ranked;
      for (const Hit& hit : result->hits) ranked.push_back(hit.passage.id);
      ndcg = testing::Ndcg(ranked, q.grades, kDepth);
      p5 = testing::PrecisionAt5(ranked, q.grades);
      if (result->hits.empty()) note = "  [no passage has all the words]";
    }
    all.push_back(ndcg);
    by_split[q.split].push_back(ndcg);
    char figures[64];
    std::snprintf(figures, sizeof figures, "%.3f  P@5 %.3f", ndcg, p5);
    report << "  " << q.id << "  " << q.split << "  " << figures << "  " << q.query << note << "\n";
  }
  auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
  };
  std::ostringstream head;
  head << "nDCG@" << kDepth << " over " << all.size() << " real-text judged queries: mean "
       << mean(all) << " (floor " << kFloorAll << ")";
  for (const auto& [split, values] : by_split) {
    head << "; " << split << " " << mean(values) << " (" << values.size() << ")";
  }
  head << "; test floor " << kFloorTest << "\n";
  WARN(head.str() + report.str());

  REQUIRE(by_split.count("test") == 1);
  CHECK(mean(all) >= kFloorAll);
  CHECK(mean(by_split["test"]) >= kFloorTest);
}

}  // namespace
}  // namespace pillar
