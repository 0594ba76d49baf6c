// pillar docs : the documents of an index.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct DocsArgs {
  std::filesystem::path index_dir;
  bool json = false;
};

int RunDocs(const DocsArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  Result<std::vector<DocumentRecord>> docs = (*searcher)->Documents();
  if (!docs.ok()) return Fail(docs.status());
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const DocumentRecord& d : *docs) {
      out.push_back(DocumentObject(d));
    }
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  // Titles, notes and warnings come from files and catalogs: TerminalSafe keeps their
  // control characters from acting on the terminal.
  for (const DocumentRecord& d : *docs) {
    std::cout << TerminalSafe(d.meta.id) << "  [" << TerminalSafe(d.meta.language) << ", "
              << TerminalSafe(d.meta.type) << ", " << TerminalSafe(d.meta.date) << "]  "
              << d.passages << " passages\n    " << TerminalSafe(d.meta.title);
    if (!d.meta.symbol.empty()) std::cout << " (" << TerminalSafe(d.meta.symbol) << ")";
    std::cout << "\n    " << TerminalSafe(d.meta.issuer) << "\n";
    if (!d.meta.note.empty()) std::cout << "    " << TerminalSafe(d.meta.note) << "\n";
    if (!d.warning.empty()) std::cout << "    warning: " << TerminalSafe(d.warning) << "\n";
  }
  std::cout << docs->size() << " documents, " << (*searcher)->passage_count() << " passages\n";
  return kExitOk;
}

}  // namespace

void RegisterDocs(CLI::App& app) {
  auto args = std::make_shared<DocsArgs>();
  CLI::App* sub = app.add_subcommand("docs", "List indexed documents with metadata and passage counts");
  AddIndexOption(sub, &args->index_dir);
  sub->add_flag("--json", args->json, "JSON array of document records");
  sub->callback([args] { ExitCode() = RunDocs(*args); });
}

}  // namespace pillar::cli
