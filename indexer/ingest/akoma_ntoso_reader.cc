#include "indexer/ingest/akoma_ntoso_reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace {

// Beyond this nesting of structural units the rest of a unit is read as flat text: real
// documents nest five or six levels, and the walk stays far from the stack's end.
constexpr int kMaxUnitDepth = 64;

bool OneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

bool IsHeadingElement(std::string_view n) {
  return OneOf(n, {"heading", "crossHeading", "subheading"});
}

// Units below an article, numbered by their <num>: their number extends the locator.
bool IsNumberedUnit(std::string_view n) {
  return OneOf(n, {"paragraph", "subparagraph", "point", "item", "alinea", "clause", "subclause",
                   "indent", "level", "rule", "subrule", "proviso", "transitional", "subsection"});
}

bool IsList(std::string_view n) { return OneOf(n, {"list", "blockList"}); }

// Elements that only hold the text of the unit around them: they are read as part of it.
bool IsWrapper(std::string_view n) {
  return OneOf(n,
               {"content", "intro", "wrapUp", "listIntroduction", "listWrapUp", "blockContainer"});
}

bool IsSpeech(std::string_view n) { return OneOf(n, {"speech", "question", "answer"}); }

// Hierarchical containers: their num and heading make a heading block.
bool IsContainer(std::string_view n) {
  return OneOf(n, {"section", "part", "subpart", "chapter", "subchapter", "title", "subtitle",
                   "book", "tome", "division", "hcontainer", "container", "debateSection"});
}

// Elements that structure text rather than sit inside a sentence. An element none of whose
// descendants is one of these is read as one piece of running text.
bool IsBlockName(std::string_view n) {
  return IsHeadingElement(n) || IsNumberedUnit(n) || IsList(n) || IsWrapper(n) || IsSpeech(n) ||
         IsContainer(n) ||
         OneOf(n, {"p", "num", "from", "article", "tblock", "formula", "table", "block", "recital",
                   "citation", "longTitle", "toc"});
}

bool HasBlockDescendant(const pugi::xml_node& root) {
  pugi::xml_node n = root.first_child();
  while (n && n != root) {
    bool descend = false;
    if (n.type() == pugi::node_element) {
      std::string_view name = LocalName(n);
      if (IsBlockName(name)) return true;
      descend = name != "authorialNote" && name != "note";
    }
    if (descend && n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != root && !n.next_sibling()) n = n.parent();
    if (!n || n == root) break;
    n = n.next_sibling();
  }
  return false;
}

std::string Collapse(std::string_view s) { return CollapseWhitespace(s); }

// The anchor of an element: its AKN 3.0 eId, else its AKN 2.0 id.
std::string AnchorOf(const pugi::xml_node& n) {
  std::string_view a = Attr(n, "eId");
  if (a.empty()) a = Attr(n, "id");
  return std::string(a);
}

// The printed number without trailing punctuation: "7." -> "7", "(b)" -> "(b)", "b)" -> "(b)".
std::string NumberLabel(std::string num) {
  num = std::string(TrimAscii(Collapse(num)));
  if (num.empty()) return num;
  if (num[0] == '(') {
    size_t close = num.find(')');
    return close == std::string::npos ? num + ")" : num.substr(0, close + 1);
  }
  while (!num.empty() && (num.back() == '.' || num.back() == ':' || num.back() == '-')) {
    num.pop_back();
  }
  if (!num.empty() && num.back() == ')') {
    num.pop_back();
    return "(" + num + ")";
  }
  return num;
}

// "7." under no parent -> "7"; "(b)" or "b" under "2" -> "2(b)"; "1" under "Article 26" ->
// "Article 26(1)".
std::string CombineLocator(const std::string& parent, const std::string& num) {
  std::string label = NumberLabel(num);
  if (label.empty()) return parent;
  if (parent.empty() || label[0] == '(') return parent + label;
  return parent + "(" + label + ")";
}

// The opening of a resolution written as a plain <p> (AKN 2.0 has no <formula> there): short,
// "The ...", "Le ...", "El ..." and a closing comma, as the passage splitter recognises it.
bool LooksLikeEnactingFormula(std::string_view text) {
  if (text.size() > 60 || text.empty() || text.back() != ',') return false;
  for (std::string_view start : {"The ", "Le ", "La ", "L’", "L'", "El ", "O "}) {
    if (StartsWith(text, start)) return true;
  }
  return false;
}

bool StartsWithDigit(std::string_view s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; }

