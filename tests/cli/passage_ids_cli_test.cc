// Passage ids that survive edits elsewhere, old ids that still resolve, `show DOC_ID` and
// paragraph-number shorthands (docs/ids.md, issue 17).

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using testing::PillarBinary;
using testing::RunCommand;
using testing::RunPillarJson;
using testing::ShellQuote;
using testing::TempDir;

const char* const kPatrols = "The mission increased patrols near the camps in March.";
const char* const kNetworks = "Community alert networks were set up in every district.";
const char* const kWomen = "Women's groups were consulted on the routes of the patrols.";

// Passage text -> id, from `export --format jsonl`.
std::map<std::string, std::string> IdsByText(const std::string& index) {
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " export --format jsonl --index " + ShellQuote(index),
                     &out) == 0);
  std::map<std::string, std::string> ids;
  size_t start = 0;
  for (size_t end = out.find('\n'); end != std::string::npos; end = out.find('\n', start)) {
    json p = json::parse(out.substr(start, end - start));
    ids[p["text"]] = p["passage_id"];
    start = end + 1;
  }
  return ids;
}

std::string Index(const TempDir& dir, const std::string& index, int* code = nullptr) {
  std::string out;
  int rc = RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                          " --no-taxonomy --index " + ShellQuote(index),
                      &out, true);
  if (code) *code = rc;
  INFO(out);
  CHECK(rc == 0);
  return out;
}

TEST_CASE(
    "Inserting a paragraph keeps the other ids, and an edited passage's old id still "
    "resolves with a notice",
    "[cli][ids][e2e]") {
  TempDir dir;
  const std::string index = (dir.path() / "idx").string();
  dir.Write("in/brief.txt", std::string(kPatrols) + "\n\n" + kNetworks + "\n\n" + kWomen + "\n");
  Index(dir, index);
  std::map<std::string, std::string> before = IdsByText(index);
  REQUIRE(before.size() == 3);

  // A paragraph inserted at the top, the first one edited.
  const std::string edited = "The mission doubled patrols near the camps in March.";
  dir.Write("in/brief.txt",
            "A new opening paragraph.\n\n" + edited + "\n\n" + kNetworks + "\n\n" + kWomen + "\n");
  std::string out = Index(dir, index);
  CHECK(out.find("1 passage id moved") != std::string::npos);
  std::map<std::string, std::string> after = IdsByText(index);
  CHECK(after[kNetworks] == before[kNetworks]);
  CHECK(after[kWomen] == before[kWomen]);
  REQUIRE(after.count(edited));
  CHECK(after[edited] != before[kPatrols]);

  // The old id of the edited passage names its new version, and says so on stderr.
  const std::string old_id = before[kPatrols];
  std::string err_file = (dir.path() / "err").string();
  REQUIRE(RunCommand(PillarBinary() + " show --json " + ShellQuote(old_id) + " --index " +
                         ShellQuote(index) + " 2>" + ShellQuote(err_file),
                     &out) == 0);
  CHECK(json::parse(out)["passage_id"] == after[edited]);
  std::string err;
  RunCommand("cat " + ShellQuote(err_file), &err);
  CHECK(err.find(old_id + " is now " + after[edited]) != std::string::npos);
  REQUIRE(
      RunCommand(PillarBinary() + " cite " + ShellQuote(old_id) + " --index " + ShellQuote(index),
                 &out) == 0);
  CHECK(out.find("brief") != std::string::npos);

  // Re-indexing the same text again moves nothing and keeps every id.
  REQUIRE(RunCommand(PillarBinary() + " index --force " + ShellQuote((dir.path() / "in").string()) +
                         " --no-taxonomy --index " + ShellQuote(index),
                     &out, true) == 0);
  CHECK(out.find(" moved") == std::string::npos);
  CHECK(IdsByText(index) == after);
}

