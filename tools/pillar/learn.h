#pragma once

// What `pillar train`, `pillar review` and `pillar eval` share about the learned tagger
// (issue 16): finding gold passages in an index, reading reviewers' decisions, making
// training examples.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/segment/analyzer.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/eval.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/tag_model.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"

namespace pillar::cli {

// Where the passage of a gold row is now: its id, else (ids of unnumbered paragraphs may
// change when a document is re-indexed) the passage of the same document, or of the document
// read from the row's `source` file, whose text has the row's text_fnv1a64 hash.
Result<Passage> FindGoldPassage(Searcher& searcher, const GoldRow& row);

// A passage and what is known of its concepts (concept -> yes/no).
struct LabelledPassage {
  Passage passage;
  std::map<std::string, bool> labels;
  std::string from;  // "gold" or "review"
};

// The gold rows of `gold` (a CSV of an index's passages) in `split` ("" = every row; the
// rows of split "test" are left out unless `split` is "test"; a file without a split column
// gives every row for any split but "test", and none for "test"), each labelled for every
// concept of `concept_ids`. Rows whose passage is not in the index are reported on stderr and
// counted in *missing.
Result<std::vector<LabelledPassage>> GoldPassages(Searcher& searcher,
                                                  const std::filesystem::path& gold,
                                                  const std::string& split,
                                                  const std::vector<std::string>& concept_ids,
                                                  size_t* missing);

// Every manual decision of the annotation store `store_file`, replayed in order per passage:
// `--set` says yes or no for every concept, `--add`/`--remove` yes/no for one. Orphaned and
// unreadable decisions are left out, as are passages no longer in the index. Keyed and ordered
// by passage id. NotFound when the store does not exist.
Result<std::vector<LabelledPassage>> ReviewedPassages(Searcher& searcher,
                                                      const std::filesystem::path& store_file,
                                                      const std::vector<std::string>& concept_ids);

// One Analyzer per language, made on first use.
class AnalyzerCache {
 public:
  Analyzer& For(const std::string& language);

 private:
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers_;
};

// The training example of a body passage (the only ones that are tagged), else nullopt.
// `rules` must have no model: its tags are features.
std::optional<TrainingExample> ExampleFor(const LabelledPassage& p, const RuleTagger& rules,
                                          AnalyzerCache& analyzers);

// The ids of the taxonomy's concepts, in order.
std::vector<std::string> ConceptIds(const Taxonomy& taxonomy);

// Loads the model for `taxonomy_path` (ModelPathFor), or `explicit_path` when given. An empty
// optional when there is none.
Result<std::optional<TagModel>> LoadModelFor(const std::filesystem::path& taxonomy_path,
                                             const std::filesystem::path& explicit_path);

}  // namespace pillar::cli

namespace pillar::cli {

// Trains the model from labelled passages (body passages only; a passage given twice counts
// with its last labels). The version is a hash of the trained weights, so the same data
// gives the same file. `report` as TagModel::Train.
TagModel TrainFromPassages(const std::vector<LabelledPassage>& passages, const Taxonomy& taxonomy,
                           std::vector<ConceptTraining>* report, size_t* examples);

}  // namespace pillar::cli
