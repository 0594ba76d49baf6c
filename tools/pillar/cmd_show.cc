// pillar show ID : one passage with its context, or one document with its passages.

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/base/text.h"
#include "query/cite/citation.h"
#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/moved_ids.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct ShowArgs {
  std::string passage_id;
  std::filesystem::path index_dir;
  bool json = false;
  int context = 1;
};

// `show DOC_ID`: the document's record and the list of its passages (id, pinpoint, the start
// of the text), so that a bare document id works wherever `cite` takes one.
int ShowDocument(Searcher& searcher, const DocumentRecord& doc, bool json) {
  Result<std::vector<Passage>> passages = searcher.DocumentPassages(doc.meta.id);
  if (!passages.ok()) return Fail(passages.status());
  if (json) {
    std::cout << DumpJson(DocumentWithPassagesObject(doc, *passages), 2) << "\n";
    return kExitOk;
  }
  std::cout << TerminalSafe(doc.meta.title) << "\n";
  std::string line = DocumentLine(doc);
  if (!line.empty()) std::cout << TerminalSafe(line) << "\n";
  if (!doc.meta.url.empty()) std::cout << TerminalSafe(doc.meta.url) << "\n";
  std::cout << "id: " << TerminalSafe(doc.meta.id) << "   " << TerminalSafe(doc.meta.language)
            << ", " << TerminalSafe(doc.meta.type) << ", " << passages->size()
            << " passages\n\n";
  constexpr size_t kPreviewBytes = 72;
  for (const Passage& p : *passages) {
    std::string pin = PinpointText(p);
    std::string preview = p.text.substr(0, CharStart(p.text, std::min(kPreviewBytes, p.text.size())));
    if (preview.size() < p.text.size()) preview += "\xE2\x80\xA6";  // ellipsis
    std::cout << TerminalSafe(p.id) << (pin.empty() ? "" : "  (" + TerminalSafe(pin) + ")")
              << "\n    " << TerminalSafe(preview) << "\n";
  }
  return kExitOk;
}

int RunShow(const ShowArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  if (args.passage_id.find('#') == std::string::npos) {
    Result<DocumentRecord> doc = (*searcher)->GetDocument(args.passage_id);
    if (!doc.ok()) {
      return Fail(Status::NotFound("no document '" + args.passage_id + "' in " +
                                   args.index_dir.string() +
                                   " (a passage id has a '#': DOC_ID#op-5)"));
    }
    return ShowDocument(**searcher, *doc, args.json);
  }
  Result<ResolvedId> resolved = (*searcher)->ResolvePassageId(args.passage_id);
  if (!resolved.ok()) return Fail(resolved.status());
  NoteMovedId(args.passage_id, *resolved);
  Result<Passage> passage = (*searcher)->GetPassage(resolved->id);
  if (!passage.ok()) return Fail(passage.status());
  Result<DocumentRecord> doc = (*searcher)->GetDocument(passage->doc_id);
  if (!doc.ok()) return Fail(doc.status());
  Result<std::vector<Passage>> all = (*searcher)->DocumentPassages(passage->doc_id);
  if (!all.ok()) return Fail(all.status());
  std::vector<const Passage*> before, after;
  for (const Passage& p : *all) {
    int d = p.ordinal - passage->ordinal;
    if (d < 0 && d >= -args.context) before.push_back(&p);
    if (d > 0 && d <= args.context) after.push_back(&p);
  }

  if (args.json) {
    std::cout << DumpJson(PassageWithContextObject(*passage, *doc, *all, args.context), 2)
              << "\n";
    return kExitOk;
  }
  std::cout << TerminalSafe(doc->meta.title);
  std::string pin = PinpointText(*passage);
  if (!pin.empty()) std::cout << ", " << TerminalSafe(pin);
  std::cout << "\n";
  std::string line = DocumentLine(*doc);
  if (!line.empty()) std::cout << TerminalSafe(line) << "\n";
  if (!doc->meta.url.empty()) std::cout << TerminalSafe(doc->meta.url) << "\n";
  if (!passage->section.empty()) {
    std::cout << "\xC2\xA7 ";
    for (size_t k = 0; k < passage->section.size(); ++k) {
      std::cout << (k ? " > " : "") << TerminalSafe(passage->section[k]);
    }
    std::cout << "\n";
  }
  std::cout << "id: " << TerminalSafe(passage->id) << "   bytes " << passage->begin << "-"
            << passage->end << "\n\n";
  for (const Passage* p : before) std::cout << "  " << TerminalSafe(p->text) << "\n\n";
  std::cout << "> " << TerminalSafe(passage->text) << "\n\n";
  for (const Passage* p : after) std::cout << "  " << TerminalSafe(p->text) << "\n\n";
  if (passage->tags.empty()) {
    std::cout << "pillars: none\n";
  } else {
    std::cout << "pillars:\n";
    for (const Tag& t : passage->tags) {
      std::cout << "  " << TerminalSafe(t.concept_id) << "  " << TerminalSafe(t.source);
      if (t.source == "rule")
        std::cout << " score " << t.score << " (rules v" << t.rule_version << ")";
      if (t.source == "model")
        std::cout << " probability " << t.score << " (model " << t.rule_version << ")";
      if (!t.by.empty()) std::cout << " by " << TerminalSafe(t.by);
      if (!t.when.empty()) std::cout << " at " << t.when;
      std::cout << "\n";
      if (!t.evidence.empty()) {
        std::cout << "    evidence:";
        for (const auto& e : t.evidence) std::cout << " \"" << TerminalSafe(e) << "\"";
        std::cout << "\n";
      }
      if (!t.note.empty()) std::cout << "    note: " << TerminalSafe(t.note) << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterShow(CLI::App& app) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* sub = app.add_subcommand(
      "show", "One passage with its document, context and tags, or one document's passages");
  sub->add_option("ID", args->passage_id,
                  "A passage (s-res-2719-2023#op-5, or #5, #para-5; an old id is followed) "
                  "or a document (s-res-2719-2023)")
      ->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--context", args->context, "Passages shown before and after (default 1)")
      ->type_name("N");
  sub->add_flag("--json", args->json,
                "The passage with context.before/after, or {document, passages}");
  sub->callback([args] { ExitCode() = RunShow(*args); });
}

}  // namespace pillar::cli
