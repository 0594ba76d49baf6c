#include "indexer/base/encoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "indexer/base/text.h"

namespace pillar {
namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

void AppendEscaped(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value after `key` (e.g. "encoding" or "charset") in `head`, quoted or not; "" if absent.
std::string ValueAfter(std::string_view head, std::string_view lower_head, std::string_view key) {
  size_t at = 0;
  while ((at = lower_head.find(key, at)) != std::string_view::npos) {
    size_t i = at + key.size();
    at = i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    if (i >= head.size() || head[i] != '=') continue;
    ++i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    char quote = i < head.size() && (head[i] == '"' || head[i] == '\'') ? head[i++] : '\0';
    size_t end = i;
    auto ends = [&](char c) {
      if (quote != '\0') return c == quote;
      return c == '"' || c == '\'' || c == '>' || c == ';' || c == '?' ||
             std::isspace(static_cast<unsigned char>(c));
    };
    while (end < head.size() && !ends(head[end])) ++end;
    std::string name(head.substr(i, end - i));
    // Encoding names are ASCII letters, digits and . _ : - ( ); anything else is no name (the
    // file is then read as undeclared, and its bytes reported where they are not UTF-8).
    bool plausible = !name.empty() && name.size() <= 40 &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                              c == '_' || c == ':' || c == '-' || c == '(' || c == ')';
                     });
    if (plausible) return name;
    if (!name.empty()) return {};
  }
  return {};
}

}  // namespace

std::string EscapeInvalidUtf8(std::string_view s) {
  size_t bad = FindInvalidUtf8(s);
  if (bad == std::string_view::npos) return std::string(s);
  std::string out(s.substr(0, bad));
  out.reserve(s.size() + 16);
  size_t i = bad;
  while (i < s.size()) {
    // FindInvalidUtf8 points at the first byte of a bad sequence: escape that byte alone and
    // look again from the next one (a truncated sequence's tail may start a good one).
    AppendEscaped(static_cast<unsigned char>(s[i]), out);
    ++i;
    std::string_view rest = s.substr(i);
    size_t next = FindInvalidUtf8(rest);
    size_t good = next == std::string_view::npos ? rest.size() : next;
    out.append(rest.substr(0, good));
    i += good;
  }
  return out;
}

std::string UnescapeBytes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && IsHex(s[i + 2]) && IsHex(s[i + 3]) &&
        HexValue(s[i + 2]) >= 8) {
      out += static_cast<char>(HexValue(s[i + 2]) * 16 + HexValue(s[i + 3]));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string PathText(const std::filesystem::path& path) { return EscapeInvalidUtf8(path.string()); }

std::filesystem::path PathFromText(std::string_view text) {
  if (text.find("\\x") == std::string_view::npos) return std::filesystem::path(std::string(text));
  return std::filesystem::path(UnescapeBytes(text));
}

std::string DeclaredEncoding(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 4096);
  std::string lower = Lower(head);
  if (StartsWith(lower, "<?xml")) {
    size_t end = lower.find("?>");
    std::string_view decl = head.substr(0, end == std::string::npos ? head.size() : end);
    return ValueAfter(decl, std::string_view(lower).substr(0, decl.size()), "encoding");
  }
  // HTML: <meta charset=...> or <meta http-equiv="Content-Type" content="text/html; charset=...">.
  size_t meta = 0;
  while ((meta = lower.find("<meta", meta)) != std::string::npos) {
    size_t end = lower.find('>', meta);
    if (end == std::string::npos) break;
    std::string_view tag = head.substr(meta, end - meta);
    std::string name = ValueAfter(tag, std::string_view(lower).substr(meta, end - meta), "charset");
    if (!name.empty()) return name;
    meta = end;
  }
  return {};
}

bool IsUtf8Name(std::string_view encoding) {
  std::string name = Lower(encoding);
  return name == "utf-8" || name == "utf8";
}

Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view encoding) {
  UErrorCode error = U_ZERO_ERROR;
  std::string name(encoding);
  std::unique_ptr<UConverter, void (*)(UConverter*)> converter(ucnv_open(name.c_str(), &error),
                                                               ucnv_close);
  if (U_FAILURE(error) || !converter) {
    return Status::Unsupported("unknown character encoding '" + EscapeInvalidUtf8(name) + "'");
  }
  // Stop at a byte the encoding does not define instead of substituting U+FFFD silently.
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), converter.get(), error);
  if (U_FAILURE(error)) {
    return Status::Corruption("bytes that are not valid " + EscapeInvalidUtf8(name) + " (" +
                              u_errorName(error) + ")");
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

Result<std::string> DecodeDeclared(std::string bytes) {
  if (FindInvalidUtf8(bytes) == std::string::npos) return bytes;
  std::string declared = DeclaredEncoding(bytes);
  if (declared.empty() || IsUtf8Name(declared)) return bytes;
  Result<std::string> converted = ConvertToUtf8(bytes, declared);
  if (!converted.ok()) {
    std::string message =
        "declared encoding " + EscapeInvalidUtf8(declared) + ": " + converted.status().message();
    return converted.status().code() == Status::Code::kUnsupported ? Status::Unsupported(message)
                                                                   : Status::Corruption(message);
  }
  return converted;
}

Result<std::string> DecodeUndeclared(std::string_view bytes, DetectedEncoding* detected) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return Status::Corruption("control character " + std::string(hex) + " at byte offset " +
                                std::to_string(i) + ", not text");
    }
  }
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector(ucsdet_open(&error),
                                                                          ucsdet_close);
  if (U_FAILURE(error)) return Status::Internal(std::string("ucsdet_open: ") + u_errorName(error));
  // ICU looks at the first few KB; a long file's legacy bytes may all come later, so it is
  // given the whole text (the detector's cost is linear and small beside indexing).
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &error);
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &found, &error);
  if (U_FAILURE(error)) return Status::Corruption(std::string("ucsdet: ") + u_errorName(error));
  for (int32_t m = 0; m < found; ++m) {
    std::string name = ucsdet_getName(matches[m], &error);
    int confidence = ucsdet_getConfidence(matches[m], &error);
    if (U_FAILURE(error)) break;
    // The bytes are not UTF-8, and UTF-16/32 files carry NUL bytes, refused above.
    if (StartsWith(Lower(name), "utf")) continue;
    if (confidence < kMinDetectionConfidence) {
      return Status::Corruption("no encoding detected with confidence (best guess " + name +
                                ", confidence " + std::to_string(confidence) + ")");
    }
    Result<std::string> converted = ConvertToUtf8(bytes, name);
    if (!converted.ok()) {
      return Status::Corruption("detected as " + name + " but " + converted.status().message());
    }
    if (detected) *detected = {name, confidence};
    return converted;
  }
  return Status::Corruption("no 8-bit encoding detected");
}

}  // namespace pillar
