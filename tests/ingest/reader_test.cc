#include "indexer/ingest/reader.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::TempDir;

TEST_CASE("ReadDocument refuses an empty file", "[ingest][bad-input]") {
  TempDir dir;
  auto st = ReadDocument(dir.Write("empty.txt", "")).status();
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message() == "empty file");
  CHECK(ReadDocument(dir.Write("blank.md", " \n\n\t\n")).status().message() == "empty file");
}

TEST_CASE("ReadDocument refuses binary content in a text file", "[ingest][bad-input]") {
  TempDir dir;
  std::string bytes("PK\x03\x04\0\0\x14\0binary", 14);
  auto st = ReadDocument(dir.Write("archive.txt", bytes)).status();
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK_THAT(st.message(), Catch::Contains("binary content"));
}

TEST_CASE("ReadDocument names the line of invalid UTF-8", "[ingest][bad-input]") {
  TempDir dir;
  // Markdown: plain text would be read as the encoding ICU detects (undeclared_encoding_test).
  auto st = ReadDocument(dir.Write("latin1.md", "1. Good line.\n2. S\xE9" "curit\xE9 des civils.\n"))
                .status();
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK_THAT(st.message(), Catch::Contains("invalid UTF-8 at byte offset 18 (line 2, column 5"));
}

TEST_CASE("ReadDocument decodes UTF-16 with a byte-order mark and drops a UTF-8 BOM",
          "[ingest]") {
  TempDir dir;
  std::string utf16("\xFF\xFE", 2);
  for (char16_t c : std::u16string(u"S\u00e9curit\u00e9 des civils.")) {
    utf16 += static_cast<char>(c & 0xFF);
    utf16 += static_cast<char>(c >> 8);
  }
  Result<ExtractedDocument> doc = ReadDocument(dir.Write("utf16.txt", utf16));
  REQUIRE(doc.ok());
  CHECK(doc->text == "S\xC3\xA9" "curit\xC3\xA9 des civils.");
  Result<ExtractedDocument> bom = ReadDocument(dir.Write("bom.txt", "\xEF\xBB\xBFHello there."));
  REQUIRE(bom.ok());
  CHECK(bom->text == "Hello there.");
}

TEST_CASE("ReadDocument normalises text to NFC", "[ingest]") {
  TempDir dir;
  // "é" written as e + combining acute accent.
  Result<ExtractedDocument> doc = ReadDocument(dir.Write("nfd.txt", "Se\xCC\x81" "curite\xCC\x81."));
  REQUIRE(doc.ok());
  CHECK(doc->text == "S\xC3\xA9" "curit\xC3\xA9.");
}

TEST_CASE("ReadDocument reports unreadable and missing files", "[ingest][bad-input]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "folder.txt");
  CHECK(ReadDocument(dir.path() / "folder.txt").status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(ReadDocument(dir.path() / "missing.txt").status().code() == Status::Code::kIOError);
  std::filesystem::create_symlink(dir.path() / "nowhere.txt", dir.path() / "dangling.txt");
  CHECK(ReadDocument(dir.path() / "dangling.txt").status().code() == Status::Code::kIOError);
  if (::geteuid() != 0) {
    auto locked = dir.Write("locked.txt", "1. Text.");
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    CHECK(ReadDocument(locked).status().code() == Status::Code::kIOError);
  }
}

TEST_CASE("ReadDocument refuses files over the size limit before reading them",
          "[ingest][bad-input]") {
  TempDir dir;
  auto huge = dir.path() / "huge.txt";
  { std::ofstream(huge) << "x"; }
  std::filesystem::resize_file(huge, 300ull << 20);  // sparse: costs no disk
  ReadOptions options;
  auto st = ReadDocument(huge, options).status();
  CHECK(st.code() == Status::Code::kUnsupported);
  CHECK_THAT(st.message(), Catch::Contains("over the limit"));
}

TEST_CASE("ReadDocument refuses formats it has no reader for", "[ingest][bad-input]") {
  TempDir dir;
  CHECK(ReadDocument(dir.Write("image.png", "\x89PNG")).status().code() ==
        Status::Code::kUnsupported);
}

}  // namespace
}  // namespace pillar
