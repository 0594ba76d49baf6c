// Numeric options are checked, not wrapped: a negative count or a result window past its cap
// is a usage error naming the option and its range (issue 14, case 17 and the -j cap of 10).

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::SampleIndex;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

TEST_CASE(
    "Negative or oversized -n, --offset, --jobs and --commit-every exit 2 naming the "
    "option and its range",
    "[cli][options]") {
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  TempDir dir;
  const std::string scratch = " --index " + ShellQuote((dir.path() / "idx").string());
  const std::string sample = ShellQuote((testing::SourceDir() / "corpus/sample").string());
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {
           Case{"search protection -n -3" + index, "--limit: Value -3 not in range 0 to 10000"},
           Case{"search protection -n 20000" + index, "--limit: Value 20000 not in range"},
           Case{"search protection --offset -1" + index, "--offset: Value -1 not in range"},
           Case{"similar 'hippo-2015#para-25' -n -1" + index, "--limit: Value -1 not in range"},
           Case{"index " + sample + " -j 2000" + scratch,
                "--jobs: Value 2000 not in range 0 to 64"},
           Case{"index " + sample + " --commit-every -5" + scratch, "--commit-every: Value -5"},
       }) {
    INFO(c.args);
    std::string out;
    CHECK(RunCommand(PillarBinary() + " " + c.args, &out, true) == 2);
    CHECK(out.find(c.message) != std::string::npos);
  }
  // Nothing was built by the refused index runs.
  CHECK_FALSE(std::filesystem::exists(dir.path() / "idx" / "xapian"));
  std::string out;
  CHECK(RunCommand(PillarBinary() + " search protection -n 3 --json" + index, &out) == 0);
}

}  // namespace
}  // namespace pillar
