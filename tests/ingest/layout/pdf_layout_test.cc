#include "indexer/ingest/layout/pdf_layout.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace pillar::layout {
namespace {

// Words of one line of text set from x0 at baseline `top`, 10 pt, 5 pt per character.
void AddLine(std::vector<Word>& words, double x0, double top, const std::string& text,
             double size = 10, bool bold = false) {
  std::istringstream in(text);
  std::string w;
  double x = x0;
  while (in >> w) {
    double width = 5.0 * static_cast<double>(w.size());
    words.push_back({w, x, top, x + width, top + size, size, bold, true});
    x += width + 3;
  }
}

// The same, every word italic.
void AddItalicLine(std::vector<Word>& words, double x0, double top, const std::string& text) {
  const size_t first = words.size();
  AddLine(words, x0, top, text);
  for (size_t i = first; i < words.size(); ++i) words[i].italic = true;
}

std::vector<std::string> Texts(const ExtractedDocument& doc, BlockKind kind) {
  std::vector<std::string> out;
  for (const Block& b : doc.blocks) {
    if (b.kind == kind) out.emplace_back(doc.BlockText(b));
  }
  return out;
}

ExtractedDocument Assemble(std::vector<std::vector<Word>> page_words) {
  std::vector<Page> pages;
  int n = 0;
  for (auto& words : page_words) {
    Page p;
    p.width = 612;
    p.height = 792;
    p.lines = BuildLines(words, ++n);
    pages.push_back(std::move(p));
  }
  ExtractedDocument doc;
  AssembleBlocks(pages, &doc);
  return doc;
}

TEST_CASE("StartsWithParagraphMarker knows paragraph numbers from wrapped years",
          "[ingest][layout]") {
  CHECK(StartsWithParagraphMarker("12. Requests the Secretary-General"));
  CHECK(StartsWithParagraphMarker("(a) protective clothing"));
  CHECK(StartsWithParagraphMarker("(iv) the fourth"));
  CHECK(StartsWithParagraphMarker("12.3 Quick reaction forces"));
  CHECK(StartsWithParagraphMarker("\xE2\x80\xA2 a bullet"));
  CHECK(StartsWithParagraphMarker("iv. Context and background"));
  CHECK(StartsWithParagraphMarker("\xE2\x80\xA2\xE2\x80\xA2 a bullet drawn twice"));
  CHECK(StartsWithParagraphMarker("\xEF\x82\xB7 a symbol-font bullet"));
  CHECK_FALSE(StartsWithParagraphMarker("i.e. that is"));
  CHECK_FALSE(StartsWithParagraphMarker("(2025) one week earlier"));
  CHECK_FALSE(StartsWithParagraphMarker("1990. The report"));
  CHECK_FALSE(StartsWithParagraphMarker("12. of resolution 2719"));  // a wrapped reference
  CHECK_FALSE(StartsWithParagraphMarker("2025, and authorizes"));
}

TEST_CASE(
    "BuildLines keeps a paragraph number with its text when a footer is drawn between "
    "them, and keeps side-by-side columns apart",
    "[ingest][layout]") {
  std::vector<Word> words;
  AddLine(words, 147, 259, "27.");
  AddLine(words, 60, 749, "25-00687");  // the footer, drawn between number and text
  AddLine(words, 171, 259, "Decides to remain actively seized of the matter.");
  AddLine(words, 72, 300, "left column text");
  AddLine(words, 320, 300, "right column text");
  std::vector<Line> lines = BuildLines(words, 1);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "27. Decides to remain actively seized of the matter.");
  CHECK(lines[1].text == "25-00687");
  CHECK(lines[2].text == "left column text");
  CHECK(lines[3].text == "right column text");
}

TEST_CASE(
    "AssembleBlocks: first-line indents, a block indented as a whole, and a year wrapped "
    "to the start of a line",
    "[ingest][layout]") {
  std::vector<Word> w;
  // A first-line indented paragraph whose second line starts with a wrapped year.
  AddLine(w, 147, 100, "Recalling its resolutions 2441 (2018) and 2509 (2020) and also");
  AddLine(w, 123, 112, "(2025) one week earlier and the report of the Panel of Experts");
  AddLine(w, 123, 124, "1990. transmitted by the Committee to the Council,");
  // A block set in as a whole: every line at 147, the next item starts with a marker.
  AddLine(w, 147, 142, "(i) The use of assessed funding would enable the provision of");
  AddLine(w, 147, 154, "support including troop rotation and local procurement and it");
  AddLine(w, 147, 166, "would be tailored to the operational needs of the Mission;");
  AddLine(w, 147, 184, "(ii) Contingent-owned equipment processes could be used.");
  ExtractedDocument doc = Assemble({w});
  std::vector<std::string> paras = Texts(doc, BlockKind::kParagraph);
  REQUIRE(paras.size() == 3);
  CHECK(paras[0].find("and also (2025) one week earlier") != std::string::npos);
  CHECK(paras[0].find("Panel of Experts 1990. transmitted") != std::string::npos);
  CHECK(paras[1] ==
        "(i) The use of assessed funding would enable the provision of support including troop "
        "rotation and local procurement and it would be tailored to the operational needs of the "
        "Mission;");
  CHECK(paras[2] == "(ii) Contingent-owned equipment processes could be used.");
}

