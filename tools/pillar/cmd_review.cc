// pillar review : the passages the learned tagger is least sure of, for reviewers (issue 16).

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/json.h"
#include "indexer/index/layout.h"
#include "tools/pillar/command.h"
#include "tools/pillar/learn.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct ReviewArgs {
  std::filesystem::path index_dir;
  std::filesystem::path model;
  std::string concept_id;
  size_t limit = 10;
  bool json = false;
};

struct Candidate {
  double distance = 1;  // |p - 0.5|
  std::string concept_id;
  double probability = 0;
  Passage passage;
  std::vector<std::string> tags;  // what the passage is tagged with now (rules + model)
};

// The first `n` code points of `s`, with "..." when cut.
std::string Clip(const std::string& s, size_t n) {
  size_t i = 0, count = 0;
  while (i < s.size() && count < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++count;
  }
  if (i >= s.size()) return s;
  return s.substr(0, i) + "...";
}

int RunReview(const ReviewArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  std::filesystem::path taxonomy_path = (*searcher)->TaxonomyPath();
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  if (!args.concept_id.empty() && !taxonomy->Find(args.concept_id)) {
    return Fail(Status::InvalidArgument("unknown concept '" + args.concept_id +
                                        "'; `pillar taxonomy` lists the concept ids"));
  }
  Result<std::optional<TagModel>> model = LoadModelFor(taxonomy_path, args.model);
  if (!model.ok()) return Fail(model.status());
  if (!*model || (*model)->empty()) {
    return Fail(Status::NotFound("no tag model to ask (looked beside " + taxonomy_path.string() +
                                 "); train one with `pillar train`"));
  }
  const TagModel& m = **model;
  if (!args.concept_id.empty()) {
    std::vector<std::string> ids = m.ConceptIds();
    if (std::find(ids.begin(), ids.end(), args.concept_id) == ids.end()) {
      return Fail(Status::NotFound("the model has no '" + args.concept_id +
                                   "' (too few labelled passages when it was trained)"));
    }
  }
  // Passages with a manual decision are reviewed already.
  std::set<std::string> reviewed;
  if (auto store = AnnotationStore::OpenReadOnly(AnnotationsPath(args.index_dir)); store.ok()) {
    if (auto all = (*store)->All(); all.ok()) {
      for (const Annotation& a : *all) reviewed.insert(a.anchor.passage_id);
    }
  }
  Result<std::vector<DocumentRecord>> docs = (*searcher)->Documents();
  if (!docs.ok()) return Fail(docs.status());
  RuleTagger rules(*taxonomy);
  RuleTagger both(*taxonomy);
  both.UseModel(&m);
  AnalyzerCache analyzers;
  std::vector<Candidate> candidates;
  for (const DocumentRecord& d : *docs) {
    Result<std::vector<Passage>> passages = (*searcher)->DocumentPassages(d.meta.id);
    if (!passages.ok()) continue;
    for (Passage& p : *passages) {
      if (reviewed.count(p.id) || !IsBodyPassage(p.text, p.footnote)) continue;
      Analyzer& analyzer = analyzers.For(p.language);
      std::vector<Token> tokens = analyzer.Tokenize(p.text);
      std::vector<Tag> rule_tags = rules.TagTokens(tokens, analyzer);
      Candidate best;
      for (const auto& [id, prob] :
           m.Probabilities(ModelFeatures(tokens, analyzer, p.language, rule_tags))) {
        if (!args.concept_id.empty() && id != args.concept_id) continue;
        double distance = std::fabs(prob - 0.5);
        if (distance < best.distance) {
          best.distance = distance;
          best.concept_id = id;
          best.probability = prob;
        }
      }
      if (best.concept_id.empty()) continue;
      for (const Tag& t : both.TagPassage(p, tokens, analyzer)) best.tags.push_back(t.concept_id);
      best.passage = std::move(p);
      candidates.push_back(std::move(best));
    }
  }
  // Least certain first; ties by passage id, so the list is the same every time.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.passage.id < b.passage.id;
  });
  if (candidates.size() > args.limit) candidates.resize(args.limit);

  auto command = [&](const Candidate& c) {
    std::string set;
    for (const std::string& t : c.tags) set += (set.empty() ? "" : ",") + t;
    return "pillar tag " + c.passage.id + " --index " + args.index_dir.string() + " --set " +
           (set.empty() ? "\"\"" : set);
  };
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Candidate& c : candidates) {
      out.push_back({{"passage_id", c.passage.id},
                     {"concept", c.concept_id},
                     {"probability", c.probability},
                     {"tags", c.tags},
                     {"text", c.passage.text},
                     {"command", command(c)}});
    }
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  if (candidates.empty()) {
    std::cout << "nothing to review: every body passage has a decision\n";
    return kExitOk;
  }
  std::cout << "The " << candidates.size() << " passages the model (" << m.version()
            << ") is least sure of. Record a decision with the command under each "
               "(edit the concepts), then run `pillar train`.\n\n";
  for (const Candidate& c : candidates) {
    char p[32];
    std::snprintf(p, sizeof p, "%.2f", c.probability);
    std::cout << TerminalSafe(c.passage.id) << "  " << c.concept_id << " p=" << p << "\n  "
              << TerminalSafe(Clip(c.passage.text, 300)) << "\n  " << TerminalSafe(command(c))
              << "\n\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterReview(CLI::App& app) {
  auto args = std::make_shared<ReviewArgs>();
  CLI::App* sub = app.add_subcommand(
      "review",
      "List the passages the learned tagger is least sure of (probability nearest 0.5) that "
      "nobody has decided yet, each with the `pillar tag` command that records a decision");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--concept", args->concept_id, "Only this concept")->type_name("ID");
  sub->add_option("--limit,-n", args->limit, "How many passages (default 10)")->type_name("N");
  sub->add_option("--model", args->model, "Model file (default: the one beside the taxonomy)")
      ->type_name("MODEL");
  sub->add_flag("--json", args->json, "JSON output");
  sub->callback([args] { ExitCode() = RunReview(*args); });
}

}  // namespace pillar::cli
