// pillar export : passages out as JSON lines, CSV, W3C Web Annotations, or the citations of
// the documents behind them.

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

#include "indexer/base/text.h"
#include "indexer/tag/taxonomy.h"
#include "query/cite/csl_style.h"
#include "query/cite/export.h"
#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"
#include "tools/pillar/saved.h"

namespace pillar::cli {
namespace {

struct ExportArgs {
  std::filesystem::path index_dir;
  std::string query;
  bool any_word = false;
  bool no_acronyms = false;
  std::vector<std::string> pillars, docs, langs;
  std::string format = "jsonl";
  bool format_given = false;
  std::string style;  // CSL style: the bibliography of the documents, rendered by pandoc
  bool excel = false;
  std::filesystem::path out = "-";
  std::string collection;  // --collection NAME (issue 21)
};

int RunExport(const ExportArgs& args) {
  if (args.excel && args.format != "csv") {
    return Fail(Status::InvalidArgument("--excel applies to --format csv only"));
  }
  ExportOptions options{args.format, args.excel, {}};
  if (!args.style.empty()) {
    if (args.format_given) {
      return Fail(Status::InvalidArgument("--style renders its own text: not with --format"));
    }
    Result<std::filesystem::path> found = FindCslStyle(args.style);
    if (!found.ok()) return Fail(found.status());
    options.style_file = *found;
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SearchRequest request;
  request.query = args.query;
  request.any_word = args.any_word;
  request.expand_acronyms = !args.no_acronyms;
  request.pillars = args.pillars;
  request.docs = args.docs;
  request.languages = args.langs;
  if (!args.collection.empty()) {
    Status applied = ApplySavedSearch(args.index_dir, args.collection, &request);
    if (!applied.ok()) return Fail(applied);
  }

  std::unique_ptr<Taxonomy> taxonomy;
  if (args.format == "csv" || args.format == "w3c") {
    Result<Taxonomy> loaded = Taxonomy::Load({(*searcher)->TaxonomyPath()});
    if (!loaded.ok()) return Fail(loaded.status());
    taxonomy = std::make_unique<Taxonomy>(std::move(loaded.value()));
  }

  Status st = WriteOutput(args.out, [&](std::ostream& out) -> Status {
    return WriteExport(**searcher, request, options, taxonomy.get(), out);
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
  sub->add_flag("--no-acronyms", args->no_acronyms,
                "--query's words as typed only: not also the acronyms and long forms the "
                "indexed documents define (as pillar search)");
  sub->add_option("--pillar", args->pillars, "Only passages tagged with this concept")
      ->type_name("ID");
  sub->add_option("--doc", args->docs, "Only this document")->type_name("ID");
  sub->add_option("--lang", args->langs, "Only this language")->type_name("L");
  AddCollectionOption(sub, &args->collection);  // issue 21
  sub->add_option("--format", args->format,
                  "jsonl | csv | w3c | csl-json | ris | bibtex | biblatex (default jsonl)")
      ->check(CLI::IsMember(ExportFormats()))
      ->type_name("FORMAT");
  sub->add_option("--style", args->style,
                  "The bibliography of the documents behind the passages in this CSL style (a "
                  ".csl file or a style name, as for cite --style), rendered by pandoc's "
                  "citeproc")
      ->type_name("STYLE");
  sub->add_option("--out", args->out, "The file to write (default -, standard output)")
      ->type_name("FILE");
  sub->add_flag("--excel", args->excel,
                "csv for spreadsheets: start with the UTF-8 byte-order mark Excel needs, and "
                "defuse cells that would run as formulas (a leading ', as OWASP advises)");
  sub->callback([args, sub] {
    args->format_given = sub->count("--format") > 0;
    ExitCode() = RunExport(*args);
  });
}

}  // namespace pillar::cli
