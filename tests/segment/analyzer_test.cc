#include "indexer/segment/analyzer.h"

#include <catch2/catch.hpp>
#include <set>

#include <xapian.h>

namespace pillar {
namespace {

// The terms Xapian's own TermGenerator writes for `text` (positional words and Z-stems).
std::set<std::string> XapianTerms(const std::string& text, const std::string& lang) {
  Xapian::TermGenerator tg;
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  std::string stemmer = Analyzer::StemmerName(lang);
  if (stemmer != "none") tg.set_stemmer(Xapian::Stem(stemmer));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  Xapian::Document doc;
  tg.set_document(doc);
  tg.index_text(text);
  return {doc.termlist_begin(), doc.termlist_end()};
}

std::set<std::string> OurTerms(const std::string& text, const std::string& lang) {
  Analyzer analyzer(lang);
  std::set<std::string> terms;
  for (const Token& t : analyzer.Tokenize(text)) {
    terms.insert(t.term);
    const std::string& stem = analyzer.Stem(t.term);
    if (!stem.empty()) terms.insert("Z" + stem);
  }
  return terms;
}

TEST_CASE("Analyzer splits and stems words exactly as Xapian's TermGenerator does",
          "[segment][analyzer]") {
  struct Case {
    const char* lang;
    const char* text;
  };
  const Case cases[] = {
      {"en", "Patrols, patrolling and PATROLLED: quick-reaction forces."},
      {"en", "S/RES/2719 (2023) and A/70/95-S/2015/446, para. 12.3 of 2,000 troops."},
      {"en", "The mission's mandate; civilians' safety; AT&T; C++ and C# code_names."},
      {"fr", "La sécurité de l\u2019État et l'alerte précoce, côte-à-côte."},
      {"ar", "حماية المدنيين في عمليات حفظ السلام"},
      {"ar", "الْحِمَايَة"},
      {"es", "Protección de civiles: niños y niñas."},
      {"en", "\u4fdd\u62a4\u5e73\u6c11 protection"},
      {"en", "e\u0301 composed vs é, ﬁnance ligature, naïve café"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    // The query side strips elisions before Xapian's parser sees the text (see analyzer.h).
    std::string text = std::string(c.lang) == "fr" ? StripElisions(c.text) : c.text;
    CHECK(OurTerms(c.text, c.lang) == XapianTerms(text, c.lang));
  }
}

TEST_CASE("Analyzer gives byte ranges and positions of each word", "[segment][analyzer]") {
  Analyzer analyzer("fr");
  std::string text = "Sécurité: l\u2019alerte précoce.";
  std::vector<Token> tokens = analyzer.Tokenize(text);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].term == "sécurité");
  CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Sécurité");
  CHECK(tokens[1].term == "alerte");  // the elided article is not indexed
  CHECK(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin) == "alerte");
  CHECK(tokens[2].position == 3);
}

TEST_CASE("Analyzer stems by the document's language", "[segment][analyzer]") {
  Analyzer en("en"), fr("fr"), none("zz");
  CHECK(en.Stem("patrolling") == en.Stem("patrols"));
  CHECK(fr.Stem("patrouilles") == fr.Stem("patrouille"));
  CHECK(none.Stem("patrols").empty());
  CHECK(en.Stem("2719").empty());
}

}  // namespace
}  // namespace pillar

namespace pillar {
namespace {

TEST_CASE("StripElisions removes elided articles only at word starts", "[segment][analyzer]") {
  CHECK(StripElisions("l\u2019alerte d'un village") == "alerte un village");
  CHECK(StripElisions("jusqu'\u00e0 l'\u00c9tat") == "\u00e0 \u00c9tat");
  CHECK(StripElisions("the mission's mandate") == "the mission's mandate");
  CHECK(StripElisions("rock 'n' roll") == "rock 'n' roll");
}

}  // namespace
}  // namespace pillar
