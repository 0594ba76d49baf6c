// pillar shards serve|stub : serve one shard of a partitioned index over TCP, and write the
// stub that searches the shards as one index (docs/scaling.md, issue 20).

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "indexer/index/layout.h"
#include "query/search/searcher.h"
#include "query/shards/shard_set.h"
#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

struct ServeArgs {
  std::filesystem::path index_dir;
  std::string bind = "127.0.0.1";
  unsigned port = 0;
  unsigned timeout_ms = 0;
};

int RunServe(const ServeArgs& args) {
  const std::filesystem::path xapian_dir = XapianPath(args.index_dir);
  if (IsShardStub(xapian_dir)) {
    return Fail(Status::InvalidArgument(xapian_dir.string() +
                                        " is a stub listing shards, not a shard: serve each "
                                        "shard's own index folder"));
  }
  if (!HasCommittedRevision(xapian_dir)) {
    return Fail(Status::NotFound(args.index_dir.string() +
                                 ": no index here; run `pillar index PATH --shard K/N --index " +
                                 args.index_dir.string() + "` first"));
  }
  // Xapian's own server does the serving: Pillar adds nothing to the protocol, so any
  // Xapian 1.4 client (and xapian-delve) can read the shard too.
  std::vector<std::string> argv = {"xapian-tcpsrv", "--port", std::to_string(args.port),
                                   "--interface", args.bind};
  if (args.timeout_ms > 0) {
    argv.push_back("--timeout");
    argv.push_back(std::to_string(args.timeout_ms));
  }
  argv.push_back(xapian_dir.string());
  std::cout << "pillar: serving " << xapian_dir.string() << " on " << args.bind << ":" << args.port
            << " (xapian-tcpsrv; Ctrl-C stops it)" << std::endl;
  std::vector<char*> raw;
  for (std::string& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  execvp(raw[0], raw.data());
  return Fail(Status::Unsupported(std::string("cannot run xapian-tcpsrv: ") + std::strerror(errno) +
                                  " (install the Debian package xapian-tools)"));
}

struct StubArgs {
  std::filesystem::path index_dir;
  std::vector<std::string> shards;
};

int RunStub(const StubArgs& args) {
  const std::filesystem::path xapian_path = XapianPath(args.index_dir);
  std::error_code ec;
  if (std::filesystem::is_directory(xapian_path, ec)) {
    return Fail(Status::InvalidArgument(
        xapian_path.string() +
        " is a database, not a stub: give the stub a folder of its own (the annotation store "
        "beside it serves every shard)"));
  }
  std::string text =
      "# Pillar shard list (docs/scaling.md): one shard per line, in Xapian's stub syntax.\n";
  for (const std::string& shard : args.shards) {
    // HOST:PORT is a remote shard; anything else a local index or database folder.
    const size_t colon = shard.rfind(':');
    const bool remote = colon != std::string::npos && colon + 1 < shard.size() &&
                        shard.find_first_not_of("0123456789", colon + 1) == std::string::npos &&
                        !std::filesystem::exists(shard, ec);
    if (remote) {
      text += "remote " + shard + "\n";
    } else {
      text += "auto " + std::filesystem::absolute(shard, ec).string() + "\n";
    }
  }
  std::filesystem::create_directories(args.index_dir, ec);
  const std::filesystem::path tmp = xapian_path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << text;
    if (!out.flush()) {
      return Fail(Status::IOError(tmp.string() + ": cannot write the shard list"));
    }
  }
  if (Result<std::vector<ShardEntry>> entries = ReadShardStub(tmp); !entries.ok()) {
    std::filesystem::remove(tmp, ec);
    return Fail(entries.status());
  }
  std::filesystem::rename(tmp, xapian_path, ec);
  if (ec) return Fail(Status::IOError(xapian_path.string() + ": " + ec.message()));
  // Say at once whether the shards answer, rather than at the first search.
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) {
    std::cerr << "pillar: wrote " << xapian_path.string()
              << ", but the shards cannot be searched yet: " << searcher.status().message() << "\n";
    return kExitSomeInputsFailed;
  }
  std::cout << "wrote " << xapian_path.string() << ": " << (*searcher)->shard_count() << " shards, "
            << (*searcher)->passage_count() << " passages\n";
  return kExitOk;
}

}  // namespace

void RegisterShards(CLI::App& app) {
  struct Args {
    std::string action;
    std::vector<std::string> shards;
    ServeArgs serve;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "shards",
      "Run one index on several hosts (docs/scaling.md). `pillar shards serve --port P "
      "--index SHARD_DIR` serves a shard built with pillar index --shard K/N (runs "
      "xapian-tcpsrv, Debian package xapian-tools; stops on Ctrl-C). `pillar shards stub "
      "HOST:PORT|SHARD_DIR... --index DIR` writes DIR/xapian, the shard list that search, "
      "show, export, cite, report and similar read as one index, and checks that every shard "
      "answers. Remote shards time out after $PILLAR_SHARD_TIMEOUT_MS (default 10000)");
  sub->add_option("ACTION", args->action, "serve or stub")
      ->required()
      ->check(CLI::IsMember({"serve", "stub"}));
  sub->add_option("SHARD", args->shards,
                  "stub: HOST:PORT of a served shard, or a local shard's index folder, in "
                  "order");
  AddIndexOption(sub, &args->serve.index_dir);
  sub->add_option("--port", args->serve.port, "serve: TCP port to listen on")
      ->check(CLI::Range(1, 65535));
  sub->add_option("--bind", args->serve.bind,
                  "serve: address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                  "interface: the protocol has no authentication, so only on a private "
                  "network)")
      ->type_name("ADDR");
  sub->add_option("--timeout", args->serve.timeout_ms,
                  "serve: close a connection idle or busy for longer than this (default: "
                  "xapian-tcpsrv's, 60000 idle and 15000 active)")
      ->type_name("MS");
  sub->callback([args] {
    if (args->action == "serve") {
      if (args->serve.port == 0 || !args->shards.empty()) {
        ExitCode() = Fail(Status::InvalidArgument(
            "shards serve: give --port PORT and the shard with --index DIR (no SHARD)"));
        return;
      }
      ExitCode() = RunServe(args->serve);
      return;
    }
    if (args->shards.empty()) {
      ExitCode() = Fail(Status::InvalidArgument("shards stub: name at least one SHARD"));
      return;
    }
    StubArgs stub;
    stub.index_dir = args->serve.index_dir;
    stub.shards = args->shards;
    ExitCode() = RunStub(stub);
  });
}

}  // namespace pillar::cli
