// Parliamentary and drama TEI: utterances (<u>/<seg>) and speeches (<sp>) as passages with
// their speaker, stage directions as notes, and <teiCorpus> files with inline and included
// members. The real ParlaMint sitting in ../shared/realdocs/tei is read when present.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "indexer/ingest/reader.h"
#include "indexer/ingest/xml_reader.h"
#include "indexer/segment/passage_splitter.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

std::string Kind(const Block& b) {
  return b.kind == BlockKind::kHeading    ? "H" + std::to_string(b.level)
         : b.kind == BlockKind::kFootnote ? std::string("FN")
                                          : std::string("P");
}

// One line per block: kind, speaker in brackets, text.
std::string Outline(const ExtractedDocument& doc) {
  std::string out;
  for (const Block& b : doc.blocks) {
    out += Kind(b) + " [" + b.speaker + "] " + std::string(doc.BlockText(b)) + "\n";
  }
  return out;
}

ExtractedDocument ReadXml(std::string_view xml, const fs::path& path = "doc.xml") {
  ExtractedDocument doc;
  Status st = XmlReader().Read(path, xml, &doc);
  INFO(st.message());
  REQUIRE(st.ok());
  return doc;
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_CASE("TeiReader reads the written ParlaMint-shaped sitting with one passage per seg and "
          "its speaker",
          "[ingest][tei][speaker]") {
  Result<ExtractedDocument> doc =
      ReadDocument(testing::SourceDir() / "tests/fixtures/tei/riverside-assembly-session.tei.xml");
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  CHECK(Outline(*doc) ==
        "H1 [] Sitting of 14 March 2024\n"
        "H2 [] Protection of displaced families along the river\n"
        "FN [] The sitting opens at ten o'clock.\n"
        "FN [] The Chair (Ada Okafor)\n"
        "P [Ada Okafor] Members, the first item is the report on shelters for families "
        "displaced by the spring floods.\n"
        "P [Ada Okafor] I call the member for the northern wards.\n"
        "FN [] Tomas Lindqvist\n"
        "P [Tomas Lindqvist] Thank you, Chair. The lantern patrols along the eastern embankment "
        "kept every shelter lit through the storm nights.\n"
        "FN [] (Applause from the benches.)\n"
        "P [Tomas Lindqvist] We ask the assembly to fund the patrols for another season.\n"
        "FN [] A visiting delegate (Mira Castellanos)\n"
        "P [Mira Castellanos] Our region would gladly share its flood maps with the northern "
        "wards.\n"
        "FN [] (Murmurs of agreement.)\n"
        "FN [] The Chair\n"
        "P [Ada Okafor] The report is adopted without objection, and the sitting is closed.\n");
  CHECK(doc->meta.title == "Riverside Assembly debates (written sample)");
  CHECK(doc->meta.issuer == "Riverside Assembly Records Office");
  CHECK(doc->meta.date == "2024-03-14");
  CHECK(doc->meta.language == "en");
  CHECK(doc->blocks[4].anchor == "riverside.u1.1");

  // Every passage of a block carries the block's speaker; notes carry none.
  std::vector<Passage> passages = SplitPassages(*doc);
  std::map<std::string, int> body_by_speaker;
  for (const Passage& p : passages) {
    if (p.footnote) {
      CHECK(p.speaker.empty());
    } else {
      ++body_by_speaker[p.speaker];
    }
  }
  CHECK(body_by_speaker == std::map<std::string, int>{
                               {"Ada Okafor", 3}, {"Mira Castellanos", 1}, {"Tomas Lindqvist", 2}});
}

TEST_CASE("TeiReader names a speaker from the speaker note when the listPerson is elsewhere, "
          "else by the bare id",
          "[ingest][tei][speaker]") {
  ExtractedDocument doc = ReadXml(R"x(<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>
    <text><body><div>
      <note type="speaker">The Speaker (Jane Roe)</note>
      <u who="#RoeJane">Order, order.</u>
      <note type="speaker">The Speaker</note>
      <u who="#RoeJane"><seg>The question is put.</seg></u>
      <note type="speaker">Mr Doe</note>
      <u who="#DoeJohn"><seg>Aye.</seg>Words outside any seg.</u>
      <u who="#NoteLess">Nothing printed before me.</u>
      <u>Nobody named.</u>
    </div></body></text></TEI>)x");
  CHECK(Outline(doc) ==
        "FN [] The Speaker (Jane Roe)\n"
        "P [Jane Roe] Order, order.\n"
        "FN [] The Speaker\n"
        "P [Jane Roe] The question is put.\n"
        "FN [] Mr Doe\n"
        "P [Mr Doe] Aye.\n"
        "P [Mr Doe] Words outside any seg.\n"
        "P [NoteLess] Nothing printed before me.\n"
        "P [] Nobody named.\n");
}

TEST_CASE("TeiReader reads drama-style speeches with speaker, lines and stage directions",
          "[ingest][tei][speaker]") {
  ExtractedDocument doc = ReadXml(R"x(<TEI xmlns="http://www.tei-c.org/ns/1.0">
    <teiHeader><profileDesc><particDesc><listPerson>
      <person xml:id="ferryman"><persName>The Ferryman</persName></person>
    </listPerson></particDesc></profileDesc></teiHeader>
    <text><body><div><head>Scene one</head>
      <stage>A quay at dusk.</stage>
      <sp who="#keeper"><speaker>KEEPER</speaker><p>Is the last boat in?</p></sp>
      <sp who="#ferryman"><l>It is, and tied.</l><stage>He coils a rope.</stage><l>Go home.</l></sp>
    </div></body></text></TEI>)x");
  CHECK(Outline(doc) ==
        "H1 [] Scene one\n"
        "FN [] A quay at dusk.\n"
        "P [KEEPER] Is the last boat in?\n"
        "P [The Ferryman] It is, and tied.\n"
        "FN [] He coils a rope.\n"
        "P [The Ferryman] Go home.\n");
}

TEST_CASE("TeiReader reads a teiCorpus whose members are xi:included files beside it, in order",
          "[ingest][tei][corpus]") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "sittings");
  auto member = [](const std::string& title, const std::string& words) {
    return "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>" +
           title + "</title></titleStmt></fileDesc></teiHeader><text><body><u who=\"#A\">" +
           words + "</u></body></text></TEI>";
  };
  WriteFile(dir.path() / "sittings/one.xml", member("First sitting", "Opening words."));
  WriteFile(dir.path() / "sittings/two.xml", member("Second sitting", "Closing words."));
  std::string corpus = R"x(<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"
      xmlns:xi="http://www.w3.org/2001/XInclude">
    <teiHeader><fileDesc><titleStmt><title>The corpus</title></titleStmt></fileDesc>
      <profileDesc><particDesc><listPerson><person xml:id="A"><persName>
        <forename>Ana</forename><surname>Alves</surname></persName></person></listPerson>
      </particDesc></profileDesc></teiHeader>
    <xi:include href="sittings/one.xml"/>
    <xi:include href="sittings/two.xml"/>
  </teiCorpus>)x";
  fs::path path = dir.path() / "corpus.xml";
  WriteFile(path, corpus);
  Result<ExtractedDocument> doc = ReadDocument(path);
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  CHECK(Outline(*doc) ==
        "H1 [] First sitting\n"
        "P [Ana Alves] Opening words.\n"
        "H1 [] Second sitting\n"
        "P [Ana Alves] Closing words.\n");
  CHECK(doc->meta.title == "The corpus");

  // Includes are bounded to the corpus file's folder, and a missing member fails the file.
  for (const auto& [href, code] : std::vector<std::pair<std::string, Status::Code>>{
           {"../outside.xml", Status::Code::kUnsupported},
           {"/etc/hostname", Status::Code::kUnsupported},
           {"http://example.org/m.xml", Status::Code::kUnsupported},
           {"sittings/missing.xml", Status::Code::kIOError}}) {
    INFO(href);
    std::string bad = corpus;
    bad.replace(bad.find("sittings/two.xml"), 16, href);
    WriteFile(path, bad);
    Result<ExtractedDocument> r = ReadDocument(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == code);
    CHECK(r.status().message().find(href) != std::string::npos);
  }
}

