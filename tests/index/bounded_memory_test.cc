// Indexing one file of very many paragraphs holds them one at a time (issue 14, case 8).

#include <catch2/catch.hpp>
#include <string>

#include "indexer/segment/passage_id.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::kUnderSanitizers;
using pillar::testing::PeakRssKb;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

TEST_CASE("Indexing a file of sixty thousand paragraphs holds them one at a time",
          "[index][limits][e2e]") {
  TempDir dir;
  std::string text;
  const char* words[] = {"patrols", "early warning", "ceasefire", "mediation", "civilians"};
  for (int k = 0; k < 60'000; ++k) {
    text += "Para " + std::to_string(k) + " " + words[k % 5] + " and " + words[(k / 5) % 5] +
            ".\n\n";
  }
  dir.Write("docs/long.txt", text);
  const std::string index = (dir.path() / "index").string();
  long kb = PeakRssKb(PillarBinary() + " index -j 2 " + ShellQuote((dir.path() / "docs").string()) +
                      " --index " + ShellQuote(index) + " > /dev/null 2>&1");
  REQUIRE(kb > 0);
  // Holding every passage and its Xapian document took 184 MB here; one at a time, 71 MB.
  if (kUnderSanitizers) {
    WARN("peak RSS " << kb << " KB not checked: ASan's shadow memory inflates it");
  } else {
    CHECK(kb < 130'000);
  }

  // Every passage is there, numbered, tagged and searchable.
  auto hits = pillar::testing::RunPillarJson("search --json --index " + ShellQuote(index) +
                                             " -n 1 '\"Para 59999\"'");
  REQUIRE(hits["hits"].size() == 1);
  CHECK(hits["hits"][0]["passage_id"] ==
        "long#" + ContentFragment(hits["hits"][0]["text"].get<std::string>()));
  CHECK(hits["hits"][0]["ordinal"] == 59'999);
  auto all = pillar::testing::RunPillarJson("search --json --index " + ShellQuote(index) +
                                            " -n 1 ceasefire");
  CHECK(all["total"] == 21'600);  // 12,000 + 12,000 - 2,400 with both
  CHECK(!all["hits"][0]["pillars"].empty());

  // A manual tag on such a document is re-attached when it is indexed again, and the
  // passage keeps its id when a paragraph is inserted above it (docs/ids.md).
  auto para6 = pillar::testing::RunPillarJson("search --json --index " + ShellQuote(index) +
                                              " -n 1 '\"Para 6\"'");
  REQUIRE(para6["hits"].size() == 1);
  const std::string id = para6["hits"][0]["passage_id"];
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " tag --index " + ShellQuote(index) +
                         " --add ucp-mediation " + ShellQuote(id) + " --by test",
                     &out, true) == 0);
  dir.Write("docs/long.txt", "New first paragraph.\n\n" + text);
  REQUIRE(RunCommand(PillarBinary() + " index -j 2 " + ShellQuote((dir.path() / "docs").string()) +
                         " --index " + ShellQuote(index),
                     &out, true) == 0);
  auto moved = pillar::testing::RunPillarJson("search --json --index " + ShellQuote(index) +
                                              " -n 1 '\"Para 6\" pillar:ucp-mediation'");
  REQUIRE(moved["hits"].size() == 1);
  CHECK(moved["hits"][0]["passage_id"] == id);
}

TEST_CASE("A file too large for the memory it is given fails by name, and the run and the index "
          "go on", "[index][limits][e2e]") {
  if (kUnderSanitizers) {
    WARN("not run under ASan: its shadow memory needs more address space than any ulimit -v");
    return;
  }
  TempDir dir;
  dir.Write("docs/small.txt", "1. Patrols protect civilians near the camps.\n");
  const std::string index = (dir.path() / "index").string();
  const std::string docs = ShellQuote((dir.path() / "docs").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + docs + " --index " + ShellQuote(index), &out,
                     true) == 0);
  // 30 MB of paragraphs: reading it into passages needs several times that; the process gets
  // 200 MB of address space (glibc's per-thread arenas capped, so that the limit falls on the
  // file and not on a thread's first allocation).
  std::string text;
  text.reserve(31'000'000);
  for (int k = 0; text.size() < 30'000'000; ++k) {
    text += "Paragraph " + std::to_string(k) + " on ceasefire monitoring and early warning "
            "networks in the field, with patrols and local mediation.\n\n";
  }
  dir.Write("docs/huge.txt", text);
  dir.Write("docs/later.txt", "1. Mediation committees met in the market town.\n");
  const int code = RunCommand("ulimit -v 200000; MALLOC_ARENA_MAX=2 " + PillarBinary() +
                                  " index -j 1 " + docs + " --index " + ShellQuote(index),
                              &out, true);
  INFO(out);
  // Not an abort (134) with no file named, as before: the file fails, the others are indexed.
  CHECK(code == 1);
  CHECK(out.find("huge.txt: out of memory") != std::string::npos);
  CHECK(out.find("terminate called") == std::string::npos);
  auto later = pillar::testing::RunPillarJson("search --json --index " + ShellQuote(index) +
                                              " market town");
  CHECK(later["total"] == 1);
  auto before = pillar::testing::RunPillarJson("search --json --index " + ShellQuote(index) +
                                               " patrols camps");
  CHECK(before["total"] == 1);
}

}  // namespace
}  // namespace pillar
