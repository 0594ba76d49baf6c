#include "indexer/ingest/layout/bidi.h"

#include <unicode/ubidi.h>
#include <unicode/unistr.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace pillar {
namespace {

// What poppler makes of a logical line set on a page: ICU's forward reordering into visual
// order, left to right, with each character's own code point (no mirroring: see bidi.h).
std::string ToVisual(const std::string& logical, UBiDiLevel level) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(logical);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UBiDi, decltype(&ubidi_close)> bidi(ubidi_open(), &ubidi_close);
  ubidi_setPara(bidi.get(), text.getBuffer(), text.length(), level, nullptr, &status);
  icu::UnicodeString visual;
  char16_t* out = visual.getBuffer(text.length());
  int32_t length = ubidi_writeReordered(bidi.get(), out, text.length(), 0, &status);
  visual.releaseBuffer(length);
  REQUIRE(U_SUCCESS(status));
  std::string result;
  visual.toUTF8String(result);
  return result;
}

TEST_CASE("VisualToLogical returns lines without right-to-left text byte for byte",
          "[ingest][bidi]") {
  for (const std::string& line :
       {std::string(), std::string("S/RES/2719 (2023), para. 5(a)"),
        std::string("  two  spaces\tand a tab "), std::string("sécurité, protección, Ωμέγα, 保护"),
        std::string("Ligatures: \xEF\xAC\x81nal"),       // U+FB01 "ﬁ": byte scan false alarm
        std::string("Armenian: \xD5\xA1\xD6\x80"),       // U+0561 U+0580: likewise
        std::string("bad \xFF bytes")}) {
    INFO(line);
    CHECK(VisualToLogical(line) == line);
  }
  CHECK_FALSE(HasRightToLeftText("sécurité"));
  CHECK(HasRightToLeftText("x ب"));
  CHECK(HasRightToLeftText("\xD7\x90"));                  // U+05D0 alef (Hebrew)
  CHECK(HasRightToLeftText("\xEF\xBB\xBB"));              // U+FEFB lam-alef ligature
}

TEST_CASE("VisualToLogical puts a reversed Arabic line and its brackets back in order",
          "[ingest][bidi]") {
  // As poppler extracts "[الأصل بالعربية]": glyphs left to right, the lam-alef ligature of
  // "الأصل" written out lam first.
  CHECK(VisualToLogical("]ةيبرعلاب لصلأا[") == "[الأصل بالعربية]");
  CHECK(VisualToLogical(")ةيامح( نييندملا") == "المدنيين (حماية)");
  CHECK(VisualToLogical("نمألا سلجم") == "مجلس الأمن");
}

TEST_CASE("VisualToLogical keeps numbers in Arabic text in their order", "[ingest][bidi]") {
  CHECK(VisualToLogical("م 2025 ماع") == "عام 2025 م");
  CHECK(VisualToLogical("2719 رارقلا") == "القرار 2719");
}

TEST_CASE("VisualToLogical undoes the bidi algorithm's reordering of mixed lines",
          "[ingest][bidi]") {
  struct Case {
    std::string logical;
    UBiDiLevel level;  // the line's direction, as VisualToLogical will guess it
  };
  for (const Case& c : std::initializer_list<Case>{
           {"اعتمد مجلس الأمن القرار 2719 في 21 كانون الأول/ديسمبر 2023.", 1},
           {"حماية المدنيين [انظر المرفق] (الفقرة 5) {ملاحظة}", 1},
           {"تقرير الأمين العام عن البعثة MONUSCO في جمهورية الكونغو الديمقراطية", 1},
           {"The annex reads: حماية المدنيين في النزاع المسلح and ends there.", 0},
           {"הגנה על אזרחים בסכסוך מזוין, סעיף 12", 1},
       }) {
    std::string visual = ToVisual(c.logical, c.level);
    INFO(c.logical << "\nvisual: " << visual);
    REQUIRE(visual != c.logical);
    CHECK(VisualToLogical(visual) == c.logical);
  }
}

}  // namespace
}  // namespace pillar
