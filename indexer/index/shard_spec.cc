#include "indexer/index/shard_spec.h"

#include <charconv>

namespace pillar {

Result<ShardSpec> ParseShardSpec(std::string_view text) {
  const Status bad = Status::InvalidArgument(
      "shard '" + std::string(text) +
      "': expected K/N, this shard's number K of N shards in all (1 <= K <= N <= 1024), "
      "e.g. 1/2");
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad;
  auto number = [](std::string_view s, uint32_t* out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  ShardSpec spec;
  if (!number(text.substr(0, slash), &spec.k) || !number(text.substr(slash + 1), &spec.n)) {
    return bad;
  }
  if (spec.n < 1 || spec.n > 1024 || spec.k < 1 || spec.k > spec.n) return bad;
  return spec;
}

uint32_t ShardOfDocument(std::string_view doc_id, uint32_t n) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : doc_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<uint32_t>(h % (n == 0 ? 1 : n)) + 1;
}

}  // namespace pillar
