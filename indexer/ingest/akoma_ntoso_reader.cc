#include "indexer/ingest/akoma_ntoso_reader.h"

#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace {

// Beyond this nesting of structural units the rest of a unit is read as flat text: real
// resolutions nest three or four levels, and the walk stays far from the stack's end.
constexpr int kMaxUnitDepth = 64;

bool OneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

bool IsHeadingElement(std::string_view n) { return OneOf(n, {"heading", "crossHeading", "subheading"}); }

// Containers whose heading is a section heading rather than the start of a paragraph.
bool IsSectionContainer(std::string_view n) {
  return OneOf(n, {"section", "subsection", "part", "subpart", "chapter", "subchapter", "title",
                   "subtitle", "book", "tome", "division", "hcontainer", "container"});
}

// Units numbered by their <num> whose text is one passage.
bool IsNumberedUnit(std::string_view n) {
  return OneOf(n, {"paragraph", "subparagraph", "point", "item", "alinea", "article", "clause",
                   "subclause", "indent", "level", "rule", "subrule", "proviso", "transitional",
                   "blockList"});
}

bool IsTextElement(std::string_view n) {
  return OneOf(n, {"content", "intro", "p", "wrapUp", "blockContainer", "tblock", "formula"});
}

bool IsList(std::string_view n) { return OneOf(n, {"list", "blockList"}); }

std::string Collapse(const std::string& s) { return CollapseWhitespace(s); }

// "7." -> "7" under no parent; "(b)" under "2" -> "2(b)"; "b)" -> "2(b)"; "i" -> "2(b)(i)".
std::string CombineLocator(const std::string& parent, std::string num) {
  num = std::string(TrimAscii(CollapseWhitespace(num)));
  if (num.empty()) return parent;
  if (num[0] == '(') {
    size_t close = num.find(')');
    return parent + (close == std::string::npos ? num + ")" : num.substr(0, close + 1));
  }
  while (!num.empty() && (num.back() == '.' || num.back() == ':')) num.pop_back();
  if (!num.empty() && num.back() == ')') {
    num.pop_back();
    return parent + "(" + num + ")";
  }
  bool letters = !num.empty() && num.size() <= 6;
  for (char c : num) letters = letters && c >= 'a' && c <= 'z';
  if (letters && !parent.empty()) return parent + "(" + num + ")";
  return num;
}

struct Walker {
  ExtractedDocument* out = nullptr;
  int preambular = 0;
  int notes = 0;
  std::vector<std::pair<std::string, std::string>> pending_notes;  // (marker, text)

  // The unit's own text without notes (collected for later) and without nested units.
  std::string TextOf(const pugi::xml_node& node, bool skip_units) {
    return XmlText(node, [&](const pugi::xml_node& n) {
      std::string_view name = LocalName(n);
      if (name == "authorialNote" || name == "note") {
        std::string marker(Attr(n, "marker"));
        pending_notes.emplace_back(marker, Collapse(XmlText(n)));
        return true;
      }
      if (name == "eol" || name == "eop" || name == "br") return true;
      if (skip_units && (IsNumberedUnit(name) || IsList(name) || IsHeadingElement(name) ||
                         name == "num" || name == "wrapUp")) {
        return true;
      }
      return false;
    });
  }

  void FlushNotes(const pugi::xml_node& near) {
    for (auto& [marker, text] : pending_notes) {
      ++notes;
      out->AddBlock(BlockKind::kFootnote, text, 0, 0,
                    marker.empty() ? std::to_string(notes) : marker,
                    std::string(Attr(near, "eId")));
    }
    pending_notes.clear();
  }

  void Heading(const std::string& text, int level, const pugi::xml_node& node) {
    out->AddBlock(BlockKind::kHeading, text, std::min(std::max(level, 1), 6), 0, {},
                  std::string(Attr(node, "eId")));
    FlushNotes(node);
  }

