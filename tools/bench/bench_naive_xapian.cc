// bench_naive_xapian: the naive Xapian loop baseline of tools/bench.
//
//   bench_naive_xapian index CORPUS_DIR DB_DIR
//       One Xapian document per paragraph (blank-line separated block), indexed with a
//       TermGenerator: English stemmer, default strategy (STEM_SOME), positions; the paragraph
//       text as document data; one thread; Xapian's default flush threshold; one commit at
//       the end. Prints bytes, paragraphs, seconds, MB/s, passages/s, peak RSS (key=value).
//   bench_naive_xapian query DB_DIR QUERIES_TSV [--passes N]
//       Top 10 for each query of the mix (QueryParser with default flags and the same stemmer,
//       document data read for each hit); the pillar filter is ignored (there are no pillars).
//       A warm-up pass, then measured passes; prints p50/p95/p99/mean in ms.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <xapian.h>

#include "tools/bench/bench_common.h"

namespace {

int Index(const std::string& corpus, const std::string& db_dir) {
  auto start = bench::Clock::now();
  Xapian::WritableDatabase db(db_dir, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  size_t bytes = 0, paragraphs = 0;
  std::string text;
  for (const auto& file : bench::CorpusFiles(corpus)) {
    if (!bench::ReadFile(file, &text)) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 1;
    }
    bytes += text.size();
    bench::ForEachParagraph(text, [&](const std::string& para) {
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(para);
      doc.set_data(para);
      db.add_document(doc);
      ++paragraphs;
    });
  }
  db.commit();
  db.close();
  double s = bench::MillisSince(start) / 1000.0;
  std::printf("bytes=%zu\npassages=%zu\nseconds=%.3f\nmb_per_s=%.3f\npassages_per_s=%.1f\n"
              "peak_rss_bytes=%ld\n",
              bytes, paragraphs, s, bytes / 1e6 / s, paragraphs / s, bench::PeakRssBytes());
  return 0;
}

int Query(const std::string& db_dir, const std::string& queries_file, int passes) {
  Xapian::Database db(db_dir);
  std::vector<bench::Query> queries = bench::ReadQueries(queries_file);
  if (queries.empty()) {
    std::fprintf(stderr, "no queries in %s\n", queries_file.c_str());
    return 1;
  }
  Xapian::QueryParser qp;
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_database(db);
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // the same queries in CPU time
  std::vector<std::string> kinds;
  size_t empty = 0;
  for (int pass = 0; pass <= passes; ++pass) {  // pass 0 warms the caches
    for (const bench::Query& q : queries) {
      auto start = bench::Clock::now();
      double cpu_start = bench::ThreadCpuMillis();
      Xapian::Enquire enquire(db);
      enquire.set_query(qp.parse_query(q.text));
      Xapian::MSet mset = enquire.get_mset(0, 10);
      size_t data_bytes = 0;
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        data_bytes += it.get_document().get_data().size();
      }
      double t = bench::MillisSince(start);
      double cpu = bench::ThreadCpuMillis() - cpu_start;
      if (pass > 0) {
        ms.push_back(t);
        cpu_ms.push_back(cpu);
        kinds.push_back(q.kind);
        if (mset.empty()) ++empty;
      }
      if (data_bytes == 1) std::printf(" ");  // keep the reads
    }
  }
  bench::PrintLatencies(ms);
  bench::PrintCpuLatencies(cpu_ms);
  bench::PrintLatenciesByKind(kinds, ms);
  std::printf("empty_results=%zu\n", empty);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: bench_naive_xapian index CORPUS_DIR DB_DIR\n"
               "       bench_naive_xapian query DB_DIR QUERIES_TSV [--passes N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 4 && std::string(argv[1]) == "index") return Index(argv[2], argv[3]);
    if ((argc == 4 || argc == 6) && std::string(argv[1]) == "query") {
      int passes = argc == 6 ? std::atoi(argv[5]) : 1;
      return Query(argv[2], argv[3], passes < 1 ? 1 : passes);
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "bench_naive_xapian: %s\n", e.get_description().c_str());
    return 1;
  }
  return Usage();
}
