// pillar annotations : the manual decisions in the annotation store.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/annotate/annotation_store.h"
#include "indexer/index/layout.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

struct AnnotationsArgs {
  std::filesystem::path index_dir;
  bool orphans = false;
  bool json = false;
};

const char* ActionName(Annotation::Action a) {
  switch (a) {
    case Annotation::Action::kAdd: return "add";
    case Annotation::Action::kRemove: return "remove";
    case Annotation::Action::kSet: return "set";
  }
  return "?";
}

int RunAnnotations(const AnnotationsArgs& args) {
  if (!std::filesystem::exists(AnnotationsPath(args.index_dir))) {
    return Fail(Status::NotFound(AnnotationsPath(args.index_dir).string() +
                                 ": no annotation store (no manual tags yet)"));
  }
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<Annotation>> list = args.orphans ? (*store)->Orphans() : (*store)->All();
  if (!list.ok()) return Fail(list.status());
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Annotation& a : *list) {
      out.push_back({{"id", a.id}, {"action", ActionName(a.action)}, {"concepts", a.concepts},
                     {"passage_id", a.anchor.passage_id}, {"doc_id", a.anchor.doc_id},
                     {"exact", a.anchor.quote.exact}, {"prefix", a.anchor.quote.prefix},
                     {"suffix", a.anchor.quote.suffix}, {"start", a.anchor.position.start},
                     {"end", a.anchor.position.end}, {"by", a.by}, {"when", a.when},
                     {"note", a.note}, {"orphan", a.orphan}});
    }
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  for (const Annotation& a : *list) {
    std::cout << "#" << a.id << "  " << a.when << "  " << a.by << "  " << ActionName(a.action);
    for (const auto& c : a.concepts) std::cout << " " << c;
    std::cout << "  " << a.anchor.passage_id << (a.orphan ? "  [ORPHAN: no longer anchors]" : "")
              << "\n";
    std::string quote = a.anchor.quote.exact.substr(0, 100);
    std::cout << "    \"" << quote << (a.anchor.quote.exact.size() > 100 ? "…" : "") << "\"\n";
    if (!a.note.empty()) std::cout << "    note: " << a.note << "\n";
  }
  std::cout << list->size() << (args.orphans ? " orphaned" : "") << " annotations\n";
  return kExitOk;
}

}  // namespace

void RegisterAnnotations(CLI::App& app) {
  auto args = std::make_shared<AnnotationsArgs>();
  CLI::App* sub = app.add_subcommand("annotations", "List manual tags and notes");
  AddIndexOption(sub, &args->index_dir);
  sub->add_flag("--orphans", args->orphans,
                "Only those that no longer anchor in their document (kept, never dropped)");
  sub->add_flag("--json", args->json, "JSON array");
  sub->callback([args] { ExitCode() = RunAnnotations(*args); });
}

}  // namespace pillar::cli
