// What a query means (issue 17): all words by default, per-language stop words, phrases kept
// exact under NEAR, possessives inside phrases. Each case runs on a small purpose-made corpus
// indexed for real.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "indexer/index/index_writer.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::TempDir;

using DocTexts = std::vector<std::pair<std::string, std::string>>;

// One English passage per document: doc id -> text.
struct Corpus {
  TempDir dir, index;
  std::unique_ptr<Searcher> searcher;

  explicit Corpus(const DocTexts& docs,
                  const std::string& language = "en") {
    std::string catalog = "<catalog>";
    for (const auto& [id, text] : docs) {
      dir.Write(id + ".txt", "1. " + text + "\n");
      catalog += "<document id=\"" + id + "\" file=\"" + id + ".txt\"><language>" + language +
                 "</language></document>";
    }
    dir.Write("catalog.xml", catalog + "</catalog>");
    IndexOptions options;
    options.index_dir = index.path();
    REQUIRE(IndexPaths({dir.path()}, options).ok());
    auto opened = Searcher::Open(index.path());
    REQUIRE(opened.ok());
    searcher = std::move(opened.value());
  }

  SearchResult Run(const std::string& query, bool any_word = false) {
    SearchRequest r;
    r.query = query;
    r.limit = 100;
    r.any_word = any_word;
    auto result = searcher->Search(r);
    INFO(query);
    REQUIRE(result.ok());
    return std::move(result.value());
  }

  std::set<std::string> Docs(const std::string& query, bool any_word = false) {
    std::set<std::string> out;
    // The passages that match: not those that only fill the page (Hit::some_words).
    for (const Hit& h : Run(query, any_word).hits) {
      if (!h.some_words) out.insert(h.passage.doc_id);
    }
    return out;
  }
};

using Docs = std::set<std::string>;

TEST_CASE("A query of several words finds only passages with all of them", "[search][semantics]") {
  Corpus c(DocTexts{{"all", "Women protection advisers monitor the ceasefire line."},
            {"two", "Women protection advisers visit the camps."},
            {"one", "The ceasefire held through the night."}});
  CHECK(c.Docs("women protection ceasefire") == Docs{"all"});
  CHECK(c.Run("women protection ceasefire").total == 1);
  // Explicit OR and --any keep the any-word meaning.
  CHECK(c.Docs("women OR ceasefire") == Docs{"all", "two", "one"});
  CHECK(c.Docs("women protection ceasefire", true) == Docs{"all", "two", "one"});
  // Groups: either pair, all of its words.
  CHECK(c.Docs("(women camps) OR (ceasefire night)") == Docs{"two", "one"});
}

TEST_CASE("Words in a passage's headings do not widen an all-words query", "[search][semantics]") {
  TempDir dir, index;
  dir.Write("h.md", "# Ceasefire monitoring\n\nWomen protection advisers visit the camps.\n");
  dir.Write("p.md", "# Annex\n\nWomen protection advisers monitor the ceasefire line.\n");
  IndexOptions options;
  options.index_dir = index.path();
  REQUIRE(IndexPaths({dir.path()}, options).ok());
  auto s = Searcher::Open(index.path());
  REQUIRE(s.ok());
  SearchRequest r;
  r.query = "women ceasefire";
  auto result = (*s)->Search(r);
  REQUIRE(result.ok());
  REQUIRE(result->total == 1);
  REQUIRE(!result->hits.empty());
  CHECK(result->hits[0].passage.doc_id == "p");
  for (size_t k = 1; k < result->hits.size(); ++k) CHECK(result->hits[k].some_words);
}

TEST_CASE("When no passage has all the words the result says how many have some",
          "[search][semantics]") {
  Corpus c(DocTexts{{"two", "Women protection advisers visit the camps."},
            {"one", "The ceasefire held through the night."}});
  SearchResult r = c.Run("women ceasefire");
  CHECK(r.total == 0);
  CHECK(r.any_word_total == 2);
  // Not when all words match, nor when no word does.
  CHECK(c.Run("women camps").any_word_total == 0);
  CHECK(c.Run("zebra unicorn").any_word_total == 0);

  std::string out;
  std::string cmd = testing::PillarBinary() + " search 'women ceasefire' --index " +
                    testing::ShellQuote(c.index.path().string());
  CHECK(testing::RunCommand(cmd, &out) == 0);
  CHECK_THAT(out, Catch::Contains("No passage has all the words; 2 passages have some of them: "
                                  "pillar search --any 'women ceasefire'"));
  CHECK(testing::RunCommand(cmd + " --json", &out) == 0);
  auto j = nlohmann::json::parse(out);
  CHECK(j.at("total") == 0);
  CHECK(j.at("any_word_total") == 2);
  CHECK(testing::RunCommand(cmd + " --any --json", &out) == 0);
  CHECK(nlohmann::json::parse(out).at("total") == 2);
}

TEST_CASE("English queries keep words that are stop words only in other languages",
          "[search][semantics]") {
  Corpus c(DocTexts{{"harm", "Operations must avoid harm to civilians."},
            {"dnh", "Staff apply the do no harm principle in every programme."}});
  CHECK(c.Docs("do no harm") == Docs{"dnh"});
  // English function words are still ignored: "of" does not have to be in the passage.
  CHECK(c.Docs("harm to civilians") == Docs{"harm"});
}

TEST_CASE("Portuguese queries ignore Portuguese function words", "[search][semantics]") {
  Corpus c(DocTexts{{"pt", "A protecção física dos civis é prioritária."}}, "pt");
  CHECK(c.Docs("protecção no civis") == Docs{"pt"});
  CHECK(c.Docs("protecção do civis") == Docs{"pt"});
}

TEST_CASE("A phrase stays a phrase next to NEAR", "[search][semantics]") {
  Corpus c(DocTexts{{"exact", "The use of force to protect civilians is authorised."},
            {"scattered", "Force was the last resort; civilians use the roads of the town."},
            {"far", "The use of force is a last resort. Many words stand here between the phrase "
                    "and the other word we look for, far more than ten of them in all, before "
                    "civilians."}});
  CHECK(c.Docs("\"use of force\" NEAR civilians") == Docs{"exact"});
  CHECK(c.Docs("civilians NEAR/12 \"use of force\"") == Docs{"exact"});
  CHECK(c.Docs("\"use of force\" ADJ civilians") == Docs{"exact"});
  CHECK(c.Docs("\"use of force\" NEAR civilians OR roads") == Docs{"exact", "scattered"});
}

TEST_CASE("A possessive matches the phrase without it", "[search][semantics]") {
  Corpus c(DocTexts{{"poss", "The Force Commander’s directive covers night patrols."},
            {"plain", "The Force Commander issued a directive."},
            {"apart", "The Commander of the Force issued a directive."}});
  CHECK(c.Docs("\"Force Commander\"") == Docs{"poss", "plain"});
  CHECK(c.Docs("\"force commander\" directive") == Docs{"poss", "plain"});
}

}  // namespace
}  // namespace pillar
