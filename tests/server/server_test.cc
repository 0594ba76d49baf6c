// pillar serve (issue 18): a real server on a free loopback port, real HTTP, a real index on
// disk. The end-to-end test runs the `pillar serve` binary and stops it with SIGTERM; the
// others run the server library in this process on port 0.

#include "server/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "server/context.h"
#include "server/static_assets.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::SampleIndex;
using pillar::testing::ShellQuote;
using pillar::testing::SourceDir;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

constexpr char kPassage[] = "s-res-2719-2023#op-5";
constexpr char kPassagePath[] = "s-res-2719-2023%23op-5";
constexpr char kToken[] = "correct-horse-battery-staple";

// A copy of the sample index that a test may write.
fs::path CopySampleIndex(const TempDir& dir) {
  fs::path copy = dir.path() / "index";
  fs::copy(SampleIndex(), copy, fs::copy_options::recursive);
  return copy;
}

// The server library in this process on a free loopback port.
class InProcess {
 public:
  explicit InProcess(server::ServeOptions options) {
    options.port = 0;
    options.access_log = options.index_dir.parent_path() / "access.log";
    Result<std::unique_ptr<server::Server>> created = server::Server::Create(options);
    REQUIRE(created.ok());
    server_ = std::move(created.value());
    REQUIRE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
  }
  httplib::Client& client() { return *client_; }
  server::Server& server() { return *server_; }

