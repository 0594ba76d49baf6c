#include "indexer/ingest/markdown_reader.h"

#include <catch2/catch.hpp>

namespace pillar {
namespace {

TEST_CASE("MarkdownReader reads headings, paragraphs, bullets and ordered paragraphs",
          "[ingest][markdown]") {
  std::string md =
      "---\ntitle: \"Policy on PoC\"\nauthor: DPO\ndate: 2023\nlang: en\n---\n"
      "<!-- Illustrative sample: not official text. -->\n"
      "# Policy\n\n## A. Purpose\n\n1. This policy sets out\nthe **three tiers**.\n\n"
      "- patrols by [day](https://example.org) and night\n- `early warning` networks\n\n"
      "Setext heading\n--------------\n\n> A quoted paragraph.\n";
  ExtractedDocument doc;
  REQUIRE(MarkdownReader().Read("p.md", md, &doc).ok());
  CHECK(doc.meta.title == "Policy on PoC");
  CHECK(doc.meta.author == "DPO");
  CHECK(doc.meta.date == "2023");
  REQUIRE(doc.blocks.size() == 7);
  CHECK(doc.blocks[0].kind == BlockKind::kHeading);
  CHECK(doc.blocks[1].level == 2);
  CHECK(doc.BlockText(doc.blocks[2]) == "1. This policy sets out the three tiers.");
  CHECK(doc.BlockText(doc.blocks[3]) == "patrols by day and night");
  CHECK(doc.BlockText(doc.blocks[4]) == "early warning networks");
  CHECK(doc.blocks[5].kind == BlockKind::kHeading);
  CHECK(doc.BlockText(doc.blocks[5]) == "Setext heading");
  CHECK(doc.BlockText(doc.blocks[6]) == "A quoted paragraph.");
  CHECK(doc.text.find("Illustrative") == std::string::npos);
}

TEST_CASE("StripMarkdownInline keeps the text of emphasis, code and links",
          "[ingest][markdown]") {
  CHECK(StripMarkdownInline("**Tier I** and *Tier II*") == "Tier I and Tier II");
  CHECK(StripMarkdownInline("see [the handbook](http://x.org/h) `p. 12`") ==
        "see the handbook p. 12");
  CHECK(StripMarkdownInline("snake_case_word stays") == "snake_case_word stays");
  CHECK(StripMarkdownInline("![logo](logo.png)Text") == "Text");
}

}  // namespace
}  // namespace pillar