TEST_CASE("TeiReader names speakers from a listPerson the corpus header includes from another "
          "file",
          "[ingest][tei][corpus][speaker]") {
  testing::TempDir dir;
  WriteFile(dir.path() / "people.xml",
            R"x(<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="BoB">
              <persName><forename>Bea</forename><surname>Bosch</surname></persName></person>
            </listPerson>)x");
  std::string corpus = R"x(<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"
      xmlns:xi="http://www.w3.org/2001/XInclude">
    <teiHeader><encodingDesc><classDecl><xi:include href="taxonomy-elsewhere.xml"/></classDecl>
      </encodingDesc><profileDesc><particDesc><xi:include href="people.xml"/></particDesc>
      </profileDesc></teiHeader>
    <TEI><text><body><u who="#BoB"><seg>First words.</seg></u></body></text></TEI>
  </teiCorpus>)x";
  fs::path path = dir.path() / "corpus.xml";
  WriteFile(path, corpus);
  Result<ExtractedDocument> doc = ReadDocument(path);
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  CHECK(Outline(*doc) == "P [Bea Bosch] First words.\n");

  WriteFile(dir.path() / "people.xml", "<taxonomy/>");
  Result<ExtractedDocument> wrong = ReadDocument(path);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().message() ==
        "<xi:include href=\"people.xml\">: the root element is not <listPerson>");
}

