// `pillar index --ocr` end to end: scanned PDFs made at test time from our sample PDF, read
// by the real Tesseract, then searched, shown, exported and cited.

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using testing::PillarBinary;
using testing::RunCommand;
using testing::ShellQuote;
using testing::SourceDir;
using testing::TempDir;
namespace fs = std::filesystem;

const char* kSamplePdf = "corpus/sample/unsme-poc-strategy-draft.pdf";

int Pillar(const std::string& args, std::string* out, bool merge_stderr = false) {
  return RunCommand(PillarBinary() + " " + args, out, merge_stderr);
}

int PillarErr(const std::string& args, std::string* err) {
  return RunCommand(PillarBinary() + " " + args + " 2>&1 >/dev/null", err);
}

TEST_CASE("pillar index refuses a scanned PDF without --ocr, goes on, and reads it with --ocr",
          "[cli][e2e][ocr]") {
  TempDir dir;
  fs::path docs = dir.path() / "docs";
  fs::create_directories(docs);
  fs::path scan = docs / "scanned-strategy.pdf";
  std::string made = testing::MakeScannedPdf(SourceDir() / kSamplePdf, 1, scan);
  INFO(made);
  REQUIRE(made.empty());
  dir.Write("docs/note.txt", "1. Patrols protect civilians near the kingfisher ponds.\n");
  std::string index = " --index " + ShellQuote((dir.path() / "idx").string());
  std::string d = ShellQuote(docs.string());

  std::string err, out;
  CHECK(PillarErr("index " + d + index, &err) == 1);
  CHECK(err.find(scan.string() +
                 ": no text layer (a scanned PDF): re-run with `pillar index --ocr` to read "
                 "it with Tesseract") != std::string::npos);
  REQUIRE(Pillar("search kingfisher --json" + index, &out) == 0);
  CHECK(json::parse(out)["total"] == 1);  // the other file was indexed

  REQUIRE(Pillar("index " + d + " --ocr" + index, &out) == 0);
  CHECK(out.find("indexed   " + scan.string() + " (scanned-strategy,") != std::string::npos);
  CHECK(out.find("unchanged " + (docs / "note.txt").string()) != std::string::npos);

  // A word of the scanned page is found, in a passage marked as OCR'd.
  REQUIRE(Pillar("search handsets --json" + index, &out) == 0);
  json hits = json::parse(out)["hits"];
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["doc_id"] == "scanned-strategy");
  CHECK(hits[0]["ocr"] == true);
  CHECK(hits[0]["page"] == 1);
  CHECK(hits[0]["text"].get<std::string>().find("Community alert networks, equipped with "
                                                 "telephones and radio handsets") !=
        std::string::npos);
  std::string id = hits[0]["passage_id"];
  REQUIRE(Pillar("search kingfisher --json" + index, &out) == 0);
  CHECK(json::parse(out)["hits"][0]["ocr"] == false);

  REQUIRE(Pillar("show " + ShellQuote(id) + " --json" + index, &out) == 0);
  CHECK(json::parse(out)["ocr"] == true);
  REQUIRE(Pillar("export --format jsonl" + index, &out) == 0);
  std::istringstream lines(out);
  size_t ocr = 0, not_ocr = 0;
  for (std::string line; std::getline(lines, line);) {
    (json::parse(line)["ocr"].get<bool>() ? ocr : not_ocr) += 1;
  }
  CHECK(ocr >= 5);
  CHECK(not_ocr == 1);

  // Citations say where the text came from.
  REQUIRE(Pillar("cite " + ShellQuote(id) + index, &out) == 0);
  CHECK(out.find("p. 1 (text from OCR).") != std::string::npos);
  REQUIRE(Pillar("cite " + ShellQuote(id) + " --format csl-json" + index, &out) == 0);
  CHECK(json::parse(out)[0]["note"] ==
        "Cited text read by OCR from a scanned copy; check it against the original.");
  REQUIRE(Pillar("cite scanned-strategy --format csl-json" + index, &out) == 0);
  CHECK_FALSE(json::parse(out)[0].contains("note"));  // the document, no OCR'd passage cited
}

TEST_CASE("pillar index --ocr re-reads a PDF indexed without it and OCRs only its scanned page",
          "[cli][e2e][ocr]") {
  TempDir dir;
  fs::path scan = dir.path() / "scan.pdf", page2 = dir.path() / "page2.pdf";
  fs::path mixed = dir.path() / "mixed.pdf";
  REQUIRE(testing::MakeScannedPdf(SourceDir() / kSamplePdf, 1, scan).empty());
  REQUIRE(testing::ExtractPdfPage(SourceDir() / kSamplePdf, 2, page2).empty());
  REQUIRE(testing::JoinPdfs({scan, page2}, mixed).empty());
  std::string index = " --index " + ShellQuote((dir.path() / "idx").string());
  std::string m = ShellQuote(mixed.string());

  std::string out;
  // Without --ocr the text page is indexed and the scanned one is not.
  REQUIRE(Pillar("index " + m + index, &out) == 0);
  REQUIRE(Pillar("search handsets --json" + index, &out) == 0);
  CHECK(json::parse(out)["total"] == 0);
  REQUIRE(Pillar("index " + m + index, &out) == 0);
  CHECK(out.find("unchanged ") != std::string::npos);

  // Turning OCR on changes the file's fingerprint: it is read again.
  REQUIRE(Pillar("index " + m + " --ocr" + index, &out) == 0);
  CHECK(out.find("indexed   " + mixed.string()) != std::string::npos);
  REQUIRE(Pillar("search handsets --json" + index, &out) == 0);
  json hits = json::parse(out)["hits"];
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["ocr"] == true);
  CHECK(hits[0]["page"] == 1);
  REQUIRE(Pillar("export --format jsonl" + index, &out) == 0);
  std::istringstream lines(out);
  size_t page2_passages = 0;
  for (std::string line; std::getline(lines, line);) {
    json p = json::parse(line);
    INFO(line);
    CHECK(p["ocr"] == (p["page"] == 1));
    page2_passages += p["page"] == 2 ? 1 : 0;
  }
  CHECK(page2_passages >= 5);
  REQUIRE(Pillar("index " + m + " --ocr" + index, &out) == 0);
  CHECK(out.find("unchanged ") != std::string::npos);
}

TEST_CASE("pillar index --ocr-lang with a language not installed is a usage error",
          "[cli][ocr][bad-input]") {
  TempDir dir;
  dir.Write("a.txt", "Some text.\n");
  std::string err;
  CHECK(PillarErr("index " + ShellQuote((dir.path() / "a.txt").string()) +
                      " --ocr --ocr-lang eng+xyz --index " +
                      ShellQuote((dir.path() / "idx").string()),
                  &err) == 2);
  CHECK(err.find("--ocr-lang eng+xyz: OCR language 'xyz' is not installed (Debian: apt install "
                 "tesseract-ocr-xyz)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "idx"));
}

}  // namespace
}  // namespace pillar
