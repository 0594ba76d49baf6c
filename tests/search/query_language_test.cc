// The query language of issue 6 on the sample corpus and on small purpose-made corpora.

#include <catch2/catch.hpp>
#include <set>

#include "indexer/index/index_writer.h"
#include "indexer/segment/analyzer.h"
#include "query/search/query_syntax.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::SampleIndex;
using pillar::testing::TempDir;

std::unique_ptr<Searcher> OpenSample() {
  auto s = Searcher::Open(SampleIndex());
  REQUIRE(s.ok());
  return std::move(s.value());
}

SearchResult Run(Searcher& searcher, const std::string& query, size_t limit = 100,
                 std::vector<std::string> langs = {}) {
  SearchRequest r;
  r.query = query;
  r.limit = limit;
  r.languages = std::move(langs);
  auto result = searcher.Search(r);
  INFO(query);
  REQUIRE(result.ok());
  return std::move(result.value());
}

// A hit matches through its text or its headings.
std::string TextAndHeadings(const Hit& h) {
  std::string out = h.passage.text;
  for (const std::string& heading : h.passage.section) out += " | " + heading;
  return out;
}

bool Contains(const std::string& text, const std::string& needle) {
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(needle) != std::string::npos;
}

TEST_CASE("Field filters combine with phrases and NEAR", "[search][query]") {
  auto s = OpenSample();
  SearchResult r = Run(*s, "\"early warning\" doc:dpo-poc-handbook-2020");
  REQUIRE(!r.hits.empty());
  for (const Hit& h : r.hits) {
    CHECK(h.passage.doc_id == "dpo-poc-handbook-2020");
    CHECK(Contains(TextAndHeadings(h), "early warning"));
  }
  size_t near = Run(*s, "patrols NEAR civilians").total;
  CHECK(Run(*s, "patrols NEAR/2 civilians").total <= near);
  size_t both = Run(*s, "patrols AND civilians").total;
  CHECK(near > 0);
  CHECK(near <= both);
  SearchResult typed = Run(*s, "protection type:resolution");
  REQUIRE(!typed.hits.empty());
  for (const Hit& h : typed.hits) CHECK(h.document.meta.type == "resolution");
  SearchResult org = Run(*s, "mandate org:united-nations-security-council");
  REQUIRE(!org.hits.empty());
  for (const Hit& h : org.hits) CHECK(h.document.meta.issuer == "United Nations Security Council");
  SearchResult titled = Run(*s, "title:handbook AND warning");
  REQUIRE(!titled.hits.empty());
  for (const Hit& h : titled.hits) CHECK(Contains(h.document.meta.title, "handbook"));
  SearchResult wildcard = Run(*s, "mediat*");
  REQUIRE(!wildcard.hits.empty());
  // Accent-folded words match too: "médiation" is "mediation".
  for (const Hit& h : wildcard.hits) CHECK(Contains(FoldMarks(TextAndHeadings(h)), "mediat"));
  SearchResult grouped = Run(*s, "(ceasefire OR mediation) -budget");
  for (const Hit& h : grouped.hits) CHECK(!Contains(h.passage.text, "budget"));
}

TEST_CASE("Year ranges select documents by year, open-ended too", "[search][query]") {
  auto s = OpenSample();
  for (const Hit& h : Run(*s, "protection year:2015..2015").hits) {
    CHECK(h.document.meta.Year() == "2015");
  }
  SearchResult since = Run(*s, "protection year:2020..");
  REQUIRE(!since.hits.empty());
  for (const Hit& h : since.hits) CHECK(h.document.meta.Year() >= "2020");
  SearchResult until = Run(*s, "protection year:..2015");
  REQUIRE(!until.hits.empty());
  for (const Hit& h : until.hits) CHECK(h.document.meta.Year() <= "2015");
  CHECK(Run(*s, "protection year:2015").total == Run(*s, "protection year:2015..2015").total);
}

