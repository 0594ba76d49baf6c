#include "indexer/base/encoding.h"

#include <catch2/catch.hpp>

#include "indexer/base/text.h"

namespace pillar {
namespace {

TEST_CASE("EscapeInvalidUtf8 writes each stray byte as \\xHH and leaves UTF-8 alone", "[base]") {
  CHECK(EscapeInvalidUtf8("caf\xE9.txt") == "caf\\xE9.txt");
  CHECK(EscapeInvalidUtf8("caf\xC3\xA9.txt") == "caf\xC3\xA9.txt");
  // A truncated sequence: its lead byte is escaped, the ASCII after it kept.
  CHECK(EscapeInvalidUtf8("a\xE2\x82") == "a\\xE2\\x82");
  CHECK(EscapeInvalidUtf8("\xFF\xFEok") == "\\xFF\\xFEok");
  // Applying it twice changes nothing more: the result is valid UTF-8.
  std::string once = EscapeInvalidUtf8("x\x80y");
  CHECK(FindInvalidUtf8(once) == std::string::npos);
  CHECK(EscapeInvalidUtf8(once) == once);
}

TEST_CASE("PathText and PathFromText give back a Latin-1 file name's bytes", "[base]") {
  std::filesystem::path latin1("/archive/caf\xE9 d\xE9j\xE0.txt");
  std::string text = PathText(latin1);
  CHECK(text == "/archive/caf\\xE9 d\\xE9j\\xE0.txt");
  CHECK(PathFromText(text) == latin1);
  CHECK(PathFromText("/plain/name.txt") == std::filesystem::path("/plain/name.txt"));
}

TEST_CASE("DeclaredEncoding reads the XML declaration and HTML meta charset", "[base]") {
  CHECK(DeclaredEncoding("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>") == "ISO-8859-1");
  CHECK(DeclaredEncoding("<?xml version='1.0' encoding='windows-1252' ?>\n<a/>") == "windows-1252");
  CHECK(DeclaredEncoding("<?xml version=\"1.0\"?><a encoding=\"x\"/>").empty());
  CHECK(DeclaredEncoding("<html><head><meta charset=\"windows-1252\"></head>") == "windows-1252");
  CHECK(DeclaredEncoding("<html><head><meta http-equiv=\"Content-Type\" "
                         "content=\"text/html; charset=iso-8859-1\"></head>") == "iso-8859-1");
  CHECK(DeclaredEncoding("plain text").empty());
}

TEST_CASE("DecodeDeclared converts Latin-1 and windows-1252 files and keeps UTF-8 ones", "[base]") {
  Result<std::string> latin1 =
      DecodeDeclared("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>Minist\xE8re</t>");
  REQUIRE(latin1.ok());
  CHECK(latin1->find("Minist\xC3\xA8re") != std::string::npos);

  // windows-1252 has curly quotes at 0x93/0x94, which Latin-1 lacks.
  Result<std::string> cp1252 =
      DecodeDeclared("<html><meta charset=\"windows-1252\"><p>\x93protect\x94</p></html>");
  REQUIRE(cp1252.ok());
  CHECK(cp1252->find("\xE2\x80\x9Cprotect\xE2\x80\x9D") != std::string::npos);

  // Labelled Latin-1 but saved as UTF-8: the bytes win.
  std::string mislabelled = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\xC3\xA9</t>";
  CHECK(*DecodeDeclared(mislabelled) == mislabelled);

  // Not UTF-8 and nothing declared: handed back for the caller to report.
  CHECK(*DecodeDeclared("<t>\xE9</t>") == "<t>\xE9</t>");

  Result<std::string> unknown =
      DecodeDeclared("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><t>\xE9</t>");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().find("no-such-charset") != std::string::npos);
}

TEST_CASE("A declared encoding that is no name is ignored, and messages stay UTF-8", "[base]") {
  // Found by fuzz_akn_reader and fuzz_markdown_reader: a stray byte in the encoding's name
  // reached an error message as it was.
  CHECK(DeclaredEncoding("<?xml version=\"1.0\" encoding=\"\xF4UTF-8\"?><a/>").empty());
  CHECK(DeclaredEncoding("<?xmlitle:  encoding=utf8=\xFF\xFF?>").empty());
  std::string bytes = "<?xml version=\"1.0\" encoding=\"\xF4UTF-8\"?><t>\xE9</t>";
  CHECK(*DecodeDeclared(bytes) == bytes);  // undeclared: the caller reports the byte
  Result<std::string> bad = ConvertToUtf8("\xFF", "UTF-8");
  REQUIRE_FALSE(bad.ok());
  CHECK(FindInvalidUtf8(bad.status().message()) == std::string::npos);
}

}  // namespace
}  // namespace pillar