 private:
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

server::ServeOptions Options(const fs::path& index) {
  server::ServeOptions options;
  options.index_dir = index;
  options.threads = 4;
  return options;
}

// REQUIREs a response with `status` whose body is {"error": {"code", "message"}}; returns
// the error object.
json RequireError(const httplib::Result& res, int status) {
  REQUIRE(res);
  INFO(res->body);
  CHECK(res->status == status);
  json body = json::parse(res->body, nullptr, false);
  REQUIRE(body.is_object());
  REQUIRE(body.contains("error"));
  CHECK(body["error"]["code"].is_string());
  CHECK(body["error"]["message"].is_string());
  CHECK(!body["error"]["message"].get<std::string>().empty());
  CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
  return body["error"];
}

json RequireJson(const httplib::Result& res) {
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  json body = json::parse(res->body, nullptr, false);
  REQUIRE(!body.is_discarded());
  return body;
}

std::vector<std::string> TagIds(const json& passage) {
  std::vector<std::string> ids;
  for (const json& t : passage["pillars"]) ids.push_back(t["id"]);
  return ids;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A `pillar serve` process whose standard error the test reads.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      std::string binary = PillarBinary();
      std::vector<std::string> copy = args;
      std::vector<char*> argv{binary.data()};
      for (std::string& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    err_ = fds[0];
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (err_ >= 0) ::close(err_);
  }
  // Reads standard error until it matches `pattern` (true) or closes (false).
  bool WaitForStderr(const std::regex& pattern, std::smatch* match = nullptr) {
    char buf[4096];
    std::smatch m;
    while (!std::regex_search(stderr_, m, pattern)) {
      pollfd readable{err_, POLLIN, 0};
      if (::poll(&readable, 1, 60 * 1000) <= 0) return false;
      ssize_t n = ::read(err_, buf, sizeof buf);
      if (n <= 0) return false;
      stderr_.append(buf, static_cast<size_t>(n));
    }
    if (match) *match = m;
    return true;
  }
  int Port() {
    std::smatch m;
    REQUIRE(WaitForStderr(std::regex("at http://127\\.0\\.0\\.1:([0-9]+)/"), &m));
    return std::stoi(m[1]);
  }
  void Signal(int sig) { REQUIRE(::kill(pid_, sig) == 0); }
  // The exit status after the process ends; the rest of stderr is in stderr_text().
  int Wait() {
    WaitForStderr(std::regex("\\x01"));  // reads to the end
    int status = 0;
    REQUIRE(::waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return status;
  }
  const std::string& stderr_text() const { return stderr_; }

 private:
  pid_t pid_ = -1;
  int err_ = -1;
  std::string stderr_;
};

std::string Pillar(const std::string& args) {
  std::string out;
  INFO("pillar " << args);
  REQUIRE(RunCommand(PillarBinary() + " " + args, &out) == 0);
  return out;
}

TEST_CASE("pillar serve searches, tags, exports, cites and describes itself over real HTTP",
          "[server]") {
  TempDir dir;
  fs::path index = CopySampleIndex(dir);
  const std::string at = " --index " + ShellQuote(index.string());
  ServeProcess serve({"serve", "--index", index.string(), "--port", "0", "--threads", "2"});
  const int port = serve.Port();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);

  CHECK(RequireJson(client.Get("/api/health"))["status"] == "ok");

  // The search body is the object `pillar search --json` prints.
  httplib::Result search = client.Get("/api/search?q=protect%20civilians&limit=5&pillar=un-tier-2");
  REQUIRE(search);
  CHECK(search->status == 200);
  CHECK(json::parse(search->body) ==
        RunPillarJson("search protect civilians -n 5 --pillar un-tier-2 --json" + at));
  CHECK(!search->get_header_value("ETag").empty());

  // The passage as `show --json` prints it, with its neighbours.
  json shown = RequireJson(client.Get(std::string("/api/passages/") + kPassagePath));
  CHECK(shown == RunPillarJson(std::string("show ") + ShellQuote(kPassage) + " --json" + at));
  CHECK(shown["context"]["before"].size() == 1);

  // Add a tag, see it in the index and the store, remove it.
  REQUIRE(!Has(TagIds(shown), "au-physical"));
  json added = RequireJson(client.Post(
      std::string("/api/passages/") + kPassagePath + "/tags",
      R"({"concept": "au-physical", "note": "checked", "by": "ana"})", "application/json"));
  CHECK(added["applied"] == true);
  CHECK(Has(TagIds(added["passage"]), "au-physical"));
  json after_add = RunPillarJson(std::string("show ") + ShellQuote(kPassage) + " --json" + at);
  CHECK(Has(TagIds(after_add), "au-physical"));
  json annotations = RequireJson(client.Get("/api/annotations"));
  REQUIRE(annotations.size() == 1);
  CHECK(annotations[0]["by"] == "ana");
  CHECK(annotations[0]["note"] == "checked");
  CHECK(annotations == RunPillarJson("annotations --json" + at));

  json removed = RequireJson(
      client.Delete(std::string("/api/passages/") + kPassagePath + "/tags/au-physical"));
  CHECK(!Has(TagIds(removed["passage"]), "au-physical"));
  CHECK(!Has(TagIds(RunPillarJson(std::string("show ") + ShellQuote(kPassage) + " --json" + at)),
             "au-physical"));

  // Export: the same lines as `pillar export`, streamed.
  httplib::Result exported = client.Get("/api/export?format=jsonl&doc=s-res-2719-2023");
  REQUIRE(exported);
  CHECK(exported->status == 200);
  CHECK(exported->body == Pillar("export --format jsonl --doc s-res-2719-2023" + at));
  httplib::Result csv = client.Get("/api/export?format=csv&pillar=un-tier-2");
  REQUIRE(csv);
  CHECK(csv->body == Pillar("export --format csv --pillar un-tier-2" + at));

  // Cite: the same text as `pillar cite`.
  httplib::Result cited =
      client.Get(std::string("/api/cite?format=ris&ids=") + kPassagePath + ",hippo-2015");
  REQUIRE(cited);
  CHECK(cited->status == 200);
  CHECK(cited->body ==
        Pillar(std::string("cite --format ris ") + ShellQuote(kPassage) + " hippo-2015" + at));

  json openapi = RequireJson(client.Get("/api/openapi.json"));
  CHECK(openapi["openapi"].get<std::string>().rfind("3.", 0) == 0);
  CHECK(openapi["paths"].contains("/api/search"));

  // SIGTERM: a clean stop, exit 0, one access-log line per request.
  serve.Signal(SIGTERM);
  int status = serve.Wait();
  INFO(serve.stderr_text());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(serve.stderr_text().find("pillar: stopped") != std::string::npos);
  CHECK(serve.stderr_text().find("GET /api/search 200 ") != std::string::npos);
  // A streamed export logs the bytes it sent.
  CHECK(std::regex_search(serve.stderr_text(), std::regex("GET /api/export 200 [1-9][0-9]* ")));
  CHECK(serve.stderr_text().find("POST /api/passages/s-res-2719-2023#op-5/tags 200 ") !=
        std::string::npos);
  // The store was closed cleanly: it reads, with both decisions.
  CHECK(RunPillarJson("annotations --json" + at).size() == 2);
}

TEST_CASE("every bad request gets its status and a JSON error and the server keeps serving",
          "[server]") {
  TempDir dir;
  fs::path index = CopySampleIndex(dir);
  fs::path token_file = dir.Write("token", std::string(kToken) + "\n");
  server::ServeOptions options = Options(index);
  options.token_file = token_file;
  InProcess server(options);
  httplib::Client& client = server.client();
  const std::string tags = std::string("/api/passages/") + kPassagePath + "/tags";
  httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};

