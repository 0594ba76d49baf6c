// pillar annotations : the manual decisions in the annotation store.

#include <algorithm>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/annotate/annotation_store.h"
#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "query/search/json_output.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"

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
  // Read-only: listing must work on a read-only store or a full disk (nothing is written).
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::OpenReadOnly(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<Annotation>> list = args.orphans ? (*store)->Orphans() : (*store)->All();
  if (!list.ok()) return Fail(list.status());
  size_t unreadable = 0;
  for (const Annotation& a : *list) unreadable += a.unreadable.empty() ? 0 : 1;
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Annotation& a : *list) {
      out.push_back(AnnotationObject(a));
    }
    std::cout << DumpJson(out, 2) << "\n";
  } else {
    for (const Annotation& a : *list) {
      std::cout << "#" << a.id << "  " << TerminalSafe(a.when) << "  " << TerminalSafe(a.by)
                << "  " << ActionName(a.action);
      for (const auto& c : a.concepts) std::cout << " " << TerminalSafe(c);
      std::cout << "  " << TerminalSafe(a.anchor.passage_id)
                << (a.orphan ? "  [ORPHAN: no longer anchors]" : "") << "\n";
      if (!a.unreadable.empty()) {
        std::cout << "    [UNREADABLE, not applied: " << TerminalSafe(a.unreadable) << "]\n";
      }
      size_t cut =
          CharStart(a.anchor.quote.exact, std::min<size_t>(100, a.anchor.quote.exact.size()));
      std::string quote = a.anchor.quote.exact.substr(0, cut);
      std::cout << "    \"" << TerminalSafe(quote)
                << (a.anchor.quote.exact.size() > cut ? "…" : "") << "\"\n";
      if (!a.note.empty()) std::cout << "    note: " << TerminalSafe(a.note) << "\n";
    }
    std::cout << list->size() << (args.orphans ? " orphaned" : "") << " annotations\n";
  }
  if (unreadable > 0) {
    std::cerr << "pillar: " << AnnotationsPath(args.index_dir).string() << ": " << unreadable
              << " annotation row(s) could not be read in full and are not applied\n";
    return kExitSomeInputsFailed;
  }
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
