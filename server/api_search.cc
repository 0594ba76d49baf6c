// GET /api/search and GET /api/passages/{id}/similar: the object `pillar search --json` prints.

#include <cctype>

#include "indexer/tag/taxonomy.h"
#include "query/search/json_output.h"
#include "server/context.h"

namespace pillar::server {
namespace {

// The filters shared by search, similar, export and report (pillar, doc, lang; any).
void ReadFilters(const httplib::Request& req, SearchRequest* request) {
  request->pillars = ListParam(req, "pillar");
  request->docs = ListParam(req, "doc");
  request->languages = ListParam(req, "lang");
  request->any_word = FlagParam(req, "any");
  request->expand_acronyms = !FlagParam(req, "no_acronyms");
}

// --crosswalk: each pillar widened to its exact and close matches (as `pillar search`).
Status Crosswalk(Searcher& searcher, SearchRequest* request) {
  Result<Taxonomy> taxonomy = Taxonomy::Load({searcher.TaxonomyPath()});
  if (!taxonomy.ok()) return taxonomy.status();
  std::vector<std::string> widened;
  for (const std::string& id : request->pillars) {
    std::string known = id;
    if (taxonomy->Find(known) == nullptr) {
      for (char& c : known) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const std::string& match : taxonomy->Crosswalk(known)) widened.push_back(match);
  }
  request->pillars = std::move(widened);
  return Status::Ok();
}

}  // namespace

bool ReadSearchRequest(Context& ctx, const httplib::Request& req, httplib::Response& res,
                       SearchRequest* request) {
  request->query = req.get_param_value("q");
  if (request->query.size() > ctx.options.max_query_bytes) {
    SendError(res, 400, "query_too_long",
              "the query has " + std::to_string(request->query.size()) + " bytes; at most " +
                  std::to_string(ctx.options.max_query_bytes) + " are taken");
    return false;
  }
  ReadFilters(req, request);
  return true;
}

void RegisterSearchApi(httplib::Server& http, Context& ctx) {
  http.Get("/api/search", [&ctx](const httplib::Request& req, httplib::Response& res) {
    SearchRequest request;
    if (!ReadSearchRequest(ctx, req, res, &request)) return;
    std::optional<size_t> limit = SizeParam(req, res, "limit", 10, ctx.options.max_window);
    if (!limit) return;
    std::optional<size_t> offset = SizeParam(req, res, "offset", 0, ctx.options.max_window);
    if (!offset) return;
    std::optional<size_t> per_doc = SizeParam(req, res, "per_doc", 0, ctx.options.max_window);
    if (!per_doc) return;
    if (*limit + *offset > ctx.options.max_window) {
      SendError(res, 400, "window_too_large",
                "offset + limit is " + std::to_string(*limit + *offset) + "; at most " +
                    std::to_string(ctx.options.max_window) + " results are reachable");
      return;
    }
    request.limit = *limit;
    request.offset = *offset;
    request.per_doc = *per_doc;
    request.boost_pillars = ListParam(req, "boost");
    request.explain = FlagParam(req, "explain");
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    if (FlagParam(req, "crosswalk") && !request.pillars.empty()) {
      if (Status st = Crosswalk(**reader, &request); !st.ok()) return SendStatus(res, st);
    }
    Result<SearchResult> result = (*reader)->Search(request);
    if (!result.ok()) return SendStatus(res, result.status());
    SendJson(res, 200, SearchResultJson(*result, request.offset));
  });

  http.Get(R"(/api/passages/([^/]+)/similar)", [&ctx](const httplib::Request& req,
                                                      httplib::Response& res) {
    SearchRequest request;
    ReadFilters(req, &request);
    std::optional<size_t> limit = SizeParam(req, res, "limit", 10, ctx.options.max_window);
    if (!limit) return;
    std::optional<size_t> per_doc = SizeParam(req, res, "per_doc", 0, ctx.options.max_window);
    if (!per_doc) return;
    request.limit = *limit;
    request.per_doc = *per_doc;
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    Result<ResolvedId> resolved = (*reader)->ResolvePassageId(req.matches[1]);
    if (!resolved.ok()) return SendStatus(res, resolved.status());
    Result<SearchResult> result = (*reader)->Similar(resolved->id, request);
    if (!result.ok()) return SendStatus(res, result.status());
    SendJson(res, 200, SearchResultJson(*result, 0));
  });
}

}  // namespace pillar::server
