#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "indexer/tag/tag.h"

namespace pillar {

// The unit of search and citation: one paragraph (or one sentence-aligned part of an
// over-long paragraph) of one document.
struct Passage {
  std::string id;                    // "<doc-id>#<fragment>", stable across re-indexing
  std::string doc_id;
  int ordinal = 0;                   // 0-based position among the document's passages
  std::vector<std::string> section;  // heading trail, outermost first
  std::string locator;               // as printed: "12", "12.3", "5(a)", "Article 5", "PP3"; "" if none
  int page = 0;                      // 1-based page where it starts; 0 when unknown
  std::string text;                  // the passage text (UTF-8, NFC)
  size_t begin = 0;                  // half-open byte range of `text` in the document's
  size_t end = 0;                    //   extracted text
  bool footnote = false;             // a footnote or endnote, kept apart from body text
  bool ocr = false;                  // read by OCR from a scanned page (Block::ocr)
  std::string speaker;               // who speaks it (debates, parliamentary records;
                                     //   Block::speaker); "" otherwise
  std::string language;              // ISO 639-1: the document's, or the passage's own where
                                     //   its text is reliably another (DocumentLanguages)
  std::vector<Tag> tags;
  bool list_item = false;            // its block is a list item (Block::list_item); not stored
  std::string lead_in;               // the paragraph introducing this list item, indexed as
                                     //   a heading (IsListItem in document_builder.h); not
                                     //   stored with the passage
};

}  // namespace pillar
