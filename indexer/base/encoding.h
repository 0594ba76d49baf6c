#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "indexer/base/status.h"

namespace pillar {

// One policy for text that enters Pillar from outside its files' checked contents: file
// names, metadata, messages and queries. Inside, all text is UTF-8; at the boundary, bytes
// that are not UTF-8 are kept visible as "\xHH" escapes, never dropped and never a crash.

// Returns `s` with each byte that is not part of a well-formed UTF-8 sequence written as
// "\xHH" (upper-case hex); valid UTF-8 is returned unchanged, so applying it twice is harmless.
std::string EscapeInvalidUtf8(std::string_view s);

// Reverses EscapeInvalidUtf8() for the bytes it can produce: "\xHH" with HH >= 80 becomes
// the byte 0xHH. (A name that holds such an escape as text is the one case it cannot tell.)
std::string UnescapeBytes(std::string_view s);

// A path as Pillar stores and prints it: EscapeInvalidUtf8() of its bytes. A Latin-1
// "caf\xE9.txt" from an old archive stays findable, and the file can be opened again with
// PathFromText().
std::string PathText(const std::filesystem::path& path);
std::filesystem::path PathFromText(std::string_view text);

// The encoding a file names for itself: the XML declaration's encoding="..." or, for HTML,
// <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=...">, in
// its first 4 KB. Returns the name as written (e.g. "ISO-8859-1"), or "" when none is named
// or the name is not one (not ASCII letters, digits and . _ : - ( ), or over 40 characters).
std::string DeclaredEncoding(std::string_view bytes);

// True for the names of UTF-8 ("UTF-8", "utf8", any case).
bool IsUtf8Name(std::string_view encoding);

// Converts `bytes` from `encoding` (any name ICU's converters know: ISO-8859-1,
// windows-1252, Shift_JIS...) to UTF-8. Returns Unsupported for an unknown encoding and
// Corruption for bytes that are not valid in it.
Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view encoding);

// The text of an XML or HTML file in UTF-8: `bytes` unchanged when they are valid UTF-8
// (files labelled Latin-1 but saved as UTF-8 are common) or when the file declares no other
// encoding (the caller reports the invalid byte), else converted from the encoding it
// declares. Returns the conversion's error, prefixed with the encoding's name.
Result<std::string> DecodeDeclared(std::string bytes);

// The encoding ICU's charset detector (ucsdet) found for text that named none.
struct DetectedEncoding {
  std::string name;    // as ICU names it: "ISO-8859-1", "windows-1252", "KOI8-R"...
  int confidence = 0;  // ICU's confidence, 0 to 100
};

// The lowest confidence at which DecodeUndetected() converts: below it, ICU is guessing
// between encodings that would give different text.
inline constexpr int kMinDetectionConfidence = 20;

// Text that is not UTF-8 and declares no encoding (plain text saved by older Windows and Mac
// tools: windows-1252, ISO-8859-1): converted to UTF-8 from the encoding ICU detects, which
// is returned in *detected. Refused (Corruption, with the reason) when the bytes hold control
// characters other than tab, line feed, carriage return, form feed and vertical tab (binary
// data, not text in any 8-bit encoding), when ICU detects nothing other than a Unicode
// encoding, when its confidence is under kMinDetectionConfidence, or when the bytes are not
// valid in the detected encoding.
Result<std::string> DecodeUndeclared(std::string_view bytes, DetectedEncoding* detected);

}  // namespace pillar
