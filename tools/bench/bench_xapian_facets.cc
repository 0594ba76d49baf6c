// bench_xapian_facets: the fair Xapian baseline of tools/bench (issue 18's query speed decision).
//
// The naive loop (bench_naive_xapian) answers a top 10 and stops early; Pillar counts every
// match into facets and highlights each hit. This program does the same work with Xapian's own
// tools on the same passages Pillar made, so the comparison is of engines, not of jobs:
//
//   bench_xapian_facets index EXPORT_JSONL DB_DIR
//       One Xapian document per passage of `pillar export --format jsonl` (Pillar's own
//       passages): TermGenerator, English stemmer, STEM_SOME, positions; the text as document
//       data; a boolean term per pillar (for the pillar filter); three facets as value slots:
//       the pillars (all of a passage's concepts in one value, see kSlotPillars), the document
//       id and the language. Prints passages, seconds, peak RSS (key=value).
//   bench_xapian_facets query DB_DIR QUERIES_TSV [--passes N]
//       For each query of the mix: QueryParser (default flags, the same stemmer), the pillar
//       filter of "pillar" queries as OP_FILTER, a Xapian::ValueCountMatchSpy per facet slot,
//       get_mset(0, 10) with check_at_least = doccount (every match is seen by the spies, so
//       the counts are exact), then the facet counts read out, and for each hit its data read
//       and MSet::snippet (260 bytes, as Pillar's snippets) highlighted. A warm-up pass, then
//       measured passes; prints p50/p95/p99/mean in ms, and per query kind.

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/bench/bench_common.h"

namespace {

// Value slots of the three facets.
constexpr Xapian::valueno kSlotPillars = 0;  // concept ids joined by '\n', sorted
constexpr Xapian::valueno kSlotDoc = 1;
constexpr Xapian::valueno kSlotLang = 2;
constexpr size_t kSnippetBytes = 260;  // Pillar's SearchRequest::snippet_bytes
const char kPillarPrefix[] = "XP";     // boolean filter term of a concept

// A passage has several concepts and a value slot holds one string, so the slot holds the
// set; ValueCountMatchSpy counts each distinct set, and splitting the sets afterwards gives
// exact per-concept counts (few distinct sets, so the split is cheap next to the match).
void AddPillarCounts(const Xapian::ValueCountMatchSpy& spy, std::map<std::string, size_t>* out) {
  for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it) {
    const std::string set = *it;
    size_t begin = 0;
    while (begin < set.size()) {
      size_t end = set.find('\n', begin);
      if (end == std::string::npos) end = set.size();
      (*out)[set.substr(begin, end - begin)] += it.get_termfreq();
      begin = end + 1;
    }
  }
}

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int Index(const std::string& export_file, const std::string& db_dir) {
  auto start = bench::Clock::now();
  std::ifstream in(export_file);
  if (!in) {
    std::fprintf(stderr, "bench_xapian_facets: cannot read %s\n", export_file.c_str());
    return 1;
  }
  Xapian::WritableDatabase db(db_dir, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  size_t passages = 0, line_no = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      std::fprintf(stderr, "bench_xapian_facets: %s:%zu: not a JSON object\n", export_file.c_str(),
                   line_no);
      return 1;
    }
    const std::string text = StringField(j, "text");
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(text);
    doc.set_data(text);
    std::vector<std::string> pillars;
    if (auto it = j.find("pillars"); it != j.end() && it->is_array()) {
      for (const auto& p : *it) {  // {"id": ..., "score": ..., "evidence": [...]} or an id
        if (p.is_string()) pillars.push_back(p.get<std::string>());
        if (p.is_object()) pillars.push_back(StringField(p, "id"));
      }
    }
    std::sort(pillars.begin(), pillars.end());
    std::string set;
    for (const std::string& p : pillars) {
      doc.add_boolean_term(bench::Cat(kPillarPrefix, p));
      if (!set.empty()) set.push_back('\n');
      set.append(p);
    }
    doc.add_value(kSlotPillars, set);
    doc.add_value(kSlotDoc, StringField(j, "doc_id"));
    std::string lang = StringField(j, "language");
    if (lang.empty()) lang = StringField(j, "lang");
    doc.add_value(kSlotLang, lang);
    db.add_document(doc);
    ++passages;
  }
  db.commit();
  db.close();
  double s = bench::MillisSince(start) / 1000.0;
  std::printf("passages=%zu\nseconds=%.3f\npassages_per_s=%.1f\npeak_rss_bytes=%ld\n", passages, s,
              passages / s, bench::PeakRssBytes());
  return passages > 0 ? 0 : 1;
}

