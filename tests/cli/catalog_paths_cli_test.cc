// A catalog whose file= paths no longer match the files (issue 17): the run says which
// entries apply to nothing, once, instead of losing their titles silently.

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::PillarBinary;
using testing::RunCommand;
using testing::ShellQuote;
using testing::TempDir;

size_t Occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string Entry(const std::string& id, const std::string& file) {
  return "<document id=\"" + id + "\" file=\"" + file + "\"><title>Title of " + id +
         "</title></document>\n";
}

TEST_CASE("Catalog entries whose files moved are named in one warning with their count",
          "[cli][catalog]") {
  TempDir dir;
  // The files were moved from old/ to docs/ after the catalog was written; one entry is right.
  std::string catalog = "<catalog>\n";
  for (int i = 1; i <= 7; ++i) {
    std::string name = "moved-" + std::to_string(i);
    dir.Write("corpus/docs/" + name + ".txt", "Civilians were protected in report " + name + ".\n");
    catalog += Entry("doc-" + std::to_string(i), "old/" + name + ".txt");
  }
  dir.Write("corpus/docs/kept.txt", "Protection of civilians in a kept file.\n");
  catalog += Entry("doc-kept", "docs/kept.txt");
  dir.Write("corpus/catalog.xml", catalog + "</catalog>\n");

  std::string out;
  // Two paths under the same catalog: the catalog is read once and warns once.
  std::string cmd = PillarBinary() + " index --no-taxonomy --index " +
                    ShellQuote((dir.path() / "idx").string()) + " " +
                    ShellQuote((dir.path() / "corpus/docs").string()) + " " +
                    ShellQuote((dir.path() / "corpus/docs/kept.txt").string()) + " 2>&1";
  REQUIRE(RunCommand(cmd, &out) == 0);
  INFO(out);
  CHECK(Occurrences(out, "catalog entries name a file that does not exist") == 1);
  CHECK(out.find("7 of 8 catalog entries") != std::string::npos);
  CHECK(out.find("doc-1 (old/moved-1.txt)") != std::string::npos);
  CHECK(out.find("doc-5 (old/moved-5.txt)") != std::string::npos);
  CHECK(out.find("doc-6") == std::string::npos);  // first five named, the rest counted
  CHECK(out.find("and 2 more") != std::string::npos);
  CHECK(out.find("doc-kept (") == std::string::npos);
  CHECK(out.find("(doc-kept, 1 passages)") != std::string::npos);  // its record still applies
}

TEST_CASE("A catalog whose entries all match files gives no warning", "[cli][catalog]") {
  TempDir dir;
  dir.Write("corpus/docs/a.txt", "Protection of civilians.\n");
  dir.Write("corpus/catalog.xml", "<catalog>\n" + Entry("doc-a", "docs/a.txt") + "</catalog>\n");
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index --no-taxonomy --index " +
                         ShellQuote((dir.path() / "idx").string()) + " " +
                         ShellQuote((dir.path() / "corpus").string()) + " 2>&1",
                     &out) == 0);
  INFO(out);
  CHECK(out.find("warning") == std::string::npos);
  CHECK(out.find("(doc-a, ") != std::string::npos);
}

}  // namespace
}  // namespace pillar
