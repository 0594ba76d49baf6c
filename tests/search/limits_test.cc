// The size limits of the read path (issue 14, cases 6 and 9): a query too long to match
// cheaply is refused with a message saying why, and a hit never carries more than
// kMaxHitTextBytes of passage text, whatever the index holds.

#include <catch2/catch.hpp>
#include <string>

#include "indexer/base/text.h"
#include "indexer/index/index_writer.h"
#include "query/search/query_syntax.h"
#include "query/search/searcher.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

std::string Words(size_t n) {
  std::string q;
  for (size_t k = 0; k < n; ++k) q += (k ? " " : "") + std::string("patrols");
  return q;
}

TEST_CASE("PrepareQuery refuses a query over the byte or word limit and takes one at it",
          "[search][limits]") {
  CHECK(PrepareQuery(Words(kMaxQueryWords)).ok());
  auto words = PrepareQuery(Words(kMaxQueryWords + 1));
  REQUIRE(!words.ok());
  CHECK(words.status().code() == Status::Code::kInvalidArgument);
  CHECK_THAT(words.status().message(), Catch::Contains("257 words; at most 256"));
  // Words inside a phrase count too.
  auto phrase = PrepareQuery("\"" + Words(kMaxQueryWords + 1) + "\"");
  REQUIRE(!phrase.ok());
  CHECK_THAT(phrase.status().message(), Catch::Contains("at most 256"));

  std::string long_word(kMaxQueryBytes, 'a');
  CHECK(PrepareQuery(long_word).ok());
  auto bytes = PrepareQuery(long_word + "a");
  REQUIRE(!bytes.ok());
  CHECK(bytes.status().code() == Status::Code::kInvalidArgument);
  CHECK_THAT(bytes.status().message(), Catch::Contains("4097 bytes long; at most 4096"));
}

TEST_CASE("pillar search exits 2 with the limit named for a 100 KB query", "[search][limits][e2e]") {
  TempDir dir;
  dir.Write("docs/a.txt", "Patrols protect civilians.\n");
  std::string out;
  const std::string index = ShellQuote((dir.path() / "index").string());
  REQUIRE(RunCommand(pillar::testing::PillarBinary() + " index " +
                         ShellQuote((dir.path() / "docs").string()) + " --index " + index,
                     &out, true) == 0);
  std::string query;
  while (query.size() < 100'000) query += "protection ";
  int rc = RunCommand(pillar::testing::PillarBinary() + " search --json --index " + index + " " +
                          ShellQuote(query),
                      &out, true);
  CHECK(rc == 2);
  CHECK_THAT(out, Catch::Contains("bytes long; at most 4096 bytes are allowed"));
}

TEST_CASE("A search hit carries at most kMaxHitTextBytes of an over-long passage",
          "[search][limits]") {
  // An index built without the passage size limit, as indexes were before it: one passage
  // of 200 KB.
  TempDir dir;
  std::string line;
  while (line.size() < 200'000) line += "protection of civilians été ";
  dir.Write("docs/run-on.txt", line + "\n");
  IndexOptions options;
  options.index_dir = dir.path() / "index";
  options.split.max_passage_bytes = 1 << 30;
  options.split.hard_limit_bytes = 1 << 30;
  auto summary = IndexPaths({dir.path() / "docs"}, options);
  REQUIRE(summary.ok());
  REQUIRE(summary->passages == 1);

  auto searcher = Searcher::Open(options.index_dir);
  REQUIRE(searcher.ok());
  SearchRequest request;
  request.query = "civilians";
  auto result = (*searcher)->Search(request);
  REQUIRE(result.ok());
  REQUIRE(result->hits.size() == 1);
  const Hit& hit = result->hits[0];
  CHECK(hit.text_truncated);
  CHECK(hit.passage.text.size() <= kMaxHitTextBytes + 3);
  CHECK(FindInvalidUtf8(hit.passage.text) == std::string::npos);
  for (const Span& s : hit.highlights) CHECK(s.end <= hit.passage.text.size());
}

}  // namespace
}  // namespace pillar
