#include <catch2/catch.hpp>
#include <string>

#include "indexer/ingest/akoma_ntoso_reader.h"
#include "indexer/ingest/tei_reader.h"
#include "indexer/ingest/xml_reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

// One line per block: "P PP1 Recalling...", "H1 - Priority tasks", "FN 1 The note".
std::string Outline(const ExtractedDocument& doc) {
  std::string out;
  for (const Block& b : doc.blocks) {
    out += b.kind == BlockKind::kHeading    ? "H" + std::to_string(b.level)
           : b.kind == BlockKind::kFootnote ? std::string("FN")
                                            : std::string("P");
    out += " " + (b.locator.empty() ? std::string("-") : b.locator) + " ";
    out += doc.BlockText(b);
    out += "\n";
  }
  return out;
}

ExtractedDocument ReadXml(std::string_view xml) {
  ExtractedDocument doc;
  Status st = XmlReader().Read("doc.xml", xml, &doc);
  INFO(st.message());
  REQUIRE(st.ok());
  return doc;
}

const char* kResolution = R"x(<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
  <statement name="resolution">
    <meta>
      <identification source="#x">
        <FRBRWork>
          <FRBRdate date="2023-12-21" name="adoption"/>
          <FRBRauthor href="#sc"/>
          <FRBRsubtype value="deliberation"/>
          <FRBRnumber value="2719" showAs="S/RES/2719 (2023)"/>
        </FRBRWork>
        <FRBRExpression><FRBRlanguage language="fra"/></FRBRExpression>
      </identification>
      <references source="#x">
        <TLCOrganization eId="sc" href="/ontology/organization/un/un-sc" showAs="Conseil de sécurité"/>
      </references>
    </meta>
    <preface><p><docTitle>Résolution 2719 (2023)</docTitle></p></preface>
    <preamble>
      <formula name="enactingFormula"><p>Le Conseil de sécurité,</p></formula>
      <container name="recalling"><p eId="pp_1"><i>Rappelant</i> ses résolutions,</p></container>
      <container name="noting" eId="c2"><p><i>Notant</i> le rapport,<authorialNote marker="*"><p>Note.</p></authorialNote></p></container>
    </preamble>
    <mainBody>
      <paragraph eId="para_1"><num>1.</num><content><p><i>Décide</i> que ;</p></content></paragraph>
      <paragraph eId="para_2"><num>2.</num>
        <list eId="para_2__list_1">
          <intro><p><i>Prie</i> le Secrétaire général :</p></intro>
          <point eId="para_2__list_1__point_a"><num>a)</num><content><p>de faire rapport ;</p></content></point>
          <point eId="para_2__list_1__point_b"><num>(b)</num>
            <list><intro><p>de consulter :</p></intro>
              <point eId="pt_i"><num>(i)</num><content><p>l'Union africaine ;</p></content></point>
            </list>
          </point>
          <wrapUp><p>et de l'en informer ;</p></wrapUp>
        </list>
      </paragraph>
      <paragraph eId="para_3"><num>3.</num><content><p><i>Décide</i> de rester saisi.</p></content></paragraph>
    </mainBody>
  </statement>
</akomaNtoso>)x";

TEST_CASE("AkomaNtosoReader numbers preambular paragraphs, operative paragraphs and points",
          "[ingest][akn]") {
  ExtractedDocument doc = ReadXml(kResolution);
  // The preface is read as text too (it names the document).
  CHECK(Outline(doc) ==
        "P - Résolution 2719 (2023)\n"
        "P - Le Conseil de sécurité,\n"
        "P PP1 Rappelant ses résolutions,\n"
        "P PP2 Notant le rapport,\n"
        "FN * Note.\n"
        "P 1 1. Décide que ;\n"
        "P 2 2. Prie le Secrétaire général :\n"
        "P 2(a) a) de faire rapport ;\n"
        "P 2(b) (b) de consulter :\n"
        "P 2(b)(i) (i) l'Union africaine ;\n"
        "P 2 et de l'en informer ;\n"
        "P 3 3. Décide de rester saisi.\n");
  // eIds are kept as anchors; a preambular <p> without one takes its container's.
  CHECK(doc.blocks[2].anchor == "pp_1");
  CHECK(doc.blocks[3].anchor == "c2");
  CHECK(doc.blocks[7].anchor == "para_2__list_1__point_a");
}

