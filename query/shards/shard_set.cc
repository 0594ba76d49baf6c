#include "query/shards/shard_set.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "indexer/index/xapian_errors.h"

namespace pillar {

std::string ShardEntry::Name() const {
  return remote ? "remote " + host + ":" + std::to_string(port) : path.string();
}

Result<std::vector<ShardEntry>> ReadShardStub(const std::filesystem::path& stub) {
  std::ifstream in(stub);
  if (!in) return Status::IOError(stub.string() + ": cannot read the shard list");
  std::vector<ShardEntry> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string type, target, extra;
    if (!(words >> type)) continue;
    const std::string where = stub.string() + ":" + std::to_string(number) + ": ";
    if (!(words >> target) || (words >> extra)) {
      return Status::InvalidArgument(where +
                                     "expected 'remote HOST:PORT' or 'glass PATH' (or "
                                     "'auto PATH'), one shard per line");
    }
    ShardEntry e;
    e.line = number;
    if (type == "remote") {
      const size_t colon = target.rfind(':');
      const char* begin = target.data() + (colon == std::string::npos ? 0 : colon + 1);
      const char* end = target.data() + target.size();
      auto [stop, ec] = std::from_chars(begin, end, e.port);
      if (colon == std::string::npos || ec != std::errc() || stop != end || e.port == 0 ||
          e.port > 65535) {
        return Status::InvalidArgument(where + "'" + target +
                                       "' is not HOST:PORT (Pillar reads remote shards over "
                                       "TCP: `pillar shards serve` or xapian-tcpsrv)");
      }
      e.remote = true;
      e.host = target.substr(0, colon);
      if (e.host.empty()) e.host = "127.0.0.1";
    } else if (type == "glass" || type == "auto" || type == "chert") {
      std::filesystem::path p = target;
      if (p.is_relative()) p = stub.parent_path() / p;
      // An index folder stands for its Xapian database.
      if (std::filesystem::is_directory(XapianPath(p))) p = XapianPath(p);
      e.path = p;
    } else {
      return Status::InvalidArgument(where + "unknown shard type '" + type +
                                     "' (expected remote, glass or auto)");
    }
    out.push_back(std::move(e));
  }
  if (out.empty()) return Status::NotFound(stub.string() + ": the shard list names no shard");
  return out;
}

unsigned ShardTimeoutMs() {
  const char* env = std::getenv("PILLAR_SHARD_TIMEOUT_MS");
  if (env != nullptr) {
    unsigned v = 0;
    const char* end = env + std::char_traits<char>::length(env);
    auto [stop, ec] = std::from_chars(env, end, v);
    if (ec == std::errc() && stop == end && v > 0) return v;
  }
  return 10000;
}

Result<OpenedShards> OpenShards(const std::filesystem::path& stub, unsigned timeout_ms) {
  Result<std::vector<ShardEntry>> entries = ReadShardStub(stub);
  if (!entries.ok()) return entries.status();
  OpenedShards out;
  out.entries = std::move(entries.value());
  for (const ShardEntry& e : out.entries) {
    try {
      // Xapian's remote timeouts are in milliseconds (the parameters say useconds_t).
      Xapian::Database db = e.remote ? Xapian::Remote::open(e.host, e.port, timeout_ms, timeout_ms)
                                     : Xapian::Database(e.path.string());
      out.any_remote = out.any_remote || e.remote;
      out.combined.add_database(db);
      out.each.push_back(std::move(db));
    } catch (const Xapian::Error& error) {
      const std::string type = error.get_type();
      std::string why = type == "NetworkTimeoutError"
                            ? "did not answer within " + std::to_string(timeout_ms) + " ms"
                        : e.remote ? "cannot be reached (is its server running?)"
                                   : "cannot be opened";
      return Status::IOError(stub.string() + ":" + std::to_string(e.line) + ": shard " + e.Name() +
                             " " + why + " (Xapian: " + error.get_description() +
                             "); nothing was searched");
    }
  }
  return out;
}

Status ShardErrorStatus(const std::filesystem::path& index_dir,
                        const std::vector<ShardEntry>& entries, const Xapian::Error& error) {
  const std::string type = error.get_type();
  if (type != "NetworkError" && type != "NetworkTimeoutError") {
    return XapianErrorStatus(index_dir, error);
  }
  std::string names;
  for (const ShardEntry& e : entries) {
    if (!e.remote) continue;
    if (!names.empty()) names += ", ";
    names += e.host + ":" + std::to_string(e.port);
  }
  return Status::IOError(index_dir.string() + ": a shard server " +
                         (type == "NetworkTimeoutError"
                              ? "did not answer within " + std::to_string(ShardTimeoutMs()) + " ms"
                              : std::string("closed the connection or cannot be reached")) +
                         " (shards: " + names + "; Xapian: " + error.get_description() +
                         "); no results: a search needs every shard (docs/scaling.md)");
}

}  // namespace pillar
