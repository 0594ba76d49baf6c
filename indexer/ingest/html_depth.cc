#include "indexer/ingest/html_depth.h"

#include <map>
#include <vector>

namespace pillar {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string LowerName(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Elements without an end tag, and those whose end tag the parser implies when a sibling
// starts: neither nests without bound, so neither is counted.
bool Uncounted(std::string_view name) {
  static const std::string_view kNames[] = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
      "source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr",
      "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc",
      "html", "head", "body"};
  for (std::string_view n : kNames) {
    if (name == n) return true;
  }
  return false;
}

// Elements whose content is raw text up to their own end tag.
bool RawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" ||
         name == "xmp" || name == "iframe" || name == "noembed" || name == "noframes" ||
         name == "plaintext";
}

// The end of the tag that starts at `at` ('<'): one past its '>', skipping quoted attribute
// values; bytes.size() when it never closes.
size_t TagEnd(std::string_view bytes, size_t at) {
  char quote = 0;
  for (size_t k = at + 1; k < bytes.size(); ++k) {
    char c = bytes[k];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      // Quotes open a value only after '='; elsewhere they are stray bytes of the tag.
      size_t p = k;
      while (p > at && (bytes[p - 1] == ' ' || bytes[p - 1] == '\t' || bytes[p - 1] == '\n')) --p;
      if (p > at && bytes[p - 1] == '=') quote = c;
    } else if (c == '>') {
      return k + 1;
    }
  }
  return bytes.size();
}

}  // namespace

std::string_view LimitHtmlNesting(std::string_view bytes, std::string* storage,
                                  size_t max_depth) {
  std::vector<std::string> open;           // counted elements, outermost first
  std::map<std::string, size_t> open_count;  // name -> how many are in `open`
  std::vector<std::pair<size_t, size_t>> drop;  // byte ranges of tags to remove
  size_t i = 0;
  while (i < bytes.size()) {
    size_t lt = bytes.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= bytes.size()) break;
    char next = bytes[lt + 1];
    if (bytes.substr(lt, 4) == "<!--") {
      size_t close = bytes.find("-->", lt + 4);
      i = close == std::string_view::npos ? bytes.size() : close + 3;
      continue;
    }
    if (next == '!' || next == '?') {
      size_t close = bytes.find('>', lt + 2);
      i = close == std::string_view::npos ? bytes.size() : close + 1;
      continue;
    }
    bool end_tag = next == '/';
    size_t name_at = lt + (end_tag ? 2 : 1);
    if (name_at >= bytes.size() || !IsAsciiAlpha(bytes[name_at])) {
      i = lt + 1;  // a '<' in text
      continue;
    }
    size_t name_end = name_at;
    while (name_end < bytes.size() && bytes[name_end] != '>' && bytes[name_end] != '/' &&
           bytes[name_end] != ' ' && bytes[name_end] != '\t' && bytes[name_end] != '\n' &&
           bytes[name_end] != '\r' && bytes[name_end] != '\f') {
      ++name_end;
    }
    const std::string name = LowerName(bytes.substr(name_at, name_end - name_at));
    const size_t tag_end = TagEnd(bytes, lt);
    i = tag_end;
    if (!end_tag && RawText(name)) {
      // Skip to the matching end tag, case-insensitively; the tag pair itself is kept.
      std::string closing = "</" + name;
      size_t k = i;
      for (; k + closing.size() <= bytes.size(); ++k) {
        if (bytes[k] == '<' && LowerName(bytes.substr(k, closing.size())) == closing) break;
      }
      i = k < bytes.size() ? k : bytes.size();
      if (name == "plaintext") i = bytes.size();
      continue;
    }
    if (Uncounted(name)) continue;
    bool self_closing = tag_end >= 2 && bytes[tag_end - 1] == '>' && bytes[tag_end - 2] == '/';
    if (!end_tag) {
      if (self_closing) continue;
      open.push_back(name);
      ++open_count[name];
      if (open.size() > max_depth) drop.emplace_back(lt, tag_end);
      continue;
    }
    auto found = open_count.find(name);
    if (found == open_count.end() || found->second == 0) continue;  // a stray end tag
    // Closes the innermost open element of that name and everything opened inside it, as
    // the parser does; each element is popped once, so the pass stays linear.
    for (;;) {
      std::string top = std::move(open.back());
      open.pop_back();
      --open_count[top];
      if (top == name) break;
    }
    // The element closed was at depth open.size() + 1: its end tag goes with its start tag.
    if (open.size() + 1 > max_depth) drop.emplace_back(lt, tag_end);
  }
  if (drop.empty()) return bytes;
  storage->clear();
  storage->reserve(bytes.size());
  size_t from = 0;
  for (auto [b, e] : drop) {
    storage->append(bytes.substr(from, b - from));
    from = e;
  }
  storage->append(bytes.substr(from));
  return *storage;
}

}  // namespace pillar
