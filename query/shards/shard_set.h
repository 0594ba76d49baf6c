#pragma once

// An index made of shards (docs/scaling.md): the index folder's `xapian` is a Xapian stub
// database file listing them, in Xapian's own stub syntax, so that Xapian's tools open it too:
//
//   # one line per shard; '#' starts a comment
//   remote 10.0.0.11:7001     a shard served by `pillar shards serve` / xapian-tcpsrv
//   glass /srv/pillar/shard-2 a local shard folder (its `xapian` folder or the index folder;
//   auto shard-3              relative paths are relative to the stub's folder)
//
// Pillar opens each entry itself rather than letting Xapian read the stub, so that remote
// shards get Pillar's timeouts (ShardTimeoutMs) and an error names the shard that failed.

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {

struct ShardEntry {
  bool remote = false;
  std::string host;            // remote: host name or address ("" = localhost)
  unsigned port = 0;           // remote
  std::filesystem::path path;  // local: the Xapian database folder
  int line = 0;                // in the stub file
  // "remote HOST:PORT" or the local path, for messages.
  std::string Name() const;
};

// The entries of stub file `stub`, in order. InvalidArgument naming the file and line for a
// line that is not a shard; NotFound for a stub that lists none.
Result<std::vector<ShardEntry>> ReadShardStub(const std::filesystem::path& stub);

// How long a remote shard may take to connect, and to answer each request, in milliseconds:
// $PILLAR_SHARD_TIMEOUT_MS when set to a positive number, else 10000 (Xapian's default).
// A shard that is down fails at once (connection refused); one that hangs fails after this.
unsigned ShardTimeoutMs();

struct OpenedShards {
  std::vector<ShardEntry> entries;
  Xapian::Database combined;           // every shard: the match runs on all of them
  std::vector<Xapian::Database> each;  // each shard alone (metadata lives on one shard)
  bool any_remote = false;
};

// Opens every shard `stub` lists (ReadShardStub). An unreachable shard is an IOError naming
// it, the stub and the timeout; there are no partial results (docs/scaling.md).
Result<OpenedShards> OpenShards(const std::filesystem::path& stub, unsigned timeout_ms);

// The status for a Xapian error met while reading shards: network errors and timeouts name
// the shards and say that the request did not run; anything else is XapianErrorStatus's.
Status ShardErrorStatus(const std::filesystem::path& index_dir,
                        const std::vector<ShardEntry>& entries, const Xapian::Error& error);

}  // namespace pillar
