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

std::string MarkSpans(const std::string& text, const std::vector<Span>& spans, bool terminal) {
  if (!terminal || spans.empty()) return text;
  std::string out;
  size_t pos = 0;
  for (const Span& s : spans) {
    if (s.begin < pos || s.end > text.size()) continue;
    out.append(text, pos, s.begin - pos);
    out += "\x1b[1;33m";
    out.append(text, s.begin, s.end - s.begin);
    out += "\x1b[0m";
    pos = s.end;
  }
  out.append(text, pos, std::string::npos);
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
