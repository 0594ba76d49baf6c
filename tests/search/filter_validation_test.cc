// Filters that never fail silently, and "did you mean" on body words only (issue 17).

#include <xapian.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "query/search/filter_check.h"
#include "query/search/query_syntax.h"
#include "query/search/searcher.h"
#include "query/search/spelling.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using Catch::Contains;
using pillar::testing::SampleIndex;

std::unique_ptr<Searcher> OpenSample() {
  auto s = Searcher::Open(SampleIndex());
  REQUIRE(s.ok());
  return std::move(s.value());
}

SearchRequest Request(std::string query) {
  SearchRequest r;
  r.query = std::move(query);
  r.limit = 5;
  return r;
}

// The total of a request that must succeed.
size_t Total(Searcher& s, const SearchRequest& r) {
  Result<SearchResult> result = s.Search(r);
  INFO(r.query << ": " << result.status().message());
  REQUIRE(result.ok());
  return result->total;
}

// The error message of a request that must fail with InvalidArgument.
std::string Refusal(Searcher& s, const SearchRequest& r) {
  Result<SearchResult> result = s.Search(r);
  INFO(r.query);
  REQUIRE(!result.ok());
  CHECK(result.status().code() == Status::Code::kInvalidArgument);
  return result.status().message();
}

TEST_CASE("An unknown filter value is refused with the nearest values the index holds",
          "[search][filters]") {
  auto s = OpenSample();
  SearchRequest pillar = Request("protection");
  pillar.pillars = {"un-tier-4"};
  std::string message = Refusal(*s, pillar);
  CHECK_THAT(message, Contains("--pillar un-tier-4"));
  CHECK_THAT(message, Contains("un-tier-2"));
  CHECK_THAT(message, Contains("pillar taxonomy"));

  SearchRequest doc = Request("protection");
  doc.docs = {"hipo-2015"};
  message = Refusal(*s, doc);
  CHECK_THAT(message, Contains("'hipo-2015'"));
  CHECK_THAT(message, Contains("hippo-2015"));

  SearchRequest lang = Request("protection");
  lang.languages = {"xx"};
  message = Refusal(*s, lang);
  CHECK_THAT(message, Contains("no language 'xx'"));
  CHECK_THAT(message, Contains("en, "));

  message = Refusal(*s, Request("protection type:resolutoin"));
  CHECK_THAT(message, Contains("type:resolutoin in the query"));
  CHECK_THAT(message, Contains("resolution"));
  message = Refusal(*s, Request("protection -pillar:un-tier-9"));
  CHECK_THAT(message, Contains("un-tier-9"));
  // Boosting with a concept nothing has is as silent as filtering by it.
  SearchRequest boost = Request("protection");
  boost.boost_pillars = {"un-teir-2"};
  CHECK_THAT(Refusal(*s, boost), Contains("--boost-pillar un-teir-2"));
}

TEST_CASE("Filter values that are codes match in any case", "[search][filters]") {
  auto s = OpenSample();
  SearchRequest lower = Request("protection");
  lower.languages = {"fr"};
  SearchRequest upper = Request("protection");
  upper.languages = {"FR"};
  size_t fr = Total(*s, lower);
  CHECK(fr > 0);
  CHECK(Total(*s, upper) == fr);

  size_t resolution = Total(*s, Request("protection type:resolution"));
  CHECK(resolution > 0);
  CHECK(Total(*s, Request("protection type:Resolution")) == resolution);
  CHECK(Total(*s, Request("protection Type:RESOLUTION")) == resolution);

  SearchRequest tier = Request("");
  tier.pillars = {"un-tier-2"};
  size_t tagged = Total(*s, tier);
  CHECK(tagged > 0);
  tier.pillars = {"UN-TIER-2"};
  CHECK(Total(*s, tier) == tagged);
  CHECK(Total(*s, Request("pillar:UN-Tier-2")) == tagged);
}

TEST_CASE("An issuing body, a symbol or a title as printed selects its documents",
          "[search][filters]") {
  auto s = OpenSample();
  size_t slug = Total(*s, Request("protection org:african-union"));
  CHECK(slug > 0);
  CHECK(Total(*s, Request("protection org:\"African Union\"")) == slug);
  CHECK(Total(*s, Request("protection org:\u201CAfrican Union\u201D")) == slug);
  size_t council = Total(*s, Request("org:united-nations-security-council"));
  CHECK(council > 0);
  CHECK(Total(*s, Request("org:\"United Nations Security Council\"")) == council);

  SearchRequest by_id = Request("");
  by_id.docs = {"s-res-2719-2023"};
  size_t resolution = Total(*s, by_id);
  CHECK(resolution > 0);
  SearchRequest by_symbol = Request("");
  by_symbol.docs = {"S/RES/2719 (2023)"};
  CHECK(Total(*s, by_symbol) == resolution);
  SearchRequest by_title = Request("");
  by_title.docs = {"resolution 2719 (2023)"};
  CHECK(Total(*s, by_title) == resolution);
}

