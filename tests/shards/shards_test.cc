// Remote shards (issue 20, docs/scaling.md): the sample corpus indexed whole and as shards
// served by real xapian-tcpsrv processes on loopback ports must search, show, cite and export
// the same; a shard server that dies or hangs gives an error within the timeout, and the next
// request after it restarts succeeds.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "indexer/index/shard_spec.h"
#include "query/search/searcher.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace pillar {
namespace {

using nlohmann::json;
using testing::PillarBinary;
using testing::RunCommand;
using testing::ShellQuote;
using testing::SourceDir;
using testing::TempDir;

bool HaveTcpsrv() {
  std::string out;
  return RunCommand("command -v xapian-tcpsrv", &out) == 0;
}

// A loopback port nothing listens on now (the kernel's pick for port 0).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// One xapian-tcpsrv process serving one shard's database, stopped when the object dies.
class ShardServer {
 public:
  ShardServer(std::filesystem::path db, int port) : db_(std::move(db)), port_(port) { Start(); }
  ~ShardServer() { Kill(); }
  void Start() {
    std::vector<std::string> args = {"xapian-tcpsrv", "--quiet", "--interface",
                                     "127.0.0.1",     "--port",  std::to_string(port_),
                                     db_.string()};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // In a process group of its own: xapian-tcpsrv forks a child per connection, and a shard
    // "going down" must take the connections it serves with it.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    // Its complaints about connections the tests close or kill are no news.
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0);
    const int spawned = posix_spawnp(&pid_, "xapian-tcpsrv", &files, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    REQUIRE(spawned == 0);
    // Ready when it accepts a connection (bounded: a server that never listens fails here).
    for (int i = 0; i < 200 && !Accepts(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE(Accepts(port_));
  }
  void Kill() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGCONT);
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void Pause() { kill(-pid_, SIGSTOP); }
  void Resume() { kill(-pid_, SIGCONT); }
  int port() const { return port_; }

 private:
  std::filesystem::path db_;
  int port_;
  pid_t pid_ = -1;
};

std::string Run(const std::string& args, int* code = nullptr, bool merge = false) {
  std::string out;
  int rc = RunCommand(PillarBinary() + " " + args, &out, merge);
  if (code) *code = rc;
  return out;
}

// The sample corpus indexed whole and in `n` shards, the shards served, and a stub.
struct Cluster {
  TempDir tmp;
  std::filesystem::path whole, stub;
  std::vector<std::filesystem::path> shard_dirs;
  std::vector<std::unique_ptr<ShardServer>> servers;

