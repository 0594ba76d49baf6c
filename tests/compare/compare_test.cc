// Compare (the web UI's Compare view, issue 19) on the sample corpus: each side counts what a
// search with the same filters counts, and the distinguishing words are words of that side.

#include "query/compare/compare.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "indexer/base/text.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::SampleIndex;

CompareRequest AuAgainstUn() {
  CompareRequest request;
  request.a.concept_id = "au-physical";
  request.a.orgs = {"African Union", "African Union Commission"};
  request.b.concept_id = "un-tier-2";
  request.b.orgs = {"United Nations Security Council",
                    "United Nations Department of Peace Operations"};
  return request;
}

size_t CountBySearch(Searcher& searcher, const std::string& query, const std::string& concept_id) {
  SearchRequest search;
  search.query = query;
  if (!concept_id.empty()) search.pillars = {concept_id};
  search.limit = 0;
  Result<SearchResult> r = searcher.Search(search);
  REQUIRE(r.ok());
  return r->total;
}

TEST_CASE("Compare counts each side as a search with the same concept and bodies", "[compare]") {
  auto searcher = Searcher::Open(SampleIndex());
  REQUIRE(searcher.ok());
  Result<CompareResult> r = Compare(**searcher, AuAgainstUn());
  REQUIRE(r.ok());
  CHECK(r->a.total > 0);
  CHECK(r->b.total > 0);
  CHECK(r->a.total == CountBySearch(**searcher, "org:african-union OR org:african-union-commission",
                                    "au-physical"));
  CHECK(r->b.total == CountBySearch(**searcher,
                                    "org:\"United Nations Security Council\" OR "
                                    "org:\"United Nations Department of Peace Operations\"",
                                    "un-tier-2"));
  size_t listed = 0;
  for (const auto& [doc, n] : r->a.docs) listed += n;
  CHECK(listed == r->a.total);
  for (const Hit& hit : r->a.hits) {
    CHECK((hit.document.meta.issuer == "African Union" ||
           hit.document.meta.issuer == "African Union Commission"));
  }
}

TEST_CASE("Compare's distinguishing words occur more often on their own side", "[compare]") {
  auto searcher = Searcher::Open(SampleIndex());
  REQUIRE(searcher.ok());
  Result<CompareResult> r = Compare(**searcher, AuAgainstUn());
  REQUIRE(r.ok());
  REQUIRE(!r->a.distinctive.empty());
  REQUIRE(!r->b.distinctive.empty());
  const double n_a = static_cast<double>(r->a.words);
  const double n_b = static_cast<double>(r->b.words);
  for (const DistinctiveWord& w : r->a.distinctive) {
    CHECK(w.z > 0);
    CHECK(w.count_a / n_a > w.count_b / n_b);
  }
  for (const DistinctiveWord& w : r->b.distinctive) {
    CHECK(w.z < 0);
    CHECK(w.count_b / n_b > w.count_a / n_a);
  }
  // Most distinctive first.
  for (size_t i = 1; i < r->a.distinctive.size(); ++i) {
    CHECK(r->a.distinctive[i - 1].z >= r->a.distinctive[i].z);
  }
}

TEST_CASE("Compare by years and the JSON it returns", "[compare]") {
  auto searcher = Searcher::Open(SampleIndex());
  REQUIRE(searcher.ok());
  CompareRequest request;
  request.a.concept_id = "un-tier-1";
  request.a.years = "..2015";
  request.b.concept_id = "un-tier-1";
  request.b.years = "2023..";
  Result<CompareResult> r = Compare(**searcher, request);
  REQUIRE(r.ok());
  for (const Hit& hit : r->a.hits) CHECK(hit.document.meta.Year() <= "2015");
  for (const Hit& hit : r->b.hits) CHECK(hit.document.meta.Year() >= "2023");
  auto j = nlohmann::json::parse(CompareResultJson(request, *r));
  CHECK(j["a"]["concept"] == "un-tier-1");
  CHECK(j["a"]["years"] == "..2015");
  CHECK(j["a"]["total"] == r->a.total);
  CHECK(j["b"]["passages"].size() == r->b.hits.size());
}

TEST_CASE("Compare names the side with an unknown concept or a backwards year range", "[compare]") {
  auto searcher = Searcher::Open(SampleIndex());
  REQUIRE(searcher.ok());
  CompareRequest request = AuAgainstUn();
  request.b.concept_id = "un-tier-9";
  Result<CompareResult> r = Compare(**searcher, request);
  REQUIRE(!r.ok());
  CHECK(r.status().code() == Status::Code::kInvalidArgument);
  CHECK(r.status().message().rfind("side b: ", 0) == 0);
  request = AuAgainstUn();
  request.a.years = "2023..2012";
  r = Compare(**searcher, request);
  REQUIRE(!r.ok());
  CHECK(r.status().message().rfind("side a: ", 0) == 0);
}

TEST_CASE("Compare without a concept compares every passage of the two groups", "[compare]") {
  auto searcher = Searcher::Open(SampleIndex());
  REQUIRE(searcher.ok());
  CompareRequest request = AuAgainstUn();
  request.a.concept_id.clear();
  request.b.concept_id.clear();
  Result<CompareResult> r = Compare(**searcher, request);
  REQUIRE(r.ok());
  CHECK(r->a.total ==
        CountBySearch(**searcher, "org:african-union OR org:african-union-commission", ""));
  Result<CompareResult> tagged = Compare(**searcher, AuAgainstUn());
  REQUIRE(tagged.ok());
  CHECK(r->a.total > tagged->a.total);
}

}  // namespace
}  // namespace pillar
