#pragma once

#include <string>
#include <string_view>

#include "indexer/ingest/reader.h"

namespace pillar {

// CommonMark-style Markdown, as far as policy texts use it: ATX (#) and setext headings give
// the section path; blank-line separated paragraphs; "-", "*", "+" bullets and "12." ordered
// items are paragraphs of their own (an ordered item keeps its number, which is its locator);
// block quotes are unwrapped; fenced code is kept as a paragraph; tables give one paragraph
// per row; HTML comments are dropped. Inline markup (emphasis, code, links, images) is
// reduced to its text. A leading YAML front matter block gives metadata (title, author,
// date, lang/language, symbol, issuer, type, url).
class MarkdownReader : public Reader {
 public:
  std::string_view Name() const override { return "markdown"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

// Reduces Markdown inline markup to plain text: "**a** [b](u) `c`" -> "a b c".
std::string StripMarkdownInline(std::string_view s);

}  // namespace pillar
