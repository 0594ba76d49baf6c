#include "tools/pillar/render.h"

#include <cstdio>

#include "indexer/base/text.h"

namespace pillar::cli {

std::string DocumentLine(const DocumentRecord& d) {
  std::string out;
  for (const std::string* part : {&d.meta.symbol, &d.meta.issuer, &d.meta.date}) {
    if (part->empty()) continue;
    if (!out.empty()) out += " \xC2\xB7 ";  // middle dot
    out += *part;
  }
  return out;
}

std::string TerminalSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        out += '^';
        out += static_cast<char>(c == 0x7F ? '?' : c + 0x40);  // ESC -> ^[
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + len > s.size() || FindInvalidUtf8(s.substr(i, len)) != std::string_view::npos) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
      ++i;
      continue;
    }
    size_t at = i;
    char32_t cp = DecodeUtf8(s, at);
    if (cp >= 0x80 && cp <= 0x9F) {
      char name[12];
      std::snprintf(name, sizeof name, "<U+%04X>", static_cast<unsigned>(cp));
      out += name;
    } else {
      out.append(s.substr(i, at - i));
    }
    i = at;
  }
  return out;
}

std::string MarkSpans(const std::string& text, const std::vector<Span>& spans, bool terminal) {
  if (!terminal || spans.empty()) return TerminalSafe(text);
  std::string out;
  size_t pos = 0;
  for (const Span& s : spans) {
    if (s.begin < pos || s.end > text.size()) continue;
    out += TerminalSafe(std::string_view(text).substr(pos, s.begin - pos));
    out += "\x1b[1;33m";
    out += TerminalSafe(std::string_view(text).substr(s.begin, s.end - s.begin));
    out += "\x1b[0m";
    pos = s.end;
  }
  out += TerminalSafe(std::string_view(text).substr(pos));
  return out;
}

std::string TagsLine(const std::vector<Tag>& tags) {
  std::string out;
  for (const Tag& t : tags) {
    if (!out.empty()) out += ", ";
    out += t.concept_id + " (" + t.source;
    if (t.source == "rule") {
      char buf[32];
      std::snprintf(buf, sizeof buf, " %.2g", t.score);
      out += buf;
    }
    out += ")";
  }
  return out;
}

}  // namespace pillar::cli