TEST_CASE("A document symbol typed as is finds that document", "[search][query]") {
  auto s = OpenSample();
  auto passages = s->DocumentPassages("s-res-2719-2023");
  REQUIRE(passages.ok());
  for (const char* q : {"S/RES/2719", "S/RES/2719 (2023)", "symbol:S/RES/2719(2023)"}) {
    INFO(q);
    SearchResult r = Run(*s, q, 1000);
    CHECK(r.total == passages->size());
    for (const Hit& h : r.hits) CHECK(h.passage.doc_id == "s-res-2719-2023");
  }
  // Each half of a double symbol finds the HIPPO report.
  for (const char* q : {"A/70/95", "S/2015/446", "A/70/95-S/2015/446 politics"}) {
    INFO(q);
    SearchResult r = Run(*s, q);
    REQUIRE(!r.hits.empty());
    for (const Hit& h : r.hits) CHECK(h.passage.doc_id == "hippo-2015");
  }
  SearchResult narrowed = Run(*s, "S/RES/2719 financing");
  REQUIRE(!narrowed.hits.empty());
  CHECK(narrowed.total < passages->size());
}

TEST_CASE("A French query without accents finds the accented French passage, lang:fr filters",
          "[search][query][lang]") {
  auto s = OpenSample();
  SearchResult r = Run(*s, "alerte precoce");
  REQUIRE(!r.hits.empty());
  bool accented = false;
  for (const Hit& h : r.hits) {
    if (h.document.meta.language == "fr" && h.passage.text.find("précoce") != std::string::npos) {
      accented = true;
      // The highlight covers the accented word.
      bool marked = false;
      for (const Span& sp : h.highlights) {
        marked = marked || h.passage.text.substr(sp.begin, sp.end - sp.begin) == "précoce";
      }
      CHECK(marked);
    }
  }
  CHECK(accented);
  SearchResult fr = Run(*s, "protection lang:fr");
  REQUIRE(!fr.hits.empty());
  for (const Hit& h : fr.hits) CHECK(h.document.meta.language == "fr");
  // French stemming applies to French passages: the plural finds the singular.
  SearchResult stems = Run(*s, "patrouilles lang:fr");
  bool singular = false;
  for (const Hit& h : stems.hits) singular = singular || Contains(h.passage.text, "patrouille ");
  CHECK(!stems.hits.empty());
}

TEST_CASE("Exact accented forms rank above folded matches", "[search][query][lang]") {
  TempDir corpus, index;
  corpus.Write("a.txt", "1. La securite des civils sans accents dans ce texte.\n");
  corpus.Write("b.txt", "1. La sécurité des civils avec accents dans ce texte.\n");
  corpus.Write("catalog.xml",
               "<catalog><document id=\"a\" file=\"a.txt\"><language>fr</language></document>"
               "<document id=\"b\" file=\"b.txt\"><language>fr</language></document></catalog>");
  IndexOptions options;
  options.index_dir = index.path();
  REQUIRE(IndexPaths({corpus.path()}, options).ok());
  auto s = Searcher::Open(index.path());
  REQUIRE(s.ok());
  SearchResult accented = Run(**s, "sécurité");
  REQUIRE(accented.hits.size() == 2);
  CHECK(accented.hits[0].passage.doc_id == "b");
  CHECK(accented.hits[0].score > accented.hits[1].score);
  CHECK(Run(**s, "securite").hits.size() == 2);
}

TEST_CASE("An Arabic query finds the Arabic sample through stemming and harakat folding",
          "[search][query][lang]") {
  auto s = OpenSample();
  // Plural with the article, and a singular: the Arabic stemmer joins them.
  SearchResult plural = Run(*s, "الدوريات");
  SearchResult singular = Run(*s, "دورية");
  REQUIRE(!plural.hits.empty());
  CHECK(plural.total == singular.total);
  for (const Hit& h : plural.hits) CHECK(h.document.meta.language == "ar");
  // Without harakat, the query still finds a passage written with them.
  SearchResult bare = Run(*s, "المدنيين");
  bool vocalised = false;
  for (const Hit& h : bare.hits) {
    vocalised = vocalised || h.passage.text.find("الْمَدَنِيِّينَ") != std::string::npos;
  }
  CHECK(vocalised);
}

