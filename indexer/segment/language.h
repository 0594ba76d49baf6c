#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/ingest/extracted_document.h"

namespace pillar {

// What CLD2 (Compact Language Detector 2) makes of one text.
struct LanguageGuess {
  std::string language;  // ISO 639-1 code ("en", "fr", "ar", "zh"...); "" when CLD2 names no
                         //   language or one without a two-letter code
  int text_bytes = 0;    // bytes of letters CLD2 scored (spaces, digits, punctuation left out)
  int percent = 0;       // share of text_bytes in `language`, 0..100
  bool reliable = false;  // CLD2's own verdict; it is often true on a few words, so callers
                          //   also look at text_bytes and percent
  // CLD2's top three languages with their byte counts (percent of text_bytes applied); a
  // language without an ISO 639-1 code is left out.
  std::vector<std::pair<std::string, int>> top;
};

// Runs CLD2 once over `text` (plain text, not HTML). Text that is not valid UTF-8, and text
// without letters, give an empty guess. Thread-safe.
LanguageGuess GuessLanguage(std::string_view text);

// The languages of one document's text: CLD2 over each block (heading, paragraph, footnote) on
// its own, once, so that a French paragraph of an English report, or the Arabic annex of an
// English letter, is seen as such, and the document's language is the tally of its blocks
// rather than a second pass over the same text.
class DocumentLanguages {
 public:
  // A block is given a language of its own only when CLD2 scored at least this many bytes of
  // letters in it (about twenty words of a Latin-script language, a dozen of Arabic) and
  // called at least kMinBlockPercent of them one language. Below that CLD2 is confidently
  // wrong too often: on the UN reports of the test set "Non-State actors (a)" comes out as
  // Galician and a list of armed-group names as Kinyarwanda or Swahili, all "reliable".
  static constexpr int kMinBlockBytes = 120;
  static constexpr int kMinBlockPercent = 70;
  // The document's language needs this many scored bytes in all and its language to hold more
  // than half of them; below that it is left unknown.
  static constexpr int kMinDocumentBytes = 60;
  // CLD2 reads at most this many bytes of each block (cut at a space): its cost grows with
  // the bytes, and a paragraph's first lines tell its language (indexing speed, issue 13).
  static constexpr size_t kSampleBytes = 400;

  // An empty map: no document language, no block language.
  DocumentLanguages() = default;

  // Detects the languages of `doc`'s blocks. With `whole_document` false (the document's
  // language is already known, from the catalog or the file's markup) only blocks long enough
  // for a language of their own are looked at and dominant() stays "".
  DocumentLanguages(const ExtractedDocument& doc, bool whole_document);

  // The language of most of the document's text (ISO 639-1), or "" when too little text was
  // scored or no language holds more than half of it.
  const std::string& dominant() const { return dominant_; }

  // The language of the block that holds byte `offset` of the document's text, when that
  // block alone was reliably detected (kMinBlockBytes, kMinBlockPercent); "" otherwise.
  std::string_view LanguageAt(size_t offset) const;

 private:
  struct Span {
    size_t begin, end;
    std::string language;
  };
  std::vector<Span> spans_;  // reliably detected blocks, in text order
  std::string dominant_;
};

}  // namespace pillar
