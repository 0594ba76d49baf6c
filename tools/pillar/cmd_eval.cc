// pillar eval : automatic tags against manual ones.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/annotate/annotation_store.h"
#include "indexer/index/layout.h"
#include "indexer/tag/eval.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

struct EvalArgs {
  std::filesystem::path index_dir;
  std::filesystem::path gold;
  bool json = false;
};

int Report(const std::vector<std::pair<std::set<std::string>, std::set<std::string>>>& items,
           const Taxonomy& taxonomy, const std::string& gold_source, size_t missing,
           const EvalArgs& args);

int RunEval(const EvalArgs& args) {
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
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers;
  auto predict = [&](const std::string& text, const std::string& language) {
    auto& analyzer = analyzers[language];
    if (!analyzer) analyzer = std::make_unique<Analyzer>(language);
    std::set<std::string> predicted;
    for (const Tag& t : tagger.TagTokens(analyzer->Tokenize(text), *analyzer)) {
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
      std::set<std::string> concepts = j["concepts"].get<std::set<std::string>>();
      items.emplace_back(predict(j["text"].get<std::string>(), j.value("lang", "en")),
                         std::move(concepts));
    }
    gold_source = args.gold.string();
    return Report(items, *taxonomy, gold_source, missing, args);
  }

  // Gold: passage id -> concepts.
  std::vector<std::pair<std::string, std::set<std::string>>> gold;
  if (!args.gold.empty()) {
    auto loaded = LoadGoldCsv(args.gold);
    if (!loaded.ok()) return Fail(loaded.status());
    gold = std::move(loaded.value());
    gold_source = args.gold.string();
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
    gold.assign(latest.begin(), latest.end());
    gold_source = "reviewed passages (pillar tag --set)";
  }
  if (gold.empty()) {
    return Fail(Status::NotFound("nothing to evaluate against: review passages with "
                                 "`pillar tag ID --set ...` or pass --gold FILE"));
  }

  for (const auto& [passage_id, concepts] : gold) {
    Result<Passage> p = searcher->GetPassage(passage_id);
    if (!p.ok()) {
      std::cerr << "pillar: " << gold_source << ": passage '" << passage_id
                << "' is not in the index; skipped\n";
      ++missing;
      continue;
    }
    items.emplace_back(predict(p->text, p->language), concepts);
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

  if (args.json) {
    nlohmann::json per = nlohmann::json::array();
    for (const ConceptScores& s : report.per_concept) {
      per.push_back({{"id", s.id}, {"tp", s.tp}, {"fp", s.fp}, {"fn", s.fn},
                     {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}});
    }
    nlohmann::json out = {
        {"gold", gold_source}, {"items", report.items}, {"skipped", missing},
        {"per_concept", per},
        {"micro", {{"precision", report.micro_p}, {"recall", report.micro_r}, {"f1", report.micro_f1}}},
        {"macro", {{"precision", report.macro_p}, {"recall", report.macro_r}, {"f1", report.macro_f1}}},
        {"macro_f1_un_au", un_au}};
    std::cout << DumpJson(out, 2) << "\n";
    return missing ? kExitSomeInputsFailed : kExitOk;
  }
  std::printf("Rule tags against %s: %d passages\n\n", gold_source.c_str(), report.items);
  std::printf("%-26s %5s %5s %5s %9s %9s %9s\n", "concept", "tp", "fp", "fn", "precision",
              "recall", "F1");
  for (const ConceptScores& s : report.per_concept) {
    std::printf("%-26s %5d %5d %5d %9.3f %9.3f %9.3f\n", s.id.c_str(), s.tp, s.fp, s.fn,
                s.precision, s.recall, s.f1);
  }
  std::printf("%-26s %17s %9.3f %9.3f %9.3f\n", "micro average", "", report.micro_p,
              report.micro_r, report.micro_f1);
  std::printf("%-26s %17s %9.3f %9.3f %9.3f\n", "macro average", "", report.macro_p,
              report.macro_r, report.macro_f1);
  std::printf("%-26s %17s %9s %9s %9.3f\n", "macro, UN tiers + AU", "", "", "", un_au);
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
  sub->add_flag("--json", args->json, "JSON report");
  sub->callback([args] { ExitCode() = RunEval(*args); });
}

}  // namespace pillar::cli
