#pragma once

#include <string>
#include <string_view>

#include "indexer/ingest/reader.h"

namespace pillar {

// GitHub-flavoured Markdown, parsed by cmark-gfm (CommonMark with tables and strikethrough):
// headings (ATX and setext) give the section path; each paragraph, list item paragraph and
// table row is a paragraph of its own (an ordered item keeps its number, "12. ", which is its
// locator; a line inside a paragraph that starts with a list marker, "(a)", starts another,
// as in plain text); block quotes and lists are unwrapped; code blocks are kept as
// paragraphs; HTML comments are dropped and other HTML keeps its text. Inline markup
// (emphasis, code, links and reference links, entities) is reduced to its text; images give
// none. A form feed starts a new page. A leading YAML front matter block gives metadata
// (title, author, date, lang/language, symbol, issuer, type, url).
class MarkdownReader : public Reader {
 public:
  std::string_view Name() const override { return "markdown"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

// Reduces Markdown inline markup to plain text: "**a** [b](u) `c`" -> "a b c" (blocks are
// joined by a space).
std::string StripMarkdownInline(std::string_view s);

}  // namespace pillar
