#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pillar {

// Bibliographic metadata of one document. Every field is UTF-8 and may be empty.
struct DocumentMetadata {
  std::string id;        // stable slug, e.g. "s-res-2719-2023"
  std::string title;
  std::string issuer;    // issuing body, e.g. "United Nations Security Council"
  std::string symbol;    // document symbol, e.g. "S/RES/2719 (2023)"
  std::string date;      // ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
  std::string language;  // ISO 639-1, e.g. "en", "fr"
  std::string type;      // resolution | policy | guidelines | handbook | report | article | brief
  std::string url;
  std::string author;    // personal author(s), when the source names them
  std::string note;      // a note on this issue of the document, e.g. "Reissued for technical
                         // reasons on 3 March 2025."

  // The four-digit year of `date`, or "" when the date has none.
  std::string Year() const;

  // Fills every empty field of *this from `fallback` (fields already set win).
  void FillFrom(const DocumentMetadata& fallback);
};

enum class BlockKind {
  kHeading,    // a heading; `level` 1 is the outermost
  kParagraph,  // body text: becomes one or more passages
  kFootnote,   // a note kept apart from the body text
};

// One structural unit of a document, as a half-open byte range into ExtractedDocument::text.
struct Block {
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;         // heading level (1..6); 0 for paragraphs
  size_t begin = 0;
  size_t end = 0;
  int page = 0;          // 1-based page where the block starts; 0 when the format has no pages
  std::string locator;   // locator given by the format itself (e.g. an AKN <num>); "" to detect
  std::string anchor;    // a format-level stable anchor (e.g. an AKN eId); may be empty
  std::string speaker;   // who speaks this block (debates, parliamentary records); "" otherwise
  bool ocr = false;      // the text was read by OCR from a page image, not taken from the file
  // An item of a list the format marks as such (an HTML <li>, a Markdown or DOCX bullet, a
  // TEI <item>), whose marker the reader does not keep in the text: the indexer gives it the
  // lead-in of its list as it does to items whose text starts with one (IsListItem).
  bool list_item = false;
};

// What every reader produces, whatever the format: metadata plus structured text.
// Blocks are stored in reading order; `text` is their texts joined by "\n\n", so that byte
// ranges of passages and annotations point into one string per document.
class ExtractedDocument {
 public:
  DocumentMetadata meta;
  std::string text;
  std::vector<Block> blocks;
  // Set when the file was plain text that was not UTF-8 and named no encoding: the encoding
  // it was read as and why ("windows-1252 (... detected by ICU with confidence 47)").
  std::string detected_encoding;

  // Appends a block. Leading/trailing whitespace is trimmed and inner runs of whitespace
  // (including newlines) are collapsed to one space; an empty result is ignored. Returns the
  // block added, for the reader to set what the arguments do not (speaker, list_item), or
  // nullptr when none was; valid until the next block is added.
  // REQUIRES: `block_text` is valid UTF-8.
  Block* AddBlock(BlockKind kind, std::string_view block_text, int level = 0, int page = 0,
                std::string locator = {}, std::string anchor = {});

  std::string_view BlockText(const Block& block) const {
    return std::string_view(text).substr(block.begin, block.end - block.begin);
  }
};

}  // namespace pillar
