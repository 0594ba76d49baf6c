#include "indexer/ingest/xml_util.h"

#include <cctype>
#include <cstddef>

#include "indexer/base/text.h"

namespace pillar {
namespace {

// The byte offset where the prolog ends (the first start tag of an element), or npos.
size_t FindRootStart(std::string_view s) {
  size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos) {
    if (s.compare(i, 4, "<!--") == 0) {
      size_t e = s.find("-->", i + 4);
      if (e == std::string_view::npos) return std::string_view::npos;
      i = e + 3;
    } else if (s.compare(i, 2, "<?") == 0) {
      size_t e = s.find("?>", i + 2);
      if (e == std::string_view::npos) return std::string_view::npos;
      i = e + 2;
    } else if (s.compare(i, 2, "<!") == 0) {
      // DOCTYPE, possibly with an internal subset in [...].
      size_t bracket = s.find('[', i), close = s.find('>', i);
      if (bracket != std::string_view::npos && bracket < close) {
        // Skip declarations inside the subset; their '>' are not the DOCTYPE's end.
        size_t end = s.find(']', bracket);
        if (end != std::string_view::npos) end = s.find('>', end);
        if (end == std::string_view::npos) return std::string_view::npos;
        i = end + 1;
      } else {
        if (close == std::string_view::npos) return std::string_view::npos;
        i = close + 1;
      }
    } else {
      return i;
    }
  }
  return std::string_view::npos;
}

// Checks nesting depth with a linear scan that understands comments, CDATA, processing
// instructions and quoted attribute values. Returns the offset where `max_depth` is exceeded,
// or npos. Malformed input is left to the parser.
size_t FindTooDeep(std::string_view s, int max_depth) {
  int depth = 0;
  size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos) {
    size_t at = i;
    auto skip_to = [&](std::string_view end) {
      size_t e = s.find(end, i + 1);
      i = e == std::string_view::npos ? s.size() : e + end.size();
    };
    if (s.compare(i, 4, "<!--") == 0) {
      skip_to("-->");
    } else if (s.compare(i, 9, "<![CDATA[") == 0) {
      skip_to("]]>");
    } else if (s.compare(i, 2, "<?") == 0) {
      skip_to("?>");
    } else if (s.compare(i, 2, "<!") == 0) {
      skip_to(">");
    } else if (s.compare(i, 2, "</") == 0) {
      --depth;
      skip_to(">");
    } else {
      char quote = 0;
      size_t j = i + 1;
      for (; j < s.size(); ++j) {
        char c = s[j];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (j >= s.size()) return std::string_view::npos;
      if (s[j - 1] != '/' && ++depth > max_depth) return at;
      i = j + 1;
    }
  }
  return std::string_view::npos;
}

// The first node (in document order) whose name, value or attributes are not valid UTF-8,
// or an empty node. Bytes that are not UTF-8 are refused before parsing; what this finds is
// pugixml's decoding of character references, which it does not check: "&#xD800;" (a
// surrogate) and "&#x110000;" come out as bytes that are not UTF-8. Iterative: deep trees are
// safe.
pugi::xml_node FindUndecodableNode(const pugi::xml_document& doc) {
  auto bad = [](const char* s) { return FindInvalidUtf8(s) != std::string_view::npos; };
  pugi::xml_node n = doc.first_child();
  while (n) {
    if (bad(n.name()) || bad(n.value())) return n;
    for (pugi::xml_attribute a : n.attributes()) {
      if (bad(a.name()) || bad(a.value())) return n;
    }
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && !n.next_sibling()) n = n.parent();
    if (n) n = n.next_sibling();
  }
  return {};
}

}  // namespace

Status CheckXmlSafety(std::string_view bytes, std::string_view what, const XmlLimits& limits) {
  std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
  if (bytes.size() > limits.max_bytes) {
    return Status::Unsupported(prefix + "XML of " + std::to_string(bytes.size()) +
                               " bytes is over the limit of " + std::to_string(limits.max_bytes) +
                               " bytes");
  }
  size_t root = FindRootStart(bytes);
  std::string_view prolog = bytes.substr(0, root == std::string_view::npos ? bytes.size() : root);
  size_t doctype = prolog.find("<!DOCTYPE");
  if (doctype != std::string_view::npos && prolog.find("<!ENTITY", doctype) != std::string_view::npos) {
    bool external = prolog.find("SYSTEM", doctype) != std::string_view::npos ||
                    prolog.find("PUBLIC", doctype) != std::string_view::npos;
    return Status::Unsupported(
        prefix + "DOCTYPE declares entities" +
        (external ? " (an external entity would read another file or URL)"
                  : " (entity expansion, as in a \"billion laughs\" attack)") +
        "; XML with entity declarations is refused");
  }
  size_t deep = FindTooDeep(bytes, limits.max_depth);
  if (deep != std::string_view::npos) {
    LineColumn lc = LineColumnAt(bytes, deep);
    return Status::Unsupported(prefix + "elements nested deeper than " +
                               std::to_string(limits.max_depth) + " levels (line " +
                               std::to_string(lc.line) + ", column " + std::to_string(lc.column) +
                               "); refused");
  }
  return Status::Ok();
}

