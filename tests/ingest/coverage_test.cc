#include "indexer/ingest/coverage.h"

#include <zip.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "indexer/base/text.h"
#include "indexer/ingest/reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A DOCX container of `parts` (stored entries), as bytes.
std::string MakeDocx(const testing::TempDir& dir, const std::map<std::string, std::string>& parts) {
  std::string path = (dir.path() / "made.docx").string();
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(zip);
  for (const auto& [name, content] : parts) {
    zip_source_t* src = zip_source_buffer(zip, content.data(), content.size(), 0);
    REQUIRE(src);
    REQUIRE(zip_file_add(zip, name.c_str(), src, ZIP_FL_OVERWRITE) >= 0);
  }
  REQUIRE(zip_close(zip) == 0);
  return Slurp(path);
}

// Reads `path` with its reader and measures what the reader kept.
Coverage ReadAndMeasure(const fs::path& path) {
  Result<ExtractedDocument> doc = ReadDocument(path);
  REQUIRE(doc.ok());
  const Reader* reader = ReaderRegistry::Default().ForPath(path);
  REQUIRE(reader != nullptr);
  return MeasureCoverage(reader->Name(), Slurp(path), doc->text);
}

std::string Percent(double share) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.2f", share);
  return buffer;
}

TEST_CASE("WordCount counts runs of letters, marks and digits in any script",
          "[ingest][coverage]") {
  CHECK(WordCount("") == 0);
  CHECK(WordCount("  -- ; ") == 0);
  CHECK(WordCount("Protection of civilians, S/RES/2719 (2023).") == 7);
  CHECK(WordCount("l'ONU protège") == 3);
  // A decomposed accent (e + U+0301) stays inside its word.
  CHECK(WordCount("proge\xCC\x81ge civils") == 2);
  CHECK(WordCount("حماية المدنيين") == 2);
  // A stray byte ends a word instead of being read past.
  CHECK(WordCount(std::string("ab\xFF" "cd")) == 2);
  CHECK(WordCount(std::string("ab\xE2")) == 1);
}

TEST_CASE("Coverage of a TEI file counts the text outside teiHeader and names unread elements",
          "[ingest][coverage]") {
  std::string tei =
      "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>Header "
      "words that are metadata only</title></titleStmt></fileDesc></teiHeader><text><body>"
      "<div><p>Opening words here.</p>"
      "<u who=\"#a\"><seg>Speakers said many things about the protection of civilians in "
      "the region and beyond it all year long.</seg></u></div></body></text></TEI>";
  // The extracted text holds the paragraph only: 3 of 3 + 18 visible words.
  Coverage c = MeasureCoverage("tei", tei, "Opening words here.");
  REQUIRE(c.measured);
  CHECK(c.visible_words == 21);
  CHECK(c.kept_words == 3);
  CHECK(c.Share() == Approx(3.0 / 21));
  REQUIRE(c.unread.size() == 1);
  CHECK(c.unread[0] == std::make_pair(std::string("seg"), size_t{18}));
  CHECK(CoverageWarning("a.tei.xml", c) ==
        "a.tei.xml: passages hold 14% of the file's 21 words; text in <seg> elements may be "
        "unread");

  // All of it read: no names, no warning, a share of 1.
  Coverage full = MeasureCoverage(
      "xml", tei,
      "Opening words here. Speakers said many things about the protection of civilians in the "
      "region and beyond it all year long.");
  CHECK(full.Share() == 1);
  CHECK(full.unread.empty());
  CHECK(CoverageWarning("a.tei.xml", full).empty());
}

TEST_CASE("Coverage of an Akoma Ntoso file leaves out meta", "[ingest][coverage]") {
  std::string akn =
      "<akomaNtoso><act><meta><identification>one two three four five six seven eight nine "
      "ten</identification></meta><body><paragraph><num>1.</num><content><p>Decides to renew "
      "the mandate.</p></content></paragraph></body></act></akomaNtoso>";
  Coverage c = MeasureCoverage("akoma-ntoso", akn, "1. Decides to renew the mandate.");
  REQUIRE(c.measured);
  CHECK(c.visible_words == 6);
  CHECK(c.Share() == 1);
}

