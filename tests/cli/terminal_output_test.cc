// Text from documents reaches a terminal through `search` and `show`: control sequences in it
// are shown, never obeyed (issue 14, case 12).

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

TEST_CASE("search and show print escape sequences from a document in caret notation instead of "
          "sending them to the terminal",
          "[cli][terminal]") {
  TempDir dir;
  // Our own text with a window-title OSC, a clear-screen CSI, a C1 CSI and a bell.
  dir.Write("in/hostile.txt",
            "Patrol notes\n\n"
            "The patrol \x1b]0;pwned\x07 met the committee \x1b[2J near the market, then "
            "\xC2\x9B" "31m went on to the camp where civilians sheltered.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + index,
                     &out, true) == 0);
  for (const std::string& args : {std::string("search patrol"), std::string("show hostile#p-1")}) {
    INFO(args);
    REQUIRE(RunCommand(PillarBinary() + " " + args + " --index " + index, &out, true) == 0);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\x07') == std::string::npos);
    CHECK(out.find("\xC2\x9B") == std::string::npos);
    CHECK(out.find("^[]0;pwned^G") != std::string::npos);
    CHECK(out.find("^[[2J") != std::string::npos);
    CHECK(out.find("<U+009B>31m") != std::string::npos);
  }
}

}  // namespace
}  // namespace pillar
