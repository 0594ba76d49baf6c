// pillar eval : automatic tags against manual ones.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/annotate/annotation_store.h"
#include "indexer/index/layout.h"
#include "indexer/tag/eval.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/learn.h"

namespace pillar::cli {
namespace {

struct EvalArgs {
  std::filesystem::path index_dir;
  std::filesystem::path gold;
  std::filesystem::path kappa;  // a second labeller's CSV: agreement instead of scores
  std::string split;            // only the gold rows whose `split` column is this
  bool json = false;
  std::string tagger = "both";  // rules | model | both (issue 16)
  std::filesystem::path model;  // default: beside the taxonomy
  bool learning_curve = false;
};

int RunKappa(const EvalArgs& args);
int RunLearningCurve(const EvalArgs& args);

TagMode ModeOf(const std::string& name) {
  return name == "rules" ? TagMode::kRules : name == "model" ? TagMode::kModel : TagMode::kBoth;
}

// A ratio that may be undefined (0/0): JSON null and "undefined" in text, never a made-up
// 0.000. (The macro means still count undefined ratios as 0, as scikit-learn does; see
// Evaluate.)
nlohmann::json MaybeNumber(double value, bool defined) {
  return defined ? nlohmann::json(value) : nlohmann::json(nullptr);
}
std::string MaybeText(double value, bool defined) {
  if (!defined) return "undefined";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  return buf;
}

int Report(const std::vector<std::pair<std::set<std::string>, std::set<std::string>>>& items,
           const Taxonomy& taxonomy, const std::string& gold_source, size_t missing,
           const EvalArgs& args);

int RunEval(const EvalArgs& args) {
  if (!args.kappa.empty()) return RunKappa(args);
  if (args.learning_curve) return RunLearningCurve(args);
  // Labelled texts are tagged with the default taxonomy; passages of an index with the
  // taxonomy the index was built with.
  std::filesystem::path taxonomy_path = DefaultTaxonomyPath();
  std::unique_ptr<Searcher> searcher;
  if (args.gold.extension() != ".jsonl") {
    Result<std::unique_ptr<Searcher>> opened = Searcher::Open(args.index_dir);
    if (!opened.ok()) return Fail(opened.status());
    searcher = std::move(opened.value());
    taxonomy_path = searcher->TaxonomyPath();
  }
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  RuleTagger tagger(*taxonomy);
  Result<std::optional<TagModel>> model = LoadModelFor(taxonomy_path, args.model);
  if (!model.ok()) return Fail(model.status());
  if (args.tagger == "model" && !*model) {
    return Fail(Status::NotFound("--tagger model: no tag model (train one with `pillar train`)"));
  }
  if (*model) tagger.UseModel(&**model, ModeOf(args.tagger));
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers;
  // As the indexer tags: body passages only (a labelled text is body text).
  auto predict = [&](const Passage& passage) {
    auto& analyzer = analyzers[passage.language];
    if (!analyzer) analyzer = std::make_unique<Analyzer>(passage.language);
    std::set<std::string> predicted;
    for (const Tag& t : tagger.TagPassage(passage, analyzer->Tokenize(passage.text), *analyzer)) {
      predicted.insert(t.concept_id);
    }
    return predicted;
  };
  std::vector<std::pair<std::set<std::string>, std::set<std::string>>> items;
  std::string gold_source;
  size_t missing = 0;

  if (args.gold.extension() == ".jsonl") {
    // Labelled passages with their text: no index needed.
    std::ifstream in(args.gold);
    if (!in) return Fail(Status::NotFound(args.gold.string() + ": cannot open"));
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("text") || !j.contains("concepts")) {
        return Fail(Status::InvalidArgument(args.gold.string() + ": line " +
                                            std::to_string(line_no) +
                                            ": expected {\"text\": ..., \"concepts\": [...]}"));
      }
      if (!args.split.empty() && j.value("split", "") != args.split) continue;
      std::set<std::string> concepts = j["concepts"].get<std::set<std::string>>();
      Passage passage;
      passage.text = j["text"].get<std::string>();
      passage.language = j.value("lang", "en");
      items.emplace_back(predict(passage), std::move(concepts));
    }
    gold_source = args.gold.string();
    return Report(items, *taxonomy, gold_source, missing, args);
  }

