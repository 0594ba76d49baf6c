#pragma once

#include <string>
#include <string_view>

namespace pillar {

// Ids of passages that print no number of their own (docs/ids.md).
//
// Such a passage used to be named by its position ("#p-7"), so a paragraph inserted above it
// renamed it and every later one, and a citation or export made before pointed elsewhere
// without a word. Its fragment is now a short hash of its own text: "p-3f2a9c". Edits
// elsewhere in the document leave it alone; an edit of its own text gives it a new id, and
// the index records the old one as an alias of the new (indexer/index/id_aliases.h).

// The text a content id is computed from: ASCII letters lowered, curly quotes made straight,
// every run of white space (and no-break spaces) one space, none at either end. Re-extracting
// a document with other line breaks or spacing keeps its ids.
std::string NormalizeForId(std::string_view text);

// "p-" + the first 6 hex digits of the 64-bit FNV-1a hash (ContentHash) of
// NormalizeForId(text). Collisions within a document (about 1 in 33,000 per pair) and
// repeated texts are told apart by the splitter's "~2", "~3"... suffix, in document order.
std::string ContentFragment(std::string_view text);

// The number of hex digits in a content fragment.
inline constexpr size_t kContentHashDigits = 6;

}  // namespace pillar
