// A query typed as a question: its own words ("how", "does") are not searched, so all the
// words of its subject can be required (docs/query.md, "Questions").

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "indexer/index/index_writer.h"
#include "query/search/question_words.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using Words = std::vector<std::string>;

TEST_CASE("A question's own words are taken out of the query", "[search][question]") {
  QuestionStrip q = StripQuestionWords("how does the mission protect displaced people in camps");
  CHECK(q.text == "the mission protect displaced people in camps");
  CHECK(q.dropped == Words{"how", "does"});
  // A question mark makes a question of any shape; it goes with the words.
  q = StripQuestionWords("can officers report information if the interviewee did not consent?");
  CHECK(q.text == "officers report information if the interviewee not consent");
  CHECK(q.dropped == Words{"can", "did"});
  q = StripQuestionWords("How many civilians were killed in Jonglei");
  CHECK(q.text == "civilians killed in Jonglei");
  CHECK(q.dropped == Words{"How", "many", "were"});
  q = StripQuestionWords("What laws has the Assembly adopted ?");
  CHECK(q.text == "laws the Assembly adopted");
  CHECK(q.dropped == Words{"What", "has"});
  // "about" marks the subject; a modal right after the interrogative is the question's verb.
  q = StripQuestionWords("What did the Council decide about the mandate?");
  CHECK(q.text == "the Council decide the mandate");
  CHECK(q.dropped == Words{"What", "did", "about"});
  q = StripQuestionWords("When will the mission hand over its tasks");
  CHECK(q.text == "the mission hand over its tasks");
  CHECK(q.dropped == Words{"When", "will"});
  // Elsewhere "will" and "may" are words of the texts: "the will of the parties", "in May".
  q = StripQuestionWords("what is the will of the parties in May?");
  CHECK(q.text == "the will of the parties in May");
  CHECK(q.dropped == Words{"what", "is"});
}

TEST_CASE("Queries that are not questions, and words a question keeps, stay as typed",
          "[search][question]") {
  // Not a question: no interrogative first, no question mark.
  for (const char* text : {"use of force", "do no harm", "is the mandate robust",
                           "women's participation in peace processes"}) {
    INFO(text);
    QuestionStrip q = StripQuestionWords(text);
    CHECK(q.text == text);
    CHECK(q.dropped.empty());
  }
  // The query language is not a question.
  CHECK(StripQuestionWords("how OR why").dropped.empty());
  CHECK(StripQuestionWords("what (is OR are) camps").dropped.empty());
  // Quoted, fielded, excluded or wildcard words are searched; so are acronyms in capitals.
  QuestionStrip q = StripQuestionWords(
      "what did \"we\" say section:how -does wh* about WHO and US support?");
  CHECK(q.text == "\"we\" say section:how -does wh* WHO and US support");
  CHECK(q.dropped == Words{"what", "did", "about"});
  // Nothing but question words: nothing would be left, so the query stays.
  q = StripQuestionWords("what is it?");
  CHECK(q.text == "what is it?");
  CHECK(q.dropped.empty());
}

TEST_CASE("A question finds the passages on its subject and says what it did not search",
          "[search][question]") {
  pillar::testing::TempDir dir, index;
  dir.Write("camps.txt",
            "1. The mission protects displaced people in camps with patrols at night.\n");
  dir.Write("how.txt", "1. How the budget does balance remains unclear.\n");
  dir.Write("catalog.xml",
            "<catalog><document id=\"camps\" file=\"camps.txt\"><language>en</language>"
            "</document><document id=\"how\" file=\"how.txt\"><language>en</language>"
            "</document></catalog>");
  IndexOptions options;
  options.index_dir = index.path();
  REQUIRE(IndexPaths({dir.path()}, options).ok());
  auto opened = Searcher::Open(index.path());
  REQUIRE(opened.ok());
  Searcher& searcher = *opened.value();
  auto run = [&](const std::string& text) {
    SearchRequest r;
    r.query = text;
    auto result = searcher.Search(r);
    REQUIRE(result.ok());
    return std::move(result.value());
  };
  SearchResult r = run("how does the mission protect displaced people in camps");
  // All the subject's words are required, and the passage holds them: without the rule,
  // "how" and "does" were required too and nothing matched.
  CHECK(r.total == 1);
  REQUIRE(!r.hits.empty());
  CHECK(r.hits.front().passage.doc_id == "camps");
  CHECK(r.not_searched == Words{"how", "does"});
  // Quoted, a question word is searched.
  r = run("how does \"how\" balance?");
  CHECK(r.total == 1);
  REQUIRE(!r.hits.empty());
  CHECK(r.hits.front().passage.doc_id == "how");
  CHECK(r.not_searched == Words{"how", "does"});
  // Not a question: nothing left out.
  CHECK(run("mission camps").not_searched.empty());
}

}  // namespace
}  // namespace pillar
