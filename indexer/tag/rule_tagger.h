#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "indexer/segment/analyzer.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/tag.h"
#include "indexer/tag/tag_model.h"
#include "indexer/tag/taxonomy.h"

namespace pillar {

// Whether a passage is body text, the only text that takes rule tags. Not body: footnotes and
// reference notes (`footnote`), figure and table source lines and notes ("Source: ...",
// "Notes: ..."), figure, table and map captions ("Figure II Number of patrols ..."),
// table-of-contents lines (dot leaders) and chart data (mostly numbers). Their words name a
// subject ("MINUSCA/Justice and Corrections Section") without describing an activity, and on
// real reports they were a steady source of wrong tags (issue 16).
bool IsBodyPassage(std::string_view text, bool footnote);

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

  // TagTokens for body passages (IsBodyPassage), no tags for the others. `tokens` is
  // analyzer.Tokenize(passage.text). With a model (UseModel), combined as its mode says:
  // kBoth combines per concept as the model's training chose (TagModel::Use: the rule tag,
  // the model tag, or the rule tag and else the model's when at or above its threshold);
  // kModel gives the model tags alone; kRules the rule tags alone.
  std::vector<Tag> TagPassage(const Passage& passage, const std::vector<Token>& tokens,
                              Analyzer& analyzer) const;

  // The learned model TagPassage combines with the rules (issue 16); nullptr for none.
  // REQUIRES: `model` outlives the tagger.
  void UseModel(const TagModel* model, TagMode mode = TagMode::kBoth) {
    model_ = model;
    mode_ = mode;
  }
  const TagModel* model() const { return model_; }

 private:
  struct Compiled;
  struct Cache;
  const Compiled& CompiledFor(Analyzer& analyzer) const;

  const Taxonomy& taxonomy_;
  std::unique_ptr<Cache> cache_;
  const TagModel* model_ = nullptr;
  TagMode mode_ = TagMode::kBoth;
};

}  // namespace pillar
