// pillar report --out FILE.html|- [--csv FILE|-] : pillar coverage per document.

#include <fstream>
#include <functional>
#include <iostream>
#include <memory>

#include "indexer/base/encoding.h"
#include "indexer/tag/taxonomy.h"
#include "query/report/coverage_report.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/saved.h"
#include "tools/pillar/conventions.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct ReportArgs {
  std::filesystem::path index_dir;
  std::filesystem::path out, csv;
  std::string query;
  bool any_word = false;
  bool no_acronyms = false;
  std::vector<std::string> docs, langs;
  std::string title = "Pillar coverage";
  std::string collection;  // --collection NAME (issue 21)
};

// A report saved among the documents it describes: `pillar index` skips it (it knows its own
// output), but other tools reading that folder will not, and the user may not mean it.
void WarnIfInsideCorpus(Searcher& searcher, const std::filesystem::path& out) {
  Result<std::vector<DocumentRecord>> documents = searcher.Documents();
  if (!documents.ok()) return;
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::weakly_canonical(out, ec).parent_path();
  if (ec || folder.empty()) return;
  // Inside: the folder of an indexed document, or below one (a folder above the documents,
  // such as a project folder holding the corpus and the index, is not the corpus).
  const std::string target = folder.string() + "/";
  size_t inside = 0;
  for (const DocumentRecord& d : *documents) {
    std::string doc_folder = PathFromText(d.path).parent_path().string();
    if (!doc_folder.empty() && target.rfind(doc_folder + "/", 0) == 0) ++inside;
  }
  if (inside == 0) return;
  std::cerr << "pillar: warning: " << TerminalSafe(out.string())
            << " is in a folder of the indexed corpus (" << inside << " indexed "
            << (inside == 1 ? "document is" : "documents are") << " in or above "
            << TerminalSafe(folder.string())
            << "); pillar index skips its own reports, but consider writing it elsewhere\n";
}

int RunReport(const ReportArgs& args) {
  if (IsStdout(args.out) && IsStdout(args.csv)) {
    return Fail(Status::InvalidArgument("--out and --csv cannot both be - (standard output)"));
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  Result<Taxonomy> taxonomy = Taxonomy::Load({(*searcher)->TaxonomyPath()});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  CoverageOptions options;
  options.filter.query = args.query;
  options.filter.any_word = args.any_word;
  options.filter.expand_acronyms = !args.no_acronyms;
  options.filter.docs = args.docs;
  options.filter.languages = args.langs;
  if (!args.collection.empty()) {
    Status applied = ApplySavedSearch(args.index_dir, args.collection, &options.filter);
    if (!applied.ok()) return Fail(applied);
  }
  Result<CoverageMatrix> matrix = BuildCoverage(**searcher, *taxonomy, options);
  if (!matrix.ok()) return Fail(matrix.status());
  // The page links the CSV by its name; standard output has none.
  const std::string csv_link = IsStdout(args.csv) ? "" : args.csv.string();
  Status st = WriteOutput(args.out, [&](std::ostream& out) {
    WriteCoverageHtml(*matrix, args.title, csv_link, out);
    return Status::Ok();
  });
  if (!st.ok()) return Fail(st);
  if (!args.csv.empty()) {
    st = WriteOutput(args.csv, [&](std::ostream& out) {
      WriteCoverageCsv(*matrix, out);
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
  }
  auto name = [](const std::filesystem::path& p) {
    return IsStdout(p) ? std::string("standard output") : p.string();
  };
  std::cerr << "report: " << matrix->rows.size() << " documents x " << matrix->columns.size()
            << " concepts -> " << name(args.out)
            << (args.csv.empty() ? "" : " and " + name(args.csv)) << "\n";
  if (!IsStdout(args.out)) WarnIfInsideCorpus(**searcher, args.out);
  if (matrix->page_rows.size() < matrix->rows.size()) {
    std::cerr << "report: the page shows the " << matrix->page_rows.size()
              << " documents with the most passages and every document summed by issuing body; "
              << (args.csv.empty() ? std::string("--csv FILE writes every document's row")
                                   : name(args.csv) + " has every document's row")
              << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterReport(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* sub = app.add_subcommand(
      "report",
      "Pillar coverage per document: a self-contained HTML page with an SVG heat map of "
      "documents x concepts (share of each document's passages tagged), linked to the passages");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--out", args->out, "The HTML file to write (- for standard output)")
      ->required()
      ->type_name("FILE");
  sub->add_option("--csv", args->csv, "Also write the matrix as CSV (- for standard output)")
      ->type_name("FILE");
  sub->add_option("--query", args->query, "Only count passages matching this query")
      ->type_name("Q");
  sub->add_flag("--any", args->any_word,
                "--query matches passages with any of its words (default: all of them)");
  sub->add_flag("--no-acronyms", args->no_acronyms,
                "--query's words as typed only: not also the acronyms and long forms the "
                "indexed documents define (as pillar search)");
  sub->add_option("--doc", args->docs, "Only this document")->type_name("ID");
  sub->add_option("--lang", args->langs, "Only this language")->type_name("L");
  AddCollectionOption(sub, &args->collection);  // issue 21
  sub->add_option("--title", args->title, "Page title (default \"Pillar coverage\")")
      ->type_name("TEXT");
  sub->callback([args] { ExitCode() = RunReport(*args); });
}

}  // namespace pillar::cli
