// pillar train : the learned tagger from gold labels and reviewers' decisions (issue 16).

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "indexer/index/layout.h"
#include "tools/pillar/command.h"
#include "tools/pillar/learn.h"

namespace pillar::cli {
namespace {

struct TrainArgs {
  std::filesystem::path index_dir;
  std::filesystem::path gold;
  std::string split = "dev";
  std::vector<std::filesystem::path> stores;
  bool no_store = false;
  std::filesystem::path out;
};

// Reliability of out-of-fold probabilities: per tenth of [0, 1], how many passages, their mean
// probability and the share that had the concept; and the expected calibration error.
void PrintReliability(const std::vector<ConceptTraining>& report) {
  std::vector<int> n(10);
  std::vector<double> sum_p(10), sum_yes(10);
  int total = 0;
  for (const ConceptTraining& c : report) {
    for (const auto& [p, yes] : c.out_of_fold) {
      int bin = std::min(9, static_cast<int>(p * 10));
      ++n[bin];
      sum_p[bin] += p;
      sum_yes[bin] += yes;
      ++total;
    }
  }
  if (!total) return;
  std::printf("\nCalibration (out-of-fold probabilities of every concept, %d pairs):\n", total);
  std::printf("%-11s %7s %9s %9s\n", "probability", "pairs", "mean p", "observed");
  double ece = 0;
  for (int b = 0; b < 10; ++b) {
    if (!n[b]) continue;
    double mp = sum_p[b] / n[b], obs = sum_yes[b] / n[b];
    ece += n[b] * std::fabs(mp - obs) / total;
    std::printf("%.1f-%.1f     %7d %9.3f %9.3f\n", b / 10.0, (b + 1) / 10.0, n[b], mp, obs);
  }
  std::printf("expected calibration error: %.3f\n", ece);
}

int RunTrain(const TrainArgs& args) {
  if (args.split == "test") {
    return Fail(Status::InvalidArgument(
        "the test split is never trained on (docs/tagging.md); give --split dev"));
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  std::filesystem::path taxonomy_path = (*searcher)->TaxonomyPath();
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  std::vector<std::string> ids = ConceptIds(*taxonomy);

  std::vector<LabelledPassage> passages;
  size_t missing = 0, from_gold = 0, from_review = 0;
  if (!args.gold.empty()) {
    auto gold = GoldPassages(**searcher, args.gold, args.split, ids, &missing);
    if (!gold.ok()) return Fail(gold.status());
    from_gold = gold->size();
    for (auto& p : *gold) passages.push_back(std::move(p));
  }
  std::vector<std::filesystem::path> stores = args.stores;
  if (!args.no_store) {
    std::filesystem::path own = AnnotationsPath(args.index_dir);
    std::error_code ec;
    if (std::filesystem::exists(own, ec)) stores.insert(stores.begin(), own);
  }
  for (const std::filesystem::path& file : stores) {
    auto reviewed = ReviewedPassages(**searcher, file, ids);
    if (!reviewed.ok()) return Fail(reviewed.status());
    from_review += reviewed->size();
    for (auto& p : *reviewed) passages.push_back(std::move(p));
  }
  if (passages.empty()) {
    return Fail(Status::NotFound(
        "nothing to learn from: give --gold FILE, or review passages with `pillar review` and "
        "`pillar tag ID --set ...`"));
  }
  std::vector<ConceptTraining> report;
  size_t examples = 0;
  TagModel model = TrainFromPassages(passages, *taxonomy, &report, &examples);
  if (model.empty()) {
    return Fail(Status::InvalidArgument(
        "no concept has enough labelled passages to learn (3 yes and 3 no each); nothing "
        "written"));
  }
  std::filesystem::path out = args.out;
  if (out.empty()) {
    std::string name = taxonomy_path.filename().string();
    const std::string suffix = ".skos.xml";
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
    } else {
      name = taxonomy_path.stem().string();
    }
    out = taxonomy_path.parent_path() / (name + ".model");
  }
  Status saved = model.Save(out);
  if (!saved.ok()) return Fail(saved);

  std::printf(
      "Trained %s (version %s) from %zu passages: %zu gold (split %s), %zu reviewed; "
      "%zu body passages used\n\n",
      out.string().c_str(), model.version().c_str(), passages.size(), from_gold,
      args.gold.empty() ? "-" : args.split.c_str(), from_review, examples);
  std::printf("%-26s %5s %5s %6s %9s %7s %7s %7s  %s\n", "concept", "yes", "no", "C", "threshold",
              "rules", "model", "union", "use (cross-validated F1)");
  for (const ConceptTraining& c : report) {
    if (!c.skipped.empty()) {
      std::printf("%-26s %5d %5d  no model: %s\n", c.id.c_str(), c.positives, c.negatives,
                  c.skipped.c_str());
      continue;
    }
    std::printf("%-26s %5d %5d %6.2f %9.2f %7.3f %7.3f %7.3f  %s\n", c.id.c_str(), c.positives,
                c.negatives, c.c, c.threshold, c.rules_f1, c.model_f1, c.union_f1, c.use.c_str());
  }
  PrintReliability(report);
  return missing ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void RegisterTrain(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* sub = app.add_subcommand(
      "train",
      "Train the learned tagger (per-concept logistic regression) from gold labels and every "
      "manual decision in the annotation store; deterministic. The test split is never used.");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--gold", args->gold,
                  "Gold CSV of passages of the index (passage_id,concepts[,split,...])")
      ->type_name("FILE");
  sub->add_option("--split", args->split, "Gold rows of this split only (default dev; never test)")
      ->type_name("NAME");
  sub->add_option("--store", args->stores,
                  "Another annotation store (annotations.sqlite) whose decisions to learn from, "
                  "besides the index's own")
      ->type_name("FILE");
  sub->add_flag("--no-store", args->no_store, "Do not learn from the index's annotation store");
  sub->add_option("--out", args->out,
                  "Model file (default: beside the index's taxonomy, e.g. poc.model, where "
                  "indexing finds it)")
      ->type_name("MODEL");
  sub->callback([args] { ExitCode() = RunTrain(*args); });
}

}  // namespace pillar::cli
