// GET /api/passages/{id} (with its neighbours), /api/documents, /api/documents/{id} and the
// original file of a document: what `pillar show --json` and `pillar docs --json` print.

#include <fstream>

#include "indexer/base/json.h"
#include "query/search/json_output.h"
#include "server/context.h"

namespace pillar::server {
namespace {

// The content type of an indexed file, by its reader or extension.
std::string FileContentType(const DocumentRecord& doc) {
  std::string ext = std::filesystem::path(doc.path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (doc.format == "pdf" || ext == ".pdf") return "application/pdf";
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".xml" || doc.format == "akn" || doc.format == "tei") {
    return "application/xml";
  }
  if (ext == ".docx") {
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  }
  if (ext == ".odt") return "application/vnd.oasis.opendocument.text";
  if (ext == ".md") return "text/markdown; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

void RegisterPassageApi(httplib::Server& http, Context& ctx) {
  http.Get(R"(/api/passages/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    std::optional<size_t> context = SizeParam(req, res, "context", 1, 50);
    if (!context) return;
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    Result<ResolvedId> resolved = (*reader)->ResolvePassageId(req.matches[1]);
    if (!resolved.ok()) return SendStatus(res, resolved.status());
    Result<Passage> passage = (*reader)->GetPassage(resolved->id);
    if (!passage.ok()) return SendStatus(res, passage.status());
    Result<DocumentRecord> doc = (*reader)->GetDocument(passage->doc_id);
    if (!doc.ok()) return SendStatus(res, doc.status());
    Result<std::vector<Passage>> all = (*reader)->DocumentPassages(passage->doc_id);
    if (!all.ok()) return SendStatus(res, all.status());
    SendJson(res, PassageWithContextObject(*passage, *doc, *all, static_cast<int>(*context)));
  });
}

void RegisterDocumentApi(httplib::Server& http, Context& ctx) {
  http.Get("/api/documents", [&ctx](const httplib::Request& req, httplib::Response& res) {
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    Result<std::vector<DocumentRecord>> docs = (*reader)->Documents();
    if (!docs.ok()) return SendStatus(res, docs.status());
    nlohmann::json out = nlohmann::json::array();
    for (const DocumentRecord& d : *docs) out.push_back(DocumentObject(d));
    SendJson(res, out);
  });

  http.Get(R"(/api/documents/([^/]+))",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
             if (!reader) return;
             if (NotModified(ctx, **reader, req, res)) return;
             Result<DocumentRecord> doc = (*reader)->GetDocument(req.matches[1]);
             if (!doc.ok()) return SendStatus(res, doc.status());
             Result<std::vector<Passage>> passages = (*reader)->DocumentPassages(doc->meta.id);
             if (!passages.ok()) return SendStatus(res, passages.status());
             SendJson(res, DocumentWithPassagesObject(*doc, *passages));
           });

  // The indexed file itself, so that a page can link a PDF at #page=N. Only the path the
  // index records for this document is ever read: no part of the request names a path.
  http.Get(R"(/api/documents/([^/]+)/file)", [&ctx](const httplib::Request& req,
                                                    httplib::Response& res) {
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    Result<DocumentRecord> doc = (*reader)->GetDocument(req.matches[1]);
    if (!doc.ok()) return SendStatus(res, doc.status());
    std::error_code ec;
    std::filesystem::path file = doc->path;
    if (doc->path.empty() || !std::filesystem::is_regular_file(file, ec)) {
      return SendError(res, 404, "not_found",
                       "the file of document '" + doc->meta.id + "' is no longer at " +
                           (doc->path.empty() ? std::string("its recorded path") : doc->path));
    }
    uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) return SendError(res, 500, "internal", file.string() + ": " + ec.message());
    auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
    if (!*in) return SendError(res, 500, "internal", file.string() + ": cannot be read");
    res.set_header("Cache-Control", "no-cache");
    // The name as a quoted string: quotes, backslashes and control bytes made '_'.
    std::string name = file.filename().string();
    for (char& c : name) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
    }
    res.set_header("Content-Disposition", "inline; filename=\"" + name + "\"");
    res.set_header("X-Content-Type-Options", "nosniff");
    std::string type = FileContentType(*doc);
    // An HTML file served from the API's origin must not run its scripts there.
    if (type.starts_with("text/html")) res.set_header("Content-Security-Policy", "sandbox");
    res.set_content_provider(static_cast<size_t>(size), type,
                             [in](size_t offset, size_t length, httplib::DataSink& sink) {
                               std::vector<char> buffer(std::min<size_t>(length, 64 * 1024));
                               in->seekg(static_cast<std::streamoff>(offset));
                               in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                               std::streamsize got = in->gcount();
                               if (got <= 0) return false;
                               Context::StreamedBytes() += static_cast<size_t>(got);
                               return sink.write(buffer.data(), static_cast<size_t>(got));
                             });
  });
}

}  // namespace pillar::server
