#include "indexer/ingest/pdf_reader.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

const char* kSamplePdf = "corpus/sample/unsme-poc-strategy-draft.pdf";

ExtractedDocument ReadSamplePdf() {
  Result<ExtractedDocument> doc = ReadDocument(testing::SourceDir() / kSamplePdf);
  INFO((doc.ok() ? "" : doc.status().message()));
  REQUIRE(doc.ok());
  return std::move(doc.value());
}

const Block* BlockWith(const ExtractedDocument& doc, std::string_view needle) {
  for (const Block& b : doc.blocks) {
    if (doc.BlockText(b).find(needle) != std::string_view::npos) return &b;
  }
  return nullptr;
}

TEST_CASE("PdfReader rejoins words hyphenated at line ends and keeps real hyphens",
          "[ingest][pdf]") {
  ExtractedDocument doc = ReadSamplePdf();
  // groff broke "illus-trative", "pro-tection" and "popu-lation" over lines.
  CHECK(BlockWith(doc, "It is an illustrative text written for the Pillar project"));
  CHECK(BlockWith(doc, "the displaced population of the three provinces"));
  CHECK(doc.text.find("illus-trative") == std::string::npos);
  CHECK(doc.text.find("popu-lation") == std::string::npos);
  CHECK(BlockWith(doc, "Community-based protection mechanisms"));
  CHECK(BlockWith(doc, "whole-of-mission task"));
}

TEST_CASE("PdfReader leaves running headers, footers and page numbers out", "[ingest][pdf]") {
  ExtractedDocument doc = ReadSamplePdf();
  CHECK(doc.text.find("UNSME/POC/2024/1") == std::string::npos);
  CHECK(doc.text.find("DRAFT") == std::string::npos);
  CHECK(doc.text.find("Page 1 of 3") == std::string::npos);
  CHECK(doc.text.find("Page 2 of 3") == std::string::npos);
  CHECK(doc.text.find("of 3") == std::string::npos);
}

TEST_CASE("PdfReader keeps a paragraph across a page break as one block with its first page",
          "[ingest][pdf]") {
  ExtractedDocument doc = ReadSamplePdf();
  // Paragraph 5 starts on page 1 and ends on page 2 ("check them | with a second source").
  const Block* p5 = BlockWith(doc, "5. Early warning relies first on the communities.");
  REQUIRE(p5);
  CHECK(p5->kind == BlockKind::kParagraph);
  CHECK(p5->page == 1);
  std::string_view text = doc.BlockText(*p5);
  CHECK(text.find("check them with a second source") != std::string_view::npos);
  CHECK(text.find("where most of the displaced population of the three provinces now lives.") !=
        std::string_view::npos);
  // Paragraph 11 runs from page 2 to page 3 around the footnote and the footer.
  const Block* p11 = BlockWith(doc, "11. Lasting protection");
  REQUIRE(p11);
  CHECK(p11->page == 2);
  CHECK(doc.BlockText(*p11).find("and the safe and voluntary return of displaced persons") !=
        std::string_view::npos);
  const Block* p12 = BlockWith(doc, "12. The strategy will be reviewed");
  REQUIRE(p12);
  CHECK(p12->page == 3);
}

TEST_CASE("PdfReader keeps the footnote apart from the paragraph it interrupts",
          "[ingest][pdf]") {
  ExtractedDocument doc = ReadSamplePdf();
  const Block* note = BlockWith(doc, "The one-hour target is illustrative.");
  REQUIRE(note);
  CHECK(note->kind == BlockKind::kFootnote);
  CHECK(note->locator == "1");
  CHECK(note->page == 2);
  CHECK(doc.BlockText(*note) ==
        "The one-hour target is illustrative. Missions set their own response standards in "
        "their standard operating procedures on early warning and rapid response.");
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kFootnote) continue;
    CHECK(doc.BlockText(b).find("one-hour target") == std::string_view::npos);
  }
  // The note call after "depend." is gone from the body text.
  CHECK(BlockWith(doc, "on which the networks depend. The joint operations centre"));
}

TEST_CASE("PdfReader finds headings, and title and author in the information dictionary",
          "[ingest][pdf]") {
  ExtractedDocument doc = ReadSamplePdf();
  CHECK(doc.meta.title ==
        "Protection of Civilians Strategy of the United Nations Stabilization Mission in "
        "Eastmark (illustrative draft)");
  CHECK(doc.meta.author == "Office of the Senior Protection of Civilians Adviser, UNSME");
  CHECK(doc.meta.date.size() == 10);
  std::vector<std::string> headings;
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kHeading) headings.emplace_back(doc.BlockText(b));
  }
  CHECK(headings == std::vector<std::string>{
                        "Protection of Civilians Strategy of the United Nations Stabilization "
                        "Mission in Eastmark",
                        "I. Purpose and scope", "II. Threat assessment and early warning",
                        "III. Protection through dialogue and engagement",
                        "IV. Provision of physical protection",
                        "V. Establishment of a protective environment"});
}

TEST_CASE("JoinHyphenatedWord joins known words and suffixes and keeps compounds",
          "[ingest][pdf]") {
  std::set<std::string> words = {"protection", "community", "based", "early-warning"};
  auto known = [&](const std::string& w) { return words.count(w) > 0; };
  CHECK(JoinHyphenatedWord("protec", "tion", known));
  CHECK(JoinHyphenatedWord("engage", "ment", known));
  CHECK(JoinHyphenatedWord("popu", "lation", known));  // two fragments
  CHECK_FALSE(JoinHyphenatedWord("community", "based", known));
  CHECK_FALSE(JoinHyphenatedWord("early", "warning", known));  // the compound occurs
}

TEST_CASE("PdfReader refuses truncated, damaged and non-PDF bytes with clear messages",
          "[ingest][pdf]") {
  PdfReader reader;
  ExtractedDocument doc;
  Status st = reader.Read("x.pdf", "GIF89a not a pdf at all", &doc);
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message() == "not a PDF file (no %PDF- header)");
  st = reader.Read("x.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog", &doc);
  CHECK(st.message() == "truncated PDF (no %%EOF marker at the end of the file)");
  st = reader.Read("x.pdf", "%PDF-1.4\ngarbage garbage garbage\n%%EOF\n", &doc);
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message().find("damaged PDF") == 0);
}

}  // namespace
}  // namespace pillar
