// pillar export : passages out as JSON lines, CSV, W3C Web Annotations, or the citations of
// the documents behind them.

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

#include "indexer/base/text.h"
#include "indexer/tag/taxonomy.h"
#include "query/cite/export.h"
#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"

namespace pillar::cli {
namespace {

struct ExportArgs {
  std::filesystem::path index_dir;
  std::string query;
  bool any_word = false;
  std::vector<std::string> pillars, docs, langs;
  std::string format = "jsonl";
  bool excel = false;
  std::filesystem::path out = "-";
};

int RunExport(const ExportArgs& args) {
  if (args.excel && args.format != "csv") {
    return Fail(Status::InvalidArgument("--excel applies to --format csv only"));
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SearchRequest request;
  request.query = args.query;
  request.any_word = args.any_word;
  request.pillars = args.pillars;
  request.docs = args.docs;
  request.languages = args.langs;

  std::unique_ptr<Taxonomy> taxonomy;
  if (args.format == "csv" || args.format == "w3c") {
    Result<Taxonomy> loaded = Taxonomy::Load({(*searcher)->TaxonomyPath()});
    if (!loaded.ok()) return Fail(loaded.status());
    taxonomy = std::make_unique<Taxonomy>(std::move(loaded.value()));
  }

  Status st = WriteOutput(args.out, [&](std::ostream& out) -> Status {
    return WriteExport(**searcher, request, {args.format, args.excel}, taxonomy.get(), out);
  });
  if (!st.ok()) return Fail(st);
  return kExitOk;
}

}  // namespace

void RegisterExport(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* sub = app.add_subcommand(
      "export",
      "Every passage of the index (or of a query/filter): JSON lines, CSV (one row per passage "
      "x tag), W3C Web Annotations (one per tag), or the citations of the documents behind "
      "them");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--query", args->query, "Only passages matching this query")->type_name("Q");
  sub->add_flag("--any", args->any_word,
                "--query matches passages with any of its words (default: all of them)");
  sub->add_option("--pillar", args->pillars, "Only passages tagged with this concept")
      ->type_name("ID");
  sub->add_option("--doc", args->docs, "Only this document")->type_name("ID");
  sub->add_option("--lang", args->langs, "Only this language")->type_name("L");
  sub->add_option("--format", args->format,
                  "jsonl | csv | w3c | csl-json | ris | bibtex | biblatex (default jsonl)")
      ->check(CLI::IsMember(ExportFormats()))
      ->type_name("FORMAT");
  sub->add_option("--out", args->out, "The file to write (default -, standard output)")
      ->type_name("FILE");
  sub->add_flag("--excel", args->excel,
                "csv for spreadsheets: start with the UTF-8 byte-order mark Excel needs, and "
                "defuse cells that would run as formulas (a leading ', as OWASP advises)");
  sub->callback([args] { ExitCode() = RunExport(*args); });
}

}  // namespace pillar::cli