  explicit Cluster(int n) {
    const std::string sample = ShellQuote((SourceDir() / "corpus" / "sample").string());
    whole = tmp.path() / "whole";
    int code = 0;
    Run("index " + sample + " -q --index " + ShellQuote(whole.string()), &code);
    REQUIRE(code == 0);
    std::string stub_args;
    for (int k = 1; k <= n; ++k) {
      std::filesystem::path dir = tmp.path() / ("shard-" + std::to_string(k));
      std::string out = Run("index " + sample + " -q --shard " + std::to_string(k) + "/" +
                                std::to_string(n) + " --index " + ShellQuote(dir.string()),
                            &code);
      INFO(out);
      REQUIRE(code == 0);
      shard_dirs.push_back(dir);
      servers.push_back(std::make_unique<ShardServer>(dir / "xapian", FreePort()));
      stub_args += " 127.0.0.1:" + std::to_string(servers.back()->port());
    }
    stub = tmp.path() / "all";
    std::string out = Run("shards stub --index " + ShellQuote(stub.string()) + stub_args, &code);
    INFO(out);
    REQUIRE(code == 0);
  }
};

json Json(const std::filesystem::path& index, const std::string& args) {
  return testing::RunPillarJson(args + " --json --index " + ShellQuote(index.string()));
}

// Hits equal: the same ids with the same scores (within 1e-9), in the same order except
// that hits whose scores tie may come in another order (Xapian breaks ties by docid, and a
// combined database numbers passages otherwise than one database), and a hit tied with the
// last of the page may be left off for another.
void RequireSameHits(const json& a, const json& b) {
  REQUIRE(a["hits"].size() == b["hits"].size());
  std::map<std::string, json> by_id;
  for (const json& h : b["hits"]) by_id[h["passage_id"].get<std::string>()] = h;
  for (size_t i = 0; i < a["hits"].size(); ++i) {
    const json& x = a["hits"][i];
    const json& y = b["hits"][i];
    INFO("hit " << i << ": " << x["passage_id"] << " vs " << y["passage_id"]);
    REQUIRE(std::abs(x["score"].get<double>() - y["score"].get<double>()) < 1e-9);
    const std::string id = x["passage_id"];
    if (by_id.count(id) == 0) {
      // Tied with the last hit of the page: a tie at the page's end may fall either way.
      REQUIRE(std::abs(x["score"].get<double>() - b["hits"].back()["score"].get<double>()) < 1e-9);
      continue;
    }
    const json& same = by_id[id];
    REQUIRE(std::abs(same["score"].get<double>() - x["score"].get<double>()) < 1e-9);
    CHECK(same["snippet"] == x["snippet"]);
    CHECK(same["highlights"] == x["highlights"]);
    CHECK(same["pillars"] == x["pillars"]);
    CHECK(same["text"] == x["text"]);
  }
}

TEST_CASE("Shards served by xapian-tcpsrv search as the single database does", "[shards][tcpsrv]") {
  if (!HaveTcpsrv()) {
    WARN("xapian-tcpsrv is not installed (Debian package xapian-tools): skipped");
    return;
  }
  setenv("PILLAR_SHARD_TIMEOUT_MS", "3000", 1);
  Cluster c(3);
  // Every shard holds some of the documents, and together all of them.
  size_t passages = 0;
  for (const auto& dir : c.shard_dirs) {
    json docs = Json(dir, "docs");
    CHECK(!docs.empty());
    passages += Json(dir, "search ''")["total"].get<size_t>();
  }
  CHECK(passages == Json(c.whole, "search ''")["total"].get<size_t>());

  // English queries: stems are expanded from the shards' vocabulary, which can miss an
  // accented form of another language's stem (docs/scaling.md, What differs).
  for (const std::string q :
       {"protection of civilians", "\"physical protection\"", "mandate OR accompaniment",
        "early warning", "women", "civilians -force", "protection", "''"}) {
    INFO("query " << q);
    const std::string args = "search " + (q == "''" ? q : ShellQuote(q)) + " --limit 25";
    json a = Json(c.whole, args);
    json b = Json(c.stub, args);
    CHECK(a["total"] == b["total"]);
    CHECK(a["facets"] == b["facets"]);
    // Every passage matches the empty query with the same score: which come first is a tie.
    if (q == "''") {
      CHECK(a["hits"].size() == b["hits"].size());
      continue;
    }
    RequireSameHits(a, b);
  }
  SECTION("filters, per-document collapsing and paging") {
    for (const std::string args :
         {"search protection --pillar un-tier-2 --limit 15", "search civilians --lang fr",
          "search protection --per-doc 1 --limit 20", "search civilians --offset 5 --limit 5"}) {
      INFO(args);
      json a = Json(c.whole, args);
      json b = Json(c.stub, args);
      CHECK(a["total"] == b["total"]);
      CHECK(a["facets"] == b["facets"]);
      RequireSameHits(a, b);
    }
  }
  SECTION("show, cite, similar, docs and exports read every shard") {
    json hits = Json(c.whole, "search 'protection of civilians' --limit 40")["hits"];
    REQUIRE(hits.size() > 5);
    for (const json& h : hits) {
      const std::string id = ShellQuote(h["passage_id"].get<std::string>());
      CHECK(Json(c.whole, "show " + id) == Json(c.stub, "show " + id));
      int code = 0;
      std::string a = Run("cite " + id + " --index " + ShellQuote(c.whole.string()), &code);
      CHECK(code == 0);
      CHECK(a == Run("cite " + id + " --index " + ShellQuote(c.stub.string())));
    }
    // Similar runs on shards (its terms, chosen by Xapian's ESet over the shards, may differ:
    // docs/scaling.md).
    const std::string first = ShellQuote(hits[0]["passage_id"].get<std::string>());
    CHECK(!Json(c.stub, "similar " + first)["hits"].empty());
    // The same documents; each index run stamps its own indexing time.
    json docs_a = Json(c.whole, "docs"), docs_b = Json(c.stub, "docs");
    for (json* docs : {&docs_a, &docs_b}) {
      for (json& d : *docs) d.erase("indexed_at");
    }
    CHECK(docs_a == docs_b);
    for (const std::string format : {"jsonl", "csv", "ris"}) {
      INFO(format);
      std::string a = Run("export --format " + format + " --index " + ShellQuote(c.whole.string()));
      std::string b = Run("export --format " + format + " --index " + ShellQuote(c.stub.string()));
      CHECK(!a.empty());
      CHECK(a == b);
    }
  }
}

TEST_CASE("A shard server that dies or hangs gives an error within the timeout and a restart heals",
          "[shards][tcpsrv]") {
  if (!HaveTcpsrv()) {
    WARN("xapian-tcpsrv is not installed (Debian package xapian-tools): skipped");
    return;
  }
  setenv("PILLAR_SHARD_TIMEOUT_MS", "2000", 1);
  Cluster c(2);
  Result<std::unique_ptr<Searcher>> opened = Searcher::Open(c.stub);
  REQUIRE(opened.ok());
  Searcher& searcher = **opened;
  SearchRequest request;
  request.query = "protection of civilians";
  Result<SearchResult> before = searcher.Search(request);
  REQUIRE(before.ok());
  REQUIRE(before->total > 0);

  // Killed mid-run: the open searcher's next query fails, naming the shard servers; so does a
  // new command (connection refused at once).
  c.servers[1]->Kill();
  Result<SearchResult> down = searcher.Search(request);
  REQUIRE(!down.ok());
  CHECK(down.status().message().find(std::to_string(c.servers[1]->port())) != std::string::npos);
  std::string err;
  int code = RunCommand("timeout 60 " + PillarBinary() + " search civilians --index " +
                            ShellQuote(c.stub.string()) + " 2>&1",
                        &err);
  CHECK(code != 0);
  CHECK(code != 124);  // timeout(1)'s code: the command hung
  CHECK(err.find("127.0.0.1:" + std::to_string(c.servers[1]->port())) != std::string::npos);

  // Restarted on the same port: the same searcher reconnects and answers as before.
  c.servers[1]->Start();
  Result<SearchResult> after = searcher.Search(request);
  REQUIRE(after.ok());
  CHECK(after->total == before->total);
  REQUIRE(after->hits.size() == before->hits.size());
  for (size_t i = 0; i < after->hits.size(); ++i) {
    CHECK(after->hits[i].passage.id == before->hits[i].passage.id);
  }

  // Hung (stopped, not dead): the query fails once the timeout passes, not never.
  c.servers[0]->Pause();
  code = RunCommand("timeout 60 " + PillarBinary() + " search civilians --index " +
                        ShellQuote(c.stub.string()) + " 2>&1",
                    &err);
  c.servers[0]->Resume();
  CHECK(code != 0);
  CHECK(code != 124);
  CHECK(err.find("shard") != std::string::npos);
  Result<SearchResult> resumed = searcher.Search(request);
  CHECK(resumed.ok());
}

TEST_CASE("Documents are partitioned by a stable hash of their id", "[shards]") {
  CHECK(ShardOfDocument("s-res-2719-2023", 1) == 1);
  // Fixed values: a change would move documents between existing shards.
  CHECK(ShardOfDocument("s-res-2719-2023", 2) == ShardOfDocument("s-res-2719-2023", 2));
  std::set<uint32_t> used;
  for (int i = 0; i < 100; ++i) used.insert(ShardOfDocument("doc-" + std::to_string(i), 4));
  CHECK(used == std::set<uint32_t>{1, 2, 3, 4});
  REQUIRE(ParseShardSpec("2/3").ok());
  CHECK(ParseShardSpec("2/3")->k == 2);
  CHECK(!ParseShardSpec("0/3").ok());
  CHECK(!ParseShardSpec("4/3").ok());
  CHECK(!ParseShardSpec("1-3").ok());
  CHECK(!ParseShardSpec("1/").ok());
}

TEST_CASE("A shard index refuses a run with another partition", "[shards]") {
  TempDir tmp;
  const std::string sample = ShellQuote((SourceDir() / "corpus" / "sample").string());
  const std::string dir = ShellQuote((tmp.path() / "s").string());
  int code = 0;
  Run("index " + sample + " -q --shard 1/2 --index " + dir, &code);
  REQUIRE(code == 0);
  std::string out = Run("index " + sample + " -q --shard 1/2 --index " + dir, &code);
  CHECK(code == 0);
  CHECK(out.find("0 indexed") != std::string::npos);  // a re-run moves nothing
  out = Run("index " + sample + " -q --shard 2/2 --index " + dir, &code, true);
  CHECK(code == 2);
  CHECK(out.find("holds shard 1/2") != std::string::npos);
  out = Run("index " + sample + " -q --index " + dir, &code, true);
  CHECK(code == 2);

  // With its other half, as local shards behind a stub: searched as one index, never written.
  const std::string other = ShellQuote((tmp.path() / "t").string());
  const std::string whole = ShellQuote((tmp.path() / "w").string());
  const std::string stub = ShellQuote((tmp.path() / "stub").string());
  Run("index " + sample + " -q --shard 2/2 --index " + other, &code);
  REQUIRE(code == 0);
  Run("index " + sample + " -q --index " + whole, &code);
  REQUIRE(code == 0);
  out = Run("shards stub --index " + stub + " " + dir + " " + other, &code);
  INFO(out);
  REQUIRE(code == 0);
  json a = testing::RunPillarJson("search 'protection of civilians' --json --index " + whole);
  json b = testing::RunPillarJson("search 'protection of civilians' --json --index " + stub);
  CHECK(a["total"] == b["total"]);
  CHECK(a["facets"] == b["facets"]);
  const std::string id = ShellQuote(a["hits"][0]["passage_id"].get<std::string>());
  out = Run("tag " + id + " --add un-tier-1 --index " + stub, &code, true);
  CHECK(code == 2);
  CHECK(out.find("shards") != std::string::npos);
  CHECK(!std::filesystem::exists(tmp.path() / "stub" / "annotations.sqlite"));
  out = Run("index " + sample + " -q --index " + stub, &code, true);
  CHECK(code == 2);
  CHECK(out.find("stub") != std::string::npos);
}

}  // namespace
}  // namespace pillar
