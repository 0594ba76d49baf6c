#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/base/status.h"
#include "indexer/index/passage_codec.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/taxonomy.h"

namespace pillar {

// W3C Web Annotation export (FORMATS.md section 2): every tag of every passage becomes one
// Annotation whose target is the passage's range in its document's extracted text.

// The two W3C text selectors of one byte range of a document's text.
struct TextSelectors {
  std::string exact;   // the text of the range
  std::string prefix;  // up to kContextCodePoints code points before it
  std::string suffix;  // up to kContextCodePoints code points after it
  int64_t start = 0;   // TextPositionSelector, in Unicode code points (end exclusive)
  int64_t end = 0;
};

// What Hypothesis stores on each side of a quote.
inline constexpr size_t kContextCodePoints = 32;

// Code point offsets of byte offsets in one text, in O(1) amortised per lookup after an
// O(n / 256) index: counts of code points at every 256th byte.
class CodePointIndex {
 public:
  explicit CodePointIndex(std::string_view text);
  // Code points in text[0, byte_offset). REQUIRES: byte_offset <= text.size().
  int64_t At(size_t byte_offset) const;

 private:
  std::string_view text_;
  std::vector<int64_t> checkpoints_;  // code points before byte k * 256
};

// The selectors of bytes [begin, end) of `doc_text`. InvalidArgument when the range is
// reversed, outside the text or not on code point boundaries.
Result<TextSelectors> SelectorsFor(std::string_view doc_text, const CodePointIndex& index,
                                   size_t begin, size_t end);

// The IRI a Pillar document is known by in annotations: "urn:pillar:doc:<id>" (the id
// percent-encoded where it is not an unreserved URI character): an annotation's target
// source when the document has no URL (with one, the source is the URL, as Hypothesis needs).
std::string DocumentIri(std::string_view doc_id);

// Collects annotations and writes them as one AnnotationCollection with one embedded
// AnnotationPage. Passages may come in any order; each call with a new document id rebuilds
// the code point index, so adding a document's passages together is cheapest. Each
// annotation is serialised when it is added and, past kSpillBytes, moved to an anonymous
// temporary file: memory does not grow with the number of annotations (the collection's id,
// written before the items, hashes all of them, so they cannot go straight to the output).
class WebAnnotationCollection {
 public:
  // `taxonomy` gives concept IRIs and labels; it must outlive this object. A tag whose
  // concept is not in it gets the IRI "urn:pillar:concept:<id>" and the id as label.
  explicit WebAnnotationCollection(const Taxonomy* taxonomy);

  // One annotation per tag of `passage` (none for an untagged passage). `doc_text` is the
  // passage's document's extracted text (Searcher::GetDocumentText); REQUIRES: the same
  // text for every passage of one document. InvalidArgument when the passage's byte range
  // does not fit the text.
  Status Add(const Passage& passage, const DocumentRecord& document, std::string_view doc_text);

  size_t size() const { return count_; }

  // The collection as JSON-LD: {"@context", "id", "type": "AnnotationCollection", "label",
  // "total", "first": {"id", "type": "AnnotationPage", "startIndex": 0, "items": [...]}}.
  // The ids are derived from the content, so the same export gives the same document.
  // WriteJson streams it; IOError when the temporary file cannot be read back.
  Status WriteJson(std::ostream& out);
  std::string ToJson();

  // Serialised annotations kept in memory before they go to the temporary file.
  static constexpr size_t kSpillBytes = 4 << 20;

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  Status Spill();

  const Taxonomy* taxonomy_;
  std::string doc_id_;  // the document `index_` belongs to
  std::string doc_text_;
  std::unique_ptr<CodePointIndex> index_;
  size_t count_ = 0;
  std::string items_;   // serialised annotations not yet spilled, ",\n"-separated
  std::unique_ptr<std::FILE, FileCloser> spill_;  // the ones before them
  uint64_t ids_hash_;   // ContentHash state over every annotation id + "\n"
};

}  // namespace pillar
