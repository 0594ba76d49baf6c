// The embedded web UI (server/static_assets.h) at its paths, "/index.html" also at "/".

#include "server/context.h"
#include "server/static_assets.h"

namespace pillar::server {
namespace {

constexpr char kNoUiPage[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pillar</title>"
    "</head>\n<body><h1>Pillar</h1>\n<p>The web UI is not built into this program. The JSON API "
    "is served under <a href=\"/api/openapi.json\">/api/</a> (docs/api.md).</p></body></html>\n";

void ServeAsset(const StaticAsset& asset, const std::string& etag, const httplib::Request& req,
                httplib::Response& res) {
  res.set_header("ETag", etag);
  // Assets change only with the program; revalidation with If-None-Match costs one 304.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  res.set_content(std::string(asset.body), std::string(asset.content_type));
}

// `path` as a regular expression that matches only itself (httplib routes are patterns).
std::string LiteralPattern(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

void RegisterStaticAssets(httplib::Server& http, Context&) {
  bool has_index = false;
  for (const StaticAsset& asset : EmbeddedAssets()) {
    std::string etag = "\"" + std::to_string(std::hash<std::string_view>{}(asset.body)) + "\"";
    auto serve = [&asset, etag](const httplib::Request& req, httplib::Response& res) {
      ServeAsset(asset, etag, req, res);
    };
    http.Get(LiteralPattern(asset.path), serve);
    if (asset.path == "/index.html") {
      http.Get("/", serve);
      has_index = true;
    }
  }
  if (!has_index) {
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(kNoUiPage, "text/html; charset=utf-8");
    });
  }
}

}  // namespace pillar::server
