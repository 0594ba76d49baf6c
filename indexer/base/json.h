#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace pillar {

// Serialises `j` for output or storage. Text reaching JSON is UTF-8 by Pillar's boundary
// policy (indexer/base/encoding.h); should a stray byte slip through, it becomes U+FFFD
// instead of nlohmann's type_error 316 aborting the run. `indent` < 0: one line.
inline std::string DumpJson(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace pillar