int Query(const std::string& db_dir, const std::string& queries_file, int passes) {
  Xapian::Database db(db_dir);
  std::vector<bench::Query> queries = bench::ReadQueries(queries_file);
  if (queries.empty()) {
    std::fprintf(stderr, "bench_xapian_facets: no queries in %s\n", queries_file.c_str());
    return 1;
  }
  const Xapian::Stem stemmer("english");
  Xapian::QueryParser qp;
  qp.set_stemmer(stemmer);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_database(db);
  const Xapian::doccount doccount = db.get_doccount();
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // the same queries in CPU time
  std::vector<std::string> kinds;
  size_t empty = 0, snippet_bytes = 0, facet_values = 0, matches = 0;
  for (int pass = 0; pass <= passes; ++pass) {  // pass 0 warms the caches
    for (const bench::Query& q : queries) {
      auto start = bench::Clock::now();
      double cpu_start = bench::ThreadCpuMillis();
      Xapian::Query query = qp.parse_query(q.text);
      if (!q.pillar.empty()) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(bench::Cat(kPillarPrefix, q.pillar)));
      }
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      Xapian::ValueCountMatchSpy pillar_spy(kSlotPillars), doc_spy(kSlotDoc), lang_spy(kSlotLang);
      enquire.add_matchspy(&pillar_spy);
      enquire.add_matchspy(&doc_spy);
      enquire.add_matchspy(&lang_spy);
      Xapian::MSet mset = enquire.get_mset(0, 10, doccount);
      // The facets as a caller would use them: every value with its count.
      std::map<std::string, size_t> pillar_facet, doc_facet, lang_facet;
      AddPillarCounts(pillar_spy, &pillar_facet);
      for (const Xapian::ValueCountMatchSpy* spy : {&doc_spy, &lang_spy}) {
        auto& facet = spy == &doc_spy ? doc_facet : lang_facet;
        for (Xapian::TermIterator it = spy->values_begin(); it != spy->values_end(); ++it) {
          facet[*it] = it.get_termfreq();
        }
      }
      size_t bytes = 0;
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        bytes +=
            mset.snippet(it.get_document().get_data(), kSnippetBytes, stemmer,
                         Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                         "<b>", "</b>", "...")
                .size();
      }
      double t = bench::MillisSince(start);
      double cpu = bench::ThreadCpuMillis() - cpu_start;
      if (pass > 0) {
        ms.push_back(t);
        cpu_ms.push_back(cpu);
        kinds.push_back(q.kind);
        if (mset.empty()) ++empty;
        snippet_bytes += bytes;
        facet_values += pillar_facet.size() + doc_facet.size() + lang_facet.size();
        matches += mset.get_matches_estimated();
      }
    }
  }
  bench::PrintLatencies(ms);
  bench::PrintCpuLatencies(cpu_ms);
  bench::PrintLatenciesByKind(kinds, ms);
  std::printf("empty_results=%zu\nsnippet_bytes=%zu\nfacet_values=%zu\nmatches=%zu\n", empty,
              snippet_bytes, facet_values, matches);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: bench_xapian_facets index EXPORT_JSONL DB_DIR\n"
               "       bench_xapian_facets query DB_DIR QUERIES_TSV [--passes N]\n");
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
    std::fprintf(stderr, "bench_xapian_facets: %s\n", e.get_description().c_str());
    return 1;
  }
  return Usage();
}