Status LoadXml(std::string_view bytes, pugi::xml_document* doc, std::string_view what,
               const XmlLimits& limits) {
  Status safe = CheckXmlSafety(bytes, what, limits);
  if (!safe.ok()) return safe;
  std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
  auto at = [&](size_t offset) {
    LineColumn lc = LineColumnAt(bytes, offset);
    return prefix + "line " + std::to_string(lc.line) + ", column " + std::to_string(lc.column) +
           ": ";
  };
  // pugixml takes any bytes as UTF-8 and passes them on; text that is not UTF-8 would reach
  // passages and JSON output (which aborts on it).
  if (size_t bad = FindInvalidUtf8(bytes); bad != std::string_view::npos) {
    return Status::Corruption(at(bad) + "invalid UTF-8");
  }
  pugi::xml_parse_result parsed = doc->load_buffer(
      bytes.data(), bytes.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
  if (!parsed) {
    return Status::Corruption(at(static_cast<size_t>(parsed.offset)) + parsed.description());
  }
  if (bytes.find("&#") != std::string_view::npos) {
    if (pugi::xml_node bad = FindUndecodableNode(*doc)) {
      std::ptrdiff_t offset = bad.offset_debug();
      return Status::Corruption(
          at(offset < 0 ? 0 : static_cast<size_t>(offset)) +
          "a character reference to a surrogate or a code point beyond U+10FFFF, which XML "
          "does not allow");
    }
  }
  return Status::Ok();
}

std::string RootElementName(std::string_view bytes) {
  size_t start = FindRootStart(bytes);
  if (start == std::string_view::npos) return {};
  size_t end = start + 1;
  while (end < bytes.size() && !std::isspace(static_cast<unsigned char>(bytes[end])) &&
         bytes[end] != '>' && bytes[end] != '/') {
    ++end;
  }
  std::string_view name = bytes.substr(start + 1, end - start - 1);
  size_t colon = name.find(':');
  if (colon != std::string_view::npos) name = name.substr(colon + 1);
  return std::string(name);
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == name) return c;
  }
  return {};
}

void WalkXml(const pugi::xml_node& root, const std::function<bool(const pugi::xml_node&)>& visit) {
  pugi::xml_node cur = root.first_child();
  while (cur) {
    bool descend = visit(cur) && cur.first_child();
    if (descend) {
      cur = cur.first_child();
      continue;
    }
    while (cur != root && !cur.next_sibling()) cur = cur.parent();
    if (cur == root) break;
    cur = cur.next_sibling();
  }
}

pugi::xml_node Descendant(const pugi::xml_node& node, std::string_view name) {
  pugi::xml_node found;
  WalkXml(node, [&](const pugi::xml_node& n) {
    if (found) return false;
    if (n.type() == pugi::node_element && LocalName(n) == name) found = n;
    return !found;
  });
  return found;
}

std::string_view Attr(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n = a.name();
    size_t colon = n.find(':');
    if (colon != std::string_view::npos) n = n.substr(colon + 1);
    if (n == name) return a.value();
  }
  return {};
}

std::string XmlText(const pugi::xml_node& root,
                    const std::function<bool(const pugi::xml_node&)>& skip) {
  std::string out;
  WalkXml(root, [&](const pugi::xml_node& n) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      out += n.value();
      return false;
    }
    if (n.type() != pugi::node_element) return false;
    if (skip && skip(n)) return false;
    return true;
  });
  return out;
}

std::string LanguageCode(std::string_view code) {
  std::string c;
  for (char ch : code) {
    if (ch == '-' || ch == '_') break;
    c += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  static const std::pair<std::string_view, std::string_view> kCodes[] = {
      {"eng", "en"}, {"fra", "fr"}, {"fre", "fr"}, {"ara", "ar"}, {"spa", "es"}, {"rus", "ru"},
      {"zho", "zh"}, {"chi", "zh"}, {"por", "pt"}, {"deu", "de"}, {"ger", "de"}, {"swa", "sw"},
      {"amh", "am"}, {"ita", "it"}, {"nld", "nl"}, {"dut", "nl"},
      {"esp", "es"}};
  for (const auto& [three, two] : kCodes) {
    if (c == three) return std::string(two);
  }
  if (c.size() == 2) return c;
  return {};
}

}  // namespace pillar