TEST_CASE(
    "A reversed year range is refused rather than swapped, and a year no document has is "
    "refused with the nearest years",
    "[search][filters]") {
  Result<PreparedQuery> reversed = PrepareQuery("mandate year:2023..2012");
  REQUIRE(!reversed.ok());
  CHECK_THAT(reversed.status().message(), Contains("column 9"));
  CHECK_THAT(reversed.status().message(), Contains("runs backwards"));
  CHECK_THAT(reversed.status().message(), Contains("year:2012..2023"));
  CHECK(PrepareQuery("year:2012..2012").ok());

  auto s = OpenSample();
  CHECK_THAT(Refusal(*s, Request("year:2023..2012")), Contains("runs backwards"));
  size_t y2015 = Total(*s, Request("year:2015"));
  CHECK(y2015 > 0);
  std::string message = Refusal(*s, Request("protection year:1999"));
  CHECK_THAT(message, Contains("no document from 1999"));
  CHECK_THAT(message, Contains("2015"));
  // Ranges may hold years without documents: they are ranges.
  CHECK(Total(*s, Request("year:1999..2015")) >= y2015);
}

TEST_CASE(
    "An unknown field is refused with the known fields, and symbols, URLs and times are "
    "not fields",
    "[search][filters]") {
  auto s = OpenSample();
  std::string message = Refusal(*s, Request("author:mandela"));
  CHECK_THAT(message, Contains("unknown field 'author:'"));
  CHECK_THAT(message, Contains("lang: pillar: year:"));
  CHECK_THAT(Refusal(*s, Request("protection date:2020")), Contains("unknown field 'date:'"));
  CHECK_THAT(Refusal(*s, Request("(patrols OR -author:x)")), Contains("'author:'"));
  for (const char* fine : {"S/RES/2719", "A/70/95-S/2015/446", "symbol:A/70/95-S/2015/446",
                           "patrols https://example.org/poc", "meeting at 10:30",
                           "\"author:mandela\"", "section:warning", "Title:handbook"}) {
    INFO(fine);
    CHECK(s->Search(Request(fine)).ok());
  }
  CHECK(Total(*s, Request("S/RES/2719")) > 0);
}

TEST_CASE("An offset past the last match is flagged, not a silent empty page",
          "[search][filters]") {
  auto s = OpenSample();
  SearchRequest r = Request("patrols");
  Result<SearchResult> first = s->Search(r);
  REQUIRE(first.ok());
  REQUIRE(first->total > 0);
  CHECK(!first->offset_past_end);
  r.offset = 500;
  Result<SearchResult> past = s->Search(r);
  REQUIRE(past.ok());
  CHECK(past->hits.empty());
  CHECK(past->total == first->total);
  CHECK(past->offset_past_end);
  // Nothing matching at all is not an offset problem.
  SearchRequest none = Request("zzzqqq");
  none.offset = 500;
  Result<SearchResult> empty = s->Search(none);
  REQUIRE(empty.ok());
  CHECK(!empty->offset_past_end);
}

TEST_CASE("Body ranges leave out field names, field values, operators and symbols",
          "[search][filters]") {
  const std::string q =
      "ceasfire lang:fr AND org:\"African Union\" -budget S/RES/2719 \"early warnin\"";
  std::vector<std::string> words;
  for (const auto& [b, e] : BodyRanges(q)) words.push_back(q.substr(b, e - b));
  CHECK(words == std::vector<std::string>{"ceasfire", "budget", "early warnin"});
}

TEST_CASE("Did you mean corrects body words only, never field names or values",
          "[search][filters][suggest]") {
  auto s = OpenSample();
  Result<SearchResult> r = s->Search(Request("mediaton lang:en"));
  REQUIRE(r.ok());
  CHECK(r->did_you_mean == "mediation lang:en");
  r = s->Search(Request("ceasfire monitoring"));
  REQUIRE(r.ok());
  CHECK(r->did_you_mean == "ceasefire monitoring");
  r = s->Search(Request("mediaton pillar:ucp-mediation"));
  REQUIRE(r.ok());
  CHECK(r->did_you_mean == "mediation pillar:ucp-mediation");
  r = s->Search(Request("speaker:Okafr"));
  REQUIRE(r.ok());
  CHECK(r->did_you_mean.empty());
}

TEST_CASE("Did you mean replaces a word the corpus holds as a rare typo of a common word",
          "[search][suggest]") {
  // A real (in-memory) Xapian database: "ceasfire" in one passage, "ceasefire" in 40.
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  auto add = [&](std::vector<std::string> words) {
    Xapian::Document d;
    for (const std::string& w : words) d.add_term(w);
    db.add_document(d);
  };
  add({"ceasfire", "monitoring"});
  for (int k = 0; k < 40; ++k) add({"ceasefire", "monitoring"});
  for (int k = 0; k < 2; ++k) add({"okafor"});
  for (int k = 0; k < 10; ++k) add({"okafer"});
  CHECK(SuggestQuery(db, "ceasfire monitoring") == "ceasefire monitoring");
  // A rare word whose neighbour is not many times as common stays.
  CHECK(SuggestQuery(db, "okafor").empty());
  CHECK(SuggestQuery(db, "ceasefire monitoring").empty());
  CHECK(SuggestQuery(db, "lang:ceasfire").empty());
}

}  // namespace
}  // namespace pillar