  CHECK(RequireError(client.Get("/api/no-such-endpoint"), 404)["code"] == "not_found");
  json no_passage = RequireError(client.Get("/api/passages/nope%23op-1"), 404);
  CHECK(no_passage["code"] == "not_found");
  // The message names the passage, never where the server keeps its index.
  CHECK(no_passage["message"].get<std::string>().find("nope#op-1") != std::string::npos);
  CHECK(no_passage["message"].get<std::string>().find(index.string()) == std::string::npos);
  CHECK(RequireError(client.Get("/api/documents/nope"), 404)["code"] == "not_found");
  // Writes without the token, or with a wrong one.
  RequireError(client.Post(tags, R"({"concept": "au-physical"})", "application/json"), 401);
  httplib::Headers wrong = {{"Authorization", "Bearer correct-horse-battery-stapler"}};
  RequireError(client.Post(tags, wrong, R"({"concept": "au-physical"})", "application/json"), 401);
  RequireError(client.Delete(tags + "/au-physical"), 401);
  // With the token: malformed JSON, unknown concept, unknown passage.
  CHECK(RequireError(client.Post(tags, auth, R"({"concept": )", "application/json"), 400)["code"] ==
        "malformed_json");
  CHECK(RequireError(client.Post(tags, auth, R"(["au-physical"])", "application/json"),
                     400)["code"] == "malformed_json");
  json unknown_concept =
      RequireError(client.Post(tags, auth, R"({"concept": "no-such"})", "application/json"), 400);
  CHECK(unknown_concept["message"].get<std::string>().find("no-such") != std::string::npos);
  RequireError(client.Post("/api/passages/nope%23op-1/tags", auth, R"({"concept": "au-physical"})",
                           "application/json"),
               404);
  // An oversized body.
  RequireError(client.Post(tags, auth, std::string(200 * 1024, ' '), "application/json"), 413);
  // Invalid query syntax, at its column.
  json syntax = RequireError(client.Get("/api/search?q=%22armed%20groups"), 400);
  CHECK(syntax["message"].get<std::string>().find("column") != std::string::npos);
  // A query longer than the limit, a result window too large, a bad number.
  CHECK(RequireError(client.Get("/api/search?q=" + std::string(5000, 'a')), 400)["code"] ==
        "query_too_long");
  CHECK(RequireError(client.Get("/api/search?q=x&offset=9995&limit=10"), 400)["code"] ==
        "window_too_large");
  RequireError(client.Get("/api/search?q=x&limit=ten"), 400);
  RequireError(client.Get("/api/export?format=pdf"), 400);
  RequireError(client.Get("/api/cite"), 400);
  // A 1 MB query string.
  RequireError(client.Get("/api/search?q=" + std::string(1 << 20, 'a')), 414);
  // No harm done: the server serves, nothing was recorded.
  CHECK(RequireJson(client.Get("/api/health"))["status"] == "ok");
  CHECK(RequireJson(client.Get("/api/annotations")).empty());
  // The token works.
  json added =
      RequireJson(client.Post(tags, auth, R"({"concept": "au-physical"})", "application/json"));
  CHECK(Has(TagIds(added["passage"]), "au-physical"));
}

TEST_CASE("a read-only server refuses writes and loopback is the default", "[server]") {
  TempDir dir;
  fs::path index = CopySampleIndex(dir);
  server::ServeOptions options = Options(index);
  options.read_only = true;
  InProcess server(options);
  CHECK(RequireError(server.client().Post(std::string("/api/passages/") + kPassagePath + "/tags",
                                          R"({"concept": "au-physical"})", "application/json"),
                     403)["code"] == "read_only");
  CHECK(
      server.client().Get("/api/health")->get_header_value("Access-Control-Allow-Origin").empty());
  CHECK(server::IsLoopback("127.0.0.1"));
  CHECK(server::IsLoopback("::1"));
  CHECK(!server::IsLoopback("0.0.0.0"));
  CHECK(!server::IsLoopback("192.168.1.4"));
}

