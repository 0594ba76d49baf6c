#include "query/cite/export.h"

#include <set>
#include <unordered_set>

#include "indexer/base/text.h"
#include "query/cite/citation.h"
#include "query/cite/csv_export.h"
#include "query/cite/web_annotation.h"
#include "query/search/json_output.h"

namespace pillar {

const std::vector<std::string>& ExportFormats() {
  static const std::vector<std::string> kFormats = {"jsonl", "csv",    "w3c",     "csl-json",
                                                    "ris",   "bibtex", "biblatex"};
  return kFormats;
}

Status WriteExport(Searcher& searcher, const SearchRequest& request, const ExportOptions& args,
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

}  // namespace pillar
