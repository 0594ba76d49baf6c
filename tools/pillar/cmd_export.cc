// pillar export : passages out, one object per line.

#include <iostream>
#include <memory>

#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

struct ExportArgs {
  std::filesystem::path index_dir;
  std::string query;
  std::vector<std::string> pillars, docs, langs;
  std::string format = "jsonl";
};

int RunExport(const ExportArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SearchRequest request;
  request.query = args.query;
  request.pillars = args.pillars;
  request.docs = args.docs;
  request.languages = args.langs;
  Status st = (*searcher)->ForEachPassage(request, [](const Passage& p, const DocumentRecord& d) {
    std::cout << PassageObjectJson(p, d) << "\n";
  });
  if (!st.ok()) return Fail(st);
  return kExitOk;
}

}  // namespace

void RegisterExport(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* sub = app.add_subcommand(
      "export", "Every passage of the index (or of a query/filter), one JSON object per line");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--query", args->query, "Only passages matching this query")->type_name("Q");
  sub->add_option("--pillar", args->pillars, "Only passages tagged with this concept")->type_name("ID");
  sub->add_option("--doc", args->docs, "Only this document")->type_name("ID");
  sub->add_option("--lang", args->langs, "Only this language")->type_name("L");
  sub->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"jsonl"}))
      ->type_name("jsonl");
  sub->callback([args] { ExitCode() = RunExport(*args); });
}

}  // namespace pillar::cli
