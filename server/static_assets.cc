// No web UI is embedded: `/` says so. The web UI's build replaces this file by a generated one.

#include "server/static_assets.h"

namespace pillar::server {

std::span<const StaticAsset> EmbeddedAssets() { return {}; }

}  // namespace pillar::server
