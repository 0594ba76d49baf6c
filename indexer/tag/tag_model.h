#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/segment/analyzer.h"
#include "indexer/tag/tag.h"

namespace pillar {

// One feature of a passage and its value.
using Feature = std::pair<std::string, double>;

// The features the learned tagger sees (issue 16), all prefixed so that they never collide:
//   w:LANG:STEM      each distinct stem (or word, where the language has no stemmer), so an
//                    English and a Spanish "protection" are different features;
//   b:LANG:S1_S2     each distinct pair of consecutive stems (phrases: "quick_reaction");
//   r:CONCEPT        the rule tagger tagged the concept;
//   rp:CONCEPT:TEXT  one of its positive patterns fired.
// Word and bigram features are 1/sqrt(n) for n distinct ones (so long passages do not score
// higher for being long); rule features are 1. `rule_tags` are the rule tagger's tags.
std::vector<Feature> ModelFeatures(const std::vector<Token>& tokens, Analyzer& analyzer,
                                   std::string_view language, const std::vector<Tag>& rule_tags);

// One passage to learn from: its features and, per concept, whether it has it. A passage
// reviewed in full (a gold row, `pillar tag --set`) says yes or no for every concept; an
// `--add` or `--remove` decision only for its own.
struct TrainingExample {
  std::string passage_id;
  std::string group;  // the document: cross-validation keeps a document's passages together
  std::vector<Feature> features;
  std::map<std::string, bool> labels;
};

struct TrainOptions {
  std::vector<std::string> concept_ids;  // the concepts to learn, in taxonomy order
  int folds = 5;                         // cross-validation folds (C and threshold choice)
  unsigned seed = 16;                    // fold assignment
  int min_positives = 3;                 // fewer labelled yes: no model for the concept
  int min_examples_per_feature = 2;      // rarer features are left out of the vocabulary
  std::string version;                   // stored in the model and on every tag it makes
};

// What cross-validation said about one concept: the out-of-fold probabilities it was chosen
// on, so callers can report calibration.
struct ConceptTraining {
  std::string id;
  int positives = 0, negatives = 0;
  double c = 0, threshold = 0.5, cv_f1 = 0;
  double rules_f1 = 0, model_f1 = 0, union_f1 = 0;   // cross-validated, at their best threshold
  std::string use;                                   // what TagPassage uses: see TagModel
  std::vector<std::pair<double, bool>> out_of_fold;  // (probability, gold)
  std::string skipped;                               // why there is no model, or ""
};

// Per-concept L2-regularised logistic regression (liblinear, primal solver), the learned half
// of the tagger. Probabilities are liblinear's: 1 / (1 + exp(-(w.x + b))). The model file is
// text: a header line "pillar-tag-model 1", "version V", then per concept a line
// "concept ID BIAS THRESHOLD C USE N" followed by N lines "WEIGHT FEATURE" (weights of magnitude
// below 0.01 are dropped, which keeps the shipped file small and moves no dev-split probability
// across a threshold that we saw).
class TagModel {
 public:
  // Trains one model per concept with at least `min_positives` yes and as many no among the
  // examples. C (from 0.25, 1, 4, 16) and the threshold (0.05 .. 0.95) are chosen by the
  // F1 of `folds`-fold cross-validation, folds made of whole documents (`group`: passages of
  // one document are alike, and the test split is other documents); the final model is
  // trained on every example. Cross-validation also chooses how each concept combines with
  // the rules ("use"): "union" (the model adds tags where the rules are silent) when that
  // raises F1 by at least 0.01 over the rules alone, else "rules" (the model adds nothing).
  // A file may also say "model" (the model's tag replaces the rule tag); training does not
  // choose it (docs/tagging.md). Deterministic for the same examples in the same order.
  static TagModel Train(const std::vector<TrainingExample>& examples, const TrainOptions& options,
                        std::vector<ConceptTraining>* report);

  // NotFound/IOError for an unreadable file, Corruption naming the file and line otherwise.
  static Result<TagModel> Load(const std::filesystem::path& path);
  Status Save(const std::filesystem::path& path) const;

  const std::string& version() const { return version_; }
  void set_version(std::string version) { version_ = std::move(version); }
  // The file's content, as Save writes it.
  std::string Text() const;
  bool empty() const { return concepts_.empty(); }
  // The concepts with a model, in training order.
  std::vector<std::string> ConceptIds() const;
  double Threshold(std::string_view concept_id) const;
  // How the concept combines with the rules: "rules", "model" or "union" ("" when the model
  // has no such concept).
  std::string Use(std::string_view concept_id) const;
  // Whether some concept's use is "union" or "model" (else rules + model = the rules).
  bool AddsToRules() const;

  // Probability of each modelled concept for the passage with these features.
  std::vector<std::pair<std::string, double>> Probabilities(
      const std::vector<Feature>& features) const;

  // Model tags (source kTagSourceModel, score = probability rounded to three decimals, the
  // model version in rule_version, the three features that raised the score most as
  // evidence "FEATURE +CONTRIBUTION") for the concepts at or above their threshold.
  std::vector<Tag> TagFeatures(const std::vector<Feature>& features) const;

  // TagFeatures(ModelFeatures(tokens, analyzer, language, rule_tags)), faster: what the
  // indexer calls for every passage.
  std::vector<Tag> TagTokens(const std::vector<Token>& tokens, Analyzer& analyzer,
                             std::string_view language, const std::vector<Tag>& rule_tags) const;

 private:
  struct ConceptModel {
    std::string id;
    double bias = 0, threshold = 0.5, c = 1;
    std::string use = "union";
  };
  void IndexByHash();
  std::vector<Tag> Finish(
      const std::vector<double>& z,
      std::vector<std::vector<std::pair<double, const std::string*>>>& parts) const;

  std::string version_;
  std::vector<ConceptModel> concepts_;
  // feature -> weight per concept (index into concepts_), only non-zero ones.
  std::unordered_map<std::string, std::vector<std::pair<int, float>>> weights_;
  // The same keyed by std::hash of the feature (TagTokens); empty when two features collide.
  std::unordered_map<size_t, std::pair<std::string, std::vector<std::pair<int, float>>>> by_hash_;
};

// How rule and model tags are combined (pillar eval --tagger measures each).
enum class TagMode { kRules, kModel, kBoth };

// The model file of a taxonomy: $PILLAR_MODEL if set ("" or "none": no model), else the
// taxonomy file's name with ".skos.xml" (or its extension) replaced by ".model", when that
// file exists (corpus/taxonomy/poc.model beside poc.skos.xml); else "" (no model).
std::filesystem::path ModelPathFor(const std::filesystem::path& taxonomy_path);

}  // namespace pillar
