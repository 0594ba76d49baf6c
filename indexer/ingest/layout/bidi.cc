#include "indexer/ingest/layout/bidi.h"

#include <memory>

#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace pillar {

bool HasRightToLeftText(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = p[i];
    if (c < 0xD6) continue;
    // Two-byte sequences D6 80 .. DF BF are U+0580..U+07FF (U+0580..U+058F is Armenian: a
    // false alarm only costs the slow path, which leaves left-to-right text as it is).
    if (c <= 0xDF) return true;
    if (i + 1 >= n) break;
    unsigned char c1 = p[i + 1];
    // E0 A1 B0 .. E0 A3 BF: U+0870..U+08FF (Arabic Extended-B and -A); E0 A1 80.. is Mandaic
    // and Syriac Supplement, right-to-left too.
    if (c == 0xE0 && c1 >= 0xA1 && c1 <= 0xA3) return true;
    // EF AC 80 .. EF BB BF: U+FB00..U+FEFF (Hebrew and Arabic presentation forms; the Latin
    // ligatures U+FB00..U+FB06 are a harmless false alarm).
    if (c == 0xEF && c1 >= 0xAC && c1 <= 0xBB) return true;
  }
  return false;
}

namespace {

bool IsAlef(char16_t c) { return c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0627; }

// A lam-alef ligature is one glyph, which poppler writes out as lam then alef, in logical order
// within the reversed run; reversing the run turns it into alef then lam. Where the ligature
// follows the article's alef ("الأمن", "الإنسان": alef, lam-alef) that gives two alefs in a
// row, which Arabic never writes, so "األ" is put back as "الأ". Elsewhere alef-lam and
// lam-alef are both common ("رسالة", "سلام") and characters alone cannot tell them apart.
void FixLamAlefAfterArticle(icu::UnicodeString& text) {
  for (int32_t i = 0; i + 2 < text.length(); ++i) {
    if (text[i] == 0x0627 && IsAlef(text[i + 1]) && text[i + 2] == 0x0644) {
      char16_t alef = text[i + 1];
      text.setCharAt(i + 1, 0x0644);
      text.setCharAt(i + 2, alef);
    }
  }
}

}  // namespace

std::string VisualToLogical(std::string_view line) {
  if (!HasRightToLeftText(line)) return std::string(line);
  icu::UnicodeString visual = icu::UnicodeString::fromUTF8(
      icu::StringPiece(line.data(), static_cast<int32_t>(line.size())));
  if (visual.indexOf(static_cast<char16_t>(0xFFFD)) >= 0 &&
      line.find("\xEF\xBF\xBD") == std::string_view::npos) {
    return std::string(line);  // invalid UTF-8: ICU replaced a byte
  }

  // The base direction (see the header): that of the strong letters at both ends of the line
  // where they agree, else that of most strong letters.
  int rtl = 0, ltr = 0;
  bool first_rtl = false, last_rtl = false;
  for (int32_t i = 0; i < visual.length();) {
    UChar32 c = visual.char32At(i);
    UCharDirection direction = u_charDirection(c);
    bool is_rtl = direction == U_RIGHT_TO_LEFT || direction == U_RIGHT_TO_LEFT_ARABIC;
    if (is_rtl || direction == U_LEFT_TO_RIGHT) {
      if (rtl + ltr == 0) first_rtl = is_rtl;
      last_rtl = is_rtl;
      ++(is_rtl ? rtl : ltr);
    }
    i += U16_LENGTH(c);
  }
  if (rtl == 0) return std::string(line);  // e.g. only Armenian or Latin ligatures
  const bool base_rtl = first_rtl == last_rtl ? first_rtl : rtl >= ltr;
  const UBiDiLevel level = base_rtl ? 1 : 0;

  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UBiDi, decltype(&ubidi_close)> bidi(ubidi_open(), &ubidi_close);
  if (!bidi) return std::string(line);
  ubidi_setReorderingMode(bidi.get(), UBIDI_REORDER_INVERSE_LIKE_DIRECT);
  ubidi_setPara(bidi.get(), visual.getBuffer(), visual.length(), level, nullptr, &status);
  if (U_FAILURE(status)) return std::string(line);
  icu::UnicodeString logical;
  // Reordering never lengthens the text without UBIDI_INSERT_LRM_FOR_NUMERIC or
  // UBIDI_OUTPUT_REVERSE; no UBIDI_DO_MIRRORING (brackets, see the header).
  const int32_t capacity = visual.length();
  char16_t* out = logical.getBuffer(capacity);
  int32_t length = ubidi_writeReordered(bidi.get(), out, capacity, /*options=*/0,
                                        &status);
  logical.releaseBuffer(U_SUCCESS(status) ? length : 0);
  if (U_FAILURE(status)) return std::string(line);
  FixLamAlefAfterArticle(logical);
  std::string result;
  logical.toUTF8String(result);
  return result;
}

}  // namespace pillar
