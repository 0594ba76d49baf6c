#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pillar {

// Small UTF-8 text utilities shared by readers, the segmenter and the CLI.

// Returns the byte offset of the first byte that is not part of a well-formed UTF-8 sequence
// (overlongs, surrogates and code points above U+10FFFF are rejected), or npos if `s` is valid.
size_t FindInvalidUtf8(std::string_view s);

// 1-based line and column (in bytes) of `offset` in `s`, for error messages.
struct LineColumn {
  size_t line = 1;
  size_t column = 1;
};
LineColumn LineColumnAt(std::string_view s, size_t offset);

// Unicode NFC via ICU. REQUIRES: `s` is valid UTF-8. Returns `s` unchanged when already NFC.
std::string NormalizeNfc(std::string_view s);

// Trims Unicode white space (ASCII space, tabs, newlines, form feed, NBSP, the U+2000 range,
// U+3000...) at both ends and collapses inner runs to one ASCII space.
std::string CollapseWhitespace(std::string_view s);

// Trims ASCII white space at both ends.
std::string_view TrimAscii(std::string_view s);

// `s` with ASCII capitals lowered; every other byte as it is.
std::string AsciiLower(std::string_view s);

// Lowercase ASCII slug: letters and digits kept, every other run becomes one '-'.
// Non-ASCII letters are kept as they are (ids stay readable in any language).
std::string Slugify(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s`.
size_t CountCodePoints(std::string_view s);

// 64-bit FNV-1a of `data`, as 16 lowercase hex digits. Used as a content hash to skip
// unchanged files; not a cryptographic hash.
std::string ContentHash(std::string_view data);

// `pos` moved back to the start of the UTF-8 sequence it falls in (unchanged at 0, at
// s.size() or beyond, and on a sequence's first byte): where `s` may be cut without splitting
// a character.
size_t CharStart(std::string_view s, size_t pos);

// Decodes one code point at `s[i]` (REQUIRES: valid UTF-8, i < size) and advances i.
char32_t DecodeUtf8(std::string_view s, size_t& i);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

bool StartsWith(std::string_view s, std::string_view prefix);

// Calls `visit` with each word of `s` in order: a maximal run of letters, combining marks and
// digits (Unicode general categories L, M, N), so "S/RES/2719" is three words and "l'ONU" two.
// A rough count, not ICU word breaking (a run of Chinese is one word): both sides of a
// comparison must count the same way. Safe on invalid UTF-8 (a stray byte ends a word).
void ForEachWord(std::string_view s, const std::function<void(std::string_view)>& visit);

// The number of words of `s` as ForEachWord() finds them.
size_t WordCount(std::string_view s);

// The runs of `s` between ASCII spaces, tabs and line breaks, punctuation kept ("18%",
// "Programmes,", "(2016),"): tokens as a PDF's text layer lays them out.
std::vector<std::string_view> SplitAtSpaces(std::string_view s);

}  // namespace pillar