TEST_CASE("AkomaNtosoReader takes symbol, date, issuer and language from FRBR identification",
          "[ingest][akn]") {
  ExtractedDocument doc = ReadXml(kResolution);
  CHECK(doc.meta.symbol == "S/RES/2719 (2023)");
  CHECK(doc.meta.date == "2023-12-21");
  CHECK(doc.meta.issuer == "Conseil de sécurité");
  CHECK(doc.meta.language == "fr");
  CHECK(doc.meta.title == "Résolution 2719 (2023)");
  CHECK(doc.meta.type == "resolution");
}

TEST_CASE("AkomaNtosoReader falls back to FRBRnumber/@value and reads the sample resolution",
          "[ingest][akn]") {
  ExtractedDocument doc = ReadXml(R"x(<akomaNtoso><statement><meta><identification>
      <FRBRWork><FRBRnumber value="A/RES/66/1"/></FRBRWork></identification></meta>
      <mainBody><paragraph><content><p>Only paragraph.</p></content></paragraph></mainBody>
      </statement></akomaNtoso>)x");
  CHECK(doc.meta.symbol == "A/RES/66/1");
  CHECK(Outline(doc) == "P - Only paragraph.\n");

  Result<ExtractedDocument> sample = ReadDocument(
      testing::SourceDir() / "corpus/sample/unsme-mandate-resolution-illustrative.akn.xml");
  REQUIRE(sample.ok());
  std::vector<std::string> locators;
  for (const Block& b : sample->blocks) {
    if (b.kind == BlockKind::kParagraph && !b.locator.empty()) locators.push_back(b.locator);
  }
  CHECK(locators == std::vector<std::string>{"PP1", "PP2", "PP3", "PP4", "PP5", "1", "2", "2(a)",
                                             "2(a)(i)", "2(a)(ii)", "2(b)", "2(c)", "3", "4"});
  CHECK(sample->meta.issuer == "United Nations Security Council");
  CHECK(sample->meta.symbol == "S/RES/9999 (2024)");
  CHECK(sample->meta.language == "en");
}

TEST_CASE("TeiReader reads the header, nested divs, @n locators and foot notes",
          "[ingest][tei]") {
  ExtractedDocument doc = ReadXml(R"x(<?xml version="1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc>
    <titleStmt><title type="sub">Sub</title><title type="main">Main title</title>
      <author>A. Author</author><author>B. Author</author></titleStmt>
    <publicationStmt><authority>Some Body</authority><date when="2021-05">May 2021</date></publicationStmt>
    <sourceDesc><p>x</p></sourceDesc></fileDesc>
    <profileDesc><langUsage><language ident="fra">French</language></langUsage></profileDesc>
  </teiHeader>
  <text><body>
    <div n="1"><head>Part one</head>
      <p n="5" xml:id="p5">Text with a note<note place="foot" n="3">The note text.</note> and more.</p>
      <div><head>Sub part</head><p>No number here.</p><pb n="7"/><p n="6">On page seven.</p></div>
    </div>
    <div><head>Part two</head><list><item n="(a)">Item a.</item></list><fw type="header">RUNNING HEAD</fw></div>
  </body></text>
</TEI>)x");
  CHECK(Outline(doc) ==
        "H1 - Part one\n"
        "P 5 Text with a note and more.\n"
        "FN 3 The note text.\n"
        "H2 - Sub part\n"
        "P - No number here.\n"
        "P 6 On page seven.\n"
        "H1 - Part two\n"
        "P (a) Item a.\n");
  CHECK(doc.blocks[1].anchor == "p5");
  // A <list>'s <item> is a list item (its lead-in ranks with it); a <p> is not.
  CHECK(doc.blocks.back().list_item);
  CHECK(!doc.blocks[1].list_item);
  CHECK(doc.blocks[5].page == 7);
  CHECK(doc.meta.title == "Main title");
  CHECK(doc.meta.author == "A. Author; B. Author");
  CHECK(doc.meta.issuer == "Some Body");
  CHECK(doc.meta.date == "2021-05");
  CHECK(doc.meta.language == "fr");
}

TEST_CASE("XmlReader sends unknown vocabularies away with a clear message", "[ingest][xml]") {
  ExtractedDocument doc;
  Status st = XmlReader().Read("x.xml", "<?xml version=\"1.0\"?><!-- c --><rss><channel/></rss>", &doc);
  CHECK(st.code() == Status::Code::kUnsupported);
  CHECK(st.message() ==
        "unknown XML vocabulary <rss> (Pillar reads Akoma Ntoso <akomaNtoso> and TEI <TEI> or "
        "<teiCorpus>)");
  st = XmlReader().Read("x.xml", "<TEI><text><body><p>unclosed</body></text></TEI>", &doc);
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message().rfind("line 1, column ", 0) == 0);
}

}  // namespace
}  // namespace pillar
