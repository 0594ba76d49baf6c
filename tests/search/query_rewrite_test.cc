#include "query/search/query_rewrite.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "indexer/index/index_writer.h"
#include "indexer/index/layout.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::TempDir;
namespace fs = std::filesystem;

std::set<std::string> Terms(const Xapian::Query& q) {
  return {q.get_unique_terms_begin(), q.get_unique_terms_end()};
}

Xapian::Query Parse(const std::string& text) {
  Xapian::QueryParser parser;
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.add_prefix("section", "XS");
  return parser.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT);
}

TEST_CASE("ExpandStems looks every stem term up as the words the index records for it",
          "[search][rewrite]") {
  TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
  db.add_synonym("Zpatrol", "patrols");
  db.add_synonym("Zpatrol", "patrolling");
  db.add_synonym("Zconvoy", "convoys");
  db.commit();

  Xapian::Query q = ExpandStems(Parse("patrols section:mediators"), db);
  std::set<std::string> terms = Terms(q);
  INFO(q.get_description());
  // The stem as a word, and every word recorded for it; no stem term is left.
  CHECK(terms.count("patrol"));
  CHECK(terms.count("patrols"));
  CHECK(terms.count("patrolling"));
  CHECK_FALSE(terms.count("Zpatrol"));
  CHECK(q.get_description().find("SYNONYM") != std::string::npos);
  // Heading stems are StemFieldTerms' business: left as they are.
  CHECK(terms.count("ZXSmediat"));
  CHECK_FALSE(terms.count("XSmediat"));
  // A stem the index has no words for is looked up as itself.
  CHECK(Terms(ExpandStems(Parse("mediators"), db)) == std::set<std::string>{"mediat"});

  // Phrases hold no stem terms and come through as they were.
  Xapian::Query phrase = Parse("\"early warning\"");
  CHECK(ExpandStems(phrase, db).get_description() == phrase.get_description());
  // So do NOT and AND around them, with only the stems expanded.
  Xapian::Query mixed = ExpandStems(Parse("\"early warning\" patrols -convoys"), db);
  std::set<std::string> mixed_terms = Terms(mixed);
  CHECK(mixed_terms.count("early"));
  CHECK(mixed_terms.count("patrolling"));
  CHECK(mixed_terms.count("convoys"));
  CHECK(mixed.get_description().find("AND_NOT") != std::string::npos);
}

TEST_CASE("WithoutProximityOperators drops NEAR and ADJ outside quotes, nothing else",
          "[search][query]") {
  CHECK(WithoutProximityOperators("ceasefire NEAR monitoring") == "ceasefire  monitoring");
  CHECK(WithoutProximityOperators("ceasefire NEAR/5 monitoring ADJ/2 teams") ==
        "ceasefire  monitoring  teams");
  CHECK(WithoutProximityOperators("\"use of force\" NEAR civilians") ==
        "\"use of force\"  civilians");
  // Inside quotes, in typographic quotes too, NEAR is a word; so is "near" in lower case.
  CHECK(WithoutProximityOperators("\"NEAR the border\" patrols") == "\"NEAR the border\" patrols");
  CHECK(WithoutProximityOperators("\xE2\x80\x9Cstay NEAR\xE2\x80\x9D ADJ camps") ==
        "\xE2\x80\x9Cstay NEAR\xE2\x80\x9D  camps");
  CHECK(WithoutProximityOperators("camps near the border") == "camps near the border");
  // Other operators stay; so does a word that only starts like one.
  CHECK(WithoutProximityOperators("(a NEAR b) OR c NOT d NEARBY") == "(a  b) OR c NOT d NEARBY");
  CHECK(WithoutProximityOperators("") == "");
}

TEST_CASE("PhrasesToAnd turns phrases of title and heading words into the AND of the words",
          "[search][rewrite]") {
  Xapian::QueryParser parser;
  parser.add_prefix("section", "XS");
  parser.add_prefix("title", "S");
  Xapian::Query q = PhrasesToAnd(
      parser.parse_query("section:\"early warning\" OR title:\"civilians policy\" OR "
                         "\"quick reaction\"",
                         Xapian::QueryParser::FLAG_DEFAULT));
  std::string d = q.get_description();
  INFO(d);
  // The body phrase keeps its positions; the title and heading phrases do not need them.
  CHECK(d.find("(quick@5 PHRASE 2 reaction@6)") != std::string::npos);
  CHECK(d.find("PHRASE 2 XSwarning") == std::string::npos);
  CHECK(d.find("(XSearly@1 AND XSwarning@2)") != std::string::npos);
  CHECK(d.find("(Scivilians@3 AND Spolicy@4)") != std::string::npos);
  // Nothing to change: the same query back.
  Xapian::Query body = parser.parse_query("\"quick reaction\"", Xapian::QueryParser::FLAG_DEFAULT);
  CHECK(PhrasesToAnd(body).get_description() == body.get_description());
}

