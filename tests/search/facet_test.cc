// Facet counts (FacetIndex) against a brute-force count over every matching passage, on the
// sample corpus and on an index that an incremental re-index leaves with docid holes, read by
// a Searcher opened before the re-index (so its facet cache must be rebuilt).

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include <xapian.h>

#include "indexer/index/index_writer.h"
#include "indexer/index/layout.h"
#include "query/search/facet_index.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::SampleIndex;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

using Counts = std::map<std::string, size_t>;

// Every matching passage (no facets), counted one by one.
struct BruteForce {
  size_t total = 0;
  Counts pillar, doc, org, year, lang, type;
};

BruteForce Count(Searcher& searcher, SearchRequest request) {
  request.facets = false;
  request.offset = 0;
  request.limit = 1000000;
  request.per_doc = 0;
  request.suggest = false;
  request.any_word_fallback = false;  // the matches only, not the page's fill
  auto result = searcher.Search(request);
  REQUIRE(result.ok());
  BruteForce b;
  b.total = result->hits.size();
  for (const Hit& h : result->hits) {
    std::set<std::string> concepts;
    for (const Tag& t : h.passage.tags) concepts.insert(t.concept_id);
    for (const std::string& c : concepts) ++b.pillar[c];
    ++b.doc[h.passage.doc_id];
    const DocumentMetadata& m = h.document.meta;
    if (!m.issuer.empty()) ++b.org[m.issuer];
    if (!m.Year().empty()) ++b.year[m.Year()];
    if (!m.language.empty()) ++b.lang[m.language];
    if (!m.type.empty()) ++b.type[m.type];
  }
  return b;
}

void CheckFacets(Searcher& searcher, SearchRequest request) {
  INFO("query: " << request.query << " per_doc " << request.per_doc);
  request.facets = true;
  auto result = searcher.Search(request);
  REQUIRE(result.ok());
  BruteForce b = Count(searcher, request);
  CHECK(result->total == b.total);
  CHECK(result->pillar_facet == b.pillar);
  CHECK(result->doc_facet == b.doc);
  CHECK(result->org_facet == b.org);
  CHECK(result->year_facet == b.year);
  CHECK(result->lang_facet == b.lang);
  CHECK(result->type_facet == b.type);
}

SearchRequest Request(std::string query, size_t limit = 10) {
  SearchRequest r;
  r.query = std::move(query);
  r.limit = limit;
  return r;
}

TEST_CASE("Facets of every kind of query equal a brute-force count", "[search][facets]") {
  auto opened = Searcher::Open(SampleIndex());
  REQUIRE(opened.ok());
  Searcher& s = **opened;
  for (const char* q : {"", "civilians", "protection OR civilians OR protección OR proteção",
                        "\"early warning\"", "patrols NEAR civilians", "early AND warning",
                        "protection NOT civilians", "securite", "patrol*", "year:2015..",
                        "S/RES/2719 financing", "section:protection", "zzzzunknownword"}) {
    CheckFacets(s, Request(q));
    CheckFacets(s, Request(q, 0));
  }
  SearchRequest filtered = Request("protection");
  filtered.pillars = {"un-tier-2", "au-physical"};
  CheckFacets(s, filtered);
  SearchRequest by_lang = Request("protection");
  by_lang.languages = {"fr"};
  CheckFacets(s, by_lang);
  for (const char* q : {"civilians", "\"early warning\"", "patrol*"}) {
    SearchRequest collapsed = Request(q);  // facets and total count before collapsing
    collapsed.per_doc = 1;
    CheckFacets(s, collapsed);
  }
  SearchRequest boosted = Request("civilians", 3);
  boosted.boost_pillars = {"un-tier-1"};
  boosted.offset = 2;
  CheckFacets(s, boosted);
}

