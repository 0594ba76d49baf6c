#include "indexer/segment/analyzer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cctype>

#include "indexer/base/text.h"

namespace pillar {
namespace {

constexpr size_t kMaxTermBytes = 64;

bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_CONNECTOR_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

bool IsDigit(char32_t cp) {
  return cp < 0x80 ? (cp >= '0' && cp <= '9')
                   : u_charType(static_cast<UChar32>(cp)) == U_DECIMAL_DIGIT_NUMBER;
}

bool IsLetter(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return true;
    default:
      return false;
  }
}

// The code points Xapian's CJK n-gram mode treats as CJK (Han, kana, Hangul and their
// punctuation-free blocks).
bool IsCjk(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x2FFF) || (cp >= 0x3040 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA700 && cp <= 0xA71F) ||
         (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

char32_t PeekAt(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  return DecodeUtf8(s, i);
}

// The elided forms that end in an apostrophe and glue onto the next word.
constexpr std::string_view kElisions[] = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    "presqu", "quelqu", "dell", "all", "dall", "nell", "sull", "un", "quell", "po"};

// If the word starting at text[i] begins with an elision followed by an apostrophe and a
// letter, returns the number of bytes up to and including the apostrophe; else 0.
size_t ElisionLength(std::string_view text, size_t i) {
  for (std::string_view e : kElisions) {
    if (text.size() - i <= e.size() + 1) continue;
    bool match = true;
    for (size_t k = 0; k < e.size() && match; ++k) {
      match = std::tolower(static_cast<unsigned char>(text[i + k])) == e[k];
    }
    if (!match) continue;
    size_t after = i + e.size();
    size_t len = 0;
    if (text[after] == '\'') len = 1;
    else if (text.substr(after, 3) == "\xE2\x80\x99") len = 3;
    if (len == 0) continue;
    size_t next = after + len;
    if (next < text.size() && IsLetter(PeekAt(text, next))) return next - i;
  }
  return 0;
}

}  // namespace

std::string StripElisions(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  bool word_start = true;
  while (i < text.size()) {
    if (word_start) {
      size_t skip = ElisionLength(text, i);
      if (skip) {
        i += skip;
        word_start = false;
        continue;
      }
    }
    size_t start = i;
    char32_t cp = DecodeUtf8(text, i);
    word_start = !IsWordChar(cp);
    out.append(text.substr(start, i - start));
  }
  return out;
}

std::string Analyzer::StemmerName(std::string_view lang) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"en", "english"},   {"fr", "french"},   {"es", "spanish"}, {"ar", "arabic"},
      {"ru", "russian"},   {"pt", "portuguese"}, {"de", "german"}, {"it", "italian"},
      {"nl", "dutch"},     {"sv", "swedish"},  {"da", "danish"},  {"fi", "finnish"},
      {"tr", "turkish"},   {"id", "indonesian"}, {"no", "norwegian"}, {"ro", "romanian"},
      {"hu", "hungarian"},
  };
  std::string code(lang.substr(0, 2));
  for (auto& [iso, name] : kMap) {
    if (code == iso) return name;
  }
  return "none";
}

Analyzer::Analyzer(std::string_view language) : language_(language) {
  std::string code(language.substr(0, 2));
  strip_elisions_ = code == "fr" || code == "it" || code == "ca";
  std::string name = StemmerName(language);
  if (name != "none") {
    stemmer_ = Xapian::Stem(name);
    has_stemmer_ = true;
  }
}

const std::string& Analyzer::Stem(const std::string& term) {
  static const std::string kEmpty;
  if (!has_stemmer_ || term.empty()) return kEmpty;
  auto it = stem_cache_.find(term);
  if (it != stem_cache_.end()) return it->second;
  size_t i = 0;
  std::string stem = IsLetter(DecodeUtf8(term, i)) ? stemmer_(term) : std::string();
  if (record_forms_ && !stem.empty() && stem != term) new_forms_.emplace_back(stem, term);
  if (stem_cache_.size() > 200000) stem_cache_.clear();  // bound memory on huge vocabularies
  return stem_cache_.emplace(term, std::move(stem)).first->second;
}

