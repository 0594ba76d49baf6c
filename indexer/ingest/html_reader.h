#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// HTML through gumbo (HTML5 parsing rules, so real-world tag soup parses as a browser would).
// Keeps the article text: headings (h1-h6) become the section path, p/li/blockquote/td text
// becomes paragraphs. Drops boilerplate: nav, header, footer, aside, script, style, noscript,
// template, form, iframe, svg, buttons, and elements whose class/id/role mark them as
// navigation, menus, cookie banners, share widgets, related links, newsletter or comments.
// When the page has an <article> or <main>, only that subtree is read. Pull-quotes that repeat
// body text are dropped, and a paragraph that repeats an earlier one verbatim is kept once.
// Metadata: <title> (or og:title), <meta name="author">, <meta name="date"> /
// article:published_time, <html lang>; the catalog wins over all of these.
class HtmlReader : public Reader {
 public:
  std::string_view Name() const override { return "html"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

}  // namespace pillar
