#include "indexer/ingest/akoma_ntoso_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "indexer/ingest/xml_util.h"
#include "indexer/segment/passage_splitter.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ExtractedDocument ReadAkn(const fs::path& path) {
  ExtractedDocument doc;
  Status st = AkomaNtosoReader().Read(path, Slurp(path), &doc);
  INFO(path.string() << ": " << st.message());
  REQUIRE(st.ok());
  return doc;
}

ExtractedDocument ReadFixture(const std::string& name) {
  return ReadAkn(testing::SourceDir() / "tests/fixtures/akn" / name);
}

// "P Article 4(2)(a) | (a) a register of residents;" per paragraph block, with " @speaker".
std::string Outline(const ExtractedDocument& doc) {
  std::string out;
  for (const Block& b : doc.blocks) {
    out += b.kind == BlockKind::kHeading    ? "H" + std::to_string(b.level)
           : b.kind == BlockKind::kFootnote ? std::string("FN")
                                            : std::string("P");
    out += " " + (b.locator.empty() ? std::string("-") : b.locator) + " | ";
    out += doc.BlockText(b);
    if (!b.speaker.empty()) out += " @" + b.speaker;
    out += "\n";
  }
  return out;
}

// Words as lower-case runs of letters and digits (any non-ASCII byte counts as a letter).
std::map<std::string, int> Words(std::string_view text) {
  std::map<std::string, int> words;
  std::string w;
  for (size_t i = 0; i <= text.size(); ++i) {
    unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (std::isalnum(c) || c >= 0x80) {
      w += static_cast<char>(std::tolower(c));
    } else if (!w.empty()) {
      ++words[w];
      w.clear();
    }
  }
  return words;
}

// The text of every XML text node of the document except its <meta>, as the file has it.
std::string XmlTextOutsideMeta(const fs::path& path) {
  pugi::xml_document xml;
  std::string bytes = Slurp(path);
  REQUIRE(LoadXml(bytes, &xml).ok());
  std::string text;
  WalkXml(xml.document_element(), [&](const pugi::xml_node& n) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      text += std::string(" ") + n.value();
      return false;
    }
    return n.type() == pugi::node_element && LocalName(n) != "meta";
  });
  return text;
}

struct Coverage {
  double passages = 0;       // words of the XML found in passage texts
  double with_headings = 0;  // ... in passage texts or in the section headings passages carry
};

// Share of the XML's words (as a multiset) that the passages hold.
Coverage TextCoverage(const fs::path& path, const ExtractedDocument& doc) {
  std::map<std::string, int> source = Words(XmlTextOutsideMeta(path));
  std::string passages, headings;
  for (const Passage& p : SplitPassages(doc)) passages += p.text + " ";
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kHeading) headings += std::string(doc.BlockText(b)) + " ";
  }
  std::map<std::string, int> in_passages = Words(passages);
  std::map<std::string, int> in_both = Words(passages + headings);
  double total = 0, found = 0, found_both = 0;
  for (const auto& [word, count] : source) {
    total += count;
    found += std::min(count, in_passages[word]);
    found_both += std::min(count, in_both[word]);
  }
  return {found / total, found_both / total};
}

bool IsBareMarker(std::string_view text) {
  static const std::regex kBare(R"(^\(?[0-9A-Za-z]{1,6}[.):]?$)");
  return std::regex_match(std::string(text), kBare);
}

const Passage* FindPassage(const std::vector<Passage>& passages, const std::string& locator) {
  for (const Passage& p : passages) {
    if (p.locator == locator) return &p;
  }
  return nullptr;
}

TEST_CASE("AkomaNtosoReader reads nested lists with intro and wrapUp as numbered passages",
          "[ingest][akn]") {
  ExtractedDocument doc = ReadFixture("charter-lists.akn.xml");
  CHECK(Outline(doc) ==
        "P - | Charter of the Riverside Shelters\n"
        "H1 - | Chapter I Shelters\n"
        "H2 - | 4 Duties of wardens\n"
        "P Article 4(1) | (1) Every shelter has a warden.\n"
        "P Article 4(2) | (2) A warden shall keep\n"
        "P Article 4(2)(a) | (a) a register of residents;\n"
        "P Article 4(2)(b) | (b) a log of visits that shows\n"
        "P Article 4(2)(b)(i) | (i) the hour of arrival, and\n"
        "P Article 4(2)(b)(ii) | (ii) the hour of departure,\n"
        "P Article 4(2)(b) | signed by the visitor;\n"
        "P Article 4(2) | and shall show both to an inspector on request.\n"
        "P Article 4(3)(a) | (3) a Wardens rotate every spring.\n");
  CHECK(doc.meta.language == "es");
  CHECK(doc.blocks[5].anchor == "art_4__para_2__list_1__point_a");
  std::vector<Passage> passages = SplitPassages(doc);
  const Passage* point = FindPassage(passages, "Article 4(2)(b)(ii)");
  REQUIRE(point != nullptr);
  CHECK(point->id == "#art-4-2-b-ii");
  for (const Passage& p : passages) CHECK_FALSE(IsBareMarker(p.text));
}