TEST_CASE("Counting matches from postings agrees with Xapian's matcher", "[search][facets]") {
  Xapian::Database db(XapianPath(SampleIndex()).string());
  FacetIndex index(db);
  using Q = Xapian::Query;
  auto many = [](Q::op op, std::vector<Q> subs) { return Q(op, subs.begin(), subs.end()); };
  const Q civilians("civilians"), protection("protection"), patrols("patrols"),
      rare("hippo"), missing("zzzznotaterm"), french("Lfr"), tier2("XPun-tier-2"),
      heading("XSprotect");
  const std::vector<Q> queries = {
      civilians,
      Q::MatchAll,
      Q::MatchNothing,
      missing,
      Q(Q::OP_OR, civilians, Q(Q::OP_SCALE_WEIGHT, heading, 0.5)),
      Q(Q::OP_AND, civilians, protection),
      many(Q::OP_AND, {rare, civilians, protection}),      // rare first, the rest probed
      many(Q::OP_AND, {Q(Q::OP_OR, rare, patrols), civilians, Q::MatchAll}),
      Q(Q::OP_AND, civilians, missing),
      Q(Q::OP_FILTER, Q(Q::OP_OR, civilians, protection), tier2),
      Q(Q::OP_FILTER, Q::MatchAll, french),
      many(Q::OP_AND_NOT, {civilians, protection, patrols}),
      Q(Q::OP_AND_NOT, Q::MatchAll, civilians),
      many(Q::OP_XOR, {civilians, protection, heading}),
      Q(Q::OP_AND_MAYBE, patrols, civilians),
      Q(Q::OP_SYNONYM, civilians, heading),
      Q(Q::OP_MAX, patrols, rare),
      Q(Q::OP_FILTER, Q(Q::OP_AND_MAYBE, protection, many(Q::OP_SYNONYM, {tier2})), french),
  };
  for (const Q& q : queries) {
    INFO(q.get_description());
    REQUIRE(FacetIndex::CanCount(q));
    FacetIndex::Counter fast(index), slow(index);
    index.CountMatches(db, q, &fast);
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    Xapian::MSet all = enquire.get_mset(0, db.get_doccount() + 1);
    for (auto it = all.begin(); it != all.end(); ++it) slow.Add(*it);
    CHECK(fast.total() == slow.total());
    CHECK(fast.DocCounts() == slow.DocCounts());
    CHECK(fast.ConceptCounts() == slow.ConceptCounts());
  }
  CHECK(db.get_termfreq("civilians") > 10);  // the terms above are real
  CHECK(db.get_termfreq("hippo") > 0);
  CHECK(db.get_termfreq("XSprotect") > 0);
  // What needs positions or values is left to the matcher.
  CHECK_FALSE(FacetIndex::CanCount(many(Q::OP_PHRASE, {Q("early"), Q("warning")})));
  CHECK_FALSE(FacetIndex::CanCount(Q(Q::OP_OR, civilians, many(Q::OP_NEAR, {Q("a"), Q("b")}))));
  CHECK_FALSE(FacetIndex::CanCount(Q(Q::OP_VALUE_GE, 1, "x")));
  CHECK_FALSE(FacetIndex::CanCount(Q(Q::OP_WILDCARD, "patr")));
}

IndexSummary Index(const fs::path& corpus, const fs::path& index_dir) {
  IndexOptions options;
  options.index_dir = index_dir;
  Result<IndexSummary> s = IndexPaths({corpus}, options);
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("Facets stay exact after an incremental re-index leaves docid holes",
          "[search][facets][index]") {
  TempDir corpus, index;
  corpus.Write("docs/a.txt",
               "1. Patrols deter attacks on civilians.\n\n2. Night patrols protect civilians "
               "in camps.\n\n3. Early warning networks alert communities.\n");
  corpus.Write("docs/b.md",
               "# Early warning\n\nCommunity alert networks warn villages of attacks.\n\n"
               "Mediation between communities prevents violence against civilians.\n");
  corpus.Write("docs/c.txt", "1. The budget is adopted.\n\n2. Civilians are protected.\n");
  Index(corpus.path() / "docs", index.path());

  auto opened = Searcher::Open(index.path());
  REQUIRE(opened.ok());
  Searcher& s = **opened;  // stays open across the re-index below
  const char* queries[] = {"", "civilians", "patrols OR warning", "\"early warning\"",
                           "attacks", "radio"};
  for (const char* q : queries) CheckFacets(s, Request(q));
  auto before = s.Search(Request("civilians"));
  REQUIRE(before.ok());
  CHECK(before->doc_facet.count("a") == 1);

  // Edit a (its passages are deleted and re-added under new docids), drop c, add d.
  corpus.Write("docs/a.txt",
               "1. Patrols deter attacks.\n\n2. Radio relays carry alerts to civilians.\n");
  fs::remove(corpus.path() / "docs/c.txt");
  corpus.Write("docs/d.txt", "1. Patrols and radio networks protect civilians.\n");
  IndexSummary again = Index(corpus.path() / "docs", index.path());
  CHECK(again.removed == 1);
  {
    Xapian::Database db(XapianPath(index.path()).string());
    CHECK(db.get_lastdocid() > db.get_doccount());  // holes, docids past the count
  }
  for (const char* q : queries) CheckFacets(s, Request(q));
  auto after = s.Search(Request("civilians"));
  REQUIRE(after.ok());
  CHECK(after->doc_facet.count("c") == 0);
  CHECK(after->doc_facet.count("d") == 1);
  CHECK(after->doc_facet.at("a") == 1);
  auto radio = s.Search(Request("radio"));
  REQUIRE(radio.ok());
  CHECK(radio->total == 2);
  CHECK(radio->doc_facet == Counts{{"a", 1}, {"d", 1}});
}

}  // namespace
}  // namespace pillar
