#include "server/server.h"

#include <arpa/inet.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "indexer/base/text.h"
#include "server/api_compare.h"
#include "server/api_review.h"
#include "server/context.h"

namespace pillar::server {

bool IsLoopback(const std::string& address) {
  if (address == "localhost" || address == "::1") return true;
  in_addr v4;
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  return false;
}

namespace {

// Per-request bookkeeping on the thread that serves it, for the access log.
struct RequestClock {
  std::chrono::steady_clock::time_point start{};
  bool started = false;
};
RequestClock& ThisRequest() {
  thread_local RequestClock clock;
  return clock;
}

const char* ErrorCode(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "timeout";
    case 413:
      return "body_too_large";
    case 414:
      return "uri_too_long";
    case 431:
      return "headers_too_large";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

std::string ErrorMessage(const httplib::Request& req, int status) {
  switch (status) {
    case 404:
      return "no endpoint " + req.method + " " + req.path + " (GET /api/openapi.json lists them)";
    case 413:
      return "the request body is larger than the server takes";
    case 414:
      return "the request line is longer than the server takes (8192 bytes)";
    default:
      return "the request could not be served (HTTP " + std::to_string(status) + ")";
  }
}

}  // namespace

struct Server::Impl {
  Context ctx;
  httplib::Server http;
  std::thread thread;
  std::mutex log_mutex;
  std::ofstream log_file;
  std::ostream* log = &std::cerr;
  int port = 0;
  std::mutex stop_mutex;
  bool stopped = false;
};

Server::Server() : impl_(std::make_unique<Impl>()) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServeOptions& options) {
  std::unique_ptr<Server> server(new Server());
  Context& ctx = server->impl_->ctx;
  ctx.options = options;
  if (ctx.options.threads == 0) ctx.options.threads = 1;
  if (!options.token_file.empty()) {
    std::ifstream in(options.token_file, std::ios::binary);
    if (!in) {
      return Status::InvalidArgument(options.token_file.string() + ": cannot read the token file");
    }
    std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ctx.token = std::string(TrimAscii(token));
    if (ctx.token.size() < 16) {
      return Status::InvalidArgument(options.token_file.string() +
                                     ": the token must have at least 16 characters");
    }
  }
  if (!IsLoopback(options.bind) && ctx.token.empty()) {
    return Status::InvalidArgument(
        "binding to " + options.bind +
        " (not loopback) needs --token-file: anyone who reaches the address could write tags");
  }
  Result<std::unique_ptr<ReaderPool>> readers =
      ReaderPool::Open(options.index_dir, ctx.options.threads);
  if (!readers.ok()) return readers.status();
  ctx.readers = std::move(readers.value());
  HideIndexPathInErrors(options.index_dir);
  if (!options.access_log.empty()) {
    server->impl_->log_file.open(options.access_log, std::ios::app);
    if (!server->impl_->log_file) {
      return Status::InvalidArgument(options.access_log.string() + ": cannot open the access log");
    }
    server->impl_->log = &server->impl_->log_file;
  }
  return server;
}

Status Server::Start() {
  Impl& impl = *impl_;
  Context& ctx = impl.ctx;
  httplib::Server& http = impl.http;
  const size_t threads = ctx.options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // A client that stops sending or reading holds a thread at most this long.
  http.set_read_timeout(ctx.options.io_timeout_seconds, 0);
  http.set_write_timeout(ctx.options.io_timeout_seconds, 0);
  // An idle keep-alive connection is closed after 2 s: httplib looks at a stop only between
  // requests, so this also bounds how long a SIGTERM waits for idle clients.
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(100);
  http.set_payload_max_length(ctx.options.max_body_bytes);
  http.set_tcp_nodelay(true);

  http.set_pre_routing_handler([&ctx](const httplib::Request&, httplib::Response& res) {
    ThisRequest() = {std::chrono::steady_clock::now(), true};
    Context::StreamedBytes() = 0;
    Context::Deadline() =
        std::chrono::steady_clock::now() +
        std::chrono::microseconds(static_cast<int64_t>(ctx.options.request_seconds * 1e6));
    ctx.requests.fetch_add(1);
    if (!ctx.options.cors_origin.empty()) {
      res.set_header("Access-Control-Allow-Origin", ctx.options.cors_origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Expose-Headers", "ETag, X-Pillar-Not-Found");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // httplib's own refusals (no route, body or request line too long, bad request) and any
  // error left without a body get the JSON error shape too.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.is_chunked_content_provider_) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        SendError(res, res.status, ErrorCode(res.status), ErrorMessage(req, res.status));
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unexpected error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SendError(res, 500, "internal", what);
      });
  http.set_logger([&impl](const httplib::Request& req, const httplib::Response& res) {
    RequestClock& clock = ThisRequest();
    double ms = clock.started ? std::chrono::duration<double, std::milli>(
                                    std::chrono::steady_clock::now() - clock.start)
                                    .count()
                              : 0.0;
    clock.started = false;
    size_t bytes = res.body.size() + Context::StreamedBytes();
    Context::StreamedBytes() = 0;
    char line[96];
    std::snprintf(line, sizeof line, " %d %zu %.1fms\n", res.status, bytes, ms);
    // The path as sent, its control characters shown: a request cannot forge log lines.
    std::string path = req.path.size() > 512 ? req.path.substr(0, 512) + "..." : req.path;
    std::string safe;
    for (char c : path) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%%%02X", u);
        safe += hex;
      } else {
        safe += c;
      }
    }
    std::lock_guard<std::mutex> lock(impl.log_mutex);
    *impl.log << req.method << " " << safe << line << std::flush;
  });

  if (!ctx.options.cors_origin.empty()) {
    http.Options(R"(/api/.*)", [&ctx](const httplib::Request&, httplib::Response& res) {
      res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
      res.status = 204;
      (void)ctx;
    });
  }
  RegisterSearchApi(http, ctx);
  RegisterTagApi(http, ctx);  // before the passage routes: .../tags is not a passage id
  RegisterPassageApi(http, ctx);
  RegisterDocumentApi(http, ctx);
  RegisterExportApi(http, ctx);
  RegisterMetaApi(http, ctx);
  RegisterCompareApi(http, ctx);
  RegisterReviewApi(http, ctx);
  RegisterStaticAssets(http, ctx);

  if (ctx.options.port == 0) {
    impl.port = http.bind_to_any_port(ctx.options.bind);
    if (impl.port < 0) impl.port = 0;
  } else {
    impl.port = http.bind_to_port(ctx.options.bind, ctx.options.port) ? ctx.options.port : 0;
  }
  if (impl.port == 0) {
    return Status::IOError("cannot listen on " + ctx.options.bind + ":" +
                           std::to_string(ctx.options.port) +
                           " (in use, or not an address of this machine)");
  }
  impl.thread = std::thread([&http] { http.listen_after_bind(); });
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

void Server::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mutex);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->ctx.stopping = true;
  // Closes the listening socket; the pool's threads finish the requests they hold (their
  // keep-alive loops end), and listen_after_bind returns once they have.
  impl_->http.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void Server::Wait() {
  while (!impl_->stopped) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace pillar::server