TEST_CASE("Coverage of HTML counts what a browser shows, not head, scripts or hidden elements",
          "[ingest][coverage]") {
  std::string html =
      "<html><head><title>Title words</title><style>p { color: red }</style></head><body>"
      "<script>var hidden = 1;</script><p>Seen text.</p><div hidden>Not shown at all</div>"
      "<aside>Side note words here.</aside></body></html>";
  Coverage c = MeasureCoverage("html", html, "Seen text.");
  REQUIRE(c.measured);
  CHECK(c.visible_words == 6);
  CHECK(c.kept_words == 2);
  REQUIRE(c.unread.size() == 1);
  CHECK(c.unread[0].first == "aside");
  CHECK(CoverageWarning("p.html", c) ==
        "p.html: passages hold 33% of the file's 6 words; text in <aside> elements may be "
        "unread");
}

TEST_CASE("Coverage of HTML nested 100,000 deep is measured without exhausting the stack",
          "[ingest][coverage]") {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "deep words";
  Coverage c = MeasureCoverage("html", html, "deep words");
  REQUIRE(c.measured);
  CHECK(c.visible_words == 2);
}

TEST_CASE("Coverage refuses XML that declares entities and says why", "[ingest][coverage]") {
  Coverage c = MeasureCoverage(
      "xml", "<!DOCTYPE TEI [<!ENTITY a \"lol lol lol\">]><TEI><text>&a;&a;</text></TEI>", "");
  CHECK_FALSE(c.measured);
  CHECK(c.Share() == -1);
  CHECK(c.why_not.find("entit") != std::string::npos);
  CHECK(CoverageWarning("x.xml", c).empty());
}

TEST_CASE("Coverage of a DOCX counts the runs of the body, footnotes and endnotes",
          "[ingest][coverage]") {
  testing::TempDir dir;
  const std::string w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
  std::string document = "<w:document " + w +
                         "><w:body><w:p><w:r><w:t>Body words.</w:t></w:r></w:p><w:p><w:hyperlink>"
                         "<w:r><w:t>Linked</w:t></w:r></w:hyperlink><w:r><w:delText>gone"
                         "</w:delText></w:r></w:p></w:body></w:document>";
  std::string endnotes = "<w:endnotes " + w +
                         "><w:endnote w:id=\"1\"><w:p><w:r><w:t>An endnote with many words in "
                         "it that matter.</w:t></w:r></w:p></w:endnote></w:endnotes>";
  std::string bytes = MakeDocx(dir, {{"word/document.xml", document},
                                     {"word/endnotes.xml", endnotes}});
  Coverage c = MeasureCoverage("docx", bytes, "Body words. Linked");
  REQUIRE(c.measured);
  CHECK(c.visible_words == 12);  // deleted text is not shown
  REQUIRE(c.unread.size() == 1);
  CHECK(c.unread[0] == std::make_pair(std::string("word/endnotes.xml"), size_t{9}));
  CHECK(CoverageWarning("t.docx", c) ==
        "t.docx: passages hold 25% of the file's 12 words; text in word/endnotes.xml may be "
        "unread");

  CHECK_FALSE(MeasureCoverage("docx", "PK not a zip", "").measured);
  CHECK_FALSE(MeasureCoverage("docx", MakeDocx(dir, {{"word/other.xml", "<x/>"}}), "").measured);
}

