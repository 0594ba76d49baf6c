// bench_query: Pillar's query path, driven through the library (no process start-up per
// query), as `pillar search` runs it: top 10 with exact facets and highlighted snippets.
//
//   bench_query INDEX_DIR QUERIES_TSV [--passes N] [--no-facets]
//
// Each query of the mix goes through pillar::Searcher::Search (default SearchRequest: facets
// on, snippets; the pillar filter of "pillar" queries applied); the time covers parsing,
// matching, facet counting, reading the passages and highlighting. A warm-up pass, then N
// measured passes (default 1); prints p50/p95/p99/mean in ms, then the same per query kind.
// --no-facets leaves the facet counts out, to see what they cost (not a row of the table).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "query/search/searcher.h"
#include "tools/bench/bench_common.h"

int main(int argc, char** argv) {
  int passes = 1;
  bool facets = true;
  bool usage = argc < 3;
  for (int i = 3; i < argc && !usage; ++i) {
    std::string arg = argv[i];
    if (arg == "--passes" && i + 1 < argc) {
      passes = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--no-facets") {
      facets = false;
    } else {
      usage = true;
    }
  }
  if (usage) {
    std::fprintf(stderr, "usage: bench_query INDEX_DIR QUERIES_TSV [--passes N] [--no-facets]\n");
    return 2;
  }
  auto searcher = pillar::Searcher::Open(argv[1]);
  if (!searcher.ok()) {
    std::fprintf(stderr, "bench_query: %s\n", searcher.status().ToString().c_str());
    return 1;
  }
  std::vector<bench::Query> queries = bench::ReadQueries(argv[2]);
  if (queries.empty()) {
    std::fprintf(stderr, "bench_query: no queries in %s\n", argv[2]);
    return 1;
  }
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // the same queries in CPU time
  std::vector<std::string> kinds;
  size_t empty = 0, errors = 0, snippet_bytes = 0, highlighted = 0;
  for (int pass = 0; pass <= passes; ++pass) {
    for (const bench::Query& q : queries) {
      pillar::SearchRequest request;
      request.query = q.text;
      if (!q.pillar.empty()) request.pillars.push_back(q.pillar);
      request.limit = 10;
      request.facets = facets;
      auto start = bench::Clock::now();
      double cpu_start = bench::ThreadCpuMillis();
      auto result = (*searcher)->Search(request);
      double t = bench::MillisSince(start);
      double cpu = bench::ThreadCpuMillis() - cpu_start;
      if (pass == 0) continue;
      ms.push_back(t);
      cpu_ms.push_back(cpu);
      kinds.push_back(q.kind);
      if (!result.ok()) {
        ++errors;
        std::fprintf(stderr, "bench_query: %s: %s\n", q.text.c_str(),
                     result.status().ToString().c_str());
        continue;
      }
      if (result->hits.empty()) ++empty;
      for (const pillar::Hit& hit : result->hits) {
        snippet_bytes += hit.snippet.text.size();
        highlighted += hit.snippet.spans.size();
      }
    }
  }
  bench::PrintLatencies(ms);
  bench::PrintCpuLatencies(cpu_ms);
  bench::PrintLatenciesByKind(kinds, ms);
  std::printf("empty_results=%zu\nerrors=%zu\nsnippet_bytes=%zu\nhighlights=%zu\n", empty,
              errors, snippet_bytes, highlighted);
  return errors == 0 ? 0 : 1;
}
