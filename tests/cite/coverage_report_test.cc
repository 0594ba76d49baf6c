#include "query/report/coverage_report.h"

#include <catch2/catch.hpp>

#include "query/search/searcher.h"
#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

using testing::ParseCsv;
using testing::SourceDir;

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

struct SampleCoverage {
  Taxonomy taxonomy;
  CoverageMatrix matrix;
};

const SampleCoverage& Sample() {
  static const SampleCoverage* sample = [] {
    Result<Taxonomy> taxonomy = Taxonomy::Load({SourceDir() / "corpus/taxonomy/poc.skos.xml"});
    REQUIRE(taxonomy.ok());
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(testing::SampleIndex());
    REQUIRE(searcher.ok());
    Result<CoverageMatrix> matrix = BuildCoverage(**searcher, *taxonomy);
    REQUIRE(matrix.ok());
    return new SampleCoverage{std::move(taxonomy.value()), std::move(matrix.value())};
  }();
  return *sample;
}

TEST_CASE("Coverage counts the share of each document's passages tagged with each concept",
          "[cite]") {
  const CoverageMatrix& m = Sample().matrix;
  REQUIRE(m.columns.size() == Sample().taxonomy.concepts().size());
  CHECK(m.columns[0].scheme_id == Sample().taxonomy.schemes()[0].id);
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(testing::SampleIndex());
  REQUIRE(searcher.ok());
  Result<std::vector<DocumentRecord>> docs = (*searcher)->Documents();
  REQUIRE(docs.ok());
  CHECK(m.rows.size() == docs->size());
  for (size_t r = 0; r < m.rows.size(); ++r) {
    const CoverageRow& row = m.rows[r];
    INFO(row.document.meta.id);
    Result<std::vector<Passage>> passages = (*searcher)->DocumentPassages(row.document.meta.id);
    REQUIRE(passages.ok());
    CHECK(row.passages == passages->size());
    for (size_t c = 0; c < m.columns.size(); ++c) {
      size_t tagged = 0;
      for (const Passage& p : *passages) {
        for (const Tag& t : p.tags) {
          if (t.concept_id == m.columns[c].concept_id) {
            ++tagged;
            break;
          }
        }
      }
      CHECK(row.counts[c] == tagged);
      // A small index: every document is on the page, every tagged passage listed.
      CHECK(row.cells[c].size() == std::min(tagged, kMaxListedPerCell));
    }
    // Grouped by issuer.
    if (r > 0 && !row.document.meta.issuer.empty()) {
      CHECK(m.rows[r - 1].document.meta.issuer <= row.document.meta.issuer);
    }
  }
}

TEST_CASE("The coverage page is self-contained, escaped, and links every non-empty cell to its "
          "passages",
          "[cite]") {
  const CoverageMatrix& m = Sample().matrix;
  std::string html = CoverageHtml(m, "Coverage <of> \"PoC\" & co");
  CHECK(html.find("<title>Coverage &lt;of&gt; &quot;PoC&quot; &amp; co</title>") !=
        std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  // No external assets: nothing is fetched.
  for (const char* external : {"src=", "<link", "@import", "url(http", "<script"}) {
    INFO(external);
    CHECK(html.find(external) == std::string::npos);
  }
  // A row in a language without rules and with no tag is one "no rules" band, not cells.
  size_t cells = 0, non_empty = 0, bands = 0;
  REQUIRE(m.page_rows.size() == m.rows.size());
  for (const CoverageRow& row : m.rows) {
    size_t tagged = 0;
    for (size_t count : row.counts) tagged += count > 0;
    if (row.no_rules && tagged == 0) {
      ++bands;
      continue;
    }
    cells += row.counts.size();
    non_empty += tagged;
  }
  CHECK(CountOf(html, "<rect class=\"cell\"") == cells);
  CHECK(CountOf(html, "<g class=\"no-rules\">") == bands);
  CHECK(CountOf(html, "<a href=\"#cell-") == non_empty);
  CHECK(CountOf(html, "<section class=\"cell\" id=\"cell-") == non_empty);
  CHECK(non_empty > 20);
  // Every scheme has a header over its columns.
  CHECK(CountOf(html, "<g class=\"scheme\">") == Sample().taxonomy.schemes().size());
  CHECK(CountOf(html, "<text class=\"concept\"") == m.columns.size());
  // Counts on hover.
  CHECK(html.find(" passages (") != std::string::npos);
  CHECK(HtmlEscape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST_CASE("The coverage CSV is the same matrix", "[cite]") {
  const CoverageMatrix& m = Sample().matrix;
  std::vector<std::vector<std::string>> records;
  size_t at = 0;
  REQUIRE(ParseCsv(CoverageCsv(m), &records, &at));
  REQUIRE(records.size() == m.rows.size() + 1);
  REQUIRE(records[0].size() == 5 + m.columns.size());
  CHECK(records[0][5] == m.columns[0].concept_id);
  for (size_t r = 0; r < m.rows.size(); ++r) {
    CHECK(records[r + 1][0] == m.rows[r].document.meta.id);
    CHECK(records[r + 1][4] == std::to_string(m.rows[r].passages));
    for (size_t c = 0; c < m.columns.size(); ++c) {
      CHECK(std::stod(records[r + 1][5 + c]) == Approx(m.rows[r].Share(c)).margin(0.00006));
    }
  }
}

}  // namespace
}  // namespace pillar