TEST_CASE("TeiReader refuses teiCorpus elements nested more than eight deep and a corpus "
          "without members",
          "[ingest][tei][corpus]") {
  std::string nested;
  for (int k = 0; k < 9; ++k) nested += "<teiCorpus>";
  nested += "<TEI><text><body><p>Deep.</p></body></text></TEI>";
  for (int k = 0; k < 9; ++k) nested += "</teiCorpus>";
  ExtractedDocument doc;
  Status st = XmlReader().Read("deep.xml", nested, &doc);
  CHECK(st.code() == Status::Code::kUnsupported);
  CHECK(st.message() == "<teiCorpus> nested more than 8 deep");
  std::string eight = nested.substr(std::string("<teiCorpus>").size());
  eight.resize(eight.size() - std::string("</teiCorpus>").size());
  CHECK(ReadXml(eight).text == "Deep.");
  st = XmlReader().Read("empty.xml", "<teiCorpus><teiHeader/></teiCorpus>", &doc);
  CHECK(st.code() == Status::Code::kCorruption);
}

// Words as runs of non-space bytes, counted.
std::map<std::string, int> Words(std::string_view text) {
  std::map<std::string, int> words;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) ++words[w];
  return words;
}

TEST_CASE("TeiReader keeps at least 95 percent of the spoken words of the real ParlaMint "
          "sitting in body passages, each with its speaker",
          "[ingest][tei][speaker][realdocs]") {
  if (testing::RealDocsDir().empty()) {
    WARN("skipped: ../shared/realdocs beside the repository is absent (published documents "
         "for testing)");
    return;
  }
  fs::path path = testing::RealDocsDir() / "tei/ParlaMint-ES-CT_2015-10-26-0101.xml";
  // The spoken words: the text of every <u> without its notes and stage directions.
  pugi::xml_document xml;
  REQUIRE(xml.load_file(path.c_str(), pugi::parse_default | pugi::parse_ws_pcdata));
  std::string spoken;
  std::map<std::string, int> segs_by_who;
  for (pugi::xpath_node u : xml.select_nodes("//u")) {
    for (pugi::xpath_node t : u.node().select_nodes(
             ".//text()[not(ancestor::note or ancestor::kinesic or ancestor::vocal or "
             "ancestor::incident)]")) {
      spoken += std::string(t.node().value()) + " ";
    }
    segs_by_who[u.node().attribute("who").value()] +=
        static_cast<int>(u.node().select_nodes("seg").size());
  }
  std::map<std::string, int> want = Words(spoken);
  int total = 0;
  for (const auto& [w, n] : want) total += n;
  REQUIRE(total > 4000);

  Result<ExtractedDocument> doc = ReadDocument(path);
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  CHECK(doc->meta.language == "ca");
  std::string body;
  int unspoken = 0;
  for (const Block& b : doc->blocks) {
    if (b.kind != BlockKind::kParagraph) continue;
    body += std::string(doc->BlockText(b)) + " ";
    if (b.speaker.empty()) ++unspoken;
  }
  std::map<std::string, int> have = Words(body);
  int kept = 0;
  for (const auto& [w, n] : want) kept += std::min(n, have.count(w) ? have[w] : 0);
  INFO("kept " << kept << " of " << total << " spoken words");
  CHECK(kept >= total * 95 / 100);
  CHECK(unspoken == 0);

  // One passage per <seg>, and the speaker named in the note before the first utterance of
  // each person (the name in parentheses) stays with the person's later utterances.
  std::map<std::string, int> paragraphs_by_speaker;
  for (const Block& b : doc->blocks) {
    if (b.kind == BlockKind::kParagraph) ++paragraphs_by_speaker[b.speaker];
  }
  pugi::xml_node first_note =
      xml.select_node("//note[@type='speaker'][following-sibling::u[1][@who='DeJòdarJulià']]")
          .node();
  std::string note = first_note.child_value();
  REQUIRE(note.find('(') != std::string::npos);
  std::string name = note.substr(note.rfind('(') + 1);
  name.pop_back();
  CHECK(paragraphs_by_speaker[name] == segs_by_who["DeJòdarJulià"]);
}

}  // namespace
}  // namespace pillar
