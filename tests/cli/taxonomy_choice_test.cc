// Which taxonomy tags a run, and what happens when it is missing or malformed (issue 14,
// case 3): the taxonomy recorded in the index is used, or the run refuses and the index is
// left as it was. Untagged indexing is asked for with --no-taxonomy.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::ShellQuote;
using pillar::testing::SourceDir;
using pillar::testing::TempDir;

constexpr char kText[] =
    "The mission deployed troops and conducted armed patrols to provide physical protection to "
    "civilians under imminent threat of physical violence.\n\n"
    "Early warning networks and community alert systems help communities prepare before "
    "attacks.\n";

// Pillars tagged on the passage that matches "patrols".
size_t PatrolPillars(const std::string& index) {
  nlohmann::json hits = RunPillarJson("search --json patrols --index " + ShellQuote(index));
  REQUIRE(hits["hits"].size() == 1);
  return hits["hits"][0]["pillars"].size();
}

// A copy of the pillar binary in a folder with no corpus/ above it, as when installed, run
// from `cwd` with no $PILLAR_TAXONOMY.
std::string Installed(const TempDir& dir) {
  fs::path bin = dir.path() / "bin" / "pillar";
  if (!fs::exists(bin)) {
    fs::create_directories(bin.parent_path());
    fs::copy_file(PillarBinary(), bin);
  }
  return "cd " + ShellQuote(dir.path().string()) + " && env -u PILLAR_TAXONOMY " +
         ShellQuote(bin.string());
}

TEST_CASE("Indexing uses the taxonomy recorded in the index, or refuses and keeps the index",
          "[cli][taxonomy]") {
  TempDir dir;
  dir.Write("docs/mission.txt", kText);
  fs::path rules = dir.path() / "rules" / "poc.skos.xml";
  fs::create_directories(rules.parent_path());
  fs::copy_file(SourceDir() / "corpus" / "taxonomy" / "poc.skos.xml", rules);
  const std::string index = (dir.path() / "idx").string();
  const std::string args = " index docs --index " + ShellQuote(index);
  std::string out;

  REQUIRE(RunCommand(Installed(dir) + args + " --taxonomy " + ShellQuote(rules.string()), &out,
                     true) == 0);
  const size_t tagged = PatrolPillars(index);
  REQUIRE(tagged > 0);

  SECTION("an installed binary with no default taxonomy uses the index's own: nothing changes") {
    REQUIRE(RunCommand(Installed(dir) + args, &out, true) == 0);
    CHECK(out.find("0 indexed, 1 unchanged") != std::string::npos);
    CHECK(PatrolPillars(index) == tagged);
  }
  SECTION("the index's taxonomy gone: the run refuses and the tags stay") {
    fs::remove(rules);
    CHECK(RunCommand(Installed(dir) + args + " --force", &out, true) == 2);
    CHECK(out.find("no longer there") != std::string::npos);
    CHECK(out.find(rules.string()) != std::string::npos);
    CHECK(PatrolPillars(index) == tagged);
  }
  SECTION("a malformed taxonomy: the run refuses, naming the file and line, and the tags stay") {
    dir.Write("rules/broken.skos.xml", "<rdf:RDF xmlns:rdf=\"x\">\n<unclosed>\n");
    CHECK(RunCommand(Installed(dir) + args + " --force --taxonomy rules/broken.skos.xml", &out,
                     true) == 2);
    CHECK(out.find("broken.skos.xml: line") != std::string::npos);
    CHECK(out.find("nothing was indexed") != std::string::npos);
    CHECK(PatrolPillars(index) == tagged);
  }
  SECTION("--no-taxonomy indexes untagged on purpose") {
    REQUIRE(RunCommand(Installed(dir) + args + " --no-taxonomy", &out, true) == 0);
    CHECK(out.find("1 indexed") != std::string::npos);
    CHECK(PatrolPillars(index) == 0);
  }
}

TEST_CASE("A new index with no taxonomy to be found is refused until one is named",
          "[cli][taxonomy]") {
  TempDir dir;
  dir.Write("docs/mission.txt", kText);
  const std::string args = " index docs --index idx";
  std::string out;
  CHECK(RunCommand(Installed(dir) + args, &out, true) == 2);
  CHECK(out.find("no taxonomy found") != std::string::npos);
  CHECK(out.find("--no-taxonomy") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "idx" / "xapian"));

  std::string env = "PILLAR_TAXONOMY=" +
                    ShellQuote((SourceDir() / "corpus" / "taxonomy" / "poc.skos.xml").string());
  REQUIRE(RunCommand("cd " + ShellQuote(dir.path().string()) + " && " + env + " " +
                         ShellQuote((dir.path() / "bin" / "pillar").string()) + args,
                     &out, true) == 0);
  CHECK(PatrolPillars((dir.path() / "idx").string()) > 0);
}

}  // namespace
}  // namespace pillar
