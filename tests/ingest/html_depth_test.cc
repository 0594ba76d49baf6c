#include "indexer/ingest/html_depth.h"

#include <catch2/catch.hpp>
#include <string>

#include "indexer/ingest/html_reader.h"

namespace pillar {
namespace {

size_t Count(std::string_view s, std::string_view part) {
  size_t n = 0;
  for (size_t at = s.find(part); at != std::string_view::npos; at = s.find(part, at + 1)) ++n;
  return n;
}

std::string Nested(size_t depth, std::string_view inner) {
  std::string html = "<html><body>";
  for (size_t k = 0; k < depth; ++k) html += "<div class=\"d\">";
  html += inner;
  for (size_t k = 0; k < depth; ++k) html += "</div>";
  return html + "<p>After the nest.</p></body></html>";
}

TEST_CASE("LimitHtmlNesting leaves ordinary pages uncopied", "[ingest][html][limits]") {
  const std::string page =
      "<!doctype html><html><head><script>if (a<b) { x = '<div>'; }</script></head><body>"
      "<!-- <div><div> --><div><p>One<p>Two<ul><li>a<li>b</ul><br><img src='x'>"
      "<div/><section><div>Deep enough</div></section></div></body></html>";
  std::string storage;
  std::string_view out = LimitHtmlNesting(page, &storage, 3);
  CHECK(out.data() == page.data());
  CHECK(storage.empty());
}

TEST_CASE("LimitHtmlNesting removes only the tags nested past the limit, keeping their text",
          "[ingest][html][limits]") {
  std::string storage;
  std::string html = Nested(10, "core text");
  std::string_view out = LimitHtmlNesting(html, &storage, 4);
  CHECK(Count(out, "<div") == 4);
  CHECK(Count(out, "</div>") == 4);
  CHECK(Count(out, "core text") == 1);
  CHECK(Count(out, "After the nest.") == 1);
}

TEST_CASE("HtmlReader reads a page of 1,000,000 nested divs without recursing or quadratic work",
          "[ingest][html][limits]") {
  // 100,000 nested <div>s took two minutes in the HTML5 tree builder (a scope check walks the
  // open-element stack on every start tag); a million would take hours or overflow a
  // recursive walk. Past kMaxHtmlDepth the tags are dropped before parsing.
  std::string html = Nested(1'000'000, "Deep text about the protection of civilians.");
  std::string storage;
  std::string_view flat = LimitHtmlNesting(html, &storage);
  CHECK(Count(flat, "<div") == kMaxHtmlDepth);
  ExtractedDocument doc;
  REQUIRE(HtmlReader().Read("deep.html", html, &doc).ok());
  CHECK(doc.text.find("Deep text about the protection of civilians.") != std::string::npos);
  CHECK(doc.text.find("After the nest.") != std::string::npos);
}

}  // namespace
}  // namespace pillar