TEST_CASE("stopping the server lets a request in progress finish", "[server]") {
  TempDir dir;
  InProcess server(Options(CopySampleIndex(dir)));
  // A client that has sent half of its request when the server is told to stop.
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server.server().port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string head = "GET /api/search?q=civilians&limit=1 HTTP/1.1\r\nHost: pillar\r\n";
  REQUIRE(::send(sock, head.data(), head.size(), 0) == static_cast<ssize_t>(head.size()));
  ::usleep(200 * 1000);  // the server has taken the connection and reads the request
  std::thread stopper([&] { server.server().Stop(); });
  ::usleep(300 * 1000);
  // New connections are refused once it stops accepting.
  httplib::Client late("127.0.0.1", server.server().port());
  late.set_connection_timeout(2, 0);
  CHECK(!late.Get("/api/health"));
  const std::string rest = "Connection: close\r\n\r\n";
  REQUIRE(::send(sock, rest.data(), rest.size(), 0) == static_cast<ssize_t>(rest.size()));
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::recv(sock, buf, sizeof buf, 0)) > 0;)
    response.append(buf, static_cast<size_t>(n));
  ::close(sock);
  stopper.join();
  REQUIRE(response.starts_with("HTTP/1.1 200"));
  json body = json::parse(response.substr(response.find("\r\n\r\n") + 4), nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["hits"].size() == 1);
}

TEST_CASE("a client that stalls mid-request does not hold up the others and is dropped",
          "[server]") {
  TempDir dir;
  server::ServeOptions options = Options(CopySampleIndex(dir));
  options.threads = 2;
  options.io_timeout_seconds = 1;
  InProcess server(options);
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server.server().port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string head = "GET /api/search?q=civ";
  REQUIRE(::send(sock, head.data(), head.size(), 0) == static_cast<ssize_t>(head.size()));
  // The other thread serves everyone else meanwhile.
  for (int k = 0; k < 5; ++k) {
    CHECK(RequireJson(server.client().Get("/api/search?q=civilians&limit=1"))["hits"].size() == 1);
  }
  // The stalled client is answered with an error or closed after the I/O timeout, never
  // served. (A guard of 30 s against hanging; no timing is asserted.)
  timeval guard{30, 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(sock, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<size_t>(n));
  ::close(sock);
  CHECK(n == 0);  // closed by the server, not the guard running out
  CHECK(response.find("HTTP/1.1 200") == std::string::npos);
  CHECK(RequireJson(server.client().Get("/api/health"))["status"] == "ok");
}

TEST_CASE("CORS headers are sent only for the configured origin", "[server]") {
  server::ServeOptions options = Options(SampleIndex());
  options.cors_origin = "https://ui.example";
  InProcess server(options);
  httplib::Result res = server.client().Get("/api/health");
  REQUIRE(res);
  CHECK(res->get_header_value("Access-Control-Allow-Origin") == "https://ui.example");
  httplib::Result preflight = server.client().Options("/api/passages/x/tags");
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization") !=
        std::string::npos);
}

TEST_CASE("a non-loopback bind without a token is refused", "[server]") {
  server::ServeOptions options = Options(SampleIndex());
  options.bind = "0.0.0.0";
  Result<std::unique_ptr<server::Server>> created = server::Server::Create(options);
  REQUIRE(!created.ok());
  CHECK(created.status().message().find("--token-file") != std::string::npos);
  std::string out;
  CHECK(RunCommand(PillarBinary() + " serve --bind 0.0.0.0 --port 0 --index " +
                       ShellQuote(SampleIndex().string()),
                   &out, true) == 2);
  CHECK(out.find("--token-file") != std::string::npos);
}

TEST_CASE("a re-index while serving shows in the next search and changes the ETag", "[server]") {
  TempDir dir;
  dir.Write("in/a.txt",
            "1. Patrols protect civilians near the river.\n\n2. Early warning helps.\n");
  fs::path index = dir.path() / "index";
  const std::string at = " --index " + ShellQuote(index.string());
  Pillar("index " + ShellQuote((dir.path() / "in").string()) + at);
  InProcess server(Options(index));
  httplib::Client& client = server.client();

  httplib::Result first = client.Get("/api/search?q=marshland");
  json before = RequireJson(first);
  CHECK(before["total"] == 0);
  std::string etag = first->get_header_value("ETag");
  REQUIRE(!etag.empty());
  httplib::Result again = client.Get("/api/search?q=marshland", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  uint64_t revision = RequireJson(client.Get("/api/stats"))["revision"];

  dir.Write("in/b.txt", "1. Mediators crossed the marshland to reach the village.\n");
  Pillar("index " + ShellQuote((dir.path() / "in").string()) + at);
  httplib::Result next = client.Get("/api/search?q=marshland", {{"If-None-Match", etag}});
  json after = RequireJson(next);
  CHECK(after["total"] == 1);
  CHECK(next->get_header_value("ETag") != etag);
  json stats = RequireJson(client.Get("/api/stats"));
  CHECK(stats["revision"].get<uint64_t>() > revision);
  CHECK(stats["documents"] == 2);
}

TEST_CASE("searches keep answering while tags are written", "[server]") {
  TempDir dir;
  fs::path index = CopySampleIndex(dir);
  InProcess server(Options(index));
  const int port = server.server().port();
  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      while (!done) {
        httplib::Result res = client.Get("/api/search?q=civilians&limit=3");
        if (!res || res->status != 200 || json::parse(res->body, nullptr, false).is_discarded()) {
          ++failures;
        }
        ++searches;
      }
    });
  }
  const std::string tags = std::string("/api/passages/") + kPassagePath + "/tags";
  for (int k = 0; k < 6; ++k) {
    RequireJson(server.client().Post(tags, R"({"concept": "au-physical"})", "application/json"));
    RequireJson(server.client().Delete(tags + "/au-physical"));
  }
  done = true;
  for (std::thread& t : readers) t.join();
  CHECK(failures == 0);
  CHECK(searches > 0);
  CHECK(RequireJson(server.client().Get("/api/annotations")).size() == 12);
}

