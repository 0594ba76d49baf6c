#pragma once

#include <memory>
#include <vector>

#include "indexer/segment/analyzer.h"
#include "indexer/tag/tag.h"
#include "indexer/tag/taxonomy.h"

namespace pillar {

// Tags passages with the concepts whose rules fire. Each rule fires at most once per
// passage; a concept's score is the sum of the weights of its fired rules (only rules whose
// language is empty or the analyzer's); the concept is tagged when score >= threshold and at
// least one positive rule fired, with the fired patterns (positive ones first, negative ones
// prefixed with '-') as evidence and the rules' version. Words are matched through the
// analyzer's stems, so "patrol" matches "patrols" and "patrolling"; an elided article
// ("l'escorte") also matches the word after the apostrophe ("escorte").
// Thread-safe for concurrent TagTokens() calls with distinct analyzers: the rules are compiled
// once per language, on first use, under a mutex.
class RuleTagger {
 public:
  // REQUIRES: `taxonomy` outlives the tagger.
  explicit RuleTagger(const Taxonomy& taxonomy);
  ~RuleTagger();
  RuleTagger(RuleTagger&&) noexcept;
  RuleTagger(const RuleTagger&) = delete;
  RuleTagger& operator=(const RuleTagger&) = delete;

  // `tokens` is analyzer.Tokenize(passage text); the analyzer's language is the passage's.
  // Returns the tags sorted by score, highest first (ties in taxonomy order), each with
  // source kTagSourceRule and the score rounded to two decimals.
  std::vector<Tag> TagTokens(const std::vector<Token>& tokens, Analyzer& analyzer) const;

 private:
  struct Compiled;
  struct Cache;
  const Compiled& CompiledFor(Analyzer& analyzer) const;

  const Taxonomy& taxonomy_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace pillar
