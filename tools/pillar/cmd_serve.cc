// pillar serve : the HTTP JSON API (server/, docs/api.md).

#include <pthread.h>
#include <signal.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "server/server.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

int RunServe(const server::ServeOptions& options) {
  // SIGTERM and SIGINT are taken by this thread alone (sigtimedwait below): blocked before
  // the server's threads start, so they inherit the mask and never run a handler mid-request.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that closes its connection early must not end the process.
  signal(SIGPIPE, SIG_IGN);

  Result<std::unique_ptr<server::Server>> created = server::Server::Create(options);
  if (!created.ok()) return Fail(created.status());
  server::Server& srv = **created;
  if (Status st = srv.Start(); !st.ok()) return Fail(st);
  // Scripts and tests read the port from this line (with --port 0 it is the one chosen).
  std::cerr << "pillar: serving " << options.index_dir.string() << " at http://"
            << (options.bind.find(':') != std::string::npos ? "[" + options.bind + "]"
                                                            : options.bind)
            << ":" << srv.port() << "/" << (options.read_only ? " (read-only)" : "") << "\n"
            << std::flush;
  int signal_number = 0;
  while (signal_number <= 0) {
    timespec wait{1, 0};
    signal_number = sigtimedwait(&stop_signals, nullptr, &wait);
  }
  std::cerr << "pillar: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << ": finishing the requests in progress\n";
  srv.Stop();  // in-flight requests finish; the readers and stores close with the server
  created->reset();
  std::cerr << "pillar: stopped\n";
  return kExitOk;
}

}  // namespace

void RegisterServe(CLI::App& app) {
  auto options = std::make_shared<server::ServeOptions>();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Serve the index over HTTP as a JSON API: search, passages, documents, tags, exports, "
      "citations, the report (docs/api.md; the OpenAPI document at /api/openapi.json)");
  AddIndexOption(sub, &options->index_dir);
  sub->add_option("--bind", options->bind,
                  "Address to listen on (default 127.0.0.1; any other needs --token-file)")
      ->type_name("ADDR");
  sub->add_option("--port", options->port, "Port (default 8080; 0 picks a free one)")
      ->type_name("N")
      ->check(CLI::Range(0, 65535));
  sub->add_option("--token-file", options->token_file,
                  "File holding the token that writes need (Authorization: Bearer TOKEN)")
      ->type_name("FILE");
  sub->add_option("--threads", options->threads,
                  "Requests served at once, each with its own index reader (default 8)")
      ->type_name("N")
      ->check(CLI::Range(1, 256));
  sub->add_flag("--read-only", options->read_only, "Refuse every write (tags)");
  sub->add_option("--cors", options->cors_origin,
                  "Allow this origin to call the API from a browser (default: no CORS)")
      ->type_name("ORIGIN");
  sub->add_option("--access-log", options->access_log,
                  "Append one line per request here (default: standard error)")
      ->type_name("FILE");
  sub->add_option("--request-timeout", options->request_seconds,
                  "Seconds a request may wait for a free reader or for the index's write lock "
                  "(default 30)")
      ->type_name("S")
      ->check(CLI::Range(0.1, 3600.0));
  sub->callback([options] { ExitCode() = RunServe(*options); });
}

}  // namespace pillar::cli