// A piece of a unit in reading order: running text, or an element read on its own.
// The text of an element is read when its piece is used, so that its notes follow the block
// that holds it.
struct Piece {
  pugi::xml_node node;
  bool unit = false;
  std::string text;         // text of a text node
  bool whole_node = false;  // running text: the text of `node`
};

struct Walker {
  ExtractedDocument* out = nullptr;
  int notes = 0;
  int preambular = 0;
  std::vector<std::pair<std::string, std::string>> pending_notes;  // (marker, text)
  std::map<std::string, std::string, std::less<>> people;          // TLC id -> showAs
  std::string section_word;  // "Article" or "Section": how numbered sections of an act print
  std::string speaker;       // the speaker of the speech being read
  std::string pending_num;   // the num of a unit with no text of its own, for its first child

  std::string TextOf(const Piece& p) { return p.whole_node ? TextOf(p.node) : p.text; }

  // The element's text without notes (collected for later), line breaks or speaker labels.
  std::string TextOf(const pugi::xml_node& node) {
    return XmlText(node, [&](const pugi::xml_node& n) {
      std::string_view name = LocalName(n);
      if (name == "authorialNote" || name == "note") {
        std::string marker(Attr(n, "marker"));
        pending_notes.emplace_back(marker, Collapse(XmlText(n)));
        return true;
      }
      return name == "eol" || name == "eop" || name == "br" || name == "from" || name == "meta";
    });
  }

  void FlushNotes(const pugi::xml_node& near) {
    for (auto& [marker, text] : pending_notes) {
      ++notes;
      out->AddBlock(BlockKind::kFootnote, text, 0, 0,
                    marker.empty() ? std::to_string(notes) : marker, AnchorOf(near));
    }
    pending_notes.clear();
  }

  void Heading(const std::string& text, int level, const pugi::xml_node& node) {
    out->AddBlock(BlockKind::kHeading, text, std::min(std::max(level, 1), 6), 0, {},
                  AnchorOf(node));
    FlushNotes(node);
  }

  void Paragraph(std::string text, const std::string& locator, const pugi::xml_node& node) {
    if (Collapse(text).empty()) {
      FlushNotes(node);
      return;
    }
    if (!pending_num.empty()) {
      text = pending_num + " " + text;
      pending_num.clear();
    }
    Block* block = out->AddBlock(BlockKind::kParagraph, text, 0, 0, locator, AnchorOf(node));
    if (block != nullptr) block->speaker = speaker;
    FlushNotes(node);
  }

