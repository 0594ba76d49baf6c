#pragma once

#include <string_view>

#include "indexer/ingest/reader.h"

namespace pillar {

// Plain text as policy documents are usually saved: paragraphs separated by blank lines
// (a paragraph may be wrapped over several lines), a form feed starts a new page, and a
// heading is a short one-line paragraph that does not end in punctuation ("I. Introduction",
// "PART II. THE FOUR PILLARS"). Inside a paragraph, a line that starts with a list marker
// ("(a)", "(ii)", "12.", "-", "•") starts a new paragraph, so sub-paragraphs written without
// blank lines are still their own passages.
class TextReader : public Reader {
 public:
  std::string_view Name() const override { return "text"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

// Heading heuristics shared with other line-based readers (PDF): returns the heading level
// (1 or 2) if `line` looks like a heading, 0 otherwise.
int HeadingLevelOfLine(std::string_view line);

// True when `line` starts with a paragraph or list marker: "(a) ", "(iv) ", "a) ", "12. ",
// "12.3 ", "- ", "* ", "• ".
bool StartsWithListMarker(std::string_view line);

}  // namespace pillar
