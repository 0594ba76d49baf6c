#include "indexer/segment/passage_splitter.h"

#include <catch2/catch.hpp>
#include <map>

#include "indexer/base/text.h"
#include "indexer/ingest/text_reader.h"
#include "indexer/segment/passage_id.h"

namespace pillar {
namespace {

ExtractedDocument Resolution() {
  ExtractedDocument doc;
  doc.meta.id = "s-res-1-2024";
  doc.meta.type = "resolution";
  doc.meta.language = "en";
  doc.AddBlock(BlockKind::kHeading, "Resolution 1 (2024)", 1);
  doc.AddBlock(BlockKind::kParagraph, "Adopted by the Security Council at its 9999th meeting");
  doc.AddBlock(BlockKind::kParagraph, "The Security Council,");
  doc.AddBlock(BlockKind::kParagraph, "Recalling its earlier resolutions,");
  doc.AddBlock(BlockKind::kParagraph, "Expressing concern at attacks on civilians,");
  doc.AddBlock(BlockKind::kParagraph, "1. Decides that the mandate shall include:");
  doc.AddBlock(BlockKind::kParagraph, "(a) Protection of civilians, including:");
  doc.AddBlock(BlockKind::kParagraph, "(i) to deter violence through patrols;");
  doc.AddBlock(BlockKind::kParagraph, "(ii) to support early warning;");
  doc.AddBlock(BlockKind::kParagraph, "(b) Support to the political process;");
  doc.AddBlock(BlockKind::kParagraph, "2. Requests the Secretary-General to report;");
  return doc;
}

TEST_CASE("PassageSplitter keeps (a)-(b) sub-paragraphs with their parent's number",
          "[segment]") {
  std::vector<Passage> ps = SplitPassages(Resolution());
  REQUIRE(ps.size() == 10);
  // The adoption line and the enacting formula are no preambular paragraphs.
  CHECK(ps[0].locator.empty());
  CHECK(ps[1].id == "s-res-1-2024#" + ContentFragment(ps[1].text));
  ps.erase(ps.begin(), ps.begin() + 2);
  CHECK(ps[0].locator == "PP1");
  CHECK(ps[0].id == "s-res-1-2024#pp-1");
  CHECK(ps[1].locator == "PP2");
  CHECK(ps[2].locator == "1");
  CHECK(ps[2].id == "s-res-1-2024#op-1");
  CHECK(ps[3].locator == "1(a)");
  CHECK(ps[4].locator == "1(a)(i)");
  CHECK(ps[4].id == "s-res-1-2024#op-1-a-i");
  CHECK(ps[5].locator == "1(a)(ii)");
  CHECK(ps[6].locator == "1(b)");
  CHECK(ps[7].locator == "2");
}

TEST_CASE("PassageSplitter records the section path and byte ranges into the text",
          "[segment]") {
  ExtractedDocument doc = Resolution();
  std::vector<Passage> ps = SplitPassages(doc);
  for (const Passage& p : ps) {
    CHECK(doc.text.substr(p.begin, p.end - p.begin) == p.text);
    REQUIRE(p.section.size() == 1);
    CHECK(p.section[0] == "Resolution 1 (2024)");
  }
  CHECK(ps[3].ordinal == 3);
  CHECK(ps[3].text == "Expressing concern at attacks on civilians,");
}

TEST_CASE("PassageSplitter makes repeated locators unique and names unnumbered ones by text",
          "[segment]") {
  ExtractedDocument doc;
  doc.meta.id = "d";
  doc.AddBlock(BlockKind::kHeading, "Part one", 1);
  doc.AddBlock(BlockKind::kParagraph, "1. First part, paragraph one.");
  doc.AddBlock(BlockKind::kHeading, "Part two", 1);
  doc.AddBlock(BlockKind::kParagraph, "1. Second part restarts numbering.");
  doc.AddBlock(BlockKind::kParagraph, "An unnumbered closing paragraph.");
  std::vector<Passage> ps = SplitPassages(doc);
  REQUIRE(ps.size() == 3);
  CHECK(ps[0].id == "d#para-1");
  CHECK(ps[1].id == "d#para-1~2");
  CHECK(ps[1].section == std::vector<std::string>{"Part two"});
  CHECK(ps[2].id == "d#" + ContentFragment("An unnumbered closing paragraph."));
  CHECK(ps[2].locator.empty());
}

namespace {

// A report without paragraph numbers: every passage gets a content id.
ExtractedDocument Unnumbered(const std::vector<std::string>& paragraphs) {
  ExtractedDocument doc;
  doc.meta.id = "brief";
  doc.AddBlock(BlockKind::kHeading, "Findings", 1);
  for (const std::string& p : paragraphs) doc.AddBlock(BlockKind::kParagraph, p);
  return doc;
}

std::map<std::string, std::string> IdsByText(const std::vector<Passage>& ps) {
  std::map<std::string, std::string> out;
  for (const Passage& p : ps) out[p.text] = p.id;
  return out;
}

}  // namespace

TEST_CASE("An unnumbered passage keeps its id when a paragraph is inserted above it",
          "[segment][ids]") {
  std::vector<std::string> paragraphs = {"Patrols were increased near the camps.",
                                         "Community alert networks were set up.",
                                         "Women's groups were consulted on routes."};
  std::map<std::string, std::string> before = IdsByText(SplitPassages(Unnumbered(paragraphs)));
  paragraphs.insert(paragraphs.begin(), "A new opening paragraph was added.");
  paragraphs.erase(paragraphs.begin() + 2);  // and one in the middle removed
  std::map<std::string, std::string> after = IdsByText(SplitPassages(Unnumbered(paragraphs)));
  CHECK(after["Patrols were increased near the camps."] ==
        before["Patrols were increased near the camps."]);
  CHECK(after["Women's groups were consulted on routes."] ==
        before["Women's groups were consulted on routes."]);
  CHECK(StartsWith(after["Patrols were increased near the camps."], "brief#p-"));
}

TEST_CASE("A content id ignores spacing, case of ASCII letters and curly quotes",
          "[segment][ids]") {
  CHECK(ContentFragment("Women\u2019s  groups\nwere consulted.") ==
        ContentFragment("women's groups were consulted. "));
  CHECK(ContentFragment("Women's groups were consulted.") !=
        ContentFragment("Women's groups were not consulted."));
  CHECK(ContentFragment("x").size() == 2 + kContentHashDigits);
}

TEST_CASE("Repeated unnumbered texts get a deterministic suffix in document order",
          "[segment][ids]") {
  std::vector<Passage> ps = SplitPassages(Unnumbered({"No comment.", "Text.", "No comment."}));
  REQUIRE(ps.size() == 3);
  CHECK(ps[2].id == ps[0].id + "~2");
  std::vector<Passage> again = SplitPassages(Unnumbered({"No comment.", "Text.", "No comment."}));
  for (size_t k = 0; k < ps.size(); ++k) CHECK(again[k].id == ps[k].id);
}

TEST_CASE("The parts of a long unnumbered paragraph share its content id", "[segment][ids]") {
  std::string para;
  for (int i = 0; i < 150; ++i) para += "Sentence " + std::to_string(i) + " is about patrols. ";
  std::vector<Passage> ps = SplitPassages(Unnumbered({"Short one.", para}));
  REQUIRE(ps.size() > 2);
  const std::string base = "brief#" + ContentFragment(para);
  CHECK(ps[1].id == base);
  CHECK(ps[2].id == base + "+2");
}

TEST_CASE("PassageSplitter splits an over-long paragraph at sentence boundaries",
          "[segment]") {
  std::string para = "25. ";
  for (int i = 0; i < 40; ++i) {
    para += "Sentence number " + std::to_string(i) +
            " speaks of missions, e.g. their patrols, and of the U.N. Secretariat. ";
  }
  ExtractedDocument doc;
  doc.meta.id = "h";
  doc.meta.language = "en";
  doc.AddBlock(BlockKind::kParagraph, para);
  SplitOptions options;
  options.max_passage_bytes = 1000;
  options.target_part_bytes = 500;
  std::vector<Passage> ps = SplitPassages(doc, options);
  REQUIRE(ps.size() > 3);
  CHECK(ps[0].id == "h#para-25");
  CHECK(ps[1].id == "h#para-25+2");
  for (const Passage& p : ps) {
    CHECK(p.locator == "25");
    CHECK(doc.text.substr(p.begin, p.end - p.begin) == p.text);
    // Every part ends at a sentence end, never inside "e.g." or "U.N.".
    CHECK(p.text.back() == '.');
    CHECK(p.text.substr(p.text.size() - 12) == "Secretariat.");
  }
  // The parts tile the paragraph without losing text.
  CHECK(ps.back().end == doc.text.size());
}

TEST_CASE("PassageSplitter cuts a paragraph with no sentence boundary at the hard limit",
          "[segment][limits]") {
  // 1 MB of words with no full stop, with a two-byte letter and a three-byte dash on the way,
  // and a run of 20 KB without white space: nothing a sentence breaker can cut.
  std::string para = "7. ";
  while (para.size() < 1'000'000) para += "protection of civilians été — ";
  para += std::string(20'000, 'x') + " end";
  ExtractedDocument doc;
  doc.meta.id = "run-on";
  doc.meta.language = "en";
  doc.AddBlock(BlockKind::kParagraph, para);
  doc.AddBlock(BlockKind::kFootnote, std::string(30'000, 'y'));
  SplitOptions options;  // the defaults: hard limit 8 KB
  std::vector<Passage> ps = SplitPassages(doc, options);
  REQUIRE(ps.size() > 1'000'000 / options.hard_limit_bytes);
  size_t covered = 0;  // end of the paragraph text covered so far
  for (size_t k = 0; k < ps.size(); ++k) {
    const Passage& p = ps[k];
    INFO(p.id);
    CHECK(p.text.size() <= options.hard_limit_bytes);
    CHECK(doc.text.substr(p.begin, p.end - p.begin) == p.text);
    // Every piece is valid UTF-8: no cut inside a character.
    CHECK(FindInvalidUtf8(p.text) == std::string::npos);
    if (!p.footnote) {
      CHECK(p.locator == "7");
      CHECK(p.id == (k == 0 ? "run-on#para-7" : "run-on#para-7+" + std::to_string(k + 1)));
      // The pieces tile the paragraph: nothing lost or doubled but the spaces cut at.
      CHECK(p.begin >= covered);
      CHECK(doc.text.substr(covered, p.begin - covered).find_first_not_of(' ') ==
            std::string::npos);
      covered = p.end;
    }
  }
  CHECK(covered == para.size());
  CHECK(ps.back().footnote);
  CHECK(ps.back().id == "run-on#fn-1+4");
}

TEST_CASE("SentenceStarts returns byte offsets of sentence starts", "[segment]") {
  std::string text = "La sécurité d'abord. Ensuite le dialogue. Enfin l'État.";
  std::vector<size_t> starts = SentenceStarts(text, "fr");
  REQUIRE(starts.size() == 3);
  CHECK(text.substr(starts[1], 7) == "Ensuite");
  CHECK(text.substr(starts[2], 5) == "Enfin");
}

}  // namespace
}  // namespace pillar