  // Gold: passage id -> concepts.
  std::vector<GoldRow> gold;
  if (!args.gold.empty()) {
    auto loaded = LoadGoldRows(args.gold);
    if (!loaded.ok()) return Fail(loaded.status());
    gold = std::move(loaded.value());
    gold_source = args.gold.string();
    if (!args.split.empty()) {
      bool has_split = !gold.empty() && gold[0].fields.count("split");
      if (!has_split) {
        return Fail(Status::InvalidArgument(gold_source + ": no 'split' column to select '" +
                                            args.split + "' from"));
      }
      std::erase_if(gold, [&](const GoldRow& r) { return r.fields.at("split") != args.split; });
      gold_source += " (split " + args.split + ")";
    }
  } else {
    // The latest --set decision of each reviewed passage.
    Result<std::unique_ptr<AnnotationStore>> store =
        AnnotationStore::OpenReadOnly(AnnotationsPath(args.index_dir));
    if (!store.ok()) return Fail(store.status());
    Result<std::vector<Annotation>> all = (*store)->All();
    if (!all.ok()) return Fail(all.status());
    std::map<std::string, std::set<std::string>> latest;
    for (const Annotation& a : *all) {
      if (a.orphan || !a.unreadable.empty() || a.action != Annotation::Action::kSet) continue;
      latest[a.anchor.passage_id] = std::set<std::string>(a.concepts.begin(), a.concepts.end());
    }
    for (auto& [id, concepts] : latest) {
      GoldRow row;
      row.passage_id = id;
      row.concepts = std::move(concepts);
      gold.push_back(std::move(row));
    }
    gold_source = "reviewed passages (pillar tag --set)";
  }
  if (gold.empty()) {
    return Fail(Status::NotFound("nothing to evaluate against: review passages with "
                                 "`pillar tag ID --set ...` or pass --gold FILE"));
  }

  for (const GoldRow& row : gold) {
    Result<Passage> p = FindGoldPassage(*searcher, row);
    if (!p.ok()) {
      std::cerr << "pillar: " << gold_source << ": line " << row.line << ": passage '"
                << row.passage_id << "' is not in the index; skipped\n";
      ++missing;
      continue;
    }
    if (p->id != row.passage_id) {
      std::cerr << "pillar: " << gold_source << ": line " << row.line << ": passage '"
                << row.passage_id << "' found by its text as '" << p->id << "'\n";
    }
    items.emplace_back(predict(*p), row.concepts);
  }
  return Report(items, *taxonomy, gold_source, missing, args);
}

int Report(const std::vector<std::pair<std::set<std::string>, std::set<std::string>>>& items,
           const Taxonomy& taxonomy, const std::string& gold_source, size_t missing,
           const EvalArgs& args) {
  std::vector<std::string> ids;
  for (const Concept& c : taxonomy.concepts()) ids.push_back(c.id);
  EvalReport report = Evaluate(items, ids);
  // Macro-F1 over the seven UN tier and AU pillar concepts, the figure the issue asks for.
  double un_au = 0;
  int un_au_n = 0;
  for (const ConceptScores& sc : report.per_concept) {
    if (sc.id.rfind("un-", 0) == 0 || sc.id.rfind("au-", 0) == 0) {
      un_au += sc.f1;
      ++un_au_n;
    }
  }
  if (un_au_n) un_au /= un_au_n;
  int tp = 0, fp = 0, fn = 0;
  for (const ConceptScores& sc : report.per_concept) tp += sc.tp, fp += sc.fp, fn += sc.fn;

  if (args.json) {
    nlohmann::json per = nlohmann::json::array();
    for (const ConceptScores& s : report.per_concept) {
      per.push_back({{"id", s.id}, {"tp", s.tp}, {"fp", s.fp}, {"fn", s.fn},
                     {"precision", MaybeNumber(s.precision, s.tp + s.fp > 0)},
                     {"recall", MaybeNumber(s.recall, s.tp + s.fn > 0)},
                     {"f1", MaybeNumber(s.f1, s.tp + s.fp + s.fn > 0)}});
    }
    nlohmann::json out = {
        {"gold", gold_source}, {"items", report.items}, {"skipped", missing},
        {"per_concept", per},
        {"micro", {{"precision", MaybeNumber(report.micro_p, tp + fp > 0)},
                   {"recall", MaybeNumber(report.micro_r, tp + fn > 0)},
                   {"f1", MaybeNumber(report.micro_f1, tp + fp + fn > 0)}}},
        {"macro", {{"precision", report.macro_p}, {"recall", report.macro_r}, {"f1", report.macro_f1}}},
        {"macro_f1_un_au", un_au}};
    std::cout << DumpJson(out, 2) << "\n";
    return missing ? kExitSomeInputsFailed : kExitOk;
  }
  std::printf("%s tags against %s: %d passages\n\n",
              args.tagger == "rules" ? "Rule" : args.tagger == "model" ? "Model" : "Rule + model",
              gold_source.c_str(), report.items);
  std::printf("%-26s %5s %5s %5s %9s %9s %9s\n", "concept", "tp", "fp", "fn", "precision",
              "recall", "F1");
  for (const ConceptScores& s : report.per_concept) {
    std::printf("%-26s %5d %5d %5d %9s %9s %9s\n", s.id.c_str(), s.tp, s.fp, s.fn,
                MaybeText(s.precision, s.tp + s.fp > 0).c_str(),
                MaybeText(s.recall, s.tp + s.fn > 0).c_str(),
                MaybeText(s.f1, s.tp + s.fp + s.fn > 0).c_str());
  }
  std::printf("%-26s %17s %9s %9s %9s\n", "micro average", "",
              MaybeText(report.micro_p, tp + fp > 0).c_str(),
              MaybeText(report.micro_r, tp + fn > 0).c_str(),
              MaybeText(report.micro_f1, tp + fp + fn > 0).c_str());
  std::printf("%-26s %17s %9.3f %9.3f %9.3f\n", "macro average", "", report.macro_p,
              report.macro_r, report.macro_f1);
  std::printf("%-26s %17s %9s %9s %9.3f\n", "macro, UN tiers + AU", "", "", "", un_au);
  return missing ? kExitSomeInputsFailed : kExitOk;
}