TEST_CASE("AkomaNtosoReader reads an AKN 2.0 judgement with its header, body and conclusions",
          "[ingest][akn]") {
  ExtractedDocument doc = ReadFixture("judgment-v2.akn.xml");
  CHECK(Outline(doc) ==
        "P - | Case of the orchard wells, heard by the Valley Appeals Bench.\n"
        "P - | Between the Orchard Cooperative and the Water Board.\n"
        "P - | The cooperative asks the bench to reopen two wells closed in winter.\n"
        "P - | The board closed the wells after a dry season left the aquifer low.\n"
        "P - | The board gave no notice to the families who draw water there.\n"
        "P - | The bench weighs\n"
        "P (a) | a) the needs of the families;\n"
        "P (b) | b) the level of the aquifer.\n"
        "P - | The wells reopen for drinking water only.\n"
        "P - | Signed by the presiding member on the fifth of November.\n");
  CHECK(doc.meta.language == "fr");
  CHECK(doc.meta.issuer == "Valley Appeals Bench");
  CHECK(doc.blocks[6].anchor == "mot_list_a");
}

TEST_CASE(
    "AkomaNtosoReader sets the speaker of debate blocks from TLCPerson, else from the from label",
    "[ingest][akn]") {
  ExtractedDocument doc = ReadFixture("debate-hall.akn.xml");
  CHECK(Outline(doc) ==
        "P - | Sitting on the bridge repairs\n"
        "H1 - | Questions on the bridge\n"
        "P - | When will the footbridge reopen to walkers? @Ms. Mira Holt\n"
        "P - | The footbridge reopens once the new railings pass inspection. @Mr. Osei Brandt\n"
        "P - | We expect that before the autumn fair. @Mr. Osei Brandt\n"
        "P - | Thank you both; we move to the next item. @The Chair\n"
        "P - | Will the ferry run meanwhile? @A resident\n"
        "P - | The hall adjourned at noon.\n");
  CHECK(doc.meta.language == "en");
}

TEST_CASE("AkomaNtosoReader never makes a passage of a num alone", "[ingest][akn]") {
  ExtractedDocument doc;
  Status st = AkomaNtosoReader().Read("x.xml", R"x(<akomaNtoso><act><body>
      <section><num>9</num><heading>Only points</heading>
        <paragraph><num>1</num>
          <subparagraph><num>a</num><content><p>first point;</p></content></subparagraph>
          <subparagraph><num>b</num><content><p>second point.</p></content></subparagraph>
        </paragraph>
        <paragraph><num>2</num></paragraph>
      </section></body></act></akomaNtoso>)x",
                                      &doc);
  REQUIRE(st.ok());
  CHECK(Outline(doc) ==
        "H1 - | 9 Only points\n"
        "P Section 9(1)(a) | 1 a first point;\n"
        "P Section 9(1)(b) | b second point.\n");
  CHECK(SplitPassages(doc)[0].id == "#sec-9-1-a");
}

// ---- The real files of ../shared/realdocs/akn -------------------------------------------

fs::path RealAkn(const std::string& name) {
  fs::path dir = testing::RealDocsDir();
  if (dir.empty() || !fs::exists(dir / "akn" / name)) return {};
  return dir / "akn" / name;
}

