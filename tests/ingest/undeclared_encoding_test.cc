// Plain text in windows-1252 or ISO-8859-1 with nothing to declare it (issue 17): read as the
// encoding ICU detects, and said so; binary junk is still refused.

#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "indexer/base/encoding.h"
#include "indexer/base/text.h"
#include "indexer/ingest/reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::PillarBinary;
using testing::RunCommand;
using testing::ShellQuote;
using testing::TempDir;

// windows-1252: curly quotes (0x93 0x94), en dash (0x96) and the euro sign (0x80) sit in
// 0x80-0x9F, which ISO-8859-1 leaves to control characters.
const char kWindows1252[] =
    "1. The \x93protection of civilians\x94 \x96 the mission's first task \x96 costs \x80"
    "50 million.\n\n2. Les casques bleus prot\xE8gent les civils menac\xE9s, \xE0 l'\xE9"
    "cole comme au march\xE9.\n";
const char kLatin1[] =
    "1. La s\xE9"
    "curit\xE9 des civils rel\xE8ve du gouvernement h\xF4te.\n\n"
    "2. La mission prot\xE8ge les d\xE9plac\xE9s et facilite l'acc\xE8s humanitaire.\n";

TEST_CASE("Plain text in windows-1252 without a declaration is read as windows-1252",
          "[ingest][encoding]") {
  Result<ExtractedDocument> doc = ParseDocumentBytes("memo.txt", kWindows1252);
  REQUIRE(doc.ok());
  CHECK_THAT(doc->text, Catch::Contains("The \u201Cprotection of civilians\u201D \u2013 the"));
  CHECK_THAT(doc->text, Catch::Contains("costs \u20AC50 million"));
  CHECK_THAT(doc->text, Catch::Contains("prot\u00E8gent les civils menac\u00E9s, \u00E0 l'\u00E9"));
  CHECK(FindInvalidUtf8(doc->text) == std::string::npos);
  CHECK_THAT(doc->detected_encoding, Catch::StartsWith("windows-1252 ("));
  CHECK_THAT(doc->detected_encoding, Catch::Contains("confidence"));
  CHECK(doc->blocks.size() == 2);
}

TEST_CASE("Plain text in ISO-8859-1 without a declaration is converted", "[ingest][encoding]") {
  Result<ExtractedDocument> doc = ParseDocumentBytes("note.txt", kLatin1);
  REQUIRE(doc.ok());
  CHECK_THAT(doc->text, Catch::Contains("La s\u00E9"
                                        "curit\u00E9 des civils rel\u00E8ve"));
  CHECK_THAT(doc->text, Catch::Contains("d\u00E9plac\u00E9s"));
  // Both names give the same text for these bytes.
  CHECK((doc->detected_encoding.rfind("ISO-8859-1 (", 0) == 0 ||
         doc->detected_encoding.rfind("windows-1252 (", 0) == 0));
}

TEST_CASE("UTF-8 plain text is not run through the detector", "[ingest][encoding]") {
  Result<ExtractedDocument> doc = ParseDocumentBytes("note.txt",
                                                     "La s\u00E9"
                                                     "curit\u00E9 des civils.\n");
  REQUIRE(doc.ok());
  CHECK(doc->detected_encoding.empty());
}

TEST_CASE("Binary junk in a .txt file is still refused with the invalid UTF-8 error",
          "[ingest][encoding][bad-input]") {
  // Bytes of every value but NUL (the NUL check has its own message): control characters
  // are not text in any 8-bit encoding.
  std::mt19937 random(17);
  std::string junk;
  for (int i = 0; i < 4000; ++i) junk += static_cast<char>(1 + random() % 255);
  Result<ExtractedDocument> doc = ParseDocumentBytes("junk.txt", junk);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Status::Code::kCorruption);
  CHECK_THAT(doc.status().message(), Catch::Contains("invalid UTF-8 at byte offset"));
  CHECK_THAT(doc.status().message(), Catch::Contains("convert the file to UTF-8"));

  // High bytes only, with no control characters: the detector finds no 8-bit text in them.
  std::string high;
  for (int i = 0; i < 4000; ++i) high += static_cast<char>(0x80 + random() % 128);
  Result<ExtractedDocument> noise = ParseDocumentBytes("noise.txt", high);
  if (noise.ok()) {
    // Whatever ICU makes of it, what is kept is valid UTF-8 and says it was a guess.
    CHECK(FindInvalidUtf8(noise->text) == std::string::npos);
    CHECK_FALSE(noise->detected_encoding.empty());
  } else {
    CHECK_THAT(noise.status().message(), Catch::Contains("convert the file to UTF-8"));
  }
}

TEST_CASE("DecodeUndeclared refuses control characters and names the byte", "[base][encoding]") {
  DetectedEncoding found;
  Result<std::string> out = DecodeUndeclared("caf\xE9\x01 au lait", &found);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().message() == "control character 0x01 at byte offset 4, not text");
  CHECK(found.name.empty());
}

TEST_CASE("pillar index says which encoding it assumed for a plain text file", "[cli][encoding]") {
  TempDir dir;
  dir.Write("in/memo.txt", kWindows1252);
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index --no-taxonomy --index " +
                         ShellQuote((dir.path() / "idx").string()) + " " +
                         ShellQuote((dir.path() / "in").string()) + " 2>&1",
                     &out) == 0);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("memo.txt (memo, 2 passages; read as windows-1252 (not UTF-8 "
                                  "and no encoding declared; detected by ICU with confidence"));
  CHECK_THAT(out, Catch::Contains("1 indexed"));
  // --quiet still says it, on standard error.
  std::string quiet;
  REQUIRE(RunCommand(PillarBinary() + " index --quiet --force --no-taxonomy --index " +
                         ShellQuote((dir.path() / "idx").string()) + " " +
                         ShellQuote((dir.path() / "in").string()) + " 2>&1 >/dev/null",
                     &quiet) == 0);
  CHECK_THAT(quiet, Catch::Contains("pillar: note: "));
  CHECK_THAT(quiet, Catch::Contains("memo.txt: read as windows-1252"));
}

}  // namespace
}  // namespace pillar
