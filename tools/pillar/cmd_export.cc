// pillar export : passages out as JSON lines, CSV, W3C Web Annotations, or the citations of
// the documents behind them.

#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "indexer/tag/taxonomy.h"
#include "query/cite/citation.h"
#include "query/cite/csv_export.h"
#include "query/cite/web_annotation.h"
#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

struct ExportArgs {
  std::filesystem::path index_dir;
  std::string query;
  bool any_word = false;
  std::vector<std::string> pillars, docs, langs;
  std::string format = "jsonl";
  bool excel = false;
};

const std::vector<std::string>& ExportFormats() {
  static const std::vector<std::string> kFormats = {"jsonl", "csv",    "w3c",     "csl-json",
                                                    "ris",   "bibtex", "biblatex"};
  return kFormats;
}

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

  Status st;
  if (args.format == "jsonl") {
    st = (*searcher)->ForEachPassage(request, [](const Passage& p, const DocumentRecord& d) {
      std::cout << PassageObjectJson(p, d) << "\n";
    });
  } else if (args.format == "csv") {
    if (args.excel) std::cout << kUtf8Bom;
    std::cout << CsvRecord(PassageTagCsvHeader());
    st = (*searcher)->ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
      std::cout << PassageTagCsvRecords(p, d, taxonomy.get(), args.excel);
    });
  } else if (args.format == "w3c") {
    // Passages arrive by document when the query is empty, by rank otherwise: group them so
    // each document's text is read once.
    std::map<std::string, std::vector<Passage>> by_doc;
    std::map<std::string, DocumentRecord> docs;
    std::vector<std::string> order;
    st = (*searcher)->ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
      if (p.tags.empty()) return;
      if (!docs.count(p.doc_id)) {
        order.push_back(p.doc_id);
        docs.emplace(p.doc_id, d);
      }
      by_doc[p.doc_id].push_back(p);
    });
    if (!st.ok()) return Fail(st);
    WebAnnotationCollection collection(taxonomy.get());
    for (const std::string& id : order) {
      Result<std::string> text = (*searcher)->GetDocumentText(id);
      if (!text.ok()) return Fail(text.status());
      for (const Passage& p : by_doc[id]) {
        st = collection.Add(p, docs[id], *text);
        if (!st.ok()) return Fail(st);
      }
    }
    std::cout << collection.ToJson();
  } else {
    Result<CitationFormat> format = ParseCitationFormat(args.format);
    if (!format.ok()) return Fail(format.status());
    std::vector<CiteItem> items;
    std::set<std::string> seen;
    st = (*searcher)->ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
      if (seen.insert(p.doc_id).second) items.push_back({d, std::nullopt});
    });
    if (!st.ok()) return Fail(st);
    CitationOptions options;
    options.format = *format;
    std::cout << FormatCitations(items, options);
  }
  if (!st.ok()) return Fail(st);
  std::cout << std::flush;
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
  sub->add_flag("--excel", args->excel,
                "csv for spreadsheets: start with the UTF-8 byte-order mark Excel needs, and "
                "defuse cells that would run as formulas (a leading ', as OWASP advises)");
  sub->callback([args] { ExitCode() = RunExport(*args); });
}

}  // namespace pillar::cli
