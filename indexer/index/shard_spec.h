#pragma once

// Which documents one shard of a partitioned index holds (`pillar index --shard K/N`,
// docs/scaling.md). Documents are assigned by their id alone, so that every host computes the
// same partition from the same files with no coordination, and a re-run moves nothing.

#include <cstdint>
#include <string>
#include <string_view>

#include "indexer/base/status.h"

namespace pillar {

struct ShardSpec {
  uint32_t k = 1;  // this shard, 1-based
  uint32_t n = 1;  // shards in all
  std::string ToString() const { return std::to_string(k) + "/" + std::to_string(n); }
};

// "K/N" with 1 <= K <= N <= 1024; InvalidArgument naming the text otherwise.
Result<ShardSpec> ParseShardSpec(std::string_view text);

// The shard (1-based, of `n`) that holds document `doc_id`: FNV-1a (64-bit) of the id's bytes
// mod n, plus one. Fixed forever: changing it would move documents between existing shards.
uint32_t ShardOfDocument(std::string_view doc_id, uint32_t n);

}  // namespace pillar
