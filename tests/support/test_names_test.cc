// CTest learns the test names from the Catch2 binary (catch_discover_tests) and keeps them in
// a CMake list, where ';' separates items: a name with ';' became two CTest entries that each
// matched no test, so the test silently never ran. A name starting with '-' is read as an
// option. This test keeps such names out of the tree.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

TEST_CASE("Test names have no semicolon and do not start with a dash (CTest would not run them)",
          "[meta]") {
  const std::regex test_case(R"re(TEST_CASE\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+))re");
  const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
  size_t names = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::SourceDir() / "tests")) {
    const std::string path = entry.path().string();
    if (path.size() < 8 || path.compare(path.size() - 8, 8, "_test.cc") != 0) continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string source = buffer.str();
    for (std::sregex_iterator m(source.begin(), source.end(), test_case), end; m != end; ++m) {
      std::string name;
      const std::string parts = (*m)[1];
      for (std::sregex_iterator p(parts.begin(), parts.end(), literal); p != end; ++p) {
        name += (*p)[1];
      }
      INFO(path << ": " << name);
      CHECK(name.find(';') == std::string::npos);
      CHECK_FALSE((!name.empty() && name[0] == '-'));
      ++names;
    }
  }
  CHECK(names > 100);
}

}  // namespace
}  // namespace pillar
