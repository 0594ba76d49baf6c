// pillar agreement --by A --by B [--concept C] : inter-coder agreement on manual tags.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "indexer/annotate/agreement.h"
#include "indexer/annotate/annotation_store.h"
#include "indexer/base/json.h"
#include "indexer/index/layout.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct AgreementArgs {
  std::filesystem::path index_dir;
  std::vector<std::string> coders;
  std::vector<std::string> concepts;
  bool json = false;
  size_t max_disagreements = 50;
};

// An agreement coefficient: "undefined" / null when it is (never a made-up 0.000).
std::string Coefficient(const std::optional<double>& v) {
  if (!v) return "undefined";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *v);
  return buf;
}
nlohmann::json CoefficientJson(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

int RunAgreement(const AgreementArgs& args) {
  std::vector<std::string> coders;
  for (const std::string& c : args.coders) {
    if (std::find(coders.begin(), coders.end(), c) == coders.end()) coders.push_back(c);
  }
  if (coders.size() < 2) {
    return Fail(Status::InvalidArgument("agreement needs two coders or more: --by A --by B"));
  }
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::OpenReadOnly(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<Annotation>> all = (*store)->All();
  if (!all.ok()) return Fail(all.status());
  Codings codings = CodingsOf(*all, coders);
  AgreementReport report = MeasureAgreement(codings, coders, args.concepts);

  std::map<std::string, size_t> coded;  // passages each coder coded
  for (const auto& [passage_id, by_coder] : codings) {
    for (const auto& [coder, concepts] : by_coder) ++coded[coder];
  }
  if (args.json) {
    nlohmann::json concepts = nlohmann::json::array();
    for (const ConceptAgreement& ca : report.concepts) {
      nlohmann::json pairs = nlohmann::json::array();
      for (const ConceptAgreement::Pair& p : ca.pairs) {
        pairs.push_back({{"coders", {p.first, p.second}},
                         {"units", p.units},
                         {"agree", p.agree},
                         {"kappa", CoefficientJson(p.kappa)}});
      }
      concepts.push_back({{"concept", ca.concept_id},
                          {"units", ca.units},
                          {"kappa", pairs},
                          {"alpha", CoefficientJson(ca.alpha)}});
    }
    nlohmann::json disagreements = nlohmann::json::array();
    for (const Disagreement& d : report.disagreements) {
      disagreements.push_back(
          {{"passage_id", d.passage_id}, {"concept", d.concept_id}, {"yes", d.yes}, {"no", d.no}});
    }
    nlohmann::json coded_json = nlohmann::json::object();
    for (const std::string& c : coders) coded_json[c] = coded[c];
    std::cout << DumpJson({{"coders", coders},
                           {"coded", coded_json},
                           {"concepts", concepts},
                           {"disagreements", disagreements}},
                          2)
              << "\n";
    return kExitOk;
  }
  std::cout << "Agreement of";
  for (const std::string& c : coders) {
    std::cout << " " << TerminalSafe(c) << " (" << coded[c] << " passages)";
  }
  std::cout << "\n\n";
  if (report.concepts.empty()) {
    std::cout << "No concept to compare: these coders made no decision yet.\n";
    return kExitOk;
  }
  std::printf("%-26s %6s", "concept", "units");
  for (const ConceptAgreement::Pair& p : report.concepts.front().pairs) {
    std::string head = "kappa " + p.first + "/" + p.second;
    std::printf(" %s", TerminalSafe(head).c_str());
  }
  std::printf(" %9s\n", "alpha");
  for (const ConceptAgreement& ca : report.concepts) {
    std::printf("%-26s %6zu", TerminalSafe(ca.concept_id).c_str(), ca.units);
    for (const ConceptAgreement::Pair& p : ca.pairs) {
      std::string head = "kappa " + p.first + "/" + p.second;
      std::printf(" %*s", static_cast<int>(TerminalSafe(head).size()),
                  Coefficient(p.kappa).c_str());
    }
    std::printf(" %9s\n", Coefficient(ca.alpha).c_str());
  }
  std::cout << "\nunits: passages coded by at least two of them; kappa over the passages both "
               "coded; alpha: Krippendorff's, nominal, over all of them\n";
  if (!report.disagreements.empty()) {
    std::cout << "\n" << report.disagreements.size() << " disagreements";
    if (report.disagreements.size() > args.max_disagreements) {
      std::cout << " (the first " << args.max_disagreements << "; --json lists all)";
    }
    std::cout << ":\n";
    size_t shown = 0;
    for (const Disagreement& d : report.disagreements) {
      if (shown++ == args.max_disagreements) break;
      std::cout << "  " << TerminalSafe(d.passage_id) << "  " << TerminalSafe(d.concept_id)
                << ": yes";
      for (const std::string& c : d.yes) std::cout << " " << TerminalSafe(c);
      std::cout << "; no";
      for (const std::string& c : d.no) std::cout << " " << TerminalSafe(c);
      std::cout << "\n";
    }
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

void RegisterAgreement(CLI::App& app) {
  auto args = std::make_shared<AgreementArgs>();
  CLI::App* sub = app.add_subcommand(
      "agreement",
      "How far coders agree on their manual tags: Cohen's kappa per concept for each pair of "
      "coders, Krippendorff's alpha (nominal) over all of them, and the passages they disagree "
      "on. A coder's labels on a passage are what their own decisions there add up to; a "
      "passage counts when at least two of them coded it. See docs/tagging.md.");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--by", args->coders, "A coder, as recorded by `pillar tag --by` (twice or more)")
      ->type_name("NAME")
      ->required();
  sub->add_option("--concept", args->concepts,
                  "Only this concept (repeat; default: every concept the coders used)")
      ->type_name("ID");
  sub->add_option("--max-disagreements", args->max_disagreements,
                  "Disagreements to list in the text output (default 50)")
      ->type_name("N");
  sub->add_flag("--json", args->json,
                "One JSON object: coders, coded, concepts (units, kappa per pair, alpha; null "
                "when undefined), disagreements");
  sub->callback([args] { ExitCode() = RunAgreement(*args); });
}

}  // namespace pillar::cli
