#include "indexer/ingest/text_reader.h"

#include <catch2/catch.hpp>

namespace pillar {
namespace {

ExtractedDocument ReadText(const std::string& text) {
  ExtractedDocument doc;
  REQUIRE(TextReader().Read("inline.txt", text, &doc).ok());
  return doc;
}

TEST_CASE("TextReader turns short unpunctuated lines into headings with levels", "[ingest][text]") {
  ExtractedDocument doc = ReadText(
      "PART II. THE FOUR PILLARS\n\nPillar 1: Physical protection\n\n"
      "14. Missions protect civilians\nunder imminent threat.\n");
  REQUIRE(doc.blocks.size() == 3);
  CHECK(doc.blocks[0].kind == BlockKind::kHeading);
  CHECK(doc.blocks[0].level == 1);
  CHECK(doc.blocks[1].kind == BlockKind::kHeading);
  CHECK(doc.blocks[1].level == 2);
  CHECK(doc.blocks[2].kind == BlockKind::kParagraph);
  CHECK(doc.BlockText(doc.blocks[2]) == "14. Missions protect civilians under imminent threat.");
}

TEST_CASE("TextReader starts a paragraph at each list marker inside a block", "[ingest][text]") {
  ExtractedDocument doc = ReadText(
      "5. Decides that the tasks are:\n(a) protection of civilians;\n(b) support to\n"
      "the peace process;\n");
  REQUIRE(doc.blocks.size() == 3);
  CHECK(doc.BlockText(doc.blocks[1]) == "(a) protection of civilians;");
  CHECK(doc.BlockText(doc.blocks[2]) == "(b) support to the peace process;");
}

TEST_CASE("TextReader counts pages at form feeds", "[ingest][text]") {
  ExtractedDocument doc = ReadText(
      "1. First page paragraph.\n\n\f\n2. Second page paragraph.\n\fThird page starts here.\n");
  REQUIRE(doc.blocks.size() == 3);
  CHECK(doc.blocks[0].page == 1);
  CHECK(doc.blocks[1].page == 2);
  CHECK(doc.blocks[2].page == 3);
}

TEST_CASE("TextReader does not take sentences or sub-paragraphs for headings", "[ingest][text]") {
  CHECK(HeadingLevelOfLine("The Security Council,") == 0);
  CHECK(HeadingLevelOfLine("(a) Protection of civilians") == 0);
  CHECK(HeadingLevelOfLine("Recalling its resolutions 2719 (2023) and 2320 (2016), and the "
                           "statements of its President on the subject") == 0);
  CHECK(HeadingLevelOfLine("I. Introduction") == 1);
  CHECK(HeadingLevelOfLine("A. Primacy of politics") == 2);
}

}  // namespace
}  // namespace pillar
