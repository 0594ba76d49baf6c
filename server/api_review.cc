#include "server/api_review.h"

#include <optional>

#include "query/annotate/manual_tag.h"

namespace pillar::server {
namespace {

// The request from the body; nullopt (400 sent) when it is not the documented object.
std::optional<ManualTagRequest> ParseBody(const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  const char* kShape =
      "the body must be a JSON object such as {\"concepts\": [\"un-tier-2\"], \"note\": "
      "\"...\", \"by\": \"...\"}";
  if (body.is_discarded() || !body.is_object()) {
    SendError(res, 400, "malformed_json", kShape);
    return std::nullopt;
  }
  ManualTagRequest request;
  auto concepts = body.find("concepts");
  if (concepts == body.end() || !concepts->is_array()) {
    SendError(res, 400, "invalid_argument", kShape);
    return std::nullopt;
  }
  for (const auto& c : *concepts) {
    if (!c.is_string()) {
      SendError(res, 400, "invalid_argument", "\"concepts\" must be an array of concept ids");
      return std::nullopt;
    }
    request.concepts.push_back(c.get<std::string>());
  }
  for (auto [name, out] : {std::pair{"note", &request.note}, std::pair{"by", &request.by}}) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string()) {
      SendError(res, 400, "invalid_argument", std::string("\"") + name + "\" must be a string");
      return std::nullopt;
    }
    *out = it->get<std::string>();
  }
  if (request.by.empty()) request.by = "api";
  request.action = Annotation::Action::kSet;
  return request;
}

}  // namespace

void RegisterReviewApi(httplib::Server& http, Context& ctx) {
  http.Put(R"(/api/passages/([^/]+)/tags)",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             if (!MayWrite(ctx, req, res)) return;
             std::optional<ManualTagRequest> request = ParseBody(req, res);
             if (!request) return;
             request->passage_id = req.matches[1];
             RecordDecision(ctx, std::move(*request), res);
           });
}

}  // namespace pillar::server
