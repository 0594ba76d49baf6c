#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "indexer/ingest/extracted_document.h"
#include "indexer/segment/passage.h"

namespace pillar {

struct SplitOptions {
  // A paragraph longer than this (bytes) is split at sentence boundaries (ICU) into parts of
  // about `target_part_bytes` each. Parts keep the paragraph's locator; their ids get "+2",
  // "+3"... A sentence is cut only when it is longer than `hard_limit_bytes`.
  size_t max_passage_bytes = 2400;
  size_t target_part_bytes = 1200;
  // No passage is longer than this (bytes), whatever the text: a part with no sentence
  // boundary (a 50 MB line, a run-on table dump) or a footnote longer than this is cut at the
  // last white space before the limit (or, in a run without white space, the last code point
  // boundary), and the pieces get the next part suffixes. The longest passage of the real
  // documents in docs/realdocs.md is 2.3 KB, so this never cuts real prose; it bounds what a
  // search hit, a tag's quote and a re-anchoring comparison can cost. REQUIRES: >= 16.
  size_t hard_limit_bytes = 8192;
};

// Turns a document's blocks into passages: one per paragraph (or part), with locators
// ("5", "5(a)", "5(a)(ii)", "12.3", "Article 5", and "PP1".. for the unnumbered preambular
// paragraphs of a resolution), the heading trail as section path, byte ranges into
// `doc.text`, and stable ids "<doc-id>#<fragment>" ("#p-3f2a9c", a hash of its text, when a
// paragraph has no locator: ContentFragment; "~2" appended when a fragment repeats). Footnote
// blocks get "fn" + their locator ("fn3"), except endnotes and comments, whose readers flag them
// "en3", "comment2": those are kept. REQUIRES: doc.meta.id is set.
std::vector<Passage> SplitPassages(const ExtractedDocument& doc, const SplitOptions& options = {});

// The same passages, in the same order, handed to `sink` one at a time instead of held in a
// vector: what indexing a file of a million paragraphs uses to stay within bounded memory.
void SplitPassagesTo(const ExtractedDocument& doc, const SplitOptions& options,
                     const std::function<void(Passage&&)>& sink);

// Byte offsets (into `text`) where sentences start, first one 0, via ICU's sentence
// iterator with abbreviation suppression for the text's language.
std::vector<size_t> SentenceStarts(std::string_view text, std::string_view language);

}  // namespace pillar