TEST_CASE(
    "A manual tag on a passage follows it when its text is edited, and its old id tags "
    "the new version",
    "[cli][ids][e2e]") {
  TempDir dir;
  const std::string index = (dir.path() / "idx").string();
  dir.Write("in/brief.txt", std::string(kPatrols) + "\n\n" + kNetworks + "\n");
  Index(dir, index);
  const std::string old_id = IdsByText(index)[kPatrols];
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " tag " + ShellQuote(old_id) +
                         " --add ucp-early-warning --by test --index " + ShellQuote(index),
                     &out, true) == 0);
  const std::string edited = "The mission doubled patrols near the camps in March.";
  dir.Write("in/brief.txt", edited + "\n\n" + kNetworks + "\n");
  Index(dir, index);
  const std::string new_id = IdsByText(index)[edited];
  json shown = RunPillarJson("show --json " + ShellQuote(new_id) + " --index " + ShellQuote(index));
  REQUIRE(shown["pillars"].size() == 1);
  CHECK(shown["pillars"][0]["id"] == "ucp-early-warning");
  CHECK(shown["pillars"][0]["source"] == "manual");
  // `tag OLD_ID` acts on the passage the old id now names.
  REQUIRE(RunCommand(PillarBinary() + " tag " + ShellQuote(old_id) +
                         " --remove ucp-early-warning --by test --index " + ShellQuote(index),
                     &out, true) == 0);
  CHECK(out.find("is now " + new_id) != std::string::npos);
  shown = RunPillarJson("show --json " + ShellQuote(new_id) + " --index " + ShellQuote(index));
  for (const json& tag : shown["pillars"]) CHECK(tag["id"] != "ucp-early-warning");
}

TEST_CASE("Indexing the sample corpus twice gives the same passage ids", "[cli][ids][e2e]") {
  TempDir dir;
  const std::string index = (dir.path() / "idx").string();
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " +
                         ShellQuote((testing::SourceDir() / "corpus/sample").string()) +
                         " --no-taxonomy -q --index " + ShellQuote(index),
                     &out, true) == 0);
  std::map<std::string, std::string> fresh = IdsByText(index);
  std::map<std::string, std::string> sample = IdsByText(testing::SampleIndex().string());
  REQUIRE(fresh.size() > 300);
  CHECK(fresh == sample);
}

TEST_CASE("show DOC_ID lists the document's passages where cite DOC_ID works", "[cli][ids]") {
  const std::string index = " --index " + ShellQuote(testing::SampleIndex().string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " show hippo-2015" + index, &out) == 0);
  CHECK(out.find("hippo-2015#para-12  (para. 12)") != std::string::npos);
  json doc = RunPillarJson("show --json hippo-2015" + index);
  CHECK(doc["document"]["id"] == "hippo-2015");
  CHECK(doc["passages"].size() == doc["document"]["passages"]);
  CHECK(RunCommand(PillarBinary() + " show no-such-document" + index, &out, true) == 2);
  CHECK(out.find("no document 'no-such-document'") != std::string::npos);
}

TEST_CASE("A paragraph number written as #5, #para-5 or 'para. 5' finds the operative paragraph",
          "[cli][ids]") {
  const std::string index = " --index " + ShellQuote(testing::SampleIndex().string());
  for (const char* id : {"s-res-2719-2023#5", "s-res-2719-2023#para-5", "s-res-2719-2023#op-5",
                         "s-res-2719-2023#para. 5", "s-res-2719-2023#OP5"}) {
    INFO(id);
    CHECK(RunPillarJson("show --json " + ShellQuote(id) + index)["passage_id"] ==
          "s-res-2719-2023#op-5");
  }
  CHECK(RunPillarJson("show --json 'hippo-2015#op-12'" + index)["passage_id"] ==
        "hippo-2015#para-12");
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " cite 's-res-2719-2023#5'" + index, &out) == 0);
  CHECK(out.find("para. 5") != std::string::npos);
  CHECK(RunCommand(PillarBinary() + " show 's-res-2719-2023#999'" + index, &out, true) == 2);
}

}  // namespace
}  // namespace pillar
