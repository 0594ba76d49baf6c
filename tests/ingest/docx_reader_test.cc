#include "indexer/ingest/docx_reader.h"

#include <zip.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

// Builds a ZIP (deflated entries) in `dir` and returns its bytes.
std::string MakeZip(const testing::TempDir& dir, const std::map<std::string, std::string>& parts) {
  std::string path = (dir.path() / "made.docx").string();
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(zip);
  for (const auto& [name, content] : parts) {
    zip_source_t* src = zip_source_buffer(zip, content.data(), content.size(), 0);
    REQUIRE(src);
    zip_int64_t index = zip_file_add(zip, name.c_str(), src, ZIP_FL_OVERWRITE);
    REQUIRE(index >= 0);
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  }
  REQUIRE(zip_close(zip) == 0);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

const char* kW = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

std::string Document(const std::string& body) {
  return std::string("<?xml version=\"1.0\"?><w:document ") + kW + "><w:body>" + body +
         "</w:body></w:document>";
}

// A paragraph's properties putting it at level `ilvl` of the list w:num `num_id`.
std::string NumPr(int num_id, int ilvl) {
  return "<w:pPr><w:numPr><w:ilvl w:val=\"" + std::to_string(ilvl) + "\"/><w:numId w:val=\"" +
         std::to_string(num_id) + "\"/></w:numPr></w:pPr>";
}

std::string Outline(const ExtractedDocument& doc) {
  std::string out;
  for (const Block& b : doc.blocks) {
    out += b.kind == BlockKind::kHeading    ? "H" + std::to_string(b.level)
           : b.kind == BlockKind::kFootnote ? "FN " + b.locator
                                            : std::string("P");
    out += " ";
    out += doc.BlockText(b);
    out += "\n";
  }
  return out;
}

TEST_CASE("DocxReader reads heading styles, numbering, footnotes and core properties",
          "[ingest][docx]") {
  testing::TempDir dir;
  std::string styles = std::string("<w:styles ") + kW + ">" +
                       "<w:style w:type=\"paragraph\" w:styleId=\"Titre1\"><w:name w:val=\"Titre 1\"/></w:style>"
                       "<w:style w:type=\"paragraph\" w:styleId=\"Sub\"><w:name w:val=\"My sub\"/><w:basedOn w:val=\"Out\"/></w:style>"
                       "<w:style w:type=\"paragraph\" w:styleId=\"Out\"><w:name w:val=\"Outline\"/><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>"
                       "</w:styles>";
  std::string numbering = std::string("<w:numbering ") + kW + ">" +
                          "<w:abstractNum w:abstractNumId=\"7\">"
                          "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>"
                          "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"(%2)\"/></w:lvl>"
                          "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerRoman\"/><w:lvlText w:val=\"%1.%2.%3\"/></w:lvl>"
                          "</w:abstractNum><w:num w:numId=\"3\"><w:abstractNumId w:val=\"7\"/></w:num>"
                          "</w:numbering>";
  std::string footnotes = std::string("<w:footnotes ") + kW + ">" +
                          "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
                          "<w:footnote w:id=\"5\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> See the annex.</w:t></w:r></w:p></w:footnote>"
                          "</w:footnotes>";
  std::string core =
      "<cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:title>Note conceptuelle</dc:title>"
      "<dc:creator>Équipe</dc:creator><dcterms:created>2022-11-03T10:00:00Z</dcterms:created>"
      "<dc:language>fr-FR</dc:language></cp:coreProperties>";
  auto num = [](int ilvl) { return NumPr(3, ilvl); };
  std::string body =
      "<w:p><w:pPr><w:pStyle w:val=\"Titre1\"/></w:pPr><w:r><w:t>Contexte</w:t></w:r></w:p>"
      "<w:p><w:r><w:t xml:space=\"preserve\">Les civils </w:t></w:r><w:r><w:t>sont protégés</w:t></w:r>"
      "<w:r><w:footnoteReference w:id=\"5\"/></w:r><w:del><w:r><w:delText>supprimé</w:delText></w:r></w:del>"
      "<w:r><w:t>.</w:t></w:r></w:p>"
      "<w:p><w:pPr><w:pStyle w:val=\"Sub\"/></w:pPr><w:r><w:t>Objectifs</w:t></w:r></w:p>"
      "<w:p>" + num(0) + "<w:r><w:t>Premier.</w:t></w:r></w:p>"
      "<w:p>" + num(0) + "<w:r><w:t>Deuxième :</w:t></w:r></w:p>"
      "<w:p>" + num(1) + "<w:r><w:t>point a ;</w:t></w:r></w:p>"
      "<w:p>" + num(1) + "<w:r><w:t>point b ;</w:t></w:r></w:p>"
      "<w:p>" + num(2) + "<w:r><w:t>sous-point.</w:t></w:r></w:p>"
      "<w:p>" + num(0) + "<w:r><w:t>Troisième</w:t><w:tab/><w:t>fin</w:t></w:r></w:p>"
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cellule</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
      "<w:sectPr/>";
  std::string bytes = MakeZip(dir, {{"word/document.xml", Document(body)},
                                    {"word/styles.xml", styles},
                                    {"word/numbering.xml", numbering},
                                    {"word/footnotes.xml", footnotes},
                                    {"docProps/core.xml", core}});
  ExtractedDocument doc;
  Status st = DocxReader().Read("x.docx", bytes, &doc);
  INFO(st.message());
  REQUIRE(st.ok());
  CHECK(Outline(doc) ==
        "H1 Contexte\n"
        "P Les civils sont protégés.\n"
        "FN 1 See the annex.\n"
        "H2 Objectifs\n"
        "P 1. Premier.\n"
        "P 2. Deuxième :\n"
        "P (a) point a ;\n"
        "P (b) point b ;\n"
        "P 2.b.i sous-point.\n"
        "P 3. Troisième fin\n"
        "P Cellule\n");
  CHECK(doc.meta.title == "Note conceptuelle");
  CHECK(doc.meta.author == "Équipe");
  CHECK(doc.meta.date == "2022-11-03");
  CHECK(doc.meta.language == "fr");
}

TEST_CASE("DocxReader marks bulleted paragraphs as list items, numbered ones by their marker",
          "[ingest][docx]") {
  testing::TempDir dir;
  std::string numbering =
      std::string("<w:numbering ") + kW + ">" +
      "<w:abstractNum w:abstractNumId=\"1\">"
      "<w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\xEF\x82\xB7\"/></w:lvl>"
      "</w:abstractNum>"
      "<w:abstractNum w:abstractNumId=\"2\">"
      "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
      "<w:lvlText w:val=\"%1.\"/></w:lvl>"
      "</w:abstractNum>"
      "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>"
      "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\"/></w:num></w:numbering>";
  std::string body =
      "<w:p><w:r><w:t>Clinics were hit, as follows:</w:t></w:r></w:p>"
      "<w:p>" + NumPr(1, 0) + "<w:r><w:t>The eye hospital was shelled.</w:t></w:r></w:p>"
      "<w:p>" + NumPr(2, 0) + "<w:r><w:t>The market reopened.</w:t></w:r></w:p>"
      "<w:sectPr/>";
  std::string bytes =
      MakeZip(dir, {{"word/document.xml", Document(body)}, {"word/numbering.xml", numbering}});
  ExtractedDocument doc;
  Status st = DocxReader().Read("x.docx", bytes, &doc);
  INFO(st.message());
  REQUIRE(st.ok());
  CHECK(Outline(doc) ==
        "P Clinics were hit, as follows:\n"
        "P The eye hospital was shelled.\n"
        "P 1. The market reopened.\n");
  REQUIRE(doc.blocks.size() == 3);
  CHECK(!doc.blocks[0].list_item);
  CHECK(doc.blocks[1].list_item);
  CHECK(!doc.blocks[2].list_item);
}

TEST_CASE("DocxReader finds headings by formatting and reads text boxes, endnotes and comments",
          "[ingest][docx]") {
  testing::TempDir dir;
  std::string styles =
      std::string("<w:styles ") + kW + ">" +
      "<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"22\"/></w:rPr>"
      "</w:rPrDefault></w:docDefaults>"
      "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
      "<w:name w:val=\"Normal\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Speaker\"><w:name w:val=\"Speaker\"/>"
      "<w:basedOn w:val=\"Normal\"/><w:rPr><w:b/></w:rPr></w:style>"
      "</w:styles>";
  std::string numbering =
      std::string("<w:numbering ") + kW + ">" +
      "<w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
      "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>"
      "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>";
  std::string endnotes =
      std::string("<w:endnotes ") + kW + ">" +
      "<w:endnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>"
      "<w:endnote w:id=\"2\"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> "
      "Counted by the team.</w:t></w:r></w:p></w:endnote>"
      "</w:endnotes>";
  std::string comments =
      std::string("<w:comments ") + kW + ">" +
      "<w:comment w:id=\"0\" w:author=\"Reviewer\"><w:p><w:r><w:annotationRef/></w:r>"
      "<w:r><w:t>Check the village names.</w:t></w:r></w:p></w:comment></w:comments>";
  std::string header = std::string("<w:hdr ") + kW +
                       "><w:p><w:r><w:t>Running head of every page</w:t></w:r></w:p></w:hdr>";
  auto run = [](const std::string& props, const std::string& text) {
    return "<w:r><w:rPr>" + props + "</w:rPr><w:t xml:space=\"preserve\">" + text + "</w:t></w:r>";
  };
  auto box = [](const std::string& text) {
    return "<w:txbxContent><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:txbxContent>";
  };
  std::string body =
      "<w:p>" + run("<w:b/>", "Field findings") +
      "</w:p>"
      "<w:p>" +
      run("", "Teams visited four villages.") +
      "<w:r><w:endnoteReference w:id=\"2\"/></w:r></w:p>"
      "<w:p>" + NumPr(4, 0) +
      run("<w:b/>", "Methods") +
      "</w:p>"
      "<w:p><w:commentRangeStart w:id=\"0\"/>" +
      run("", "Patrols walked with residents.") +
      "<w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>"
      "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>" +
      box("Box: one village asked for more visits") +
      "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>" +
      box("Box: one village asked for more visits") +
      "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
      "<w:p>" +
      run("<w:sz w:val=\"32\"/>", "Risks ahead") +
      "</w:p>"
      "<w:p><w:pPr><w:pStyle w:val=\"Speaker\"/></w:pPr>" +
      run("", "The coordinator") +
      "</w:p>"
      "<w:p><w:pPr><w:pStyle w:val=\"Speaker\"/></w:pPr>" +
      run("", "Named in bold, ") + run("<w:b w:val=\"0\"/>", "then plain words follow") +
      "</w:p>"
      "<w:p>" +
      run("<w:b/>", "A bold sentence is still body text.") +
      "</w:p>"
      "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>"
      "<w:tc><w:p><w:r><w:t>Village</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p><w:r><w:t>Visits</w:t></w:r></w:p></w:tc></w:tr>"
      "<w:tr><w:tc><w:p><w:r><w:t>Upper ford</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>"
      "<w:tr><w:tc><w:p><w:r><w:t>Upper ford</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A one-cell box of "
      "prose.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
      "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId9\"/></w:sectPr>";
  std::string document =
      std::string("<?xml version=\"1.0\"?><w:document ") + kW +
      " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
      " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""
      " xmlns:v=\"urn:schemas-microsoft-com:vml\""
      " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>" +
      body + "</w:body></w:document>";
  std::string bytes = MakeZip(dir, {{"word/document.xml", document},
                                    {"word/styles.xml", styles},
                                    {"word/numbering.xml", numbering},
                                    {"word/endnotes.xml", endnotes},
                                    {"word/comments.xml", comments},
                                    {"word/header1.xml", header}});
  ExtractedDocument doc;
  Status st = DocxReader().Read("x.docx", bytes, &doc);
  INFO(st.message());
  REQUIRE(st.ok());
  CHECK(Outline(doc) ==
        "H1 Field findings\n"
        "P Teams visited four villages.\n"
        "FN en1 Counted by the team.\n"
        "H1 1. Methods\n"
        "P Patrols walked with residents.\n"
        "FN comment1 Check the village names.\n"
        "P Box: one village asked for more visits\n"
        "H2 Risks ahead\n"
        "H2 The coordinator\n"
        "P Named in bold, then plain words follow\n"
        "P A bold sentence is still body text.\n"
        "P Village: Upper ford; Visits: 3\n"
        "P Village: Upper ford; Visits: 3\n"
        "P A one-cell box of prose.\n");
}

TEST_CASE("DocxReader reads a table with a bold header row and merged cells row by row",
          "[ingest][docx][tables]") {
  testing::TempDir dir;
  auto cell = [](const std::string& props, const std::string& run_props, const std::string& text) {
    return "<w:tc><w:tcPr>" + props + "</w:tcPr><w:p><w:r><w:rPr>" + run_props +
           "</w:rPr><w:t>" + text + "</w:t></w:r></w:p></w:tc>";
  };
  std::string merge_start = "<w:vMerge w:val=\"restart\"/>";
  std::string body =
      "<w:tbl><w:tr>" + cell("", "<w:b/>", "Team") +
      cell("<w:gridSpan w:val=\"2\"/>", "<w:b/>", "Route") + "</w:tr>"
      "<w:tr>" + cell(merge_start, "", "North") + cell("", "", "Market road") +
      cell("", "", "daily") + "</w:tr>"
      "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" + cell("", "", "River path") +
      cell("", "", "weekly") + "</w:tr></w:tbl>";
  std::string bytes = MakeZip(dir, {{"word/document.xml", Document(body)}});
  ExtractedDocument doc;
  REQUIRE(DocxReader().Read("x.docx", bytes, &doc).ok());
  CHECK(Outline(doc) ==
        "P Team: North; Route: Market road; Route: daily\n"
        "P Team: North; Route: River path; Route: weekly\n");
}

TEST_CASE("DocxReader reads the sample concept note made by pandoc", "[ingest][docx]") {
  Result<ExtractedDocument> doc = ReadDocument(
      testing::SourceDir() / "corpus/sample/tamarind-accompaniment-concept-note.docx");
  REQUIRE(doc.ok());
  std::string outline = Outline(*doc);
  CHECK(outline.find("H1 Background\n") != std::string::npos);
  CHECK(outline.find("H2 Early warning and response\n") != std::string::npos);
  CHECK(outline.find("P 2. To link accompaniment to the community alert networks") !=
        std::string::npos);
  CHECK(outline.find("P (b) presence at meetings") != std::string::npos);
  CHECK(outline.find("FN 2 Consent is recorded in writing") != std::string::npos);
  CHECK(outline.find("early warning. This concept note") != std::string::npos);  // no call mark
  CHECK(doc->meta.author == "Tamarind Peace Teams, Programme Unit");
  CHECK(doc->meta.date == "2024-05-02");
}

TEST_CASE("DocxReader refuses a zip bomb and parts that expand past the limits",
          "[ingest][docx][hostile]") {
  testing::TempDir dir;
  // 80 MiB of spaces deflate to about 80 KB: over the 64 MiB part limit and a 1000:1 ratio.
  std::string bomb = Document("<w:p><w:r><w:t>" + std::string(80u << 20, ' ') + "</w:t></w:r></w:p>");
  std::string bytes = MakeZip(dir, {{"word/document.xml", bomb}});
  bomb.clear();
  bomb.shrink_to_fit();
  ExtractedDocument doc;
  Status st = DocxReader().Read("bomb.docx", bytes, &doc);
  CHECK(st.code() == Status::Code::kUnsupported);
  CHECK(st.message().find("word/document.xml: declares 83886") == 0);
  CHECK(st.message().find("zip bomb guard") != std::string::npos);

  // With the ratio check off, the declared size is checked against the part limit, and the
  // bytes actually read against the budget of the whole file.
  DocxLimits limits;
  limits.max_entry_bytes = 1 << 20;
  limits.max_ratio = 1u << 30;
  std::string big = Document("<w:p><w:r><w:t>" + std::string(3u << 20, 'a') + "</w:t></w:r></w:p>");
  bytes = MakeZip(dir, {{"word/document.xml", big}});
  st = DocxReader(limits).Read("big.docx", bytes, &doc);
  CHECK(st.code() == Status::Code::kUnsupported);
  CHECK(st.message().find("word/document.xml: declares") == 0);
  limits.max_total_bytes = 2 << 20;
  limits.max_entry_bytes = 8 << 20;
  st = DocxReader(limits).Read("big.docx", bytes, &doc);
  CHECK(st.message().find("parts read expand past the 2 MiB limit per file") != std::string::npos);
}

TEST_CASE("DocxReader reports files that are not Word documents", "[ingest][docx]") {
  testing::TempDir dir;
  ExtractedDocument doc;
  Status st = DocxReader().Read("x.docx", "plain text", &doc);
  CHECK(st.message() == "not a DOCX file: not a ZIP container (no 'PK' signature)");
  st = DocxReader().Read("x.docx", "PK\x03\x04garbage", &doc);
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message().find("not a readable DOCX (ZIP) container: ") == 0);
  st = DocxReader().Read("x.docx", MakeZip(dir, {{"content.xml", "<x/>"}}), &doc);
  CHECK(st.message() == "no word/document.xml: not a Word document");
}

}  // namespace
}  // namespace pillar
