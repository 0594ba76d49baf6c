// POST /api/passages/{id}/tags and DELETE /api/passages/{id}/tags/{concept}: manual tag
// decisions, as `pillar tag --add/--remove` makes them (query/annotate/manual_tag.h).

#include <optional>

#include "indexer/tag/tag_model.h"
#include "query/annotate/manual_tag.h"
#include "query/search/json_output.h"
#include "server/context.h"

namespace pillar::server {

Status TaggingCache::Load(const std::filesystem::path& path) {
  if (taxonomy && taxonomy_path == path) return Status::Ok();
  Result<Taxonomy> loaded_taxonomy = Taxonomy::Load({path});
  if (!loaded_taxonomy.ok()) return loaded_taxonomy.status();
  std::optional<TagModel> loaded_model;
  if (std::filesystem::path model_path = ModelPathFor(path); !model_path.empty()) {
    Result<TagModel> loaded = TagModel::Load(model_path);
    if (!loaded.ok()) return loaded.status();
    loaded_model.emplace(std::move(loaded.value()));
  }
  taxonomy.emplace(std::move(loaded_taxonomy.value()));
  model = std::move(loaded_model);
  taxonomy_path = path;
  return Status::Ok();
}

void RecordDecision(Context& ctx, ManualTagRequest request, httplib::Response& res) {
  std::filesystem::path taxonomy_path;
  {
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    taxonomy_path = (*reader)->TaxonomyPath();
  }
  request.index_dir = ctx.options.index_dir;
  request.give_up = [&ctx] {
    return ctx.stopping.load() || std::chrono::steady_clock::now() > Context::Deadline();
  };
  Result<ManualTagOutcome> outcome = Status::Internal("not run");
  {
    std::lock_guard<std::mutex> lock(ctx.write_mutex);
    if (Status st = ctx.tagging.Load(taxonomy_path); !st.ok()) return SendStatus(res, st);
    outcome = RecordManualTag(request, *ctx.tagging.taxonomy,
                              ctx.tagging.model ? &*ctx.tagging.model : nullptr);
  }
  if (!outcome.ok() && request.give_up()) {
    return SendError(res, 503, "index_busy",
                     "another process held the index's write lock for the request's time "
                     "limit; nothing was recorded, try again");
  }
  if (!outcome.ok()) return SendStatus(res, outcome.status());
  std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
  if (!reader) return;
  Result<DocumentRecord> doc = (*reader)->GetDocument(outcome->passage.doc_id);
  if (!doc.ok()) return SendStatus(res, doc.status());
  nlohmann::json out = {
      {"passage", nlohmann::json::parse(PassageObjectJson(outcome->passage, *doc))},
      {"annotation_id", outcome->annotation_id},
      {"applied", outcome->not_applied.empty()},
      {"warning",
       outcome->not_applied.empty()
           ? nlohmann::json(nullptr)
           : nlohmann::json("the decision is saved but the index was not updated (" +
                            outcome->not_applied + "); it applies at the next `pillar index`")}};
  if (outcome->resolved.id != request.passage_id) {
    out["requested_id"] = request.passage_id;
  }
  SendJson(res, out);
}

namespace {

// A string member of `body`, or "" when absent; false (400 sent) when it is not a string.
bool StringMember(const nlohmann::json& body, const char* name, std::string* out,
                  httplib::Response& res) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string()) {
    SendError(res, 400, "invalid_argument", std::string("\"") + name + "\" must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

}  // namespace

void RegisterTagApi(httplib::Server& http, Context& ctx) {
  http.Post(
      R"(/api/passages/([^/]+)/tags)", [&ctx](const httplib::Request& req, httplib::Response& res) {
        if (!MayWrite(ctx, req, res)) return;
        nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
          return SendError(res, 400, "malformed_json",
                           "the body must be a JSON object such as "
                           "{\"concept\": \"un-tier-2\", \"note\": \"...\"}");
        }
        ManualTagRequest request;
        request.passage_id = req.matches[1];
        std::string concept_id, action = "add";
        if (!StringMember(body, "concept", &concept_id, res) ||
            !StringMember(body, "action", &action, res) ||
            !StringMember(body, "note", &request.note, res) ||
            !StringMember(body, "by", &request.by, res)) {
          return;
        }
        if (concept_id.empty()) {
          return SendError(res, 400, "invalid_argument",
                           "the body needs \"concept\": a concept id (GET /api/taxonomy)");
        }
        if (action != "add" && action != "remove") {
          return SendError(res, 400, "invalid_argument",
                           "\"action\" must be add or remove, not '" + action + "'");
        }
        request.action = action == "add" ? Annotation::Action::kAdd : Annotation::Action::kRemove;
        request.concepts = {concept_id};
        if (request.by.empty()) request.by = "api";
        RecordDecision(ctx, std::move(request), res);
      });

  http.Delete(R"(/api/passages/([^/]+)/tags/([^/]+))",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                if (!MayWrite(ctx, req, res)) return;
                ManualTagRequest request;
                request.passage_id = req.matches[1];
                request.action = Annotation::Action::kRemove;
                request.concepts = {req.matches[2]};
                request.note = req.get_param_value("note");
                request.by = req.has_param("by") ? req.get_param_value("by") : "api";
                RecordDecision(ctx, std::move(request), res);
              });
}

}  // namespace pillar::server
