// pillar cite PASSAGE_ID... : formatted citations with pinpoints.

#include <iostream>
#include <memory>

#include "query/cite/citation.h"
#include "query/cite/csl_style.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/moved_ids.h"

namespace pillar::cli {
namespace {

struct CiteArgs {
  std::vector<std::string> ids;
  std::filesystem::path index_dir;
  std::string format = "text";
  bool format_given = false;
  std::string style;  // a CSL style file or name: rendered by pandoc's citeproc
  bool quote = false;
};

int RunCite(const CiteArgs& args) {
  Result<CitationFormat> format = ParseCitationFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  std::filesystem::path style;
  if (!args.style.empty()) {
    if (args.format_given || args.quote) {
      return Fail(
          Status::InvalidArgument("--style renders its own text: not with --format or --quote"));
    }
    Result<std::filesystem::path> found = FindCslStyle(args.style);
    if (!found.ok()) return Fail(found.status());
    style = *found;
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  std::vector<CiteItem> items;
  int failed = 0;
  for (const std::string& id : args.ids) {
    CiteItem item;
    if (id.find('#') != std::string::npos) {
      Result<ResolvedId> resolved = (*searcher)->ResolvePassageId(id);
      if (resolved.ok()) NoteMovedId(id, *resolved);
      Result<Passage> passage = resolved.ok() ? (*searcher)->GetPassage(resolved->id)
                                              : Result<Passage>(resolved.status());
      if (!passage.ok()) {
        std::cerr << "pillar: " << passage.status().message() << "\n";
        ++failed;
        continue;
      }
      item.passage = std::move(passage.value());
    }
    // A bare document id cites the whole document.
    Result<DocumentRecord> doc =
        (*searcher)->GetDocument(item.passage ? item.passage->doc_id : id);
    if (!doc.ok()) {
      std::cerr << "pillar: " << doc.status().message() << "\n";
      ++failed;
      continue;
    }
    item.document = std::move(doc.value());
    items.push_back(std::move(item));
  }
  if (items.empty()) return kExitUsage;
  if (!style.empty()) {
    Result<StyledCitations> styled = RenderCslStyle(items, style);
    if (!styled.ok()) return Fail(styled.status());
    std::cout << StyledCitationsText(*styled) << std::flush;
    return failed ? kExitSomeInputsFailed : kExitOk;
  }
  CitationOptions options;
  options.format = *format;
  options.quote = args.quote;
  std::cout << FormatCitations(items, options) << std::flush;
  return failed ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void RegisterCite(CLI::App& app) {
  auto args = std::make_shared<CiteArgs>();
  CLI::App* sub = app.add_subcommand(
      "cite",
      "Citations of passages with their pinpoints (para. 5, p. 12): house style text, CSL-JSON, "
      "a CSL citation, RIS, BibTeX or BibLaTeX. docs/citations.md has the mappings.");
  sub->add_option("PASSAGE_ID", args->ids,
                  "e.g. s-res-2719-2023#op-5; a bare document id cites the whole document")
      ->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--format", args->format,
                  "text | csl-json | csl-citation | ris | bibtex | biblatex (default text)")
      ->check(CLI::IsMember(CitationFormatNames()))
      ->type_name("FORMAT");
  sub->add_option("--style", args->style,
                  "Render in this CSL style (a .csl file, or a style name such as apa, "
                  "oscola, chicago-note-bibliography from " +
                      std::string(kCslStylesDir) +
                      ") through pandoc's citeproc: the citations, one a line, pinpoints as "
                      "CSL locators, then the bibliography")
      ->type_name("STYLE");
  sub->add_flag("--quote", args->quote,
                "Add the passage text in quotation marks (text; a note in RIS)");
  sub->callback([args, sub] {
    args->format_given = sub->count("--format") > 0;
    ExitCode() = RunCite(*args);
  });
}

}  // namespace pillar::cli