TEST_CASE("StemFieldTerms turns every title and heading word into its stem term",
          "[search][rewrite]") {
  Xapian::QueryParser parser;
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.add_prefix("section", "XS");
  parser.add_prefix("title", "S");
  Analyzer english("en");
  // Lowercase words come stemmed (`ZXSmediat`), capitalised ones and phrase words bare
  // (`XSWarnings` lowercased to `XSwarnings`): all become the stem after the prefix.
  Xapian::Query q = StemFieldTerms(
      PhrasesToAnd(parser.parse_query(
          "section:mediators title:Warnings section:\"early warning\" patrols 2719 section:2719",
          Xapian::QueryParser::FLAG_DEFAULT)),
      english);
  std::set<std::string> terms = Terms(q);
  INFO(q.get_description());
  CHECK(terms == std::set<std::string>{"XSmediat", "Swarn", "XSearli", "XSwarn", "Zpatrol",
                                       "2719", "XS2719"});
  // The phrase of heading words is the AND of their stems.
  CHECK(q.get_description().find("(XSearli AND XSwarn)") != std::string::npos);

  // Without a stemmer (a language Xapian has none for) the word is the term.
  Analyzer none("zz");
  Xapian::QueryParser plain;
  plain.add_prefix("section", "XS");
  CHECK(Terms(StemFieldTerms(plain.parse_query("section:Mediators", 0), none)) ==
        std::set<std::string>{"XSmediators"});
  // A query without title or heading words comes back as it was.
  Xapian::Query body = Parse("patrols \"early warning\"");
  CHECK(StemFieldTerms(body, english).get_description() == body.get_description());
}

// Indexes the files under `in` into `index` (asserting every file is indexed) and opens it.
std::unique_ptr<Searcher> IndexAndOpen(const fs::path& in, const fs::path& index, size_t files) {
  IndexOptions options;
  options.index_dir = index;
  auto summary = IndexPaths({in}, options);
  REQUIRE(summary.ok());
  REQUIRE(summary->indexed == files);
  auto searcher = Searcher::Open(index);
  REQUIRE(searcher.ok());
  return std::move(searcher.value());
}

// The documents of the passages a query finds.
std::set<std::string> DocsFor(Searcher& searcher, const std::string& query) {
  SearchRequest request;
  request.query = query;
  auto result = searcher.Search(request);
  REQUIRE(result.ok());
  std::set<std::string> docs;
  for (const Hit& h : result->hits) docs.insert(h.passage.doc_id);
  return docs;
}

TEST_CASE("Title and heading words are indexed as stems without positions, section: phrases "
          "still find them",
          "[search][rewrite][index]") {
  TempDir dir;
  dir.Write("in/a.md", "# Early warning and response\n\nVillage committees send alerts.\n");
  dir.Write("in/b.md", "# Warning signs seen early\n\nRumours before market days.\n");
  dir.Write("in/c.md", "# Response\n\nAn early warning of attacks reached the base.\n");
  auto searcher = IndexAndOpen(dir.path() / "in", dir.path() / "idx", 3);
  Xapian::Database db(XapianPath(dir.path() / "idx").string());
  // "Warning" is indexed as its stem only: no word term, no Z term for headings or titles.
  CHECK(db.get_termfreq("XSwarn") == 2);
  CHECK(db.get_termfreq("XSwarning") == 0);
  CHECK(db.allterms_begin("ZXS") == db.allterms_end("ZXS"));
  CHECK(db.allterms_begin("ZS") == db.allterms_end("ZS"));
  CHECK(db.positionlist_begin(*db.postlist_begin("XSwarn"), "XSwarn") ==
        db.positionlist_end(*db.postlist_begin("XSwarn"), "XSwarn"));
  CHECK(db.positionlist_begin(*db.postlist_begin("warning"), "warning") !=
        db.positionlist_end(*db.postlist_begin("warning"), "warning"));

  // A section phrase is matched as all of its words in the heading trail.
  CHECK(DocsFor(*searcher, "section:\"early warning\"") == std::set<std::string>{"a", "b"});
  // Any form of a heading word finds the heading: lowercase (stemmed by the parser),
  // capitalised (not stemmed by the parser) and another form of the word.
  for (const char* q : {"section:warnings", "section:Warning", "section:warned"}) {
    INFO(q);
    CHECK(DocsFor(*searcher, q) == std::set<std::string>{"a", "b"});
  }
  // A quoted query matches the body phrase exactly, and gets the heading boost where the
  // heading has the words: c by its text, a by its heading.
  std::set<std::string> quoted = DocsFor(*searcher, "\"early warning\"");
  CHECK(quoted.count("c"));
  CHECK(quoted.count("a"));
}