TEST_CASE(
    "AssembleBlocks reads two columns in order and runs a paragraph on across the column "
    "and page breaks",
    "[ingest][layout]") {
  std::vector<Word> p1, p2;
  AddLine(p1, 72, 60, "Quarterly brief on violence", 20, true);  // spans both columns
  // Drawn right column first, to show the order comes from the page, not the stream.
  for (int i = 0; i < 6; ++i) AddLine(p1, 320, 100 + 12 * i, "right column words go on here");
  for (int i = 0; i < 6; ++i) AddLine(p1, 72, 100 + 12 * i, "left column words go on here");
  AddLine(p2, 72, 100, "and end here on the next page.");
  for (int i = 1; i < 9; ++i) AddLine(p2, 72, 100 + 12 * i, "more text of the left column");
  for (int i = 0; i < 9; ++i) AddLine(p2, 320, 100 + 12 * i, "more text of the right column");
  ExtractedDocument doc = Assemble({p1, p2});
  std::vector<std::string> headings = Texts(doc, BlockKind::kHeading);
  REQUIRE(headings.size() == 1);
  CHECK(headings[0] == "Quarterly brief on violence");
  std::vector<std::string> paras = Texts(doc, BlockKind::kParagraph);
  REQUIRE(!paras.empty());
  const std::string& first = paras[0];
  CHECK(first.find("left column words go on here left column") == 0);
  size_t right = first.find("right column words");
  size_t next_page = first.find("and end here on the next page.");
  CHECK(first.rfind("left column words") < right);
  CHECK(right < next_page);
  CHECK(next_page != std::string::npos);
}

TEST_CASE("AssembleBlocks takes notes after a short rule apart, and drops chart tick labels",
          "[ingest][layout]") {
  std::vector<Word> w;
  AddLine(w, 72, 100, "The mission recorded fewer incidents than in the last quarter of");
  AddLine(w, 72, 112, "the year, as the chart below shows in detail.");
  AddLine(w, 72, 200, "160");
  AddLine(w, 72, 230, "140");
  AddLine(w, 72, 260, "2023 2024 2025");
  AddLine(w, 72, 600, "__________________");
  AddLine(w, 72, 612, "1 See the report of the Secretary-General (S/2025/176).", 8);
  ExtractedDocument doc = Assemble({w});
  std::vector<std::string> paras = Texts(doc, BlockKind::kParagraph);
  REQUIRE(paras.size() == 1);
  CHECK(paras[0] ==
        "The mission recorded fewer incidents than in the last quarter of the year, as the chart "
        "below shows in detail.");
  std::vector<std::string> notes = Texts(doc, BlockKind::kFootnote);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "See the report of the Secretary-General (S/2025/176).");
  CHECK(doc.text.find("____") == std::string::npos);
}

TEST_CASE(
    "AssembleBlocks: a bullet a font hands over as control characters starts an item, "
    "and the item's hanging lines stay with it",
    "[ingest][layout]") {
  std::vector<Word> w;
  AddLine(w, 72, 100, "Internal reports are of these kinds:");
  AddLine(w, 90, 112, "\x0e");
  AddLine(w, 95, 112, "\x0e");
  AddLine(w, 104, 112, "Interview reports that record what victims and witnesses");
  AddLine(w, 104, 124, "said to the team;");
  AddLine(w, 90, 136, "\x0e");
  AddLine(w, 104, 136, "Incident reports.");
  ExtractedDocument doc = Assemble({w});
  std::vector<std::string> paras = Texts(doc, BlockKind::kParagraph);
  REQUIRE(paras.size() == 3);
  CHECK(paras[1] ==
        "\xE2\x80\xA2 \xE2\x80\xA2 Interview reports that record what victims "
        "and witnesses said to the team;");
  CHECK(paras[2] == "\xE2\x80\xA2 Incident reports.");
}

}  // namespace
}  // namespace pillar::layout

namespace pillar::layout {
namespace {

TEST_CASE("AssembleBlocks reads a lone short italic line as a third-level heading, and italic "
          "sentences, source notes and runs of italic text as paragraphs",
          "[ingest][layout]") {
  std::vector<Word> p1;
  const std::string body = "the mission reported on the situation in the capital and its regions";
  double top = 60;
  AddLine(p1, 72, top, "A. Support to the transition", 10, true);  // a bold level-2 heading
  top += 24;
  auto paragraph = [&](const std::string& last) {
    for (int i = 0; i < 3; ++i, top += 12) AddLine(p1, 72, top, body);
    AddLine(p1, 72, top, last);
    top += 24;
  };
  paragraph("and ended here.");
  AddItalicLine(p1, 72, top, "Member State leadership");  // the heading
  top += 24;
  paragraph("and here too.");
  AddItalicLine(p1, 72, top, "The talks resumed in May.");  // a sentence: a paragraph
  top += 24;
  paragraph("and so on.");
  AddItalicLine(p1, 72, top, "Source: field office reports");  // a source note
  top += 24;
  paragraph("and then.");
  // Italic text over two lines is an italic paragraph, not a heading.
  AddItalicLine(p1, 72, top, body);
  AddItalicLine(p1, 72, top + 12, "Supported operations");
  top += 36;
  paragraph("and at last.");
  ExtractedDocument doc = Assemble({p1});
  std::vector<std::string> headings = Texts(doc, BlockKind::kHeading);
  REQUIRE(headings.size() == 2);
  CHECK(headings[0] == "A. Support to the transition");
  CHECK(headings[1] == "Member State leadership");
  // Nested under the bold heading: a level below it.
  int bold_level = 0, italic_level = 0;
  for (const Block& b : doc.blocks) {
    if (b.kind != BlockKind::kHeading) continue;
    (doc.BlockText(b) == headings[0] ? bold_level : italic_level) = b.level;
  }
  CHECK(italic_level > bold_level);
  std::vector<std::string> paras = Texts(doc, BlockKind::kParagraph);
  auto has = [&](const std::string& text) {
    return std::any_of(paras.begin(), paras.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
  };
  CHECK(has("The talks resumed in May."));
  CHECK(has("Source: field office reports"));
  CHECK(has("Supported operations"));
  CHECK(!has("Member State leadership"));
}

}  // namespace
}  // namespace pillar::layout