  void Paragraph(const std::string& text, const std::string& locator, const pugi::xml_node& node) {
    out->AddBlock(BlockKind::kParagraph, text, 0, 0, locator, std::string(Attr(node, "eId")));
    FlushNotes(node);
  }

  void Preamble(const pugi::xml_node& preamble) {
    WalkXml(preamble, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "formula") {
        Paragraph(TextOf(n, false), "", n);
        return false;
      }
      if (IsHeadingElement(name)) {
        Heading(TextOf(n, false), 2, n);
        return false;
      }
      if (name == "p" || name == "recital") {
        pugi::xml_node anchor = Attr(n, "eId").empty() ? n.parent() : n;
        std::string text = TextOf(n, false);
        if (!Collapse(text).empty()) {
          Paragraph(text, "PP" + std::to_string(++preambular), anchor);
        }
        return false;
      }
      return true;
    });
  }

  // Walks the children of a body or container. `level` is the heading depth of the section.
  void Body(const pugi::xml_node& node, const std::string& parent, int level, int depth) {
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = LocalName(c);
      if (name == "num") continue;
      if (depth > kMaxUnitDepth) {
        Paragraph(TextOf(c, false), parent, c);
        continue;
      }
      if (IsHeadingElement(name)) {
        Heading(TextOf(c, false), level, c);
      } else if (IsNumberedUnit(name) && name != "blockList") {
        Unit(c, parent, level, depth + 1);
      } else if (IsSectionContainer(name) || (Child(c, "heading") && !Child(c, "content"))) {
        std::string heading = Collapse(XmlText(Child(c, "num")));
        std::string title = Collapse(TextOf(Child(c, "heading"), false));
        if (!title.empty()) heading += (heading.empty() ? "" : " ") + title;
        int inner = level;
        if (!heading.empty()) {
          Heading(heading, level, c);
          inner = level + 1;
        }
        Body(c, parent, inner, depth + 1);
      } else if (IsList(name)) {
        Body(c, parent, level, depth + 1);
      } else if (name == "heading") {
        continue;
      } else if (IsTextElement(name)) {
        Paragraph(TextOf(c, false), parent, c);
      } else {
        Body(c, parent, level, depth + 1);
      }
    }
  }

  // A numbered unit: its num, intro and content are one block; points and wrapUps follow.
  void Unit(const pugi::xml_node& unit, const std::string& parent, int level, int depth) {
    pugi::xml_node num = Child(unit, "num");
    std::string num_text = Collapse(XmlText(num));
    std::string locator = num ? CombineLocator(parent, num_text) : parent;
    if (pugi::xml_node heading = Child(unit, "heading")) {
      std::string h = Collapse(TextOf(heading, false));
      if (!num_text.empty() && !h.empty()) h = num_text + " " + h;
      Heading(h, level, unit);
    }
    std::string text = num_text;
    for (pugi::xml_node c = unit.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = LocalName(c);
      if (IsList(name)) {
        if (pugi::xml_node intro = Child(c, "intro")) text += " " + TextOf(intro, false);
      } else if (name == "content" || name == "intro" || name == "p" ||
                 name == "blockContainer") {
        text += " " + TextOf(c, true);
      }
    }
    Paragraph(text, locator, unit);
    for (pugi::xml_node c = unit.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = LocalName(c);
      if (IsList(name)) {
        for (pugi::xml_node p = c.first_child(); p; p = p.next_sibling()) {
          if (p.type() != pugi::node_element) continue;
          std::string_view pn = LocalName(p);
          if (pn == "intro" || pn == "num") continue;
          if (pn == "wrapUp") {
            Paragraph(TextOf(p, false), locator, p);
          } else if (IsNumberedUnit(pn)) {
            Unit(p, locator, level, depth + 1);
          } else if (IsHeadingElement(pn)) {
            Heading(TextOf(p, false), level, p);
          } else {
            Paragraph(TextOf(p, false), locator, p);
          }
        }
      } else if (IsNumberedUnit(name)) {
        Unit(c, locator, level, depth + 1);
      } else if (name == "wrapUp") {
        Paragraph(TextOf(c, false), locator, c);
      }
    }
  }
};

