// pillar taxonomy : the concepts Pillar tags with.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/json_output.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

struct TaxonomyArgs {
  std::vector<std::filesystem::path> files;
  std::string lang = "en";
  bool json = false;
};

int RunTaxonomy(const TaxonomyArgs& args) {
  std::vector<std::filesystem::path> files = args.files;
  if (files.empty()) files.push_back(DefaultTaxonomyPath());
  if (files.front().empty()) {
    return Fail(Status::NotFound("no taxonomy found; pass --taxonomy FILE or set PILLAR_TAXONOMY"));
  }
  Result<Taxonomy> taxonomy = Taxonomy::Load(files);
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  if (args.json) {
    nlohmann::json out = ConceptsObject(*taxonomy, args.lang);
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  for (const ConceptScheme& s : taxonomy->schemes()) {
    std::cout << s.Label(args.lang) << "  (" << s.id << ")\n";
    for (const std::string& id : s.concepts) {
      const Concept* c = taxonomy->Find(id);
      if (!c) continue;
      std::cout << "  " << c->id << std::string(c->id.size() < 26 ? 26 - c->id.size() : 1, ' ')
                << c->Label(args.lang) << "\n";
      std::string matches;
      for (const auto& m : c->exact_matches) matches += " =" + m;
      for (const auto& m : c->close_matches) matches += " ~" + m;
      std::cout << std::string(28, ' ') << c->rules.size() << " rules v" << c->rules_version
                << ", threshold " << c->threshold << (matches.empty() ? "" : ";") << matches
                << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterTaxonomy(CLI::App& app) {
  auto args = std::make_shared<TaxonomyArgs>();
  CLI::App* sub = app.add_subcommand(
      "taxonomy", "List the concepts (UN tiers, AU pillars, UCP methods, your own schemes)");
  sub->add_option("--taxonomy", args->files,
                  "SKOS files (default: $PILLAR_TAXONOMY or corpus/taxonomy/poc.skos.xml)")
      ->type_name("FILE");
  sub->add_option("--lang", args->lang, "Label language (default en)")->type_name("L");
  sub->add_flag("--json", args->json, "JSON array of concepts");
  sub->callback([args] { ExitCode() = RunTaxonomy(*args); });
}

}  // namespace pillar::cli
