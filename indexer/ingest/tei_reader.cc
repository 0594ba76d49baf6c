#include "indexer/ingest/tei_reader.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace {

bool IsDiv(std::string_view n) {
  return n == "div" || (n.size() == 4 && StartsWith(n, "div") && n[3] >= '1' && n[3] <= '7');
}

bool IsBlock(std::string_view n) {
  return n == "p" || n == "ab" || n == "item" || n == "lg" || n == "quote";
}

struct TeiWalker {
  ExtractedDocument* out = nullptr;
  int page = 0;
  int notes = 0;
  std::vector<std::pair<std::string, std::string>> pending;  // (n, text) of notes

  // Text of a block with notes moved to `pending`; page breaks inside update `page` for the
  // blocks that follow.
  std::string TextOf(const pugi::xml_node& node) {
    return XmlText(node, [&](const pugi::xml_node& n) {
      std::string_view name = LocalName(n);
      if (name == "note") {
        pending.emplace_back(std::string(Attr(n, "n")), CollapseWhitespace(XmlText(n)));
        return true;
      }
      if (name == "pb") {
        int p = std::atoi(std::string(Attr(n, "n")).c_str());
        page = p > 0 ? p : page + 1;
      }
      return name == "fw" || name == "pb" || name == "lb" || name == "graphic" ||
             name == "figDesc";
    });
  }

  void Flush() {
    for (auto& [n, text] : pending) {
      ++notes;
      out->AddBlock(BlockKind::kFootnote, text, 0, page, n.empty() ? std::to_string(notes) : n);
    }
    pending.clear();
  }

  void Walk(const pugi::xml_node& root, int base_level) {
    // Heading level = number of div ancestors below `root`.
    WalkXml(root, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "head") {
        int level = base_level;
        for (pugi::xml_node a = n.parent(); a && a != root; a = a.parent()) {
          if (IsDiv(LocalName(a))) ++level;
        }
        int start_page = page;
        std::string text = TextOf(n);
        out->AddBlock(BlockKind::kHeading, text, std::clamp(level, 1, 6), start_page, {},
                      std::string(Attr(n, "id")));
        Flush();
        return false;
      }
      if (name == "pb") {
        int p = std::atoi(std::string(Attr(n, "n")).c_str());
        page = p > 0 ? p : page + 1;
        return false;
      }
      if (name == "note") {
        pending.emplace_back(std::string(Attr(n, "n")), CollapseWhitespace(XmlText(n)));
        Flush();
        return false;
      }
      if (name == "fw" || name == "figure" || name == "teiHeader") return false;
      if (IsBlock(name)) {
        // A list item or quote holding paragraphs: descend to the paragraphs instead.
        if (name != "p" && Descendant(n, "p")) return true;
        int start_page = page;
        std::string text = TextOf(n);
        out->AddBlock(BlockKind::kParagraph, text, 0, start_page, std::string(Attr(n, "n")),
                      std::string(Attr(n, "id")));
        Flush();
        return false;
      }
      return true;
    });
  }
};

}  // namespace

Status TeiReader::Read(const std::filesystem::path&, std::string_view bytes,
                       ExtractedDocument* out) const {
  pugi::xml_document xml;
  Status st = LoadXml(bytes, &xml);
  if (!st.ok()) return st;
  pugi::xml_node root = xml.document_element();
  if (LocalName(root) != "TEI") {
    return Status::Corruption("root element is <" + std::string(root.name()) + ">, not <TEI>");
  }
  pugi::xml_node header = Child(root, "teiHeader");
  pugi::xml_node file_desc = Child(header, "fileDesc");
  pugi::xml_node title_stmt = Child(file_desc, "titleStmt");
  pugi::xml_node pub = Child(file_desc, "publicationStmt");
  DocumentMetadata& meta = out->meta;
  for (pugi::xml_node t = title_stmt.first_child(); t; t = t.next_sibling()) {
    if (LocalName(t) != "title") continue;
    if (meta.title.empty() || Attr(t, "type") == "main") {
      meta.title = CollapseWhitespace(XmlText(t));
    }
  }
  for (pugi::xml_node a = title_stmt.first_child(); a; a = a.next_sibling()) {
    if (LocalName(a) != "author") continue;
    std::string name = CollapseWhitespace(XmlText(a));
    if (name.empty()) continue;
    if (!meta.author.empty()) meta.author += "; ";
    meta.author += name;
  }
  meta.issuer = CollapseWhitespace(XmlText(Child(pub, "authority")));
  if (meta.issuer.empty()) meta.issuer = CollapseWhitespace(XmlText(Child(pub, "publisher")));
  pugi::xml_node date = Child(pub, "date");
  meta.date = std::string(TrimAscii(Attr(date, "when")));
  if (meta.date.empty()) meta.date = CollapseWhitespace(XmlText(date));
  for (pugi::xml_node i = pub.first_child(); i; i = i.next_sibling()) {
    if (LocalName(i) == "idno" && Attr(i, "type") == "symbol") {
      meta.symbol = CollapseWhitespace(XmlText(i));
    }
  }
  pugi::xml_node lang_usage = Child(Child(header, "profileDesc"), "langUsage");
  meta.language = LanguageCode(Attr(Child(lang_usage, "language"), "ident"));
  pugi::xml_node text = Child(root, "text");
  if (meta.language.empty()) meta.language = LanguageCode(Attr(text, "lang"));
  if (meta.language.empty()) meta.language = LanguageCode(Attr(root, "lang"));
  if (!text) return Status::Corruption("<TEI> has no <text>");

  TeiWalker walker;
  walker.out = out;
  for (pugi::xml_node part = text.first_child(); part; part = part.next_sibling()) {
    std::string_view name = LocalName(part);
    if (name == "front" || name == "body" || name == "back") walker.Walk(part, 0);
  }
  walker.Flush();
  return Status::Ok();
}

}  // namespace pillar