  // Splits the children of `node` into running text and elements read on their own. Wrappers
  // (content, intro, lists without a number...) are opened so their text joins the unit's.
  // `in_paragraph`: a heading is the unit's lead-in text ("The State shall --"), not a title.
  void Collect(const pugi::xml_node& node, bool in_paragraph, const pugi::xml_node& skip, int depth,
               std::vector<Piece>* pieces) {
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        if (!TrimAscii(c.value()).empty()) pieces->push_back({node, false, c.value(), false});
        continue;
      }
      if (c.type() != pugi::node_element || c == skip) continue;
      std::string_view name = LocalName(c);
      if (name == "num" || name == "from" || name == "meta") continue;
      bool carrier = !HasBlockDescendant(c);
      if (IsHeadingElement(name)) {
        pieces->push_back({c, !in_paragraph, {}, in_paragraph});
      } else if ((IsWrapper(name) || (IsList(name) && !Child(c, "num"))) && !carrier &&
                 depth < kMaxUnitDepth) {
        Collect(c, in_paragraph, skip, depth + 1, pieces);
      } else if (carrier || depth >= kMaxUnitDepth) {
        pieces->push_back({c, false, {}, true});
      } else {
        pieces->push_back({c, true, {}, false});
      }
    }
  }

  // The label of a section that is an article of an act ("Article 26"), or "" when the
  // section is a container of articles or paragraphs.
  std::string ArticleLabel(const pugi::xml_node& unit) {
    std::string_view name = LocalName(unit);
    std::string num = NumberLabel(XmlText(Child(unit, "num")));
    if (name == "article") {
      if (num.empty()) return {};
      return StartsWithDigit(num) ? "Article " + num : num;
    }
    if (name == "section" && !section_word.empty() && StartsWithDigit(num)) {
      return section_word + " " + num;
    }
    return {};
  }

  // Reads one element of a body, a container or a unit.
  void Dispatch(const pugi::xml_node& c, const std::string& parent, int level, int depth) {
    std::string_view name = LocalName(c);
    if (depth > kMaxUnitDepth) {
      Paragraph(TextOf(c), parent, c);
    } else if (IsHeadingElement(name)) {
      Heading(TextOf(c), level, c);
    } else if (name == "article" || !ArticleLabel(c).empty()) {
      Article(c, parent, level, depth + 1);
    } else if (IsNumberedUnit(name) || IsList(name)) {
      Unit(c, parent, level, depth + 1);
    } else if (IsSpeech(name)) {
      std::string saved = speaker;
      speaker = SpeakerOf(c);
      Body(c, parent, level, depth + 1);
      speaker = saved;
    } else {
      std::string heading = Collapse(XmlText(Child(c, "num")));
      pugi::xml_node title_node = Child(c, "heading");
      std::string title = Collapse(TextOf(title_node));
      if (!title.empty()) heading += (heading.empty() ? "" : " ") + title;
      int inner = level;
      if (!heading.empty()) {
        Heading(heading, level, c);
        inner = level + 1;
      }
      Body(c, parent, inner, depth + 1, title_node);
    }
  }

  // Walks the children of a body or container: each piece of running text is a paragraph.
  void Body(const pugi::xml_node& node, const std::string& parent, int level, int depth,
            const pugi::xml_node& skip = {}) {
    std::vector<Piece> pieces;
    Collect(node, false, skip, depth, &pieces);
    for (const Piece& p : pieces) {
      if (p.unit) {
        Dispatch(p.node, parent, level, depth);
      } else {
        Paragraph(TextOf(p), parent, p.node);
      }
    }
  }

  // Reads the pieces of a unit whose locator is `locator`: the leading text with `lead` (its
  // num) is one block; nested units follow; later text (a wrapUp) is a block of its own.
  void Pieces(const std::vector<Piece>& pieces, std::string lead, const pugi::xml_node& unit,
              const std::string& locator, int level, int depth) {
    size_t k = 0;
    std::string own;
    for (; k < pieces.size() && !pieces[k].unit; ++k) own += " " + TextOf(pieces[k]);
    if (!Collapse(own).empty()) {
      Paragraph(lead + own, locator, unit);
    } else if (k < pieces.size() && !Collapse(lead).empty()) {
      // A num alone is no passage: it goes with the first text of its sub-units.
      pending_num = Collapse(pending_num + " " + lead);
    }
    std::string text;
    pugi::xml_node text_node;
    for (; k < pieces.size(); ++k) {
      if (pieces[k].unit) {
        Paragraph(text, locator, text_node);
        text.clear();
        Dispatch(pieces[k].node, locator, level, depth);
      } else {
        if (text.empty()) text_node = pieces[k].node;
        text += " " + TextOf(pieces[k]);
      }
    }
    Paragraph(text, locator, text_node);
    pending_num.clear();
  }

  // A numbered unit below an article (paragraph, point, item...) or a numbered list.
  void Unit(const pugi::xml_node& unit, const std::string& parent, int level, int depth) {
    std::string num = Collapse(XmlText(Child(unit, "num")));
    std::string locator = CombineLocator(parent, num);
    std::vector<Piece> pieces;
    Collect(unit, true, {}, depth, &pieces);
    Pieces(pieces, num, unit, locator, level, depth);
  }

  // An article (or a section of an act that is one): its num and heading are a heading block.
  void Article(const pugi::xml_node& unit, const std::string& parent, int level, int depth) {
    std::string label = ArticleLabel(unit);
    std::string locator = label.empty() ? parent : label;
    std::string num = Collapse(XmlText(Child(unit, "num")));
    pugi::xml_node heading = Child(unit, "heading");
    std::string lead = num;
    if (heading) {
      std::string h = Collapse(TextOf(heading));
      Heading(num.empty() ? h : h.empty() ? num : num + " " + h, level, unit);
      lead.clear();
    }
    std::vector<Piece> pieces;
    Collect(unit, false, heading, depth, &pieces);
    Pieces(pieces, lead, unit, locator, level + 1, depth);
  }

  // The speaker of a speech, question or answer: @by resolved through the TLCPerson (or other
  // TLC entry) of that id in meta/references, else the <from> text without its colon.
  std::string SpeakerOf(const pugi::xml_node& speech) {
    std::string_view by = Attr(speech, "by");
    if (!by.empty() && by[0] == '#') by.remove_prefix(1);
    if (auto it = people.find(by); !by.empty() && it != people.end()) return it->second;
    std::string from = Collapse(XmlText(Child(speech, "from")));
    while (!from.empty() && (from.back() == ':' || from.back() == ' ')) from.pop_back();
    return from;
  }

  // Preambular text: each recital, p or list item is "PP1", "PP2"...; an enacting formula has
  // no locator; headings stay headings.
  void Preamble(const pugi::xml_node& node, int depth) {
    std::vector<Piece> pieces;
    Collect(node, false, {}, depth, &pieces);
    for (const Piece& p : pieces) {
      std::string_view name = LocalName(p.node);
      if (p.unit && IsHeadingElement(name)) {
        Heading(TextOf(p.node), 2, p.node);
      } else if (!p.unit && name == "formula") {
        Paragraph(TextOf(p), "", p.node);
      } else if (p.unit && name == "formula") {
        std::vector<Piece> inner;
        Collect(p.node, false, {}, depth + 1, &inner);
        for (const Piece& q : inner) Paragraph(q.unit ? TextOf(q.node) : TextOf(q), "", q.node);
      } else if (p.unit && depth < kMaxUnitDepth) {
        Preamble(p.node, depth + 1);
      } else {
        std::string text = p.unit ? TextOf(p.node) : TextOf(p);
        if (Collapse(text).empty()) continue;
        if (preambular == 0 && LooksLikeEnactingFormula(Collapse(text))) {
          Paragraph(text, "", p.node);  // "The Commission on Narcotic Drugs," without <formula>
          continue;
        }
        // A <p> without an id is anchored at its container's.
        pugi::xml_node anchor = AnchorOf(p.node).empty() ? p.node.parent() : p.node;
        Paragraph(text, "PP" + std::to_string(++preambular), anchor);
      }
    }
  }
};

