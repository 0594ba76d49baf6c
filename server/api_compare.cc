#include "server/api_compare.h"

#include "query/compare/compare.h"

namespace pillar::server {

void RegisterCompareApi(httplib::Server& http, Context& ctx) {
  http.Get("/api/compare", [&ctx](const httplib::Request& req, httplib::Response& res) {
    CompareRequest request;
    request.query = req.get_param_value("q");
    request.a.concept_id = req.get_param_value("concept");
    request.b.concept_id = req.get_param_value("concept_b");
    if (request.b.concept_id.empty()) request.b.concept_id = request.a.concept_id;
    request.a.orgs = ListParam(req, "a_org");
    request.a.years = req.get_param_value("a_year");
    request.a.docs = ListParam(req, "a_doc");
    request.b.orgs = ListParam(req, "b_org");
    request.b.years = req.get_param_value("b_year");
    request.b.docs = ListParam(req, "b_doc");
    std::optional<size_t> limit = SizeParam(req, res, "limit", 10, 100);
    if (!limit) return;
    std::optional<size_t> words = SizeParam(req, res, "words", 15, 100);
    if (!words) return;
    request.passages = *limit;
    request.words = *words;
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    Result<CompareResult> result = Compare(**reader, request);
    if (!result.ok()) {
      SendStatus(res, result.status());
      return;
    }
    SendJson(res, 200, CompareResultJson(request, *result));
  });
}

}  // namespace pillar::server
