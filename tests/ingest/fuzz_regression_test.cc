// Inputs found by the libFuzzer targets (fuzz/, docs/reliability.md "Fuzzing") on which a
// reader broke one of its promises, kept as tests. Each input is the one the fuzzer found,
// minimised (libFuzzer -minimize_crash).
#include <zip.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "indexer/base/text.h"
#include "indexer/ingest/reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

// A DOCX of word/document.xml and, when given, docProps/core.xml (stored) as bytes.
std::string DocxWithDocument(const testing::TempDir& dir, const std::string& document_xml,
                             const std::string& core_xml = {}) {
  std::string path = (dir.path() / "made.docx").string();
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(zip);
  zip_source_t* src = zip_source_buffer(zip, document_xml.data(), document_xml.size(), 0);
  REQUIRE(src);
  REQUIRE(zip_file_add(zip, "word/document.xml", src, 0) >= 0);
  if (!core_xml.empty()) {
    src = zip_source_buffer(zip, core_xml.data(), core_xml.size(), 0);
    REQUIRE(src);
    REQUIRE(zip_file_add(zip, "docProps/core.xml", src, 0) >= 0);
  }
  REQUIRE(zip_close(zip) == 0);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_CASE("A DOCX part that is not UTF-8 is refused with its place, not read into the text",
          "[ingest][docx][fuzz]") {
  // fuzz_docx_reader: pugixml passed the byte 0xF9 on, and the passage text was not UTF-8
  // (JSON output aborts on such text).
  testing::TempDir dir;
  std::string docx = DocxWithDocument(
      dir, "<w:document><w:body><w:p><w:t>\xF9</w:t></w:p></w:body></w:document>\n");
  Result<ExtractedDocument> doc = ParseDocumentBytes("made.docx", docx);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Status::Code::kCorruption);
  CHECK(doc.status().message() == "word/document.xml: line 1, column 31: invalid UTF-8");
}

TEST_CASE("A DOCX creation date with a non-ASCII character after the month is not cut inside it",
          "[ingest][docx][fuzz]") {
  // fuzz_docx_reader: dcterms:created "2022-02-0" + U+062B...; the reader kept its first 10
  // bytes, which end inside U+062B, and the document's date was not UTF-8.
  testing::TempDir dir;
  std::string core =
      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
      "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:title>Concept note</dc:title>"
      "<dc:creator>Tamarind</dc:creator><dcterms:created>2022-02-0\xD8\xAB"
      "00:00:00Z"
      "</dcterms:created><dc:language>en-GB</dc:language></cp:coreProperties>";
  std::string docx = DocxWithDocument(
      dir,
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:body><w:p><w:r><w:t>Accompaniment</w:t></w:r></w:p></w:body></w:document>",
      core);
  Result<ExtractedDocument> doc = ParseDocumentBytes("made.docx", docx);
  REQUIRE(doc.ok());
  CHECK(doc->meta.date == "2022-02");
  CHECK(FindInvalidUtf8(doc->meta.date) == std::string::npos);
  CHECK(doc->meta.title == "Concept note");
}

TEST_CASE("XML character references to surrogates or beyond U+10FFFF are refused with their place",
          "[ingest][xml][fuzz]") {
  // Found with fuzz_tei_reader's check of the extracted text: pugixml decodes "&#xD800;" into
  // bytes that are not UTF-8. XML allows no such reference.
  const char* tei =
      "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n"
      "<p>bad &#xD800; here</p></body></text></TEI>";
  Result<ExtractedDocument> doc = ParseDocumentBytes("paper.tei.xml", tei);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Status::Code::kCorruption);
  CHECK(doc.status().message() ==
        "line 2, column 4: a character reference to a surrogate or a code point beyond "
        "U+10FFFF, which XML does not allow");

  const char* akn =
      "<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\"><doc name=\"x\">"
      "<mainBody><p eId=\"&#x110000;\">text</p></mainBody></doc></akomaNtoso>";
  doc = ParseDocumentBytes("res.akn.xml", akn);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message().find("a character reference to a surrogate") != std::string::npos);

  // References to characters, astral ones included, are read as before.
  doc = ParseDocumentBytes("ok.tei.xml",
                           "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>caf&#xE9; "
                           "&#128512; &#x9;tab</p></body></text></TEI>");
  REQUIRE(doc.ok());
  CHECK(doc->text == "caf\xC3\xA9 \xF0\x9F\x98\x80 tab");
}

TEST_CASE("An XML declaration whose encoding name holds a stray byte gives a UTF-8 message",
          "[ingest][fuzz]") {
  // Found by fuzz_akn_reader (the same cause by fuzz_markdown_reader): the name reached the
  // error message as it was.
  std::string akn =
      "<?xml version=\"1.0\" encoding=\"\xF4UTF-8\"?>\n"
      "<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\"><statement "
      "name=\"resolution\"><mainBody><p>Civilians \xE9</p></mainBody></statement></akomaNtoso>";
  Result<ExtractedDocument> parsed = ParseDocumentBytes("res.akn", akn);
  REQUIRE_FALSE(parsed.ok());
  CHECK(FindInvalidUtf8(parsed.status().message()) == std::string::npos);
  CHECK_THAT(parsed.status().message(), Catch::Contains("invalid UTF-8"));

  std::string markdown = "<?xmlitle:  encoding=utf8=\xFF\xFF\xFF\xFC=```\nA o2de k";
  Result<ExtractedDocument> md = ParseDocumentBytes("note.md", markdown);
  REQUIRE_FALSE(md.ok());
  CHECK(FindInvalidUtf8(md.status().message()) == std::string::npos);
}

}  // namespace
}  // namespace pillar