const std::string& Analyzer::Fold(const std::string& term) {
  static const std::string kEmpty;
  bool ascii = true;
  for (char c : term) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return term;
  auto it = fold_cache_.find(term);
  if (it != fold_cache_.end()) return it->second.empty() ? term : it->second;
  std::string folded = FoldMarks(term);
  if (fold_cache_.size() > 200000) fold_cache_.clear();
  auto& slot = fold_cache_.emplace(term, folded == term ? std::string() : folded).first->second;
  return slot.empty() ? term : slot;
}

std::string FoldMarks(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString decomposed =
      nfd->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(),
                                                                   static_cast<int32_t>(text.size()))),
                     status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString kept;
  for (int32_t k = 0; k < decomposed.length();) {
    UChar32 c = decomposed.char32At(k);
    k += U16_LENGTH(c);
    int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || c == 0x0640) continue;  // marks, harakat, tatweel
    kept.append(c);
  }
  icu::UnicodeString composed = icu::Normalizer2::getNFCInstance(status)->normalize(kept, status);
  std::string out;
  composed.toUTF8String(out);
  return out;
}

std::vector<Token> Analyzer::Tokenize(std::string_view text) const {
  std::vector<Token> tokens;
  uint32_t position = 0;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    size_t start = i;
    if (strip_elisions_) {
      size_t skip = ElisionLength(text, i);
      if (skip) {
        i += skip;
        start = i;
      }
    }
    char32_t cp = DecodeUtf8(text, i);
    if (!IsWordChar(cp)) continue;
    if (IsCjk(cp)) {
      // As Xapian's FLAG_CJK_NGRAM: each character is a positional unigram, and each pair of
      // neighbours a bigram without position.
      size_t char_start = start;
      std::string prev_char;
      for (;;) {
        std::string ch;
        AppendUtf8(cp, ch);
        if (!prev_char.empty()) {
          tokens.push_back(Token{prev_char + ch, char_start - prev_char.size(), i, 0});
        }
        tokens.push_back(Token{ch, char_start, i, ++position});
        prev_char = std::move(ch);
        if (i >= n) break;
        size_t next_at = i;
        char32_t next = DecodeUtf8(text, next_at);
        if (!IsCjk(next) || !IsWordChar(next)) break;
        char_start = i;
        i = next_at;
        cp = next;
      }
      continue;
    }
    std::string term;
    AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), term);
    char32_t prev = cp;
    size_t end = i;
    while (i < n) {
      size_t at = i;
      char32_t c = DecodeUtf8(text, i);
      if (IsWordChar(c) && IsCjk(c)) {
        i = at;
        break;
      }
      if (IsWordChar(c)) {
        AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), term);
        prev = c;
        end = i;
        continue;
      }
      char32_t next = PeekAt(text, i);
      bool infix = (c == '\'' || c == 0x2019 || c == 0x201B || c == '&' || c == 0xB7 ||
                    c == 0x5F4 || c == 0x2027) &&
                   IsWordChar(next);
      bool infix_digit = (c == '.' || c == ',' || c == ';' || c == 0x37E || c == 0x589 ||
                          c == 0x60D || c == 0x7F8 || c == 0x2044 || c == 0xFE10 ||
                          c == 0xFE13 || c == 0xFE14) &&
                         IsDigit(prev) && IsDigit(next);
      if ((infix && IsWordChar(prev)) || infix_digit) {
        AppendUtf8(c == 0x2019 || c == 0x201B ? U'\'' : c, term);
        continue;  // the next character is a word character and is read next round
      }
      i = at;
      break;
    }
    // Suffixes such as "C++" or "C#": up to three '+' or '#' not followed by a word char.
    if (i < n && (text[i] == '+' || text[i] == '#')) {
      size_t k = i;
      while (k < n && k - i < 3 && text[k] == text[i]) ++k;
      if (k - i <= 3 && (k >= n || !IsWordChar(PeekAt(text, k)))) {
        term.append(text.substr(i, k - i));
        i = k;
        end = k;
      }
    }
    if (term.size() > kMaxTermBytes) continue;
    tokens.push_back(Token{std::move(term), start, end, ++position});
  }
  return tokens;
}

}  // namespace pillar
