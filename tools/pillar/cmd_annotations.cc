// pillar annotations : the manual decisions in the annotation store.

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/json.h"
#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "query/search/json_output.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"
#include "tools/pillar/tagging.h"

namespace pillar::cli {
namespace {

struct AnnotationsArgs {
  std::filesystem::path index_dir;
  bool orphans = false;
  bool json = false;
  bool undo = false;
  int64_t delete_id = 0;
  bool log = false;
  std::string by;
};

const char* ActionName(Annotation::Action a) {
  switch (a) {
    case Annotation::Action::kAdd:
      return "add";
    case Annotation::Action::kRemove:
      return "remove";
    case Annotation::Action::kSet:
      return "set";
  }
  return "?";
}

// --undo and --delete: change the store, then bring the passages concerned up to date in the
// index.
int RunChange(const AnnotationsArgs& args) {
  Result<std::unique_ptr<Tagging>> tagging = LoadTagging(args.index_dir);
  if (!tagging.ok()) return Fail(tagging.status());
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Result<int64_t> previous = (*store)->LastId();
  if (!previous.ok()) return Fail(previous.status());
  const std::string by = args.by.empty() ? DefaultUser() : args.by;
  std::vector<std::string> passages;
  if (args.undo) {
    Result<Undone> undone = (*store)->UndoLast(by);
    if (!undone.ok()) return Fail(undone.status());
    for (const Annotation& a : undone->deleted) {
      passages.push_back(a.anchor.passage_id);
      std::cout << "undone: #" << a.id << " " << ActionName(a.action);
      for (const auto& c : a.concepts) std::cout << " " << TerminalSafe(c);
      std::cout << "  " << TerminalSafe(a.anchor.passage_id) << " (deleted)\n";
    }
    for (const Annotation& a : undone->restored) {
      passages.push_back(a.anchor.passage_id);
      std::cout << "undone: deletion of #" << a.id << " " << ActionName(a.action);
      for (const auto& c : a.concepts) std::cout << " " << TerminalSafe(c);
      std::cout << "  " << TerminalSafe(a.anchor.passage_id) << " (restored)\n";
    }
  } else {
    Result<Annotation> deleted = (*store)->Delete(args.delete_id, by);
    if (!deleted.ok()) return Fail(deleted.status());
    passages.push_back(deleted->anchor.passage_id);
    std::cout << "deleted: #" << deleted->id << " " << ActionName(deleted->action);
    for (const auto& c : deleted->concepts) std::cout << " " << TerminalSafe(c);
    std::cout << "  " << TerminalSafe(deleted->anchor.passage_id) << "\n";
  }
  Result<size_t> changed = RetagPassages(args.index_dir, **store, **tagging, passages, *previous);
  if (!changed.ok()) return Fail(changed.status());
  return kExitOk;
}

int RunLog(const AnnotationsArgs& args) {
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::OpenReadOnly(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<Change>> changes = (*store)->Changes();
  if (!changes.ok()) return Fail(changes.status());
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Change& c : *changes) {
      out.push_back(
          {{"id", c.id},
           {"batch", c.batch},
           {"annotation_id", c.annotation_id},
           {"op", c.op},
           {"by", c.by},
           {"when", c.when},
           {"undoes", c.undoes ? nlohmann::json(c.undoes) : nlohmann::json(nullptr)},
           {"undone_by", c.undone_by ? nlohmann::json(c.undone_by) : nlohmann::json(nullptr)}});
    }
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  for (const Change& c : *changes) {
    std::cout << TerminalSafe(c.when) << "  " << TerminalSafe(c.by) << "  " << c.op << " #"
              << c.annotation_id << "  (batch " << c.batch;
    if (c.undoes) std::cout << ", undoes batch " << c.undoes;
    if (c.undone_by) std::cout << ", undone by batch " << c.undone_by;
    std::cout << ")\n";
  }
  std::cout << changes->size() << " changes\n";
  return kExitOk;
}

int RunAnnotations(const AnnotationsArgs& args) {
  if (args.undo || args.delete_id != 0) return RunChange(args);
  if (args.log) return RunLog(args);
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
      std::cout << "#" << a.id << "  " << TerminalSafe(a.when) << "  " << TerminalSafe(a.by) << "  "
                << ActionName(a.action);
      for (const auto& c : a.concepts) std::cout << " " << TerminalSafe(c);
      std::cout << "  " << TerminalSafe(a.anchor.passage_id)
                << (a.orphan ? "  [ORPHAN: no longer anchors]" : "") << "\n";
      if (!a.unreadable.empty()) {
        std::cout << "    [UNREADABLE, not applied: " << TerminalSafe(a.unreadable) << "]\n";
      }
      size_t cut =
          CharStart(a.anchor.quote.exact, std::min<size_t>(100, a.anchor.quote.exact.size()));
      std::string quote = a.anchor.quote.exact.substr(0, cut);
      std::cout << "    \"" << TerminalSafe(quote) << (a.anchor.quote.exact.size() > cut ? "…" : "")
                << "\"\n";
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
  CLI::Option* undo = sub->add_flag(
      "--undo", args->undo,
      "Undo the last change made by --by (a tag, a batch of tags from one `pillar tag --query` "
      "or '-', or a deletion); again to go further back. Logged, and applied to the index");
  CLI::Option* del =
      sub->add_option("--delete", args->delete_id,
                      "Delete decision #ID (kept in the store, flagged, so --undo can restore "
                      "it); logged, and applied to the index")
          ->type_name("ID")
          ->check(CLI::PositiveNumber);
  undo->excludes(del);
  sub->add_flag("--log", args->log, "The change log: who recorded, deleted or restored what, when")
      ->excludes(undo)
      ->excludes(del);
  sub->add_option("--by", args->by, "Who undoes or deletes (default: $PILLAR_USER or $USER)")
      ->type_name("NAME");
  sub->callback([args] { ExitCode() = RunAnnotations(*args); });
}

}  // namespace pillar::cli