int RunKappa(const EvalArgs& args) {
  if (args.gold.empty()) {
    return Fail(Status::InvalidArgument("--kappa compares two labellings: give the first "
                                        "with --gold FILE"));
  }
  auto first = LoadGoldRows(args.gold);
  if (!first.ok()) return Fail(first.status());
  auto second = LoadGoldRows(args.kappa);
  if (!second.ok()) return Fail(second.status());
  std::map<std::string, const GoldRow*> theirs;
  for (const GoldRow& row : *second) theirs[row.passage_id] = &row;
  std::vector<std::pair<std::set<std::string>, std::set<std::string>>> items;
  size_t only_second = theirs.size();
  for (const GoldRow& row : *first) {
    auto it = theirs.find(row.passage_id);
    if (it == theirs.end()) continue;  // labelled once: most of a gold file
    items.emplace_back(row.concepts, it->second->concepts);
    --only_second;
  }
  if (only_second) {
    std::cerr << "pillar: " << args.kappa.string() << ": " << only_second
              << " passages are not in " << args.gold.string() << "; left out\n";
  }
  if (items.empty()) {
    return Fail(Status::NotFound("no passage is labelled in both " + args.gold.string() +
                                 " and " + args.kappa.string()));
  }
  Result<Taxonomy> taxonomy = Taxonomy::Load({DefaultTaxonomyPath()});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  std::vector<std::string> ids;
  for (const Concept& c : taxonomy->concepts()) ids.push_back(c.id);
  std::vector<KappaScores> scores = CohenKappa(items, ids);
  if (args.json) {
    nlohmann::json per = nlohmann::json::array();
    for (const KappaScores& k : scores) {
      per.push_back({{"id", k.id}, {"both", k.both}, {"first_only", k.first_only},
                     {"second_only", k.second_only}, {"neither", k.neither},
                     {"observed", k.observed}, {"expected", k.expected},
                     {"kappa", k.defined ? nlohmann::json(k.kappa) : nlohmann::json()}});
    }
    nlohmann::json out = {{"first", args.gold.string()}, {"second", args.kappa.string()},
                          {"items", items.size()}, {"per_concept", per}};
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  std::printf("Agreement of %s and %s on %zu passages labelled in both\n\n",
              args.gold.string().c_str(), args.kappa.string().c_str(), items.size());
  std::printf("%-26s %5s %6s %6s %7s %9s %9s\n", "concept", "both", "first", "second",
              "neither", "observed", "kappa");
  for (const KappaScores& k : scores) {
    std::string kappa = "undefined";
    if (k.defined) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f", k.kappa);
      kappa = buf;
    }
    std::printf("%-26s %5d %6d %6d %7d %9.3f %9s\n", k.id.c_str(), k.both, k.first_only,
                k.second_only, k.neither, k.observed, kappa.c_str());
  }
  return kExitOk;
}