TEST_CASE("Facet counts equal a full scan for every facet", "[search][facets]") {
  auto s = OpenSample();
  SearchResult r = Run(*s, "protection OR civilians OR protección OR proteção", 100000);
  REQUIRE(r.total == r.hits.size());
  std::map<std::string, size_t> org, year, lang, type;
  for (const Hit& h : r.hits) {
    const DocumentMetadata& m = h.document.meta;
    if (!m.issuer.empty()) ++org[m.issuer];
    if (!m.Year().empty()) ++year[m.Year()];
    if (!m.language.empty()) ++lang[m.language];
    if (!m.type.empty()) ++type[m.type];
  }
  CHECK(r.org_facet == org);
  CHECK(r.year_facet == year);
  CHECK(r.lang_facet == lang);
  CHECK(r.type_facet == type);
}

TEST_CASE("Collapsing to N per document keeps the best passages of each", "[search][query]") {
  auto s = OpenSample();
  SearchRequest r;
  r.query = "protection civilians";
  r.limit = 50;
  r.per_doc = 2;
  auto result = s->Search(r);
  REQUIRE(result.ok());
  std::map<std::string, int> per;
  for (const Hit& h : result->hits) CHECK(++per[h.passage.doc_id] <= 2);
  CHECK(per.size() >= 5);
}

TEST_CASE("Boosting a pillar ranks its passages first", "[search][query]") {
  auto s = OpenSample();
  SearchRequest r;
  r.query = "civilians";
  r.limit = 5;
  r.boost_pillars = {"un-tier-2"};
  auto result = s->Search(r);
  REQUIRE(result.ok());
  REQUIRE(!result->hits.empty());
  bool tagged = false;
  for (const Tag& t : result->hits.front().passage.tags) tagged |= t.concept_id == "un-tier-2";
  CHECK(tagged);
}

TEST_CASE("Similar passages share words with the passage and leave it out", "[search][query]") {
  auto s = OpenSample();
  SearchRequest r;
  r.limit = 5;
  auto result = s->Similar("dpo-poc-policy-2023#para-12.3", r);
  REQUIRE(result.ok());
  REQUIRE(!result->hits.empty());
  for (const Hit& h : result->hits) CHECK(h.passage.id != "dpo-poc-policy-2023#para-12.3");
  CHECK(Contains(result->hits.front().passage.text, "quick reaction"));
  CHECK(!s->Similar("nope#para-1", r).ok());
}

TEST_CASE("A misspelt query gets a suggestion from the index's vocabulary", "[search][query]") {
  auto s = OpenSample();
  SearchResult r = Run(*s, "ceasfire");
  CHECK(r.total == 0);
  CHECK(r.did_you_mean == "ceasefire");
  CHECK(Run(*s, "patrols").did_you_mean.empty());
  // (Not "accompanyment": its stem "accompany" is a word of the corpus, found as such.)
  CHECK(Run(*s, "mediaton accompanimnt").did_you_mean == "mediation accompaniment");
}

TEST_CASE("PrepareQuery turns symbols into filters and years into ranges", "[search][query]") {
  auto p = PrepareQuery("financing S/RES/2719 (2023) year:2023");
  REQUIRE(p.ok());
  CHECK(p->text == "financing year:2023..2023");
  CHECK(std::set<std::string>(p->symbol_keys.begin(), p->symbol_keys.end()) ==
        std::set<std::string>{"s/res/2719(2023)", "s/res/2719"});
  auto q = PrepareQuery("\u201Cearly warning\u201D NEAR/3 communities");
  REQUIRE(q.ok());
  // A phrase next to NEAR stays a phrase: its words join the NEAR, and the phrase is ANDed.
  CHECK(q->text == "(early NEAR/3 warning NEAR/3 communities AND \"early warning\")");
  CHECK(PrepareQuery("a OR NOT b").ok());
  CHECK(PrepareQuery("NOT budget").ok());
}

}  // namespace
}  // namespace pillar