TEST_CASE("Coverage of Markdown leaves out front matter, comments and link targets",
          "[ingest][coverage]") {
  std::string md =
      "---\ntitle: Many words of metadata here\n---\n# Heading\n\nSee [the policy]"
      "(https://example.org/a/b/c) now.<!-- a hidden comment -->\n\n[ref]: https://x.org/y/z\n";
  Coverage c = MeasureCoverage("markdown", md, "Heading See the policy now.");
  REQUIRE(c.measured);
  CHECK(c.visible_words == 5);
  CHECK(c.Share() == 1);
  Coverage text = MeasureCoverage("text", "\xEF\xBB\xBFOne two three four", "One two");
  CHECK(text.visible_words == 4);
  CHECK(text.Share() == 0.5);
  CHECK(CoverageWarning("t.txt", text).empty());  // 50% is not under 50%
  // UTF-16 with a byte-order mark, as the readers accept it: "<TEI><text>Hi you</text></TEI>".
  std::string utf16 = "\xFF\xFE";
  for (char ch : std::string("<TEI><text>Hi you</text></TEI>")) utf16 += std::string{ch, '\0'};
  Coverage xml16 = MeasureCoverage("tei", utf16, "Hi you");
  REQUIRE(xml16.measured);
  CHECK(xml16.visible_words == 2);
}

TEST_CASE("Coverage does not measure PDFs", "[ingest][coverage]") {
  CHECK_FALSE(CoverageMeasures("pdf"));
  Coverage c = MeasureCoverage("pdf", "%PDF-1.4", "");
  CHECK_FALSE(c.measured);
  CHECK(c.why_not == "pdf: not measured");
}

// The HTML samples keep the least: their navigation, headers and footers are dropped by design
// (ngo-ucp-field-report.html 0.89, think-tank-brief.html 0.84); every other sample keeps 0.97+.
TEST_CASE("Every file of corpus/sample keeps over 80% of its visible words", "[ingest][coverage]") {
  size_t measured = 0;
  for (const auto& entry : fs::directory_iterator(testing::SourceDir() / "corpus/sample")) {
    const Reader* reader = ReaderRegistry::Default().ForPath(entry.path());
    if (reader == nullptr || entry.path().filename() == "README.md") continue;
    if (!CoverageMeasures(reader->Name())) continue;
    Coverage c = ReadAndMeasure(entry.path());
    INFO(entry.path().filename().string() << ": " << Percent(c.Share()) << " of "
                                          << c.visible_words << " words");
    REQUIRE(c.measured);
    CHECK(c.Share() > 0.8);
    CHECK(CoverageWarning(entry.path().string(), c).empty());
    ++measured;
  }
  CHECK(measured >= 15);
}

// The real documents of issue 15: every file keeps at least 95% of its visible words, and none
// warns. Shares when the TEI, Akoma Ntoso, HTML and DOCX readers were fixed (before, in
// brackets): Kenya Constitution 1.00 of 41,431 words (1.00), UN bill 1.00 of 403 (0.81),
// Bungeni debate 0.96 of 685 (0.94; the rest are the <from> labels, now the speaker field),
// ParlaMint 1.00 of 5,184 (0.08), akn4un HTML 1.00 of 5,875 (0.99), UN meetings table 1.00 of
// 4,634 (0.66), PCAT DOCX 0.99 of 5,296 (0.99).
TEST_CASE("Real AKN, TEI, HTML and DOCX files keep at least 95% of their words, with no warning",
          "[ingest][coverage][realdocs]") {
  fs::path real = testing::RealDocsDir();
  if (real.empty()) {
    WARN("../shared/realdocs is absent: skipped");
    return;
  }
  size_t files = 0;
  for (const char* folder : {"akn", "tei", "html", "docx"}) {
    for (const auto& entry : fs::directory_iterator(real / folder)) {
      std::string name = std::string(folder) + "/" + entry.path().filename().string();
      Coverage c = ReadAndMeasure(entry.path());
      WARN(name << ": coverage " << Percent(c.Share()) << " of " << c.visible_words
                << " words; " << CoverageWarning(name, c));
      CHECK(c.measured);
      CHECK(c.Share() >= 0.95);
      CHECK(CoverageWarning(name, c).empty());
      ++files;
    }
  }
  CHECK(files >= 7);
}

}  // namespace
}  // namespace pillar
