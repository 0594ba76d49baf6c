// bench_fts5: the SQLite FTS5 baseline of tools/bench.
//
//   bench_fts5 index CORPUS_DIR DB_FILE
//       One row per paragraph (blank-line separated block) of an FTS5 table with the porter
//       tokenizer (over unicode61) and the file name as an unindexed column, all in one
//       transaction. Prints bytes, paragraphs, seconds, MB/s, passages/s, peak RSS.
//   bench_fts5 query DB_FILE QUERIES_TSV [--op and|or] [--passes N]
//       Top 10 for each query of the mix: bm25() ORDER BY, LIMIT 10, with snippet(). Words
//       are joined with FTS5's implicit AND (its default) or with OR (Xapian's default, what
//       Pillar does); "phrases" stay phrases; the pillar filter is ignored. A warm-up pass,
//       then measured passes; prints p50/p95/p99/mean in ms.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "tools/bench/bench_common.h"

namespace {

bool Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return false;
  }
  return true;
}

int Index(const std::string& corpus, const std::string& db_file) {
  auto start = bench::Clock::now();
  std::remove(db_file.c_str());
  sqlite3* db = nullptr;
  if (sqlite3_open(db_file.c_str(), &db) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", db_file.c_str());
    return 1;
  }
  if (!Exec(db, "CREATE VIRTUAL TABLE p USING fts5(body, doc UNINDEXED, "
                "tokenize='porter unicode61')") ||
      !Exec(db, "BEGIN")) {
    return 1;
  }
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO p(body, doc) VALUES (?, ?)", -1, &insert, nullptr);
  size_t bytes = 0, paragraphs = 0;
  std::string text;
  bool ok = true;
  for (const auto& file : bench::CorpusFiles(corpus)) {
    if (!bench::ReadFile(file, &text)) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 1;
    }
    bytes += text.size();
    std::string name = file.filename().string();
    bench::ForEachParagraph(text, [&](const std::string& para) {
      sqlite3_bind_text(insert, 1, para.data(), static_cast<int>(para.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) ok = false;
      sqlite3_reset(insert);
      ++paragraphs;
    });
    if (!ok) {
      std::fprintf(stderr, "insert failed: %s\n", sqlite3_errmsg(db));
      return 1;
    }
  }
  sqlite3_finalize(insert);
  if (!Exec(db, "COMMIT")) return 1;
  sqlite3_close(db);
  double s = bench::MillisSince(start) / 1000.0;
  std::printf("bytes=%zu\npassages=%zu\nseconds=%.3f\nmb_per_s=%.3f\npassages_per_s=%.1f\n"
              "peak_rss_bytes=%ld\n",
              bytes, paragraphs, s, bytes / 1e6 / s, paragraphs / s, bench::PeakRssBytes());
  return 0;
}

// Xapian-style query text -> FTS5 MATCH expression: every bare word quoted (so that no word
// is read as an operator), "phrases" kept, joined by a space (AND) or " OR ".
std::string ToFts5(const std::string& q, bool use_or) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < q.size()) {
    if (q[i] == ' ') {
      ++i;
    } else if (q[i] == '"') {
      size_t end = q.find('"', i + 1);
      if (end == std::string::npos) end = q.size();
      parts.push_back(bench::Cat("\"", q.substr(i + 1, end - i - 1), "\""));
      i = end + 1;
    } else {
      size_t end = q.find(' ', i);
      if (end == std::string::npos) end = q.size();
      std::string w = q.substr(i, end - i);
      std::string clean;
      for (char c : w) {
        if (c != '"') clean += c;
      }
      parts.push_back(bench::Cat("\"", clean, "\""));
      i = end;
    }
  }
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += use_or ? " OR " : " ";
    out += p;
  }
  return out;
}

int Query(const std::string& db_file, const std::string& queries_file, bool use_or,
          int passes) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", db_file.c_str());
    return 1;
  }
  std::vector<bench::Query> queries = bench::ReadQueries(queries_file);
  if (queries.empty()) {
    std::fprintf(stderr, "no queries in %s\n", queries_file.c_str());
    return 1;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT rowid, doc, bm25(p), snippet(p, 0, '[', ']', '…', 24) "
                         "FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 10",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // the same queries in CPU time
  size_t empty = 0, errors = 0;
  for (int pass = 0; pass <= passes; ++pass) {
    for (const bench::Query& q : queries) {
      std::string match = ToFts5(q.text, use_or);
      auto start = bench::Clock::now();
      double cpu_start = bench::ThreadCpuMillis();
      sqlite3_bind_text(stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
      size_t rows = 0, snippet_bytes = 0;
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ++rows;
        snippet_bytes += static_cast<size_t>(sqlite3_column_bytes(stmt, 3));
      }
      if (rc != SQLITE_DONE && pass == 1) {
        ++errors;
        std::fprintf(stderr, "query %s: %s\n", match.c_str(), sqlite3_errmsg(db));
      }
      sqlite3_reset(stmt);
      double t = bench::MillisSince(start);
      double cpu = bench::ThreadCpuMillis() - cpu_start;
      if (pass > 0) {
        ms.push_back(t);
        cpu_ms.push_back(cpu);
        if (rows == 0) ++empty;
      }
      if (snippet_bytes == 1) std::printf(" ");
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  bench::PrintLatencies(ms);
  bench::PrintCpuLatencies(cpu_ms);
  std::printf("empty_results=%zu\nerrors=%zu\n", empty, errors);
  return errors == 0 ? 0 : 1;
}

int Usage() {
  std::fprintf(stderr,
               "usage: bench_fts5 index CORPUS_DIR DB_FILE\n"
               "       bench_fts5 query DB_FILE QUERIES_TSV [--op and|or] [--passes N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "index") return Index(argv[2], argv[3]);
  if (argc >= 4 && std::string(argv[1]) == "query") {
    bool use_or = false;
    int passes = 1;
    for (int i = 4; i + 1 < argc; i += 2) {
      std::string a = argv[i];
      if (a == "--op") use_or = std::string(argv[i + 1]) == "or";
      else if (a == "--passes") passes = std::atoi(argv[i + 1]);
      else return Usage();
    }
    return Query(argv[2], argv[3], use_or, passes < 1 ? 1 : passes);
  }
  return Usage();
}
