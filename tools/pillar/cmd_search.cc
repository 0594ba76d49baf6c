// pillar search QUERY : ranked passages.

#include <iostream>
#include <memory>

#include "indexer/tag/taxonomy.h"
#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct SearchArgs {
  std::string query;
  std::filesystem::path index_dir;
  std::vector<std::string> pillars, docs, langs;
  bool crosswalk = false;
  size_t limit = 10;
  size_t offset = 0;
  bool json = false;
};

int RunSearch(const SearchArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SearchRequest request;
  request.query = args.query;
  request.pillars = args.pillars;
  request.docs = args.docs;
  request.languages = args.langs;
  request.limit = args.limit;
  request.offset = args.offset;
  if (args.crosswalk && !args.pillars.empty()) {
    Result<Taxonomy> taxonomy = Taxonomy::Load({DefaultTaxonomyPath()});
    if (!taxonomy.ok()) return Fail(taxonomy.status());
    request.pillars.clear();
    for (const std::string& id : args.pillars) {
      for (const std::string& match : taxonomy->Crosswalk(id)) request.pillars.push_back(match);
    }
  }
  Result<SearchResult> result = (*searcher)->Search(request);
  if (!result.ok()) return Fail(result.status());

  if (args.json) {
    std::cout << SearchResultJson(*result, args.offset) << "\n";
    return kExitOk;
  }
  const bool terminal = StdoutIsTerminal();
  std::cout << result->total << " passages match";
  if (!result->hits.empty()) {
    std::cout << "; showing " << result->hits.front().rank << "-" << result->hits.back().rank;
  }
  std::cout << "\n";
  for (const Hit& h : result->hits) {
    std::string pin = Pinpoint(h.passage);
    std::printf("\n%d. %s%s%s  [%.2f]\n", h.rank, h.document.meta.title.c_str(),
                pin.empty() ? "" : ", ", pin.c_str(), h.score);
    std::fflush(stdout);
    std::string doc_line = DocumentLine(h.document);
    if (!doc_line.empty()) std::cout << "   " << doc_line << "\n";
    if (!h.passage.section.empty()) {
      std::cout << "   \xC2\xA7 ";
      for (size_t k = 0; k < h.passage.section.size(); ++k) {
        std::cout << (k ? " > " : "") << h.passage.section[k];
      }
      std::cout << "\n";
    }
    std::cout << "   " << MarkSpans(h.snippet.text, h.snippet.spans, terminal) << "\n";
    std::cout << "   id: " << h.passage.id;
    if (!h.passage.tags.empty()) std::cout << "   pillars: " << TagsLine(h.passage.tags);
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterSearch(CLI::App& app) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* sub = app.add_subcommand(
      "search",
      "Ranked passages (BM25). QUERY: words, \"phrases\", AND/OR/NOT, -word, word*, and "
      "fields doc: org: type: lang: year: pillar: title: section:");
  sub->add_option("QUERY", args->query, "The query (\"\" lists every passage)")->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--pillar", args->pillars, "Only passages tagged with this concept id (repeat: any of them)")
      ->type_name("ID");
  sub->add_flag("--crosswalk", args->crosswalk,
                "Widen --pillar to its exact and close matches (au-physical <-> un-tier-2)");
  sub->add_option("--doc", args->docs, "Only this document id (repeat: any of them)")->type_name("ID");
  sub->add_option("--lang", args->langs, "Only this language, ISO 639-1 (repeat: any of them)")
      ->type_name("L");
  sub->add_option("--limit,-n", args->limit, "Hits to show (default 10)")->type_name("N");
  sub->add_option("--offset", args->offset, "Hits to skip first (default 0)")->type_name("N");
  sub->add_flag("--json", args->json, "One JSON object: query, total, hits, facets");
  sub->callback([args] { ExitCode() = RunSearch(*args); });
}

}  // namespace pillar::cli
