#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::SourceDir;

TEST_CASE("docs/cli.md is the current --help of every subcommand", "[cli][docs]") {
  std::string generated;
  REQUIRE(pillar::testing::RunCommand("bash '" + (SourceDir() / "tools/gen-cli-doc").string() +
                                          "' '" + pillar::testing::PillarBinary() + "'",
                                      &generated) == 0);
  std::ifstream in(SourceDir() / "docs/cli.md");
  std::stringstream committed;
  committed << in.rdbuf();
  INFO("run: tools/gen-cli-doc build/pillar > docs/cli.md");
  CHECK(committed.str() == generated);
}

}  // namespace
}  // namespace pillar