int RunLearningCurve(const EvalArgs& args) {
  if (args.gold.empty() || args.gold.extension() == ".jsonl") {
    return Fail(Status::InvalidArgument(
        "--learning-curve needs --gold FILE.csv with a split column (dev, test) and --index"));
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  Result<Taxonomy> taxonomy = Taxonomy::Load({(*searcher)->TaxonomyPath()});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  std::vector<std::string> ids = ConceptIds(*taxonomy);
  size_t missing = 0;
  auto dev = GoldPassages(**searcher, args.gold, "dev", ids, &missing);
  if (!dev.ok()) return Fail(dev.status());
  auto test = GoldPassages(**searcher, args.gold, "test", ids, &missing);
  if (!test.ok()) return Fail(test.status());
  if (dev->empty() || test->empty()) {
    return Fail(Status::NotFound(args.gold.string() + ": no dev or no test rows in this index"));
  }
  // The order passages are added in: a fixed-seed shuffle of the dev split.
  std::mt19937 rng(16);
  for (size_t i = dev->size(); i > 1; --i) std::swap((*dev)[i - 1], (*dev)[rng() % i]);

  AnalyzerCache analyzers;
  auto score = [&](const RuleTagger& tagger) {
    std::vector<std::pair<std::set<std::string>, std::set<std::string>>> items;
    for (const LabelledPassage& lp : *test) {
      Analyzer& analyzer = analyzers.For(lp.passage.language);
      std::set<std::string> predicted, gold;
      for (const Tag& t : tagger.TagPassage(lp.passage, analyzer.Tokenize(lp.passage.text),
                                            analyzer)) {
        predicted.insert(t.concept_id);
      }
      for (const auto& [id, yes] : lp.labels) {
        if (yes) gold.insert(id);
      }
      items.emplace_back(std::move(predicted), std::move(gold));
    }
    EvalReport report = Evaluate(items, ids);
    double un_au = 0;
    int n = 0;
    for (const ConceptScores& sc : report.per_concept) {
      if (sc.id.rfind("un-", 0) == 0 || sc.id.rfind("au-", 0) == 0) {
        un_au += sc.f1;
        ++n;
      }
    }
    return std::make_pair(n ? un_au / n : 0.0, report.micro_f1);
  };
  nlohmann::json points = nlohmann::json::array();
  if (!args.json) {
    std::printf("Learning curve: rules + model trained on the first N dev passages (fixed "
                "order), scored on the %zu test passages of %s\n\n",
                test->size(), args.gold.string().c_str());
    std::printf("%8s %8s %16s %10s %18s\n", "share", "trained", "macro-F1 UN/AU", "micro-F1",
                "model alone UN/AU");
  }
  for (int quarter = 0; quarter <= 4; ++quarter) {
    size_t n = dev->size() * quarter / 4;
    std::vector<LabelledPassage> part(dev->begin(), dev->begin() + n);
    RuleTagger tagger(*taxonomy);
    TagModel model;
    if (n) {
      model = TrainFromPassages(part, *taxonomy, nullptr, nullptr);
      tagger.UseModel(&model);
    }
    auto [macro, micro] = score(tagger);
    // The model by itself (no model: no tags), to see it learn even where the rules win.
    double alone = 0;
    if (n) {
      tagger.UseModel(&model, TagMode::kModel);
      alone = score(tagger).first;
    }
    if (args.json) {
      points.push_back({{"share", quarter / 4.0}, {"trained", n}, {"macro_f1_un_au", macro},
                        {"micro_f1", micro}, {"model_alone_macro_f1_un_au", alone}});
    } else {
      std::printf("%8.2f %8zu %16.3f %10.3f %18.3f\n", quarter / 4.0, n, macro, micro, alone);
    }
  }
  if (args.json) {
    std::cout << DumpJson({{"gold", args.gold.string()}, {"test_items", test->size()},
                           {"points", points}}, 2)
              << "\n";
  }
  return missing ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void RegisterEval(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* sub = app.add_subcommand(
      "eval",
      "Precision, recall and F1 per concept of the rule tags against reviewed passages "
      "(pillar tag --set) or a gold CSV (passage_id,concepts)");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--gold", args->gold,
                  "Gold labels: CSV with columns passage_id,concepts (passages of the index), "
                  "or JSONL lines {\"text\", \"lang\", \"concepts\"} (tagged directly, no "
                  "index needed)")
      ->type_name("FILE");
  sub->add_option("--split", args->split,
                  "Only the gold rows whose 'split' column (or JSONL key) is NAME, e.g. dev "
                  "or test")
      ->type_name("NAME");
  sub->add_option("--kappa", args->kappa,
                  "A second labelling of some --gold passages (CSV passage_id,concepts): "
                  "Cohen's kappa per concept over the passages both label (no index needed)")
      ->type_name("FILE");
  sub->add_flag("--json", args->json, "JSON report");
  sub->add_option("--tagger", args->tagger,
                  "Which tags to score: rules, model (the learned tagger alone) or both "
                  "(default, as the indexer tags)")
      ->check(CLI::IsMember({"rules", "model", "both"}))
      ->type_name("WHICH");
  sub->add_option("--model", args->model, "Tag model file (default: the one beside the taxonomy)")
      ->type_name("MODEL");
  sub->add_flag("--learning-curve", args->learning_curve,
                "Train on growing shares of the gold dev split (0, 1/4, 1/2, 3/4, all) and print "
                "the F1 of rules + model on the test split for each (needs --gold with a split "
                "column and --index)");
  sub->callback([args] { ExitCode() = RunEval(*args); });
}

}  // namespace pillar::cli
