// Markdown read by cmark-gfm (issue 17): the constructs the hand-written reader broke.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "indexer/ingest/markdown_reader.h"

namespace pillar {
namespace {

std::vector<std::string> Texts(const std::string& md) {
  ExtractedDocument doc;
  REQUIRE(MarkdownReader().Read("p.md", md, &doc).ok());
  std::vector<std::string> texts;
  for (const Block& b : doc.blocks) texts.emplace_back(doc.BlockText(b));
  return texts;
}

TEST_CASE("Markdown reference links give their text, and their definitions give no passage",
          "[ingest][markdown]") {
  std::vector<std::string> t = Texts(
      "See the [DPO policy][dpo] and the [handbook] for details.\n\n"
      "[dpo]: https://peacekeeping.un.org/policy \"DPO policy\"\n"
      "[handbook]: https://example.org/handbook\n");
  REQUIRE(t.size() == 1);
  CHECK(t[0] == "See the DPO policy and the handbook for details.");
}

TEST_CASE("Markdown entities are decoded", "[ingest][markdown]") {
  std::vector<std::string> t =
      Texts("Peace &amp; security, the S&eacute;curit&eacute; Council &#8212; and &lt;b&gt;.\n");
  REQUIRE(t.size() == 1);
  CHECK(t[0] ==
        "Peace & security, the S\u00E9"
        "curit\u00E9 Council \u2014 and <b>.");
}

TEST_CASE("Markdown underscore emphasis is removed and intraword underscores are kept",
          "[ingest][markdown]") {
  std::vector<std::string> t =
      Texts("The _protection of civilians_ is __everyone's__ task; see file_name_v2.\n");
  REQUIRE(t.size() == 1);
  CHECK(t[0] == "The protection of civilians is everyone's task; see file_name_v2.");
}

TEST_CASE("Markdown GFM tables give one passage per row, escaped pipes and inline markup inside",
          "[ingest][markdown]") {
  std::vector<std::string> t = Texts(
      "| Tier | Meaning |\n"
      "|:-----|--------:|\n"
      "| **I** | dialogue \\| engagement |\n"
      "| II | [physical](https://x.org) protection |\n");
  REQUIRE(t.size() == 3);
  CHECK(t[0] == "Tier Meaning");
  CHECK(t[1] == "I dialogue | engagement");
  CHECK(t[2] == "II physical protection");
}

TEST_CASE("Markdown headings, nested lists and numbered items keep their structure",
          "[ingest][markdown]") {
  ExtractedDocument doc;
  REQUIRE(MarkdownReader()
              .Read("p.md",
                    "# Mandate #\n\n"
                    "7. The Council *decides*:\n"
                    "8. The mission shall:\n"
                    "   - patrol the ~~old~~ new camps\n"
                    "   - report monthly\n\n"
                    "Heading two\n===========\n\n"
                    "    indented code stays text\n",
                    &doc)
              .ok());
  std::vector<std::string> t;
  for (const Block& b : doc.blocks) t.emplace_back(doc.BlockText(b));
  REQUIRE(t.size() == 7);
  CHECK(doc.blocks[0].kind == BlockKind::kHeading);
  CHECK(t[0] == "Mandate");  // the closing #s are not text
  CHECK(t[1] == "7. The Council decides:");
  CHECK(t[2] == "8. The mission shall:");
  CHECK(t[3] == "patrol the old new camps");
  CHECK(t[4] == "report monthly");
  CHECK(doc.blocks[5].kind == BlockKind::kHeading);
  CHECK(doc.blocks[5].level == 1);
  CHECK(t[6] == "indented code stays text");
}

TEST_CASE("Markdown form feeds start pages and the text around them is kept",
          "[ingest][markdown]") {
  ExtractedDocument doc;
  REQUIRE(MarkdownReader().Read("p.md", "First page.\n\fSecond page.\n", &doc).ok());
  REQUIRE(doc.blocks.size() == 2);
  CHECK(doc.blocks[0].page == 1);
  CHECK(doc.blocks[1].page == 2);
  CHECK(doc.BlockText(doc.blocks[1]) == "Second page.");
}

}  // namespace
}  // namespace pillar
