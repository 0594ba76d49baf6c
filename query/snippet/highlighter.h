#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/segment/analyzer.h"

namespace pillar {

// A half-open UTF-8 byte range.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// A fragment of a passage around its best matches.
struct Snippet {
  std::string text;          // the fragment, with "…" where it was cut
  std::vector<Span> spans;   // matched words, byte ranges into `text`
};

// Our own highlighter over stored passage text (Xapian's MSet::snippet returns HTML and no
// offsets). A word matches when its lowercased form, or that form without accents, is one of
// the query's exact terms, or its stem (through the same Analyzer that indexed it) is one of
// the query's stems.
class Highlighter {
 public:
  // `terms`: unprefixed exact terms of the query; `stems`: its stems without the "Z".
  Highlighter(std::set<std::string> terms, std::set<std::string> stems, Analyzer& analyzer);

  // Byte ranges of every matching word of `text`.
  std::vector<Span> Matches(std::string_view text) const;

  // The window of about `max_bytes` (cut at word boundaries) holding the most distinct
  // matched words; the passage start when nothing matches.
  Snippet Best(std::string_view text, size_t max_bytes = 260) const;

 private:
  std::set<std::string> terms_;
  std::set<std::string> stems_;
  Analyzer& analyzer_;
};

}  // namespace pillar
