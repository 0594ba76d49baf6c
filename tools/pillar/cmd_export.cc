// pillar export : passages out as JSON lines, CSV, W3C Web Annotations, or the citations of
// the documents behind them.

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

#include "indexer/base/text.h"
#include "indexer/tag/taxonomy.h"
#include "query/cite/citation.h"
#include "query/cite/csv_export.h"
#include "query/cite/web_annotation.h"
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
  std::vector<std::string> pillars, docs, langs;
  std::string format = "jsonl";
  bool excel = false;
  std::filesystem::path out = "-";
  std::string collection;  // --collection NAME (issue 21)
};

const std::vector<std::string>& ExportFormats() {
  static const std::vector<std::string> kFormats = {"jsonl", "csv",    "w3c",     "csl-json",
                                                    "ris",   "bibtex", "biblatex"};
  return kFormats;
}

// Writes the passages of `request` in `args.format` to `out`.
Status WriteExport(const ExportArgs& args, Searcher& searcher, const SearchRequest& request,
                   const Taxonomy* taxonomy, std::ostream& out) {
  Status st;
  if (args.format == "jsonl") {
    st = searcher.ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
      out << PassageObjectJson(p, d) << "\n";
    });
  } else if (args.format == "csv") {
    if (args.excel) out << kUtf8Bom;
    out << CsvRecord(PassageTagCsvHeader());
    st = searcher.ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
      out << PassageTagCsvRecords(p, d, taxonomy, args.excel);
    });
  } else if (args.format == "w3c") {
    // Annotations are written as passages arrive, one document's text held at a time. With
    // no query, passages arrive by document; with one, by rank: the first pass then only
    // notes the documents in order of first appearance, and each is read again on its own
    // (its passages in rank order), so the output is the same and nothing piles up.
    WebAnnotationCollection collection(taxonomy);
    std::string text_of;  // the document `text` belongs to
    std::string text;
    auto add = [&](const Passage& p, const DocumentRecord& d) -> Status {
      if (p.tags.empty()) return Status::Ok();
      if (text_of != p.doc_id || text.empty()) {
        Result<std::string> got = searcher.GetDocumentText(p.doc_id);
        if (!got.ok()) return got.status();
        text = std::move(got.value());
        text_of = p.doc_id;
      }
      return collection.Add(p, d, text);
    };
    Status add_status;
    if (TrimAscii(request.query).empty()) {
      st = searcher.ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
        if (add_status.ok()) add_status = add(p, d);
      });
    } else {
      std::vector<std::string> order;
      std::unordered_set<std::string> seen;
      st = searcher.ForEachPassage(request, [&](const Passage& p, const DocumentRecord&) {
        if (!p.tags.empty() && seen.insert(p.doc_id).second) order.push_back(p.doc_id);
      });
      for (size_t k = 0; st.ok() && add_status.ok() && k < order.size(); ++k) {
        SearchRequest one = request;
        one.docs = {order[k]};
        st = searcher.ForEachPassage(one, [&](const Passage& p, const DocumentRecord& d) {
          if (add_status.ok()) add_status = add(p, d);
        });
      }
    }
    if (!st.ok()) return st;
    if (!add_status.ok()) return add_status;
    st = collection.WriteJson(out);
  } else {
    Result<CitationFormat> format = ParseCitationFormat(args.format);
    if (!format.ok()) return format.status();
    std::vector<CiteItem> items;
    std::set<std::string> seen;
    st = searcher.ForEachPassage(request, [&](const Passage& p, const DocumentRecord& d) {
      if (seen.insert(p.doc_id).second) items.push_back({d, std::nullopt});
    });
    if (!st.ok()) return st;
    CitationOptions options;
    options.format = *format;
    out << FormatCitations(items, options);
  }
  return st;
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
    return WriteExport(args, **searcher, request, taxonomy.get(), out);
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
  AddCollectionOption(sub, &args->collection);  // issue 21
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
