// Text from documents reaches a terminal through `search` and `show`: control sequences in it
// are shown, never obeyed (issue 14, case 12).

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/pillar_json.h"
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
  const std::string id = pillar::testing::RunPillarJson("search --json committee --index " +
                                                        index)["hits"][0]["passage_id"];
  for (const std::string& args : {std::string("search patrol"), "show " + ShellQuote(id)}) {
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

TEST_CASE("index, docs and annotations print file names, titles and notes with escape sequences "
          "in caret notation",
          "[cli][terminal]") {
  TempDir dir;
  // A file name that sets the window title, and a note that clears the screen.
  const std::string name = "brief\x1b]0;pwned\x07.txt";
  dir.Write("in/" + name, "Early warning networks alert communities before attacks.\n");
  std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + index,
                     &out, true) == 0);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("brief^[]0;pwned^G.txt") != std::string::npos);

  REQUIRE(RunCommand(PillarBinary() + " docs --index " + index, &out, true) == 0);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("brief^[]0;pwned^G") != std::string::npos);

  const std::string id = pillar::testing::RunPillarJson("search --json warning --index " +
                                                        index)["hits"][0]["passage_id"];
  REQUIRE(RunCommand(PillarBinary() + " tag " + ShellQuote(id) + " --add ucp-early-warning " +
                         "--note " + ShellQuote("seen \x1b[2J twice") + " --index " + index,
                     &out, true) == 0);
  REQUIRE(RunCommand(PillarBinary() + " annotations --index " + index, &out, true) == 0);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("note: seen ^[[2J twice") != std::string::npos);
}

}  // namespace
}  // namespace pillar
