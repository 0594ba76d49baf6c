#include "indexer/segment/language.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "indexer/ingest/reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

// Paragraphs written for these tests, each long enough for a language of its own.
const char* const kEnglish =
    "The mission shall protect civilians under threat of physical violence, patrol the roads "
    "between the camps and the market towns, and report every month on the incidents it was "
    "told about by the community protection committees.";
const char* const kFrench =
    "La mission doit protéger les civils menacés de violences physiques, patrouiller sur les "
    "routes entre les camps et les marchés, et rendre compte chaque mois des incidents signalés "
    "par les comités locaux de protection.";
const char* const kSpanish =
    "La misión debe proteger a los civiles amenazados de violencia física, patrullar las "
    "carreteras entre los campamentos y los mercados, e informar cada mes sobre los incidentes "
    "señalados por los comités locales de protección.";
const char* const kArabic =
    "يجب على البعثة أن تحمي المدنيين المعرضين لخطر العنف الجسدي، وأن تسيّر دوريات على الطرق "
    "بين المخيمات والأسواق، وأن تقدم تقريرا كل شهر عن الحوادث التي أبلغت عنها لجان الحماية "
    "المحلية.";

TEST_CASE("GuessLanguage names English, French, Spanish and Arabic paragraphs by ISO 639-1 code",
          "[segment][language]") {
  for (auto [text, code] : {std::pair{kEnglish, "en"}, std::pair{kFrench, "fr"},
                            std::pair{kSpanish, "es"}, std::pair{kArabic, "ar"}}) {
    INFO(text);
    LanguageGuess guess = GuessLanguage(text);
    CHECK(guess.language == code);
    CHECK(guess.reliable);
    CHECK(guess.text_bytes >= DocumentLanguages::kMinBlockBytes);
    CHECK(guess.percent >= DocumentLanguages::kMinBlockPercent);
  }
}

TEST_CASE("GuessLanguage gives nothing for empty text, digits and invalid UTF-8",
          "[segment][language]") {
  CHECK(GuessLanguage("").language.empty());
  CHECK(GuessLanguage("12.3 (2023) 4/5").language.empty());
  std::string bad = std::string(kFrench) + "\xC3\x28";
  CHECK(GuessLanguage(bad).language.empty());
  CHECK_FALSE(GuessLanguage(bad).reliable);
}

TEST_CASE("DocumentLanguages gives an Arabic annex paragraph of an English letter its own "
          "language and the letter English", "[segment][language]") {
  ExtractedDocument doc;
  doc.AddBlock(BlockKind::kHeading, "Letter to the President of the Council", 1);
  doc.AddBlock(BlockKind::kParagraph, kEnglish);
  doc.AddBlock(BlockKind::kParagraph, std::string(kEnglish) + " " + kEnglish);
  doc.AddBlock(BlockKind::kHeading, "Annex", 1);
  doc.AddBlock(BlockKind::kParagraph, kArabic);
  doc.AddBlock(BlockKind::kParagraph, "Non-State actors (a)");  // short: no language of its own
  DocumentLanguages languages(doc, /*whole_document=*/true);
  CHECK(languages.dominant() == "en");
  CHECK(languages.LanguageAt(doc.blocks[1].begin) == "en");
  CHECK(languages.LanguageAt(doc.blocks[4].begin) == "ar");
  CHECK(languages.LanguageAt(doc.blocks[4].end - 1) == "ar");
  CHECK(languages.LanguageAt(doc.blocks[4].end).empty());  // the "\n\n" between blocks
  CHECK(languages.LanguageAt(doc.blocks[5].begin).empty());
  CHECK(languages.LanguageAt(doc.blocks[0].begin).empty());
  CHECK(languages.LanguageAt(doc.text.size() + 10).empty());
}

TEST_CASE("DocumentLanguages leaves the document language unknown when told it is known, or "
          "when the text is too short", "[segment][language]") {
  ExtractedDocument doc;
  doc.AddBlock(BlockKind::kParagraph, kFrench);
  DocumentLanguages known(doc, /*whole_document=*/false);
  CHECK(known.dominant().empty());
  CHECK(known.LanguageAt(0) == "fr");

  ExtractedDocument tiny;
  tiny.AddBlock(BlockKind::kHeading, "Protection des civils", 1);
  CHECK(DocumentLanguages(tiny, true).dominant().empty());
  CHECK(DocumentLanguages(ExtractedDocument(), true).dominant().empty());
}

TEST_CASE("DocumentLanguages tallies a document of short French paragraphs as French",
          "[segment][language]") {
  // No paragraph is long enough for a language of its own; together they are.
  ExtractedDocument doc;
  for (const char* line : {"Les patrouilles reprennent demain matin.",
                           "Le comité local se réunit chaque semaine avec les chefs.",
                           "Les femmes demandent une escorte jusqu'au marché.",
                           "La mission reste dans le village pendant la saison des pluies."}) {
    doc.AddBlock(BlockKind::kParagraph, line);
  }
  DocumentLanguages languages(doc, true);
  CHECK(languages.dominant() == "fr");
  CHECK(languages.LanguageAt(0).empty());
}

// The published documents beside the repository (../shared/realdocs, see its README).
fs::path RealDocs() { return pillar::testing::SourceDir() / ".." / "shared" / "realdocs"; }

TEST_CASE("The real Catalan ParlaMint TEI file and the UN documents are detected in their "
          "language", "[segment][language][realdocs]") {
  if (!fs::is_directory(RealDocs())) {
    WARN("skipped: " << RealDocs().string() << " is absent (published documents for testing)");
    return;
  }
  fs::path tei = RealDocs() / "tei" / "ParlaMint-ES-CT_2015-10-26-0101.xml";
  Result<ExtractedDocument> catalan = ReadDocument(tei);
  REQUIRE(catalan.ok());
  CHECK(DocumentLanguages(*catalan, true).dominant() == "ca");

  int documents = 0;
  for (const auto& entry : fs::directory_iterator(RealDocs() / "un")) {
    if (entry.path().extension() != ".pdf") continue;
    INFO(entry.path().filename().string());
    Result<ExtractedDocument> doc = ReadDocument(entry.path());
    REQUIRE(doc.ok());
    CHECK(DocumentLanguages(*doc, true).dominant() == "en");
    ++documents;
  }
  CHECK(documents >= 20);
}

}  // namespace
}  // namespace pillar