TEST_CASE("AkomaNtosoReader reads the articles, points and lists of the Kenya Constitution",
          "[ingest][akn][realdocs]") {
  fs::path path = RealAkn("Act_constitution_final-Kenya.xml");
  if (path.empty()) {
    WARN("skipped: realdocs/akn/Act_constitution_final-Kenya.xml is absent");
    return;
  }
  ExtractedDocument doc = ReadAkn(path);
  std::vector<Passage> passages = SplitPassages(doc);
  int bare = 0;
  for (const Passage& p : passages) {
    if (IsBareMarker(p.text)) {
      ++bare;
      UNSCOPED_INFO("bare passage " << p.locator << ": " << p.text);
    }
  }
  CHECK(bare == 0);
  CHECK(doc.meta.language == "en");

  // Article 1(3): a list introduction and its lettered items, from a blockList.
  const Passage* intro = FindPassage(passages, "Article 1(3)");
  REQUIRE(intro != nullptr);
  CHECK(intro->text.find("Sovereign power under this Constitution is delegated") !=
        std::string::npos);
  const Passage* point = FindPassage(passages, "Article 1(3)(b)");
  REQUIRE(point != nullptr);
  CHECK(point->text.find("the national executive") != std::string::npos);
  CHECK(point->id.find("#art-1-3-b") != std::string::npos);
  // Article 7(3): the lead-in is marked up as a heading of the paragraph; it is its text.
  const Passage* lead = FindPassage(passages, "Article 7(3)");
  REQUIRE(lead != nullptr);
  CHECK(lead->text.find("The State shall") != std::string::npos);
  const Passage* seven = FindPassage(passages, "Article 7(3)(b)");
  REQUIRE(seven != nullptr);
  CHECK(seven->text.find("indigenous languages") != std::string::npos);
  const Passage* life = FindPassage(passages, "Article 26(1)");
  REQUIRE(life != nullptr);
  CHECK(life->text.find("right to life") != std::string::npos);

  Coverage coverage = TextCoverage(path, doc);
  INFO("passages " << passages.size() << ", coverage " << coverage.passages << ", with headings "
                   << coverage.with_headings);
  CHECK(coverage.passages >= 0.95);
}

TEST_CASE("AkomaNtosoReader reads the UN draft resolution in AKN 2.0 with its preface",
          "[ingest][akn][realdocs]") {
  fs::path path = RealAkn("Bill_UN_2012.xml");
  if (path.empty()) {
    WARN("skipped: realdocs/akn/Bill_UN_2012.xml is absent");
    return;
  }
  ExtractedDocument doc = ReadAkn(path);
  std::vector<Passage> passages = SplitPassages(doc);
  // The opening "The Commission ...," is a plain <p> in this file: no PP number for it.
  const Passage* first = FindPassage(passages, "PP1");
  REQUIRE(first != nullptr);
  CHECK(first->text.rfind("Concerned that new psychoactive substances", 0) == 0);
  const Passage* eight = FindPassage(passages, "8");
  REQUIRE(eight != nullptr);
  CHECK(eight->text.find("Requests") != std::string::npos);
  CHECK(FindPassage(passages, "fn1") != nullptr);
  // The note of the agenda item line of the preface follows that line.
  const Passage* star = FindPassage(passages, "fn*");
  REQUIRE(star != nullptr);
  REQUIRE(star->ordinal > 0);
  CHECK(passages[star->ordinal - 1].text == "Item 4 of the provisional agenda");
  for (const Passage& p : passages) CHECK_FALSE(IsBareMarker(p.text));
  CHECK(doc.meta.language == "en");
  Coverage coverage = TextCoverage(path, doc);
  INFO("passages " << passages.size() << ", coverage " << coverage.passages << ", with headings "
                   << coverage.with_headings);
  CHECK(coverage.passages >= 0.95);
}

TEST_CASE("AkomaNtosoReader reads the Bungeni debate with a speaker on each speech",
          "[ingest][akn][realdocs]") {
  fs::path path = RealAkn("Debate_Bungeni_2011-06-10.xml");
  if (path.empty()) {
    WARN("skipped: realdocs/akn/Debate_Bungeni_2011-06-10.xml is absent");
    return;
  }
  ExtractedDocument doc = ReadAkn(path);
  auto speaker_of = [&](std::string_view phrase) {
    for (const Block& b : doc.blocks) {
      if (doc.BlockText(b).find(phrase) != std::string_view::npos) return b.speaker;
    }
    return std::string("<not found>");
  };
  CHECK(speaker_of("BNAT organizes in-service") == "Mr. Eta");
  CHECK(speaker_of("I beg to move") == "Mr. Alfa");
  CHECK(speaker_of("Ring the Division Bell") == "Mr. Speaker");
  CHECK(speaker_of("(Loud consultation)").empty());
  int speeches = 0;
  for (const Block& b : doc.blocks) speeches += !b.speaker.empty();
  CHECK(speeches >= 9);
  CHECK(doc.meta.language == "en");
  std::vector<Passage> passages = SplitPassages(doc);
  Coverage coverage = TextCoverage(path, doc);
  INFO("passages " << passages.size() << ", coverage " << coverage.passages << ", with headings "
                   << coverage.with_headings);
  CHECK(coverage.with_headings >= 0.95);
}

}  // namespace
}  // namespace pillar
