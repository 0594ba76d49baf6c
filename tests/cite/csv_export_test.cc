#include "query/cite/csv_export.h"

#include <catch2/catch.hpp>
#include <map>

#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

using testing::ParseCsv;
using testing::Pillar;
using testing::ShellQuote;
using testing::TempDir;

using Records = std::vector<std::vector<std::string>>;

TEST_CASE("CSV fields are quoted only when they hold a comma, a quote or a line break", "[cite]") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("") == "");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("two\nlines") == "\"two\nlines\"");
  CHECK(CsvField("cr\rhere") == "\"cr\rhere\"");
  CHECK(CsvField("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
  CHECK(CsvRecord({"a", "b,c", ""}) == "a,\"b,c\",\r\n");

  Records records;
  size_t at = 0;
  std::string text = CsvRecord({"x", "a \"q\", b\r\nc\nd", "\xD8\xB3"}) + CsvRecord({"", "", ""});
  REQUIRE(ParseCsv(text, &records, &at));
  REQUIRE(records.size() == 2);
  CHECK(records[0] == std::vector<std::string>{"x", "a \"q\", b\r\nc\nd", "\xD8\xB3"});
  CHECK(records[1] == std::vector<std::string>{"", "", ""});
  CHECK(!ParseCsv("a,b\n", &records, &at));       // bare LF
  CHECK(!ParseCsv("a,\"b\r\n", &records, &at));    // unterminated quote
  CHECK(!ParseCsv("a,b\"c\r\n", &records, &at));   // quote inside a bare field
}

TEST_CASE("CSV export parses back: quotes, commas and line breaks in passages, titles and notes",
          "[cite]") {
  TempDir dir;
  std::vector<testing::InlineDoc> docs = {
      {"tricky-doc", "tricky.txt",
       "Protection, \"safety\" and rights\n\n"
       "1. Patrols, escorts and \"physical protection\" by the force deter attacks on civilians; "
       "the mission uses force to protect civilians under threat of physical violence.\n\n"
       "2. A passage with no pillar at all: just, \"words\".\n",
       "Protection, \"safety\" and rights", "Example Mission, Inc.", "EX/2024/1", "2024-05-01",
       "en", "report", "https://example.org/a,b"}};
  std::filesystem::path corpus = testing::WriteCorpus(dir, docs);
  std::string index = ShellQuote((dir.path() / "idx").string()), out;
  REQUIRE(Pillar("index " + ShellQuote(corpus.string()) + " --quiet --index " + index, &out,
                 true) == 0);
  // A manual tag whose note holds every character CSV must quote, line breaks included.
  std::string note = "first line, \"quoted\"\nsecond line\r\nthird";
  REQUIRE(Pillar("tag 'tricky-doc#para-1' --add ucp-presence --by Reviewer --note " +
                     ShellQuote(note) + " --index " + index,
                 &out, true) == 0);

  REQUIRE(Pillar("export --format csv --index " + index, &out) == 0);
  Records records;
  size_t at = 0;
  INFO(out);
  REQUIRE(ParseCsv(out, &records, &at));
  REQUIRE(records.size() >= 3);
  CHECK(records[0] == PassageTagCsvHeader());
  std::map<std::string, size_t> column;
  for (size_t k = 0; k < records[0].size(); ++k) column[records[0][k]] = k;
  for (const auto& r : records) REQUIRE(r.size() == records[0].size());

  size_t para1_rows = 0, para2_rows = 0;
  bool manual_seen = false;
  for (size_t k = 1; k < records.size(); ++k) {
    const auto& r = records[k];
    CHECK(r[column["title"]] == "Protection, \"safety\" and rights");
    CHECK(r[column["issuer"]] == "Example Mission, Inc.");
    CHECK(r[column["date"]] == "2024-05-01");
    if (r[column["passage_id"]] == "tricky-doc#para-1") {
      ++para1_rows;
      CHECK(r[column["text"]].find("\"physical protection\"") != std::string::npos);
      CHECK(!r[column["concept"]].empty());
      CHECK(!r[column["scheme"]].empty());
      if (r[column["source"]] == "manual") {
        manual_seen = true;
        CHECK(r[column["concept"]] == "ucp-presence");
        CHECK(r[column["scheme"]] == "ucp-methods");
        CHECK(r[column["note"]] == note);
        CHECK(!r[column["when"]].empty());
      } else {
        CHECK(r[column["source"]] == "rule");
        CHECK(!r[column["evidence"]].empty());
        CHECK(!r[column["score"]].empty());
      }
    }
    if (r[column["passage_id"]] == "tricky-doc#para-2") {
      ++para2_rows;
      CHECK(r[column["text"]] == "2. A passage with no pillar at all: just, \"words\".");
      for (const char* tag_column : {"concept", "scheme", "source", "score", "evidence", "by",
                                     "when", "note"}) {
        CHECK(r[column[tag_column]].empty());
      }
    }
  }
  CHECK(para1_rows >= 2);  // one row per tag: rule tags and the manual one
  CHECK(para2_rows == 1);  // untagged: one row, empty tag columns
  CHECK(manual_seen);

  SECTION("--excel starts with the UTF-8 byte-order mark") {
    std::string excel;
    REQUIRE(Pillar("export --format csv --excel --index " + index, &excel) == 0);
    REQUIRE(excel.size() > 3);
    CHECK(excel.substr(0, 3) == std::string(kUtf8Bom));
    CHECK(excel.substr(3) == out);
  }
}

}  // namespace
}  // namespace pillar
