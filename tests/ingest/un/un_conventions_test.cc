#include "indexer/ingest/un/un_conventions.h"

#include <catch2/catch.hpp>

namespace pillar::un {
namespace {

TEST_CASE("NormalizeSymbol reads UN document symbols as printed and refuses other text",
          "[ingest][un]") {
  CHECK(NormalizeSymbol("S/RES/2769 (2025)") == "S/RES/2769 (2025)");
  CHECK(NormalizeSymbol("S /RES/2769 (2025)") == "S/RES/2769 (2025)");  // kerned apart
  CHECK(NormalizeSymbol("S/2025/176") == "S/2025/176");
  CHECK(NormalizeSymbol("A/79/19") == "A/79/19");
  CHECK(NormalizeSymbol("E/CN.7/2012/L.2") == "E/CN.7/2012/L.2");
  CHECK(NormalizeSymbol("S/2025/383*") == "S/2025/383*");
  CHECK(NormalizeSymbol("S/PRST/2025/1") == "S/PRST/2025/1");
  CHECK(NormalizeSymbol("United Nations").empty());
  CHECK(NormalizeSymbol("S/RES/").empty());
  CHECK(NormalizeSymbol("AND/OR").empty());           // no digit
  CHECK(NormalizeSymbol("S/RES/2769 (25)").empty());  // not a year
  CHECK(NormalizeSymbol("12/2025").empty());          // no series letter
}

TEST_CASE("UN page furniture: job numbers, barcodes and reissue notes are recognised",
          "[ingest][un]") {
  CHECK(IsJobNumber("25-07317 (E)"));
  CHECK(IsJobNumber("25-07317"));
  CHECK(IsJobNumber("25-07317 (F) 180325 180325"));
  CHECK_FALSE(IsJobNumber("2025-07317"));
  CHECK_FALSE(IsJobNumber("25-07317 Decides"));
  CHECK(IsBarcode("*2507317*"));
  CHECK_FALSE(IsBarcode("*"));
  CHECK_FALSE(IsBarcode("*note*"));
  CHECK(IsReissueNote("Reissued for technical reasons on 3 March 2025."));
  CHECK(IsReissueNote("* Reissued for technical reasons on 3 March 2025."));
  CHECK_FALSE(IsReissueNote("The mission was reissued a mandate"));
}

TEST_CASE("ParseDate reads printed dates in English, French and Spanish", "[ingest][un]") {
  CHECK(ParseDate("16 January 2025") == "2025-01-16");
  CHECK(ParseDate("1er mars 2025") == "2025-03-01");
  CHECK(ParseDate("9 de mayo de 2025") == "2025-05-09");
  CHECK(ParseDate("Distr.: General").empty());
  CHECK(ParseDate("32 January 2025").empty());
  CHECK(ParseDate("16 January 2025 and more").empty());
}

TEST_CASE("IssuerOfBodyLine names the issuing organ", "[ingest][un]") {
  CHECK(IssuerOfBodyLine("Security Council") == "United Nations Security Council");
  CHECK(IssuerOfBodyLine("Assemblée générale") == "United Nations General Assembly");
  CHECK(IssuerOfBodyLine("The Security Council,").empty());
}

// The first page of a resolution as the PDF reader sees it (sizes and positions from S/RES/2769).
std::vector<MastheadLine> ResolutionPage() {
  return {{"S /RES/2769 (2025)", 38.7, 20, true},
          {"United Nations", 45.3, 14, false},
          {"Security Council", 68.6, 20, true},
          {"Distr.: General", 77.8, 10, false},
          {"16 January 2025", 89.5, 10, false},
          {"Resolution 2769 (2025)", 212.2, 14, true},
          {"Adopted by the Security Council at its 9838th meeting, on", 239.8, 12, true},
          {"16 January 2025", 253.2, 12, true},
          {"The Security Council,", 279.7, 10, false},
          {"Recalling the arms embargo, travel ban, assets freeze and measures concerning", 297.7,
           10, false},
          {"25-00687 (E)", 738.7, 10, false},
          {"*2500687*", 749.4, 15, false}};
}

TEST_CASE("ReadMasthead turns a resolution's first page into metadata and consumes it",
          "[ingest][un]") {
  Masthead m = ReadMasthead(ResolutionPage(), 10, 792);
  REQUIRE(m.found);
  CHECK(m.symbol == "S/RES/2769 (2025)");
  CHECK(m.issuer == "United Nations Security Council");
  CHECK(m.date == "2025-01-16");
  CHECK(m.title == "Resolution 2769 (2025)");
  CHECK(m.type == "resolution");
  // Everything but the enacting formula and the first preambular paragraph.
  CHECK(m.consumed == std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 10, 11});

  DocumentMetadata meta;
  meta.title = "S_RES_2769";
  meta.author = "A Typist";
  meta.date = "2025-01-20";
  ApplyMasthead(m, &meta);
  CHECK(meta.symbol == "S/RES/2769 (2025)");
  CHECK(meta.title == "Resolution 2769 (2025)");
  CHECK(meta.author.empty());
  CHECK(meta.issuer == "United Nations Security Council");
  CHECK(meta.date == "2025-01-16");
}

TEST_CASE("ReadMasthead reads a translated letter's language, title and reissue note",
          "[ingest][un]") {
  std::vector<MastheadLine> page = {
      {"United Nations", 45, 14, false},
      {"S/2025/102*", 45, 20, true},
      {"Security Council", 68, 20, true},
      {"Distr.: General", 78, 10, false},
      {"17 February 2025", 90, 10, false},
      {"English", 101, 10, false},
      {"Original: French", 113, 10, false},
      {"Letter dated 17 February 2025 from the Permanent Representative", 200, 12, true},
      {"addressed to the President of the Security Council", 214, 12, true},
      {"On instructions from my Government, I have the honour to refer", 250, 10, false},
      {"* Reissued for technical reasons on 3 March 2025.", 720, 8, false}};
  Masthead m = ReadMasthead(page, 10, 792);
  REQUIRE(m.found);
  CHECK(m.symbol == "S/2025/102");
  CHECK(m.language == "en");  // the English version of a French original
  CHECK(m.date == "2025-02-17");
  CHECK(m.title ==
        "Letter dated 17 February 2025 from the Permanent Representative addressed to the "
        "President of the Security Council");
  CHECK(m.type == "letter");
  CHECK(m.note == "Reissued for technical reasons on 3 March 2025.");
}

TEST_CASE("ReadMasthead finds nothing on a page without a UN masthead", "[ingest][un]") {
  std::vector<MastheadLine> page = {{"Annual report 2024", 50, 20, true},
                                    {"S/2025/176 was discussed", 90, 10, false},
                                    {"Some body text follows here.", 120, 10, false}};
  Masthead m = ReadMasthead(page, 10, 792);
  CHECK_FALSE(m.found);
  CHECK(m.consumed.empty());
}

}  // namespace
}  // namespace pillar::un
