// libFuzzer target: any bytes as a search query. PrepareQuery (the pre-parser in front of
// Xapian's QueryParser) on the raw bytes, then the whole `pillar search --json` path
// (Searcher::Search: BuildQuery, ranking, facets, suggestions, highlights, snippets, JSON) on
// a small index of three documents in English and French, built once per process.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "fuzz/fuzz_support.h"
#include "indexer/base/text.h"
#include "indexer/index/index_writer.h"
#include "query/search/json_output.h"
#include "query/search/query_syntax.h"
#include "query/search/searcher.h"

namespace {

using pillar::fuzz::Check;

pillar::Searcher& SmallIndex() {
  static std::unique_ptr<pillar::Searcher> searcher = [] {
    std::filesystem::path docs = pillar::fuzz::ScratchDir() / "docs";
    std::filesystem::create_directories(docs);
    std::ofstream(docs / "s-res-2719-2023.txt")
        << "Resolution 2719 (2023)\n\nS/RES/2719 (2023)\n\n"
           "1. Decides that the mission shall protect civilians under threat of physical "
           "violence, including through patrols and early warning.\n\n"
           "2. Requests the Secretary-General to report on sexual violence in conflict.\n";
    std::ofstream(docs / "policy-fr.md")
        << "---\ntitle: Politique\nlang: fr\ndate: 2019-05-02\n---\n\n# Protection\n\n"
           "La mission assure la protection physique des civils et l'escorte des convois.\n";
    std::ofstream(docs / "handbook.md")
        << "# Dialogue\n\n1. Engagement with communities and early-warning networks.\n\n"
           "2. Unarmed civilian protection: accompaniment and presence.\n";
    pillar::IndexOptions options;
    options.index_dir = pillar::fuzz::ScratchDir() / "index";
    options.taxonomy = std::filesystem::path(PILLAR_SOURCE_DIR) / "corpus/taxonomy/poc.skos.xml";
    options.jobs = 1;
    pillar::Result<pillar::IndexSummary> summary = pillar::IndexPaths({docs}, options);
    Check(summary.ok() && summary->failed == 0, "indexing the fuzz target's documents");
    pillar::Result<std::unique_ptr<pillar::Searcher>> opened =
        pillar::Searcher::Open(options.index_dir);
    Check(opened.ok(), "opening the fuzz target's index");
    return std::move(opened.value());
  }();
  return *searcher;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string query(reinterpret_cast<const char*>(data), size);
  pillar::Result<pillar::PreparedQuery> prepared = pillar::PrepareQuery(query);
  if (prepared.ok() && pillar::FindInvalidUtf8(query) == std::string::npos) {
    Check(pillar::FindInvalidUtf8(prepared->text) == std::string::npos, "the prepared query",
          "is not valid UTF-8");
  }

  pillar::SearchRequest request;
  request.query = query;
  request.limit = 3;
  pillar::Result<pillar::SearchResult> result = SmallIndex().Search(request);
  if (!result.ok()) {
    // Error messages are printed, and in JSON mode written as JSON.
    return 0;
  }
  for (const pillar::Hit& hit : result->hits) {
    for (const pillar::Span& s : hit.highlights) {
      Check(s.begin < s.end && s.end <= hit.passage.text.size(), "a highlight's byte range");
    }
    for (const pillar::Span& s : hit.snippet.spans) {
      Check(s.begin < s.end && s.end <= hit.snippet.text.size(), "a snippet highlight's range");
    }
    Check(pillar::FindInvalidUtf8(hit.snippet.text) == std::string::npos, "a snippet",
          "is not valid UTF-8");
  }
  (void)pillar::SearchResultJson(*result, 0);
  return 0;
}