TEST_CASE("every route is in the OpenAPI document and every path in it is routed", "[server]") {
  json openapi = json::parse(server::OpenApiText());
  // The routes, as the server's sources register them.
  std::set<std::string> routes;
  std::regex route(R"re(http\.(Get|Post|Put|Delete)\(\s*(?:R"\(([^"]*)\)"|"([^"]*)"))re");
  for (const auto& entry : fs::directory_iterator(SourceDir() / "server")) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), route), end; it != end; ++it) {
      std::string method = (*it)[1];
      std::string path = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
      if (!path.starts_with("/api/")) continue;  // static assets
      // "([^/]+)" is a path parameter.
      std::string templated;
      int param = 0;
      for (size_t k = 0; k < path.size();) {
        if (path.compare(k, 7, "([^/]+)") == 0) {
          templated += param++ == 0 ? "{id}" : "{concept}";
          k += 7;
        } else {
          templated += path[k++];
        }
      }
      for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      routes.insert(method + " " + templated);
    }
  }
  REQUIRE(routes.size() >= 16);
  std::set<std::string> documented;
  for (const auto& [path, operations] : openapi["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      documented.insert(method + " " + path);
    }
  }
  CHECK(routes == documented);

  // And each documented path answers (not "no endpoint").
  TempDir dir;
  InProcess server(Options(CopySampleIndex(dir)));
  for (const std::string& entry : documented) {
    std::string method = entry.substr(0, entry.find(' '));
    std::string path = entry.substr(entry.find(' ') + 1);
    path = std::regex_replace(path, std::regex(R"(\{id\})"),
                              path.starts_with("/api/documents") ? "hippo-2015" : kPassagePath);
    path = std::regex_replace(path, std::regex(R"(\{concept\})"), "au-physical");
    httplib::Result res =
        method == "get" ? server.client().Get(path + "?ids=hippo-2015")
        : method == "post"
            ? server.client().Post(path, R"({"concept": "au-physical"})", "application/json")
        : method == "put"
            ? server.client().Put(path, R"({"concepts": ["au-physical"]})", "application/json")
            : server.client().Delete(path);
    REQUIRE(res);
    INFO(entry << " -> " << res->status << " " << res->body.substr(0, 200));
    CHECK(res->status == 200);
  }
}

TEST_CASE("the root page is the embedded web UI, or says that it is not built", "[server]") {
  InProcess server(Options(SampleIndex()));
  httplib::Result root = server.client().Get("/");
  REQUIRE(root);
  CHECK(root->status == 200);
  CHECK(root->get_header_value("Content-Type").find("text/html") == 0);
  std::span<const server::StaticAsset> assets = server::EmbeddedAssets();
  if (assets.empty()) {
    CHECK(root->body.find("not built") != std::string::npos);
    return;
  }
  for (const server::StaticAsset& asset : assets) {
    httplib::Result got = server.client().Get(std::string(asset.path));
    REQUIRE(got);
    CHECK(got->status == 200);
    CHECK(got->body == asset.body);
    std::string etag = got->get_header_value("ETag");
    REQUIRE(!etag.empty());
    httplib::Result cached =
        server.client().Get(std::string(asset.path), {{"If-None-Match", etag}});
    REQUIRE(cached);
    CHECK(cached->status == 304);
  }
}

}  // namespace
}  // namespace pillar
