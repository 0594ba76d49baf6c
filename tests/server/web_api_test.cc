// The parts of `pillar serve` the web UI adds (issue 19), over real HTTP to the server library
// on a free loopback port with a copy of the sample index: the embedded UI at /, GET
// /api/compare and PUT /api/passages/{id}/tags (set and mark reviewed). The UI itself is
// tested in a browser by tests/web/run.

#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "server/server.h"
#include "server/static_assets.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::SampleIndex;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

// A server over a copy of the sample index (writes allowed), on port 0.
class WebServer {
 public:
  WebServer() {
    index_ = dir_.path() / "index";
    fs::copy(SampleIndex(), index_, fs::copy_options::recursive);
    server::ServeOptions options;
    options.index_dir = index_;
    options.port = 0;
    options.threads = 2;
    options.access_log = dir_.path() / "access.log";
    auto created = server::Server::Create(options);
    REQUIRE(created.ok());
    server_ = std::move(created.value());
    REQUIRE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
  }
  ~WebServer() { server_->Stop(); }
  httplib::Client& client() { return *client_; }

 private:
  TempDir dir_;
  fs::path index_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_CASE("pillar serve serves the embedded web UI at / with its script and style",
          "[server][web]") {
  REQUIRE(!server::EmbeddedAssets().empty());
  WebServer web;
  auto page = web.client().Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type").starts_with("text/html"));
  CHECK(page->body.find("<script src=\"/app.js\"") != std::string::npos);
  auto script = web.client().Get("/app.js");
  REQUIRE(script);
  CHECK(script->status == 200);
  CHECK(script->get_header_value("Content-Type").starts_with("text/javascript"));
  CHECK(script->body.find("/api/search?") != std::string::npos);
  auto style = web.client().Get("/app.css");
  REQUIRE(style);
  CHECK(style->get_header_value("Content-Type").starts_with("text/css"));
}

TEST_CASE("GET /api/compare returns both sides of a crosswalked pair, or 400 naming the side",
          "[server][web]") {
  WebServer web;
  auto res = web.client().Get(
      "/api/compare?concept=au-physical&concept_b=un-tier-2"
      "&a_org=African%20Union,African%20Union%20Commission"
      "&b_org=United%20Nations%20Department%20of%20Peace%20Operations&limit=3");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  json j = json::parse(res->body);
  CHECK(j["a"]["concept"] == "au-physical");
  CHECK(j["b"]["concept"] == "un-tier-2");
  CHECK(j["a"]["total"].get<int>() > 0);
  CHECK(j["b"]["total"].get<int>() > 0);
  CHECK(j["a"]["passages"].size() <= 3);
  for (const json& p : j["a"]["passages"]) {
    CHECK(p["issuer"].get<std::string>().starts_with("African Union"));
  }
  for (const json& w : j["b"]["distinctive"]) CHECK(w["z"].get<double>() < 0);

  auto bad = web.client().Get("/api/compare?concept=un-tier-2&concept_b=un-tier-9");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"]["message"].get<std::string>().starts_with("side b: "));
  auto too_many = web.client().Get("/api/compare?concept=un-tier-2&limit=1000");
  REQUIRE(too_many);
  CHECK(too_many->status == 400);
  CHECK(json::parse(too_many->body)["error"]["code"] == "invalid_argument");
  // No concept: every passage of each group.
  auto all = web.client().Get("/api/compare?a_year=..2015&b_year=2023..");
  REQUIRE(all);
  CHECK(all->status == 200);
  CHECK(json::parse(all->body)["a"]["total"].get<int>() > 0);
}

TEST_CASE("PUT /api/passages/{id}/tags sets exactly the concepts and records a reviewed decision",
          "[server][web]") {
  WebServer web;
  const std::string path = "/api/passages/s-res-2719-2023%23op-5/tags";
  auto res = web.client().Put(path, R"({"concepts": ["un-tier-1"], "note": "read twice",
                                        "by": "tester"})",
                              "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  json j = json::parse(res->body);
  REQUIRE(j["passage"]["pillars"].size() == 1);
  CHECK(j["passage"]["pillars"][0]["id"] == "un-tier-1");
  CHECK(j["passage"]["pillars"][0]["source"] == "manual");
  auto annotations = web.client().Get("/api/annotations");
  REQUIRE(annotations);
  json list = json::parse(annotations->body);
  bool found = false;
  for (const json& a : list) {
    if (a["passage_id"] == "s-res-2719-2023#op-5" && a["action"] == "set" &&
        a["note"] == "read twice" && a["by"] == "tester") {
      found = true;
    }
  }
  CHECK(found);
  // An empty set reviews the passage as having no pillar.
  res = web.client().Put(path, R"({"concepts": []})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body)["passage"]["pillars"].empty());

  for (const char* body : {"not json", R"({"concepts": "un-tier-1"})", R"({"concepts": [1]})",
                           R"({"concepts": [], "note": 5})"}) {
    res = web.client().Put(path, body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(json::parse(res->body).contains("error"));
  }
  res = web.client().Put(path, R"({"concepts": ["un-tier-9"]})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  res = web.client().Put("/api/passages/no-such-doc%23op-1/tags", R"({"concepts": []})",
                         "application/json");
  REQUIRE(res);
  CHECK(res->status == 404);
}

}  // namespace
}  // namespace pillar
