// GET /api/health, /api/stats, /api/openapi.json, /api/taxonomy, /api/annotations,
// /api/report and /api/cite.

#include <sstream>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/json.h"
#include "indexer/index/layout.h"
#include "query/cite/citation.h"
#include "query/report/coverage_report.h"
#include "query/search/json_output.h"
#include "server/context.h"

namespace pillar::server {

namespace {

constexpr char kOpenApi[] =
#include "server/openapi_text.inc"
    ;

}  // namespace

std::string_view OpenApiText() { return {kOpenApi, sizeof(kOpenApi) - 1}; }

void RegisterMetaApi(httplib::Server& http, Context& ctx) {
  http.Get("/api/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    SendJson(res, {{"status", "ok"}});
  });

  http.Get("/api/stats", [&ctx](const httplib::Request&, httplib::Response& res) {
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    Result<uint64_t> revision = (*reader)->Revision();
    if (!revision.ok()) return SendStatus(res, revision.status());
    Result<std::vector<DocumentRecord>> docs = (*reader)->Documents();
    if (!docs.ok()) return SendStatus(res, docs.status());
    double uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
    res.set_header("Cache-Control", "no-store");
    SendJson(res, {{"documents", docs->size()},
                   {"passages", (*reader)->passage_count()},
                   {"revision", *revision},
                   {"uptime_seconds", uptime},
                   {"requests", ctx.requests.load()},
                   {"threads", ctx.options.threads},
                   {"read_only", ctx.options.read_only}});
  });

  http.Get("/api/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::string(OpenApiText()), "application/json; charset=utf-8");
  });

  http.Get("/api/taxonomy", [&ctx](const httplib::Request& req, httplib::Response& res) {
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    Result<Taxonomy> taxonomy = Taxonomy::Load({(*reader)->TaxonomyPath()});
    if (!taxonomy.ok()) return SendStatus(res, taxonomy.status());
    std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "en";
    SendJson(res, ConceptsObject(*taxonomy, lang));
  });

  http.Get("/api/annotations", [&ctx](const httplib::Request& req, httplib::Response& res) {
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    std::filesystem::path file = AnnotationsPath(ctx.options.index_dir);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return SendJson(res, nlohmann::json::array());
    Result<std::unique_ptr<AnnotationStore>> store = AnnotationStore::OpenReadOnly(file);
    if (!store.ok()) return SendStatus(res, store.status());
    bool orphans = FlagParam(req, "orphans");
    Result<std::vector<Annotation>> list = orphans ? (*store)->Orphans() : (*store)->All();
    if (!list.ok()) return SendStatus(res, list.status());
    nlohmann::json out = nlohmann::json::array();
    for (const Annotation& a : *list) out.push_back(AnnotationObject(a));
    SendJson(res, out);
  });

  // The heat map of `pillar report`: HTML (default) or CSV, over the passages of the search
  // filters.
  http.Get("/api/report", [&ctx](const httplib::Request& req, httplib::Response& res) {
    CoverageOptions options;
    if (!ReadSearchRequest(ctx, req, res, &options.filter)) return;
    std::string format = req.has_param("format") ? req.get_param_value("format") : "html";
    if (format != "html" && format != "csv") {
      return SendError(res, 400, "invalid_argument",
                       "format must be html or csv, not '" + format + "'");
    }
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    Result<Taxonomy> taxonomy = Taxonomy::Load({(*reader)->TaxonomyPath()});
    if (!taxonomy.ok()) return SendStatus(res, taxonomy.status());
    Result<CoverageMatrix> matrix = BuildCoverage(**reader, *taxonomy, options);
    if (!matrix.ok()) return SendStatus(res, matrix.status());
    if (format == "csv") {
      res.set_content(CoverageCsv(*matrix), "text/csv; charset=utf-8");
    } else {
      std::string title =
          req.has_param("title") ? req.get_param_value("title") : std::string("Pillar coverage");
      res.set_content(CoverageHtml(*matrix, title), "text/html; charset=utf-8");
    }
  });

  // Citations of passages or documents: `pillar cite IDS --format F`. Ids that name nothing
  // make a 404 when no id names anything, else they are listed in X-Pillar-Not-Found.
  http.Get("/api/cite", [&ctx](const httplib::Request& req, httplib::Response& res) {
    std::vector<std::string> ids = ListParam(req, "ids");
    if (ids.empty()) {
      return SendError(res, 400, "invalid_argument", "give ids=ID,ID... (passages or documents)");
    }
    if (ids.size() > 1000) {
      return SendError(res, 400, "invalid_argument", "at most 1000 ids at once");
    }
    Result<CitationFormat> format =
        ParseCitationFormat(req.has_param("format") ? req.get_param_value("format") : "text");
    if (!format.ok()) return SendStatus(res, format.status());
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    std::vector<CiteItem> items;
    std::string missing, first_message;
    for (const std::string& id : ids) {
      CiteItem item;
      Status failed;
      if (id.find('#') != std::string::npos) {
        Result<ResolvedId> resolved = (*reader)->ResolvePassageId(id);
        Result<Passage> passage = resolved.ok() ? (*reader)->GetPassage(resolved->id)
                                                : Result<Passage>(resolved.status());
        if (passage.ok())
          item.passage = std::move(passage.value());
        else
          failed = passage.status();
      }
      if (failed.ok()) {
        Result<DocumentRecord> doc =
            (*reader)->GetDocument(item.passage ? item.passage->doc_id : id);
        if (doc.ok())
          item.document = std::move(doc.value());
        else
          failed = doc.status();
      }
      if (!failed.ok()) {
        missing += (missing.empty() ? "" : ",") + id;
        if (first_message.empty()) first_message = failed.message();
        continue;
      }
      items.push_back(std::move(item));
    }
    if (items.empty()) return SendError(res, 404, "not_found", first_message);
    if (!missing.empty()) res.set_header("X-Pillar-Not-Found", missing);
    CitationOptions options;
    options.format = *format;
    options.quote = FlagParam(req, "quote");
    const char* type =
        *format == CitationFormat::kCslJson || *format == CitationFormat::kCslCitation
            ? "application/json; charset=utf-8"
            : "text/plain; charset=utf-8";
    res.set_content(FormatCitations(items, options), type);
  });
}

}  // namespace pillar::server
