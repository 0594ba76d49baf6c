#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "indexer/base/status.h"

namespace pillar::server {

// What `pillar serve` is told (docs/api.md).
struct ServeOptions {
  std::filesystem::path index_dir;
  std::string bind = "127.0.0.1";
  int port = 8080;                   // 0: any free port (Server::port() says which)
  std::filesystem::path token_file;  // writes need `Authorization: Bearer <its content>`
  size_t threads = 8;                // requests served at once (and reader handles)
  bool read_only = false;            // refuse every write
  std::string cors_origin;           // Access-Control-Allow-Origin; "" sends no CORS header
  std::filesystem::path access_log;  // "" : standard error
  // Limits (a request past one gets a 4xx JSON error).
  size_t max_query_bytes = 2048;      // the query text of search and export
  size_t max_window = 10000;          // offset + limit of search
  size_t max_body_bytes = 64 * 1024;  // a request body
  double request_seconds = 30;        // waiting for a free reader or the index's write lock
  int io_timeout_seconds = 5;         // a client silent this long while sending or reading
};

class Context;

// The HTTP JSON API over one index. Create, Start, then Wait (or Stop from another thread).
class Server {
 public:
  // Checks the options: a bind address that is not loopback needs a token file; the token
  // file must be readable and hold a token; the index must open. InvalidArgument or NotFound.
  static Result<std::unique_ptr<Server>> Create(const ServeOptions& options);
  ~Server();

  // Binds the address and starts serving on a thread of its own. IOError when the address
  // cannot be bound.
  Status Start();
  // The port bound (after Start).
  int port() const;
  // Stops accepting; requests in progress finish; returns when they have. Safe to call twice.
  void Stop();
  // Blocks until the server has stopped (by Stop, from another thread or a signal watcher).
  void Wait();

 private:
  Server();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& address);

}  // namespace pillar::server
