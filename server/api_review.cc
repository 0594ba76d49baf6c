#include "server/api_review.h"

#include <optional>

#include "indexer/tag/tag_model.h"
#include "query/annotate/manual_tag.h"
#include "query/search/json_output.h"

namespace pillar::server {
namespace {

// The taxonomy and model of the index, loaded at the first review and again when the index
// names another taxonomy file; guarded by Context::write_mutex like the tag writes.
struct ReviewTagging {
  std::filesystem::path taxonomy_path;
  std::optional<Taxonomy> taxonomy;
  std::optional<TagModel> model;
};

Status Load(const std::filesystem::path& taxonomy_path, ReviewTagging* tagging) {
  if (tagging->taxonomy && tagging->taxonomy_path == taxonomy_path) return Status::Ok();
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return taxonomy.status();
  std::optional<TagModel> model;
  if (std::filesystem::path model_path = ModelPathFor(taxonomy_path); !model_path.empty()) {
    Result<TagModel> loaded = TagModel::Load(model_path);
    if (!loaded.ok()) return loaded.status();
    model.emplace(std::move(loaded.value()));
  }
  tagging->taxonomy.emplace(std::move(taxonomy.value()));
  tagging->model = std::move(model);
  tagging->taxonomy_path = taxonomy_path;
  return Status::Ok();
}

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
  auto tagging = std::make_shared<ReviewTagging>();
  http.Put(R"(/api/passages/([^/]+)/tags)", [&ctx, tagging](const httplib::Request& req,
                                                            httplib::Response& res) {
    if (!MayWrite(ctx, req, res)) return;
    std::optional<ManualTagRequest> request = ParseBody(req, res);
    if (!request) return;
    request->passage_id = req.matches[1];
    request->index_dir = ctx.options.index_dir;
    request->give_up = [&ctx] {
      return ctx.stopping.load() || std::chrono::steady_clock::now() > Context::Deadline();
    };
    std::filesystem::path taxonomy_path;
    {
      std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
      if (!reader) return;
      taxonomy_path = (*reader)->TaxonomyPath();
    }
    Result<ManualTagOutcome> outcome = Status::Internal("not run");
    {
      std::lock_guard<std::mutex> lock(ctx.write_mutex);
      if (Status st = Load(taxonomy_path, tagging.get()); !st.ok()) return SendStatus(res, st);
      outcome = RecordManualTag(*request, *tagging->taxonomy,
                                tagging->model ? &*tagging->model : nullptr);
    }
    if (!outcome.ok() && request->give_up()) {
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
    SendJson(res, out);
  });
}

}  // namespace pillar::server
