#pragma once

#include <string>

namespace pillar {

// The current time as ISO 8601 UTC, e.g. "2026-11-26T07:45:00Z".
std::string UtcNow();

}  // namespace pillar
