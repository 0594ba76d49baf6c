// pillar open: the original file of a passage, at its page for a PDF.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::ShellQuote;
using pillar::testing::SourceDir;
using pillar::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("pillar open gives a PDF passage's file at its page, and a text passage's file",
          "[cli][open]") {
  TempDir dir;
  fs::create_directories(dir.path() / "in dir");
  fs::copy_file(SourceDir() / "corpus/sample/unsme-poc-strategy-draft.pdf",
                dir.path() / "in dir/strategy.pdf");
  dir.Write("in dir/note.txt", "A note about patrols.\n");
  const std::string index = " --index " + ShellQuote(dir.path() / "idx");
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote(dir.path() / "in dir") + " -q" + index,
                     &out, true) == 0);
  // A passage on a later page of the PDF.
  REQUIRE(RunCommand(PillarBinary() + " export --format jsonl" + index, &out) == 0);
  std::string pdf_id, text_id;
  int page = 0;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    json p = json::parse(line);
    if (p["doc_id"] == "note") text_id = p["passage_id"];
    if (p["doc_id"] == "strategy" && p["page"].is_number() && p["page"].get<int>() > 1 &&
        pdf_id.empty()) {
      pdf_id = p["passage_id"];
      page = p["page"];
    }
  }
  REQUIRE(!pdf_id.empty());
  REQUIRE(!text_id.empty());
  const std::string dir_uri = "file://" + fs::canonical(dir.path()).string() + "/in%20dir/";

  REQUIRE(RunCommand(PillarBinary() + " open " + ShellQuote(pdf_id) + " --print" + index, &out) ==
          0);
  CHECK(out == dir_uri + "strategy.pdf#page=" + std::to_string(page) + "\n");
  REQUIRE(RunCommand(PillarBinary() + " open " + ShellQuote(text_id) + " --print" + index, &out) ==
          0);
  CHECK(out == dir_uri + "note.txt\n");
  REQUIRE(RunCommand(PillarBinary() + " open strategy --print" + index, &out) == 0);
  CHECK(out == dir_uri + "strategy.pdf\n");

  // Opened with a program: it gets the URI as one argument.
  auto opener =
      dir.Write("opener.sh", "#!/bin/sh\nprintf '%s' \"$1\" > \"$(dirname \"$0\")/got\"\n");
  fs::permissions(opener, fs::perms::owner_all);
  REQUIRE(RunCommand(PillarBinary() + " open " + ShellQuote(pdf_id) + " --with " +
                         ShellQuote(opener) + index,
                     &out, true) == 0);
  std::ifstream got(dir.path() / "got");
  std::string uri((std::istreambuf_iterator<char>(got)), std::istreambuf_iterator<char>());
  CHECK(uri == dir_uri + "strategy.pdf#page=" + std::to_string(page));

  // Unknown ids and vanished files are errors that say so.
  CHECK(RunCommand(PillarBinary() + " open 'nowhere#p-1' --print" + index, &out, true) == 2);
  fs::remove(dir.path() / "in dir/note.txt");
  CHECK(RunCommand(PillarBinary() + " open " + ShellQuote(text_id) + " --print" + index, &out,
                   true) == 2);
  CHECK(out.find("no longer there") != std::string::npos);
  CHECK(RunCommand(
            PillarBinary() + " open " + ShellQuote(pdf_id) + " --with /nonexistent/opener" + index,
            &out, true) == 1);
}

}  // namespace
}  // namespace pillar
