// pillar import zotero FILE : a Zotero export (CSL-JSON or Better BibTeX) into the catalog.
// pillar import w3c FILE    : W3C / Hypothesis annotations re-attached to the index's passages.

#include <iostream>
#include <memory>

#include "indexer/ingest/zotero_import.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"

namespace pillar::cli {
namespace {

struct ZoteroArgs {
  std::filesystem::path file;
  std::filesystem::path corpus = ".";
  std::filesystem::path out;  // default: CORPUS/catalog.xml
  bool dry_run = false;
};

int RunImportZotero(const ZoteroArgs& args) {
  Result<ZoteroExport> parsed = LoadZoteroExport(args.file);
  if (!parsed.ok()) {
    return Fail(parsed.status().WithContext(args.file.string()));
  }
  for (const ZoteroItemError& e : parsed->errors) {
    std::cerr << "pillar: " << args.file.string() << ": " << e.where << ": " << e.message
              << " (left out)\n";
  }
  ZoteroImportOptions options;
  options.corpus = args.corpus;
  options.catalog = args.out.empty() ? args.corpus / "catalog.xml" : args.out;
  Result<ZoteroImportReport> report = ImportZotero(parsed->items, options);
  if (!report.ok()) return Fail(report.status());
  for (const ZoteroImportReport::Matched& m : report->matched) {
    std::cout << "matched    " << m.key << " -> " << m.file.generic_string() << " (" << m.doc_id
              << ", by " << ZoteroMatchName(m.how) << ")";
    if (!m.kept.empty()) {
      std::cout << "; hand-written";
      for (const std::string& f : m.kept) std::cout << " " << f;
      std::cout << " kept";
    }
    std::cout << "\n";
  }
  for (const ZoteroItem& item : report->unmatched_items) {
    std::cout << "unmatched  item " << item.key << " \"" << item.meta.title
              << "\" (no corpus file has its attachment, DOI, URL or title)\n";
  }
  for (const std::string& c : report->conflicts) std::cout << "conflict   " << c << "\n";
  for (const std::filesystem::path& f : report->unmatched_files) {
    std::cout << "unmatched  file " << f.generic_string() << " (no catalog record)\n";
  }
  std::cout << report->matched.size() << " matched, " << report->unmatched_items.size()
            << " items unmatched, " << report->unmatched_files.size()
            << " files without a record, " << report->kept_records
            << " other records kept; ";
  if (args.dry_run) {
    std::cout << "nothing written (--dry-run)\n";
  } else {
    Status st = WriteOutput(options.catalog, [&](std::ostream& out) -> Status {
      out << report->catalog_xml;
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    std::cout << "wrote " << options.catalog.string() << "\n";
  }
  return parsed->errors.empty() ? kExitOk : kExitSomeInputsFailed;
}

}  // namespace

void RegisterImport(CLI::App& app) {
  auto z = std::make_shared<ZoteroArgs>();
  auto kind = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "import",
      "Bring in what other tools made. `import zotero FILE`: a Zotero export (CSL JSON, or "
      "Better BibTeX .bib) into the catalog, each item matched to a corpus file by attachment "
      "path, then DOI/URL, then title; records merged with the catalog's (hand-written fields "
      "kept); unmatched items and files reported. docs/citations.md, \"Zotero in\"");
  sub->add_option("KIND", *kind, "zotero")
      ->required()
      ->check(CLI::IsMember({"zotero"}));
  sub->add_option("FILE", z->file, "The file to import (zotero: .json CSL-JSON or .bib)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--corpus", z->corpus, "zotero: the folder of documents to match (default .)")
      ->type_name("DIR");
  sub->add_option("--out", z->out,
                  "zotero: the catalog to merge into and write (default CORPUS/catalog.xml)")
      ->type_name("FILE");
  sub->add_flag("--dry-run", z->dry_run, "Report what would be done, write nothing");
  sub->callback([z, kind] { ExitCode() = RunImportZotero(*z); });
}

}  // namespace pillar::cli
