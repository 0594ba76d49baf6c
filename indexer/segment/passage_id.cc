#include "indexer/segment/passage_id.h"

#include "indexer/base/text.h"

namespace pillar {

std::string NormalizeForId(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  auto put = [&](std::string_view s) {
    if (space && !out.empty()) out += ' ';
    space = false;
    out += s;
  };
  for (size_t k = 0; k < text.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(text[k]);
    std::string_view rest = text.substr(k);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
    } else if (StartsWith(rest, "\xC2\xA0") || StartsWith(rest, "\xE2\x80\xAF")) {
      space = true;  // no-break space, narrow no-break space
      k += rest[0] == '\xC2' ? 1 : 2;
    } else if (StartsWith(rest, "\xE2\x80\x98") || StartsWith(rest, "\xE2\x80\x99")) {
      put("'");
      k += 2;
    } else if (StartsWith(rest, "\xE2\x80\x9C") || StartsWith(rest, "\xE2\x80\x9D")) {
      put("\"");
      k += 2;
    } else if (c >= 'A' && c <= 'Z') {
      const char lower = static_cast<char>(c - 'A' + 'a');
      put(std::string_view(&lower, 1));
    } else {
      put(std::string_view(&text[k], 1));
    }
  }
  return out;
}

std::string ContentFragment(std::string_view text) {
  return "p-" + ContentHash(NormalizeForId(text)).substr(0, kContentHashDigits);
}

}  // namespace pillar
