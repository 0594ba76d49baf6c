#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

namespace pillar {

// One word of a text: its index term (lowercased) and where it stands.
struct Token {
  std::string term;       // lowercased word, as Xapian's TermGenerator would index it
  size_t begin = 0;       // half-open byte range in the analysed text
  size_t end = 0;
  uint32_t position = 0;  // 1-based word position; 0 for a CJK bigram (indexed without one)
};

// Removes combining marks (accents, Arabic harakat) and tatweel: "sécurité" -> "securite",
// "الْحِمَايَة" -> "الحماية". Letters without a decomposition (ß, ø, æ, ł) stay.
std::string FoldMarks(std::string_view text);

// The one text analyser of Pillar. Index terms, rule matching and highlighting all go through
// it, and it splits words exactly as Xapian's TermGenerator/QueryParser do (a test checks
// this), so that what the query parser looks up is what the indexer wrote:
//   - words are runs of letters, marks, digits and connector punctuation;
//   - an apostrophe (' or U+2019) or '&' between word characters stays inside the word;
//   - '.', ',' between digits stays inside a number ("12.3", "2,000");
//   - up to three trailing '+' or '#' stay on a word ("C++");
//   - terms are lowercased (Unicode simple lowercase); words over 64 bytes are skipped;
//   - CJK text is split as Xapian's FLAG_CJK_NGRAM does: positional unigrams plus bigrams.
// One deliberate difference: elided French/Italian/Catalan articles and pronouns ("l'",
// "d'", "qu'", "jusqu'"...) are split off a word and not indexed, so "d'alerte" indexes as
// "alerte". The query side strips them the same way (StripElisions) before Xapian's parser.
// Stems come from Xapian's Snowball stemmer for the language (STEM_SOME: only words that
// start with a letter are stemmed).
// Not thread-safe (the stemmer and its cache): use one Analyzer per thread.
// Removes elided articles and pronouns ("l'", "d’", "qu'", "jusqu'", "dell'", "all'"...) at the
// start of words: "l’alerte d'un village" -> "alerte un village".
std::string StripElisions(std::string_view text);

class Analyzer {
 public:
  // `language` is an ISO 639-1 code; unknown or empty languages get no stemming.
  explicit Analyzer(std::string_view language);

  // The Snowball stemmer name for an ISO 639-1 code ("en" -> "english"), or "none".
  static std::string StemmerName(std::string_view language);

  const std::string& language() const { return language_; }
  const Xapian::Stem& stemmer() const { return stemmer_; }

  std::vector<Token> Tokenize(std::string_view text) const;

  // `term` without accents and harakat (FoldMarks), or `term` itself when it has none.
  // Indexing adds the folded form beside the exact one, so "securite" finds "sécurité".
  const std::string& Fold(const std::string& term);

  // Fold(term) where it differs from `term`, else nullptr: the second form indexing adds.
  const std::string* FoldedForm(const std::string& term) {
    const std::string& folded = Fold(term);
    return &folded != &term && folded != term ? &folded : nullptr;
  }

  // The stem of a lowercased term; "" when the term is not to be stemmed (starts with a
  // digit) or the language has no stemmer.
  const std::string& Stem(const std::string& term);

  // The stem of `term`, or `term` itself where Stem gives "": what rules are matched on, and
  // what title and heading words are indexed as (docs/schema.md).
  const std::string& StemOrWord(const std::string& term) {
    const std::string& stem = Stem(term);
    return stem.empty() ? term : stem;
  }

  // With `record` set, Stem notes every word it stems for the first time (and again after its
  // cache is trimmed) whose stem differs from it, as (stem, word), until TakeNewForms takes
  // them. The index writer keeps them in Xapian's synonym table (`Z` + stem -> word): the
  // words a stem query expands to, in place of a stem posting beside every such word
  // (docs/schema.md). Off by default: nothing else drains them.
  void set_record_forms(bool record) { record_forms_ = record; }
  std::vector<std::pair<std::string, std::string>> TakeNewForms() {
    std::vector<std::pair<std::string, std::string>> forms;
    forms.swap(new_forms_);
    return forms;
  }

 private:
  std::string language_;
  Xapian::Stem stemmer_;
  bool has_stemmer_ = false;
  bool strip_elisions_ = false;
  bool record_forms_ = false;
  std::unordered_map<std::string, std::string> stem_cache_;
  std::unordered_map<std::string, std::string> fold_cache_;  // "" = folds to itself
  std::vector<std::pair<std::string, std::string>> new_forms_;
};

}  // namespace pillar