void ReadMetadata(const pugi::xml_node& doc_element, DocumentMetadata* meta) {
  pugi::xml_node meta_node = Child(doc_element, "meta");
  pugi::xml_node ident = Child(meta_node, "identification");
  pugi::xml_node work = Child(ident, "FRBRWork");
  pugi::xml_node expression = Child(ident, "FRBRExpression");
  pugi::xml_node number = Child(work, "FRBRnumber");
  std::string_view symbol = Attr(number, "showAs");
  if (symbol.empty()) symbol = Attr(number, "value");
  meta->symbol = CollapseWhitespace(symbol);
  meta->date = std::string(TrimAscii(Attr(Child(work, "FRBRdate"), "date")));
  std::string_view href = Attr(Child(work, "FRBRauthor"), "href");
  if (!href.empty()) {
    std::string_view id = href[0] == '#' ? href.substr(1) : href;
    WalkXml(Child(meta_node, "references"), [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      if (LocalName(n) == "TLCOrganization" && meta->issuer.empty() &&
          (Attr(n, "eId") == id || Attr(n, "id") == id || Attr(n, "href") == href)) {
        meta->issuer = CollapseWhitespace(Attr(n, "showAs"));
      }
      return true;
    });
  }
  meta->language = LanguageCode(Attr(Child(expression, "FRBRlanguage"), "language"));
  if (meta->language.empty()) meta->language = LanguageCode(Attr(doc_element, "lang"));

  pugi::xml_node preface = Child(doc_element, "preface");
  if (pugi::xml_node title = Descendant(preface, "docTitle")) {
    meta->title = CollapseWhitespace(XmlText(title));
  }
  if (meta->title.empty()) meta->title = CollapseWhitespace(Attr(Child(work, "FRBRalias"), "value"));
  if (meta->title.empty()) meta->title = CollapseWhitespace(Attr(Child(work, "FRBRname"), "value"));
  if (meta->symbol.empty()) {
    meta->symbol = CollapseWhitespace(XmlText(Descendant(preface, "docNumber")));
  }
  if (meta->date.empty()) meta->date = std::string(Attr(Descendant(preface, "docDate"), "date"));
  std::string_view subtype = Attr(Child(work, "FRBRsubtype"), "value");
  std::string name(Attr(doc_element, "name"));
  if (subtype == "deliberation" || name.find("resolution") != std::string::npos) {
    meta->type = "resolution";
  }
}

}  // namespace

Status AkomaNtosoReader::Read(const std::filesystem::path&, std::string_view bytes,
                              ExtractedDocument* out) const {
  pugi::xml_document xml;
  Status st = LoadXml(bytes, &xml);
  if (!st.ok()) return st;
  pugi::xml_node root = xml.document_element();
  if (LocalName(root) != "akomaNtoso") {
    return Status::Corruption("root element is <" + std::string(root.name()) +
                              ">, not <akomaNtoso>");
  }
  pugi::xml_node doc_element;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) != "components") {
      doc_element = c;
      break;
    }
  }
  if (!doc_element) return Status::Corruption("<akomaNtoso> holds no document");
  ReadMetadata(doc_element, &out->meta);

  Walker walker;
  walker.out = out;
  if (pugi::xml_node preamble = Child(doc_element, "preamble")) walker.Preamble(preamble);
  for (pugi::xml_node c = doc_element.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = LocalName(c);
    if (name == "body" || name == "mainBody" || name == "judgmentBody" || name == "debateBody" ||
        name == "amendmentBody") {
      walker.Body(c, "", 1, 0);
    }
  }
  return Status::Ok();
}

}  // namespace pillar
