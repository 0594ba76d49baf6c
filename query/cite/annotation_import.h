#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/taxonomy.h"

namespace pillar {

// Annotations in: W3C Web Annotations (Pillar's own export, or any other tool's) and
// Hypothesis API rows, read into one neutral form, then anchored in a document's text by
// their selectors. docs/citations.md, "import w3c".

struct ImportedAnnotation {
  std::string where;  // "annotation 3" (+ its id), for messages
  std::string id;
  std::string source;  // the target's source: a web URL, or urn:pillar:doc:<id>
  std::string doc_id;  // from a urn:pillar:doc source or a urn:pillar:annotation id, else ""
  bool has_quote = false;
  std::string exact, prefix, suffix;  // TextQuoteSelector
  int64_t start = -1, end = -1;       // TextPositionSelector, code points; -1 when absent
  // What the annotation classifies the text as: concept IRIs (W3C SpecificResource bodies)
  // and tag words (W3C tagging bodies, Hypothesis tags), resolved by ResolveConcepts().
  std::vector<std::string> concept_iris, tag_words;
  std::string note;       // commenting bodies / Hypothesis text
  std::string by, when;   // creator name (Hypothesis: the user without "acct:"), created
  bool software = false;  // made by a program (Pillar's rule or model tagger): not imported
};

// Reads a W3C AnnotationCollection (with its embedded first page), AnnotationPage, one
// Annotation or an array of them; a Hypothesis search result ({"rows": [...]}) or an array
// of its annotations. Corruption with line and column for malformed JSON, InvalidArgument
// when it holds no annotation structure. Annotations without a text quote or position are
// kept (the caller reports them).
Result<std::vector<ImportedAnnotation>> ParseAnnotations(std::string_view json_text);

// The taxonomy concept ids an annotation names: IRIs matched to concept IRIs, tag words to
// concept ids or to any of their labels (case aside). Duplicates removed; order kept.
std::vector<std::string> ResolveConcepts(const ImportedAnnotation& a, const Taxonomy& taxonomy);

// Where the annotation sits in `text`, a document's extracted text, as a byte range: the
// position selector when the text there is the quote (or there is no quote); else the
// quote's occurrence whose prefix and suffix agree best (nearest the position on a tie).
// NotFound when the quote is not in the text.
struct ByteRange {
  size_t begin = 0, end = 0;
};
Result<ByteRange> AnchorInText(const ImportedAnnotation& a, std::string_view text);

// The passage of `passages` (of one document) that overlaps `range` most; nullptr when none.
const Passage* PassageForRange(const std::vector<Passage>& passages, ByteRange range);

}  // namespace pillar