// The words the synonym table of an index records for `stem` (`Z` + stem).
std::set<std::string> FormsOf(const fs::path& index, const std::string& stem) {
  Xapian::Database db(XapianPath(index).string());
  std::string key = "Z" + stem;
  return {db.synonyms_begin(key), db.synonyms_end(key)};
}

TEST_CASE("Passages hold no stem terms, the index records each stem's words, and every form "
          "finds them all",
          "[search][rewrite][index]") {
  TempDir dir;
  dir.Write("in/a.txt", "1. Night patrol near the camp.\n");
  dir.Write("in/b.txt", "1. Patrols deter attacks on the road.\n");
  dir.Write("in/c.txt", "1. Patrolling with community members.\n");
  auto searcher = IndexAndOpen(dir.path() / "in", dir.path() / "idx", 3);

  // The index side: words only (`patrol` in a, `patrols` in b), no `Z` term anywhere, and
  // the synonym table maps the stem to the words that are not the stem itself.
  Xapian::Database db(XapianPath(dir.path() / "idx").string());
  auto terms_of = [&](const std::string& doc) {
    std::set<std::string> terms;
    Xapian::PostingIterator p = db.postlist_begin("XD" + doc);
    REQUIRE(p != db.postlist_end("XD" + doc));
    for (auto t = db.termlist_begin(*p); t != db.termlist_end(*p); ++t) terms.insert(*t);
    return terms;
  };
  CHECK(terms_of("a").count("patrol"));
  CHECK(terms_of("b").count("patrols"));
  CHECK(db.allterms_begin("Z") == db.allterms_end("Z"));
  CHECK(FormsOf(dir.path() / "idx", "patrol") == std::set<std::string>{"patrols", "patrolling"});

  // The query side: each form of the word finds all three passages; a quoted or capitalised
  // word stays exact.
  for (const char* word : {"patrol", "patrols", "patrolling"}) {
    INFO(word);
    CHECK(DocsFor(*searcher, word) == std::set<std::string>{"a", "b", "c"});
  }
  CHECK(DocsFor(*searcher, "\"patrols\"") == std::set<std::string>{"b"});
  CHECK(DocsFor(*searcher, "Patrolling") == std::set<std::string>{"c"});
}

TEST_CASE("Stem forms are recorded by every run: incremental, and a second index built in the "
          "same process",
          "[search][rewrite][index]") {
  TempDir dir;
  dir.Write("one/a.txt", "1. Escorts for convoys of displaced families.\n");
  auto first = IndexAndOpen(dir.path() / "one", dir.path() / "idx1", 1);
  CHECK(FormsOf(dir.path() / "idx1", "convoy") == std::set<std::string>{"convoys"});

  // A later run adds a file with another form of the same stem (the one-writer path).
  dir.Write("one/b.txt", "1. The escort convoyed the families home.\n");
  auto again = IndexAndOpen(dir.path() / "one", dir.path() / "idx1", 1);
  CHECK(FormsOf(dir.path() / "idx1", "convoy") == std::set<std::string>{"convoyed", "convoys"});
  CHECK(DocsFor(*again, "convoy") == std::set<std::string>{"a", "b"});

  // Another index in the same process, from words this process has already stemmed: its
  // runs meet them afresh and record them too.
  dir.Write("two/c.txt", "1. Convoys were escorted.\n");
  auto second = IndexAndOpen(dir.path() / "two", dir.path() / "idx2", 1);
  CHECK(FormsOf(dir.path() / "idx2", "convoy") == std::set<std::string>{"convoys"});
  CHECK(DocsFor(*second, "convoy") == std::set<std::string>{"c"});
}

}  // namespace
}  // namespace pillar
