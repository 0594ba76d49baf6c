// Queries that are not valid UTF-8 (a Latin-1 terminal, a pasted binary string): a usage error
// naming the byte, never a crash (issue 14, case 5).

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::SampleIndex;
using pillar::testing::ShellQuote;

TEST_CASE("A query that is not valid UTF-8 exits 2 with a message, in search, search --json and "
          "export",
          "[cli][query]") {
  const std::string latin1 = "caf\xE9 protection";  // "café" in Latin-1
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  for (const std::string& args :
       {"search " + ShellQuote(latin1), "search --json " + ShellQuote(latin1),
        "export --format jsonl --query " + ShellQuote(latin1)}) {
    INFO(args);
    std::string out;
    int rc = RunCommand(PillarBinary() + " " + args + index, &out, true);
    CHECK(rc == 2);
    CHECK(out.find("not valid UTF-8 (byte 3)") != std::string::npos);
  }
}

}  // namespace
}  // namespace pillar
