// bench_http: the server row of tools/bench, an HTTP load client for `pillar serve`.
//
//   bench_http --port P --queries QUERIES_TSV [--host 127.0.0.1] [--clients N] [--seconds T]
//              [--warmup S] [--limit K]
//
// N threads, each with its own keep-alive connection, send `GET /api/search?q=...&limit=K`
// (with `&pillar=ID` for the "pillar" queries of the mix) one after the other for T seconds,
// each thread starting at its own place in the mix. A request counts as an error when the
// connection fails or the status is not 200, as invalid when its body is not a JSON object
// with `total` and `hits` (the `search --json` object). The first S seconds (default 1) warm the
// server and are not counted. Prints key=value lines: clients, seconds, requests,
// requests_per_s, p50/p95/p99/mean/max in ms (nearest rank over all counted requests), errors,
// invalid_json. Exit status 0 when there was no error and every body was valid, 1 otherwise,
// 2 on bad usage. Loopback is the point: the figures are the server's, not a network's.

#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tools/bench/bench_common.h"

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string queries;
  int clients = 1;
  double seconds = 10;
  double warmup = 1;
  int limit = 10;
};

struct ThreadResult {
  std::vector<double> ms;  // counted requests only
  size_t errors = 0;
  size_t invalid = 0;
  std::string first_problem;
};

std::string SearchPath(const bench::Query& q, int limit) {
  std::string path = bench::Cat("/api/search?q=", httplib::detail::encode_query_param(q.text),
                                "&limit=", std::to_string(limit));
  if (!q.pillar.empty()) {
    path += bench::Cat("&pillar=", httplib::detail::encode_query_param(q.pillar));
  }
  return path;
}

// True when `body` has `"key"` followed by a colon and then `opener` (any character when 0),
// white space allowed between them (the answer may be pretty-printed).
bool HasMember(const std::string& body, const std::string& key, char opener) {
  const std::string quoted = bench::Cat("\"", key, "\"");
  for (size_t at = body.find(quoted); at != std::string::npos; at = body.find(quoted, at + 1)) {
    size_t colon = body.find_first_not_of(" \t\r\n", at + quoted.size());
    if (colon == std::string::npos || body[colon] != ':') continue;
    size_t value = body.find_first_not_of(" \t\r\n", colon + 1);
    if (value != std::string::npos && (opener == 0 || body[value] == opener)) return true;
  }
  return false;
}

bool ValidSearchBody(const std::string& body) {
  // accept() checks the whole body without building the document: the client shares the two
  // cores with the server, and building a DOM of each 25 KB answer would take CPU from it.
  size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && body[first] == '{' && nlohmann::json::accept(body) &&
         HasMember(body, "total", 0) && HasMember(body, "hits", '[');
}

void RunClient(const Options& opt, const std::vector<std::string>& paths, size_t first,
               bench::Clock::time_point count_from, bench::Clock::time_point stop,
               ThreadResult* out) {
  httplib::Client client(opt.host, opt.port);
  client.set_keep_alive(true);
  // A request is one small write; without TCP_NODELAY Nagle's algorithm would hold it back
  // behind the delayed ACK of the previous response (40 ms on Linux), timing the kernel.
  client.set_tcp_nodelay(true);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);
  size_t i = first;
  while (bench::Clock::now() < stop) {
    const std::string& path = paths[i++ % paths.size()];
    auto start = bench::Clock::now();
    httplib::Result res = client.Get(path);
    double t = bench::MillisSince(start);
    bool counted = start >= count_from;
    std::string problem;
    if (!res) {
      problem = bench::Cat("GET ", path, ": ", httplib::to_string(res.error()));
      if (counted) ++out->errors;
    } else if (res->status != 200) {
      problem = bench::Cat("GET ", path, ": status ", std::to_string(res->status), ": ",
                           res->body.substr(0, 200));
      if (counted) ++out->errors;
    } else if (!ValidSearchBody(res->body)) {
      problem = bench::Cat("GET ", path, ": not a search JSON object: ", res->body.substr(0, 200));
      if (counted) ++out->invalid;
    }
    if (!problem.empty() && counted && out->first_problem.empty()) out->first_problem = problem;
    if (counted) out->ms.push_back(t);
  }
}

int Usage() {
  std::fprintf(stderr,
               "usage: bench_http --port P --queries QUERIES_TSV [--host H] [--clients N] "
               "[--seconds T] [--warmup S] [--limit K]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return Usage();
    std::string value = argv[++i];
    if (arg == "--port") {
      opt.port = std::atoi(value.c_str());
    } else if (arg == "--host") {
      opt.host = value;
    } else if (arg == "--queries") {
      opt.queries = value;
    } else if (arg == "--clients") {
      opt.clients = std::atoi(value.c_str());
    } else if (arg == "--seconds") {
      opt.seconds = std::atof(value.c_str());
    } else if (arg == "--warmup") {
      opt.warmup = std::atof(value.c_str());
    } else if (arg == "--limit") {
      opt.limit = std::atoi(value.c_str());
    } else {
      return Usage();
    }
  }
  if (opt.port <= 0 || opt.queries.empty() || opt.clients < 1 || opt.seconds <= 0 ||
      opt.warmup < 0 || opt.limit < 1) {
    return Usage();
  }
  std::vector<bench::Query> queries = bench::ReadQueries(opt.queries);
  if (queries.empty()) {
    std::fprintf(stderr, "bench_http: no queries in %s\n", opt.queries.c_str());
    return 1;
  }
  std::vector<std::string> paths;
  for (const bench::Query& q : queries) paths.push_back(SearchPath(q, opt.limit));

  auto begin = bench::Clock::now();
  auto count_from = begin + std::chrono::duration_cast<bench::Clock::duration>(
                                std::chrono::duration<double>(opt.warmup));
  auto stop = count_from + std::chrono::duration_cast<bench::Clock::duration>(
                               std::chrono::duration<double>(opt.seconds));
  std::vector<ThreadResult> results(static_cast<size_t>(opt.clients));
  std::vector<std::thread> threads;
  for (int c = 0; c < opt.clients; ++c) {
    size_t first = paths.size() * static_cast<size_t>(c) / static_cast<size_t>(opt.clients);
    threads.emplace_back(RunClient, std::cref(opt), std::cref(paths), first, count_from, stop,
                         &results[static_cast<size_t>(c)]);
  }
  for (std::thread& t : threads) t.join();
  // Requests that started before `stop` may end after it: the measured span is until the last
  // one ended, so requests/s is not inflated by the tail.
  double span = std::chrono::duration<double>(bench::Clock::now() - count_from).count();

  std::vector<double> ms;
  size_t errors = 0, invalid = 0;
  for (const ThreadResult& r : results) {
    ms.insert(ms.end(), r.ms.begin(), r.ms.end());
    errors += r.errors;
    invalid += r.invalid;
    if (!r.first_problem.empty()) std::fprintf(stderr, "bench_http: %s\n", r.first_problem.c_str());
  }
  std::printf("clients=%d\nseconds=%.3f\nrequests=%zu\nrequests_per_s=%.1f\n", opt.clients, span,
              ms.size(), static_cast<double>(ms.size()) / span);
  bench::PrintLatencies(ms);
  std::printf("errors=%zu\ninvalid_json=%zu\n", errors, invalid);
  return errors == 0 && invalid == 0 && !ms.empty() ? 0 : 1;
}