int CountWord(std::string_view text, std::initializer_list<std::string_view> words) {
  int count = 0;
  for (std::string_view w : words) {
    for (size_t at = text.find(w); at != std::string_view::npos; at = text.find(w, at + 1)) {
      bool start = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
      size_t end = at + w.size();
      bool stop = end == text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
      count += start && stop;
    }
  }
  return count;
}

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
  if (meta->title.empty())
    meta->title = CollapseWhitespace(Attr(Child(work, "FRBRalias"), "value"));
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

// The people and roles of meta/references (TLCPerson, TLCRole...), by eId and id.
std::map<std::string, std::string, std::less<>> ReadPeople(const pugi::xml_node& doc_element) {
  std::map<std::string, std::string, std::less<>> people;
  pugi::xml_node refs = Child(Child(doc_element, "meta"), "references");
  for (pugi::xml_node n = refs.first_child(); n; n = n.next_sibling()) {
    std::string_view name = LocalName(n);
    if (n.type() != pugi::node_element || name.substr(0, 3) != "TLC") continue;
    std::string show = CollapseWhitespace(Attr(n, "showAs"));
    if (show.empty()) continue;
    // A person wins over a role or organisation that shares its id.
    for (std::string_view id : {Attr(n, "eId"), Attr(n, "id")}) {
      if (id.empty()) continue;
      if (name == "TLCPerson" || !people.count(id)) people[std::string(id)] = show;
    }
  }
  return people;
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
  walker.people = ReadPeople(doc_element);
  std::string_view type = LocalName(doc_element);
  if (type == "act" || type == "bill") {
    // Numbered sections of an act are its articles when the act calls its own units so ("in
    // this Article"): the Constitution of Kenya marks its Articles up as <section>, and its
    // cross-references say "section14", so only the self-references decide.
    std::string body = CollapseWhitespace(XmlText(Child(doc_element, "body")));
    walker.section_word =
        CountWord(body, {"this Article", "This Article"}) >
                CountWord(body, {"this section", "This section", "this Section", "This Section"})
            ? "Article"
            : "Section";
  }
  // Everything but meta in reading order: preface, preamble, body (body, mainBody,
  // judgmentBody, judgementBody, debateBody...), header, conclusions, attachments; then the
  // components that follow the document.
  for (pugi::xml_node c = doc_element.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = LocalName(c);
    if (name == "meta") continue;
    if (name == "preamble") {
      walker.Preamble(c, 0);
    } else {
      walker.Body(c, "", 1, 0);
    }
  }
  for (pugi::xml_node c = doc_element.next_sibling(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) walker.Body(c, "", 1, 0);
  }
  return Status::Ok();
}

}  // namespace pillar
