#pragma once

#include <span>
#include <string_view>

namespace pillar::server {

// A file of the web UI, embedded in the program at build time.
struct StaticAsset {
  std::string_view path;          // "/index.html", "/app.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view body;
};

// The embedded web UI; empty when it is not built (static_assets.cc, replaced by a generated
// file when the UI is built).
std::span<const StaticAsset> EmbeddedAssets();

}  // namespace pillar::server
