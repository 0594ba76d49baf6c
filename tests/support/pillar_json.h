#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace pillar::testing {

// Runs `pillar ARGS` (ARGS already shell-quoted where needed), REQUIREs exit code 0 and
// returns its standard output parsed as JSON.
inline nlohmann::json RunPillarJson(const std::string& args) {
  std::string out;
  INFO("pillar " << args);
  REQUIRE(RunCommand(PillarBinary() + " " + args, &out) == 0);
  return nlohmann::json::parse(out);
}

}  // namespace pillar::testing
