// pillar similar PASSAGE_ID : passages like this one.

#include <memory>

#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"
#include "tools/pillar/moved_ids.h"

namespace pillar::cli {
namespace {

struct SimilarArgs {
  std::string passage_id;
  std::filesystem::path index_dir;
  std::vector<std::string> pillars, docs, langs;
  size_t limit = 10;
  size_t per_doc = 0;
  bool json = false;
  std::string format = "text";
};

int RunSimilar(const SimilarArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SearchRequest request;
  request.pillars = args.pillars;
  request.docs = args.docs;
  request.languages = args.langs;
  request.limit = args.limit;
  request.per_doc = args.per_doc;
  Result<ResolvedId> resolved = (*searcher)->ResolvePassageId(args.passage_id);
  if (!resolved.ok()) return Fail(resolved.status());
  NoteMovedId(args.passage_id, *resolved);
  Result<SearchResult> result = (*searcher)->Similar(resolved->id, request);
  if (!result.ok()) return Fail(result.status());
  return PrintSearchResult(*result, args.json || args.format == "json", 0, false);
}

}  // namespace

void RegisterSimilar(CLI::App& app) {
  auto args = std::make_shared<SimilarArgs>();
  CLI::App* sub = app.add_subcommand(
      "similar", "Passages most like a given one (its most distinctive words as a query)");
  sub->add_option("PASSAGE_ID", args->passage_id, "e.g. hippo-2015#para-25")->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--pillar", args->pillars, "Only passages tagged with this concept")
      ->type_name("ID");
  sub->add_option("--doc", args->docs, "Only this document")->type_name("ID");
  sub->add_option("--lang", args->langs, "Only this language")->type_name("L");
  sub->add_option("--per-doc", args->per_doc, "At most N passages per document")->type_name("N");
  sub->add_option("--limit,-n", args->limit, "Hits to show (default 10, at most 10,000)")
      ->type_name("N")
      ->check(CLI::Range(0, 10000));
  sub->add_option("--format", args->format, "text (default) or json, as search --format json")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  sub->add_flag("--json", args->json, "The same as --format json");
  AddColorOption(sub);
  sub->callback([args] { ExitCode() = RunSimilar(*args); });
}

}  // namespace pillar::cli
