#pragma once

// Shared helpers for the readers that parse XML with pugixml (Akoma Ntoso, TEI, DOCX parts).
// Only those readers include this header; the rest of Pillar never sees pugixml.

#include <pugixml.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "indexer/base/status.h"

namespace pillar {

// Limits on one XML document (a file or a part inside a DOCX).
struct XmlLimits {
  // Deeper element nesting is refused before parsing (real documents stay under ~50 levels;
  // walks over a deeper tree could exhaust a thread's stack).
  int max_depth = 10000;
  // Larger XML is refused before parsing: pugixml's DOM costs a few times the input size.
  size_t max_bytes = 64ull << 20;  // 64 MiB
};

// Parses `bytes` (UTF-8) into `doc` after cheap safety checks, in bounded time and memory:
//  - a DOCTYPE that declares entities (<!ENTITY ...>) is refused: Unsupported, naming the
//    attack it looks like (entity expansion, "billion laughs", or an external entity that
//    would read another file). pugixml never processes DTDs or expands entities itself; a
//    DOCTYPE without an internal subset is ignored.
//  - nesting deeper than limits.max_depth is refused (Unsupported, with the byte offset);
//  - malformed XML is Corruption("line L, column C: <pugixml's description>"), and so are
//    bytes that are not UTF-8 and character references to what is not a character
//    ("&#xD800;"), which pugixml would pass on as text that is not UTF-8.
// Whitespace-only text between inline elements is kept so that words do not run together.
// `what` names the part in messages ("word/document.xml: ..."); may be empty.
Status LoadXml(std::string_view bytes, pugi::xml_document* doc, std::string_view what = {},
               const XmlLimits& limits = {});

// The checks of LoadXml() without parsing: size, entity declarations, nesting depth.
Status CheckXmlSafety(std::string_view bytes, std::string_view what = {},
                      const XmlLimits& limits = {});

// The local name of the root element ("akomaNtoso", "TEI"), found by a cheap scan past the
// XML declaration, comments, processing instructions and DOCTYPE; "" when there is none.
std::string RootElementName(std::string_view bytes);

// The element name without its namespace prefix ("akn:p" -> "p").
std::string_view LocalName(const pugi::xml_node& node);

// The first child element with local name `name`, or an empty node.
pugi::xml_node Child(const pugi::xml_node& node, std::string_view name);

// The first descendant element (depth-first, document order) with local name `name`, or an
// empty node. Iterative: safe on deep trees.
pugi::xml_node Descendant(const pugi::xml_node& node, std::string_view name);

// The value of the attribute with local name `name` ("w:val" matches "val"), or "".
std::string_view Attr(const pugi::xml_node& node, std::string_view name);

// Visits the descendants of `root` in document order without recursion. `visit` returns
// true to descend into an element's children, false to skip them.
void WalkXml(const pugi::xml_node& root, const std::function<bool(const pugi::xml_node&)>& visit);

// The text of `root`'s descendants (PCDATA and CDATA) in document order, skipping the
// subtrees of elements for which `skip` returns true (when given). Not collapsed.
std::string XmlText(const pugi::xml_node& root,
                    const std::function<bool(const pugi::xml_node&)>& skip = nullptr);

// Maps an ISO 639-2 (eng, fra, ara, spa, rus, zho/chi, por, deu/ger...) or 639-1 code, or a
// tag such as "en-GB", to the ISO 639-1 code Pillar uses; "" when unknown.
std::string LanguageCode(std::string_view code);

}  // namespace pillar
