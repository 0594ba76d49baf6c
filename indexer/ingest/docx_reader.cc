#include "indexer/ingest/docx_reader.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/table_rows.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace {

// The container, read-only, with the byte budget shared by all parts read from it.
class ZipPackage {
 public:
  ZipPackage(zip_t* zip, const DocxLimits& limits) : zip_(zip), limits_(limits) {}
  ~ZipPackage() { zip_discard(zip_); }
  ZipPackage(const ZipPackage&) = delete;
  ZipPackage& operator=(const ZipPackage&) = delete;

  // The uncompressed bytes of entry `name`: NotFound when absent; Unsupported when a limit
  // would be passed (declared or actual size, ratio, total); Corruption when libzip fails.
  Result<std::string> Read(const std::string& name) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip_, name.c_str(), 0, &st) != 0) return Status::NotFound(name + " is missing");
    const uint64_t mib = 1 << 20;
    auto refuse = [&](const std::string& why) {
      return Status::Unsupported(name + ": " + why + " (zip bomb guard; see docs/formats.md)");
    };
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits_.max_entry_bytes) {
      return refuse("declares " + std::to_string(st.size) + " bytes uncompressed, over the " +
                    std::to_string(limits_.max_entry_bytes / mib) + " MiB limit per part");
    }
    if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > mib &&
        st.size > limits_.max_ratio * std::max<uint64_t>(st.comp_size, 1)) {
      return refuse("compression ratio " + std::to_string(st.size / std::max<uint64_t>(st.comp_size, 1)) +
                    ":1 is over the limit of " + std::to_string(limits_.max_ratio) + ":1");
    }
    zip_file_t* file = zip_fopen(zip_, name.c_str(), 0);
    if (!file) return Status::Corruption(name + ": " + zip_strerror(zip_));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);
    std::string data;
    char buffer[1 << 16];
    while (true) {
      zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) return Status::Corruption(name + ": " + zip_file_strerror(file));
      if (n == 0) break;
      uint64_t size = data.size() + static_cast<uint64_t>(n);
      if (size > limits_.max_entry_bytes) {
        return refuse("expands past the " + std::to_string(limits_.max_entry_bytes / mib) +
                      " MiB limit per part");
      }
      if (total_ + size > limits_.max_total_bytes) {
        return refuse("parts read expand past the " +
                      std::to_string(limits_.max_total_bytes / mib) + " MiB limit per file");
      }
      data.append(buffer, static_cast<size_t>(n));
    }
    total_ += data.size();
    return data;
  }

 private:
  zip_t* zip_;
  DocxLimits limits_;
  uint64_t total_ = 0;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Style {
  std::string name;
  std::string based_on;
  int outline = -1;  // w:outlineLvl, 0-based
  int bold = -1;     // w:b in the style's run properties: 1 on, 0 off, -1 not said
  int size = 0;      // w:sz in half-points; 0 not said
};

// A toggle property (<w:b/>, <w:b w:val="0"/>): 1, 0, or -1 when `node` is absent.
int Toggle(const pugi::xml_node& node) {
  if (!node) return -1;
  std::string val = Lower(Attr(node, "val"));
  return val == "0" || val == "false" || val == "off" || val == "none" ? 0 : 1;
}

// Local names of elements whose content is not the paragraph's own text (see ParagraphText).
bool SkippedInParagraph(std::string_view name) {
  return name == "del" || name == "delText" || name == "instrText" || name == "pPr" ||
         name == "rPr" || name == "drawing" || name == "pict" || name == "object" ||
         name == "AlternateContent" || name == "footnoteRef" || name == "endnoteRef" ||
         name == "annotationRef" || name == "sdtPr" || name == "p";
}

// The branch of an mc:AlternateContent to read: the mc:Choice (DrawingML) unless only the
// mc:Fallback (VML) holds a text box. Both hold the same content: reading both would double it.
pugi::xml_node ChosenBranch(const pugi::xml_node& alternate) {
  pugi::xml_node choice = Child(alternate, "Choice");
  pugi::xml_node fallback = Child(alternate, "Fallback");
  if (choice && (Descendant(choice, "txbxContent") || !fallback)) return choice;
  if (fallback && Descendant(fallback, "txbxContent")) return fallback;
  return choice ? choice : fallback;
}

// The text boxes (w:txbxContent) anchored in `node`, outermost only, one branch of each
// mc:AlternateContent.
std::vector<pugi::xml_node> TextBoxes(const pugi::xml_node& node) {
  std::vector<pugi::xml_node> boxes;
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node c = node.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    if (n.type() != pugi::node_element) continue;
    std::string_view name = LocalName(n);
    if (name == "txbxContent") {
      boxes.push_back(n);
      continue;
    }
    if (name == "AlternateContent") {
      if (pugi::xml_node branch = ChosenBranch(n)) stack.push_back(branch);
      continue;
    }
    for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  }
  return boxes;
}

// A paragraph short enough to be a heading: at most 160 bytes and 16 words, and no final
// period, semicolon or comma (a sentence, not a title).
bool IsShortLabel(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty() || text.size() > 160 || text.back() == '.' || text.back() == ';' ||
      text.back() == ',') {
    return false;
  }
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words <= 16;
}

// Text boxes inside text boxes deeper than this are not read (each level costs stack).
constexpr int kMaxTextBoxDepth = 8;
// Tables nested deeper than this are read as layout, without a survey.
constexpr int kMaxTableDepth = 8;

// Heading level (1-6) named by a style name such as "heading 2" or "Titre 1", else 0.
int LevelFromStyleName(const std::string& raw) {
  std::string name = Lower(raw);
  if (name == "title" || name == "titre") return 1;
  for (std::string_view prefix : {"heading", "titre", "título", "titulo", "überschrift",
                                  "\xc3\x9c" "berschrift"}) {
    if (!StartsWith(name, prefix)) continue;
    std::string_view rest = std::string_view(name).substr(prefix.size());
    rest = TrimAscii(rest);
    if (rest.size() == 1 && rest[0] >= '1' && rest[0] <= '9') return std::min(rest[0] - '0', 6);
  }
  return 0;
}

struct Level {
  std::string format;  // decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet...
  std::string text;    // "%1.", "(%2)"
  int start = 1;
};

std::string Roman(int n) {
  static const std::pair<int, const char*> kRoman[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
      {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
  std::string out;
  for (const auto& [v, s] : kRoman) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

// The counter `n` in `format`, or "" (with *ok = false) when the format is not a simple one.
std::string FormatCounter(int n, const std::string& format, bool* ok) {
  if (format == "decimal") return std::to_string(n);
  if (n <= 0) {
    *ok = false;
    return {};
  }
  if (format == "lowerLetter" || format == "upperLetter") {
    char base = format == "lowerLetter" ? 'a' : 'A';
    // Word repeats the letter past z: aa, bb...
    return std::string(static_cast<size_t>((n - 1) / 26 + 1), static_cast<char>(base + (n - 1) % 26));
  }
  if (format == "lowerRoman") return Roman(n);
  if (format == "upperRoman") {
    std::string r = Roman(n);
    for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
  }
  *ok = false;
  return {};
}

enum class NoteKind { kFootnote = 0, kEndnote = 1, kComment = 2 };

struct NoteRef {
  NoteKind kind;
  std::string id;
};

class DocxParser {
 public:
  explicit DocxParser(ExtractedDocument* out) : out_(out) {}

  void LoadStyles(const pugi::xml_node& styles) {
    for (pugi::xml_node s = styles.first_child(); s; s = s.next_sibling()) {
      if (LocalName(s) != "style") continue;
      Style style;
      style.name = Attr(Child(s, "name"), "val");
      style.based_on = Attr(Child(s, "basedOn"), "val");
      pugi::xml_node lvl = Child(Child(s, "pPr"), "outlineLvl");
      if (lvl) style.outline = std::atoi(std::string(Attr(lvl, "val")).c_str());
      pugi::xml_node rpr = Child(s, "rPr");
      style.bold = Toggle(Child(rpr, "b"));
      style.size = std::atoi(std::string(Attr(Child(rpr, "sz"), "val")).c_str());
      std::string id(Attr(s, "styleId"));
      if (Attr(s, "type") == "paragraph" &&
          (Attr(s, "default") == "1" || Attr(s, "default") == "true")) {
        default_style_ = id;
      }
      styles_[id] = style;
    }
    pugi::xml_node defaults = Child(Child(Child(styles, "docDefaults"), "rPrDefault"), "rPr");
    int size = std::atoi(std::string(Attr(Child(defaults, "sz"), "val")).c_str());
    if (size > 0) default_size_ = size;
  }

  void LoadNumbering(const pugi::xml_node& numbering) {
    std::map<std::string, std::vector<Level>> abstract;
    for (pugi::xml_node a = numbering.first_child(); a; a = a.next_sibling()) {
      if (LocalName(a) != "abstractNum") continue;
      std::vector<Level> levels(9);
      for (pugi::xml_node l = a.first_child(); l; l = l.next_sibling()) {
        if (LocalName(l) != "lvl") continue;
        int ilvl = std::atoi(std::string(Attr(l, "ilvl")).c_str());
        if (ilvl < 0 || ilvl > 8) continue;
        Level& level = levels[static_cast<size_t>(ilvl)];
        level.format = Attr(Child(l, "numFmt"), "val");
        level.text = Attr(Child(l, "lvlText"), "val");
        if (pugi::xml_node start = Child(l, "start")) {
          level.start = std::atoi(std::string(Attr(start, "val")).c_str());
        }
      }
      abstract[std::string(Attr(a, "abstractNumId"))] = std::move(levels);
    }
    for (pugi::xml_node n = numbering.first_child(); n; n = n.next_sibling()) {
      if (LocalName(n) != "num") continue;
      auto it = abstract.find(std::string(Attr(Child(n, "abstractNumId"), "val")));
      if (it == abstract.end()) continue;
      std::vector<Level> levels = it->second;
      for (pugi::xml_node o = n.first_child(); o; o = o.next_sibling()) {
        if (LocalName(o) != "lvlOverride") continue;
        int ilvl = std::atoi(std::string(Attr(o, "ilvl")).c_str());
        pugi::xml_node start = Child(o, "startOverride");
        if (start && ilvl >= 0 && ilvl <= 8) {
          levels[static_cast<size_t>(ilvl)].start = std::atoi(std::string(Attr(start, "val")).c_str());
        }
      }
      lists_[std::string(Attr(n, "numId"))] = std::move(levels);
    }
  }

  // Notes of word/footnotes.xml (`element` "footnote"), word/endnotes.xml ("endnote") or
  // word/comments.xml ("comment"), by id. Separators and continuation notices are skipped.
  void LoadNotes(const pugi::xml_node& root, std::string_view element, NoteKind kind) {
    for (pugi::xml_node f = root.first_child(); f; f = f.next_sibling()) {
      if (LocalName(f) != element) continue;
      std::string_view type = Attr(f, "type");
      if (!type.empty() && type != "normal") continue;
      std::string text;
      WalkXml(f, [&](const pugi::xml_node& n) {
        if (n.type() != pugi::node_element) return false;
        if (LocalName(n) == "p") {
          std::vector<NoteRef> ignored;
          text += " " + ParagraphText(n, &ignored);
          return false;
        }
        return true;
      });
      notes_[static_cast<size_t>(kind)][std::string(Attr(f, "id"))] = text;
    }
  }

  void ReadBody(const pugi::xml_node& body) {
    MeasureBodySize(body);
    ReadContainer(body, 0);
  }

  std::string title_from_style;

 private:
  // The first pass: the font size that most of the body's text has (the body size), against
  // which larger paragraphs are headings.
  void MeasureBodySize(const pugi::xml_node& body) {
    std::map<int, size_t> bytes_by_size;
    WalkXml(body, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      if (LocalName(n) != "p") return LocalName(n) != "sectPr";
      std::string style = ParagraphStyle(Child(n, "pPr"));
      ForEachRun(n, [&](const pugi::xml_node& r, size_t text_bytes) {
        bytes_by_size[RunSize(r, style)] += text_bytes;
      });
      return false;
    });
    size_t best = 0;
    for (const auto& [size, bytes] : bytes_by_size) {
      if (bytes > best) {
        best = bytes;
        body_size_ = size;
      }
    }
  }

  // Body content: paragraphs, tables, content controls; text boxes and tables nest.
  void ReadContainer(const pugi::xml_node& container, int depth) {
    WalkXml(container, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "p") {
        Paragraph(n, depth);
        return false;
      }
      if (name == "tbl" && table_depth_ < kMaxTableDepth) {
        Table(n, depth);
        return false;
      }
      if (name == "AlternateContent") {
        if (pugi::xml_node branch = ChosenBranch(n)) ReadContainer(branch, depth);
        return false;
      }
      return name != "sectPr" && name != "sdtPr";
    });
  }

  // Calls `visit(run, text_bytes)` for each run of `p` holding visible text.
  template <typename Visit>
  static void ForEachRun(const pugi::xml_node& p, Visit visit) {
    WalkXml(p, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "r") {
        std::vector<NoteRef> ignored;
        std::string text = ParagraphText(n, &ignored);
        if (!CollapseWhitespace(text).empty()) visit(n, text.size());
        return false;
      }
      return !SkippedInParagraph(name);
    });
  }

  std::string ParagraphStyle(const pugi::xml_node& ppr) const {
    std::string id(Attr(Child(ppr, "pStyle"), "val"));
    return id.empty() ? default_style_ : id;
  }

  // A property of style `id` or the styles it is based on; `get` returns -1/0 for "not said".
  template <typename Get>
  int StyleProperty(std::string id, Get get, int unset) const {
    for (int hop = 0; hop < 10 && !id.empty(); ++hop) {
      auto it = styles_.find(id);
      if (it == styles_.end()) break;
      int value = get(it->second);
      if (value != unset) return value;
      id = it->second.based_on;
    }
    return unset;
  }

  // Whether run `r` of a paragraph in style `style` is bold: its own w:b, else its character
  // style's, else the paragraph style's.
  bool RunBold(const pugi::xml_node& r, const std::string& style) const {
    pugi::xml_node rpr = Child(r, "rPr");
    int own = Toggle(Child(rpr, "b"));
    if (own >= 0) return own == 1;
    auto bold = [](const Style& st) { return st.bold; };
    int by_char = StyleProperty(std::string(Attr(Child(rpr, "rStyle"), "val")), bold, -1);
    if (by_char >= 0) return by_char == 1;
    return StyleProperty(style, bold, -1) == 1;
  }

  // The font size of run `r` in half-points.
  int RunSize(const pugi::xml_node& r, const std::string& style) const {
    pugi::xml_node rpr = Child(r, "rPr");
    int own = std::atoi(std::string(Attr(Child(rpr, "sz"), "val")).c_str());
    if (own > 0) return own;
    auto size = [](const Style& st) { return st.size; };
    int by_char = StyleProperty(std::string(Attr(Child(rpr, "rStyle"), "val")), size, 0);
    if (by_char > 0) return by_char;
    int by_para = StyleProperty(style, size, 0);
    return by_para > 0 ? by_para : default_size_;
  }

  // The text of one <w:p> (or one run); note references go to *refs.
  static std::string ParagraphText(const pugi::xml_node& p, std::vector<NoteRef>* refs) {
    std::string text;
    WalkXml(p, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "t") {
        text += XmlText(n);
        return false;
      }
      if (name == "tab" || name == "br" || name == "cr") {
        text += ' ';
        return false;
      }
      if (name == "noBreakHyphen") {
        text += '-';
        return false;
      }
      if (name == "footnoteReference" || name == "endnoteReference" ||
          name == "commentReference") {
        NoteKind kind = name == "footnoteReference"  ? NoteKind::kFootnote
                        : name == "endnoteReference" ? NoteKind::kEndnote
                                                     : NoteKind::kComment;
        refs->push_back(NoteRef{kind, std::string(Attr(n, "id"))});
        return false;
      }
      // Deleted text, field codes, properties, drawings (their layout numbers are not text;
      // text boxes are read as paragraphs of their own), the note mark inside a note, and
      // nested paragraphs of text boxes.
      return !SkippedInParagraph(name);
    });
    return text;
  }

  int HeadingLevel(const pugi::xml_node& ppr) {
    pugi::xml_node own = Child(ppr, "outlineLvl");
    if (own) {
      int lvl = std::atoi(std::string(Attr(own, "val")).c_str());
      if (lvl >= 0 && lvl <= 5) return lvl + 1;
    }
    std::string id(Attr(Child(ppr, "pStyle"), "val"));
    for (int hop = 0; hop < 10 && !id.empty(); ++hop) {
      auto it = styles_.find(id);
      int by_name = LevelFromStyleName(it == styles_.end() ? id : it->second.name);
      if (by_name == 0) by_name = LevelFromStyleName(id);
      if (by_name > 0) return by_name;
      if (it == styles_.end()) break;
      if (it->second.outline >= 0 && it->second.outline <= 5) return it->second.outline + 1;
      id = it->second.based_on;
    }
    return 0;
  }

  // The level of a heading made by direct formatting, or 0: a short paragraph (IsShortLabel)
  // whose text is all bold or all at least 1.15 times the body size. A numbered one (w:numPr
  // with a number, not a bullet) must be bold and takes its list level; others go one level
  // below the last heading.
  int FormattedHeadingLevel(const pugi::xml_node& p, const std::string& text,
                            const std::string& marker) const {
    if (!IsShortLabel(CollapseWhitespace(text))) return 0;
    pugi::xml_node ppr = Child(p, "pPr");
    std::string style = ParagraphStyle(ppr);
    bool all_bold = true, all_large = body_size_ > 0, any = false;
    ForEachRun(p, [&](const pugi::xml_node& r, size_t) {
      any = true;
      all_bold = all_bold && RunBold(r, style);
      all_large = all_large && RunSize(r, style) * 100 >= body_size_ * 115;
    });
    if (!any) return 0;
    pugi::xml_node num_pr = Child(ppr, "numPr");
    if (num_pr) {
      if (marker.empty() || !all_bold) return 0;
      int ilvl = std::atoi(std::string(Attr(Child(num_pr, "ilvl"), "val")).c_str());
      return std::clamp(ilvl + 1, 1, 6);
    }
    if (!all_bold && !all_large) return 0;
    return std::min(6, section_level_ + 1);
  }

  bool IsTitleStyle(const pugi::xml_node& ppr) {
    std::string id(Attr(Child(ppr, "pStyle"), "val"));
    auto it = styles_.find(id);
    return Lower(id) == "title" || (it != styles_.end() && Lower(it->second.name) == "title");
  }
  // The list a numbered or bulleted paragraph (w:numPr) belongs to and its level in it, or
  // nullptr when the paragraph has none or names no known list.
  const std::vector<Level>* ListOf(const pugi::xml_node& ppr, std::string* num_id,
                                   int* ilvl) const {
    pugi::xml_node num_pr = Child(ppr, "numPr");
    if (!num_pr) return nullptr;
    *num_id = Attr(Child(num_pr, "numId"), "val");
    *ilvl = std::atoi(std::string(Attr(Child(num_pr, "ilvl"), "val")).c_str());
    auto it = lists_.find(*num_id);
    if (it == lists_.end() || *ilvl < 0 || *ilvl > 8) return nullptr;
    return &it->second;
  }

  // True for a paragraph of a bulleted list (its level's format is a bullet): a list item
  // with no marker in its text (a numbered one gets its marker: Marker).
  bool IsBulleted(const pugi::xml_node& ppr) const {
    std::string num_id;
    int ilvl = 0;
    const std::vector<Level>* levels = ListOf(ppr, &num_id, &ilvl);
    return levels != nullptr && (*levels)[static_cast<size_t>(ilvl)].format == "bullet";
  }

  // The synthesized marker of a numbered paragraph ("3.", "(b)"), or "".
  std::string Marker(const pugi::xml_node& ppr) {
    std::string num_id;
    int ilvl = 0;
    const std::vector<Level>* list = ListOf(ppr, &num_id, &ilvl);
    if (list == nullptr) return {};
    const std::vector<Level>& levels = *list;
    std::vector<int>& counters = counters_[num_id];
    if (counters.empty()) counters.assign(9, 0);
    auto lvl = static_cast<size_t>(ilvl);
    counters[lvl] = counters[lvl] == 0 ? levels[lvl].start : counters[lvl] + 1;
    for (size_t deeper = lvl + 1; deeper < 9; ++deeper) counters[deeper] = 0;
    const std::string& pattern = levels[lvl].text;
    if (levels[lvl].format == "bullet" || levels[lvl].format == "none") return {};
    std::string marker;
    bool ok = true;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' &&
          pattern[i + 1] <= '9') {
        auto k = static_cast<size_t>(pattern[i + 1] - '1');
        int value = counters[k] == 0 ? levels[k].start : counters[k];
        marker += FormatCounter(value, levels[k].format, &ok);
        ++i;
      } else {
        marker += pattern[i];
      }
    }
    return ok ? marker : std::string();
  }


  void Paragraph(const pugi::xml_node& p, int depth) {
    std::vector<NoteRef> refs;
    std::string text = ParagraphText(p, &refs);
    pugi::xml_node ppr = Child(p, "pPr");
    std::string marker = Marker(ppr);
    if (!CollapseWhitespace(text).empty()) {
      int level = HeadingLevel(ppr);
      if (level > 0) {
        section_level_ = level;
      } else if (table_depth_ == 0) {
        level = FormattedHeadingLevel(p, text, marker);
        if (level > 0 && Child(ppr, "numPr")) section_level_ = level;
      }
      if (!marker.empty()) text = marker + " " + text;
      if (IsTitleStyle(ppr) && title_from_style.empty()) {
        title_from_style = CollapseWhitespace(text);
      }
      Block* block =
          out_->AddBlock(level > 0 ? BlockKind::kHeading : BlockKind::kParagraph, text, level);
      if (block != nullptr && level == 0) block->list_item = IsBulleted(ppr);
    }
    AddNotes(refs);
    if (depth < kMaxTextBoxDepth) {
      for (const pugi::xml_node& box : TextBoxes(p)) ReadContainer(box, depth + 1);
    }
  }

  // The notes cited by `refs`, in citation order, each numbered in its own sequence: "1" for
  // footnotes (the passage splitter makes it "fn1"), "en1" for endnotes, "comment1" for
  // comments.
  void AddNotes(const std::vector<NoteRef>& refs) {
    for (const NoteRef& ref : refs) {
      auto k = static_cast<size_t>(ref.kind);
      auto it = notes_[k].find(ref.id);
      if (it == notes_[k].end()) continue;
      static constexpr const char* kPrefix[] = {"", "en", "comment"};
      out_->AddBlock(BlockKind::kFootnote, it->second, 0, 0,
                     kPrefix[k] + std::to_string(++note_counts_[k]));
    }
  }

  // A table: surveyed, then read one paragraph per row when it holds data, or paragraph by
  // paragraph when it lays out text (the rule is in indexer/ingest/table_rows.h).
  void Table(const pugi::xml_node& tbl, int depth) {
    struct RowCells {
      pugi::xml_node row;
      std::vector<pugi::xml_node> cells;
    };
    std::vector<RowCells> rows;
    int columns = 0, max_filled = 0;
    bool layout = false;
    for (pugi::xml_node tr = tbl.first_child(); tr && !layout; tr = tr.next_sibling()) {
      if (LocalName(tr) != "tr") continue;
      RowCells row{tr, {}};
      int width = 0, filled = 0;
      for (pugi::xml_node tc = tr.first_child(); tc; tc = tc.next_sibling()) {
        if (LocalName(tc) != "tc") continue;
        row.cells.push_back(tc);
        width += GridSpan(tc);
        CellSurvey survey;
        WalkXml(tc, [&](const pugi::xml_node& n) {
          if (n.type() != pugi::node_element) return false;
          std::string_view name = LocalName(n);
          if (name == "tbl") survey.has_table = true;
          if (name != "p") return !survey.has_table;
          std::vector<NoteRef> ignored;
          std::string text = CollapseWhitespace(ParagraphText(n, &ignored));
          if (!text.empty()) {
            ++survey.paragraphs;
            survey.text_bytes += text.size();
          }
          return false;
        });
        if (survey.text_bytes > 0) ++filled;
        if (CellHoldsParagraphs(survey) || !TextBoxes(tc).empty()) layout = true;
      }
      columns = std::max(columns, width);
      max_filled = std::max(max_filled, filled);
      rows.push_back(std::move(row));
    }
    ++table_depth_;
    if (layout || max_filled < 2) {
      ReadContainer(tbl, depth);
      --table_depth_;
      return;
    }
    TableRows reader(columns);
    for (const RowCells& row : rows) {
      std::vector<TableCell> cells;
      std::vector<NoteRef> refs;
      for (const pugi::xml_node& tc : row.cells) {
        TableCell cell;
        cell.span = GridSpan(tc);
        pugi::xml_node merge = Child(Child(tc, "tcPr"), "vMerge");
        cell.merged_up = merge && Attr(merge, "val") != "restart";
        bool all_bold = true, any = false;
        WalkXml(tc, [&](const pugi::xml_node& n) {
          if (n.type() != pugi::node_element) return false;
          if (LocalName(n) != "p") return true;
          std::string text = CollapseWhitespace(ParagraphText(n, &refs));
          if (text.empty()) return false;
          std::string marker = Marker(Child(n, "pPr"));
          if (!marker.empty()) text = marker + " " + text;
          cell.text += cell.text.empty() ? text : " " + text;
          std::string style = ParagraphStyle(Child(n, "pPr"));
          ForEachRun(n, [&](const pugi::xml_node& r, size_t) {
            any = true;
            all_bold = all_bold && RunBold(r, style);
          });
          return false;
        });
        cell.bold = any && all_bold;
        cells.push_back(std::move(cell));
      }
      bool marked = static_cast<bool>(Child(Child(row.row, "trPr"), "tblHeader"));
      std::string text;
      TableRows::Kind kind = reader.Add(cells, marked, &text);
      if (kind == TableRows::Kind::kTitle) {
        out_->AddBlock(BlockKind::kHeading, text, std::min(6, section_level_ + 1));
      } else if (kind == TableRows::Kind::kBody) {
        out_->AddBlock(BlockKind::kParagraph, text);
      }
      AddNotes(refs);
    }
    --table_depth_;
  }

  static int GridSpan(const pugi::xml_node& tc) {
    int span = std::atoi(std::string(Attr(Child(Child(tc, "tcPr"), "gridSpan"), "val")).c_str());
    return std::clamp(span, 1, 64);
  }

  ExtractedDocument* out_;
  std::map<std::string, Style> styles_;
  std::string default_style_;  // the paragraph style marked w:default
  int default_size_ = 20;      // half-points: Word's 10 pt when nothing says otherwise
  int body_size_ = 0;          // the size of most of the body's text
  int section_level_ = 0;      // level of the last heading from a style or a number
  int table_depth_ = 0;
  std::map<std::string, std::vector<Level>> lists_;
  std::map<std::string, std::vector<int>> counters_;
  std::map<std::string, std::string> notes_[3];  // by NoteKind, then id
  int note_counts_[3] = {0, 0, 0};
};

// Reads an optional XML part into `xml`: Ok(false) when absent.
Result<bool> LoadPart(ZipPackage& zip, const std::string& name, pugi::xml_document* xml) {
  Result<std::string> bytes = zip.Read(name);
  if (!bytes.ok()) {
    if (bytes.status().code() == Status::Code::kNotFound) return false;
    return bytes.status();
  }
  Status st = LoadXml(*bytes, xml, name);
  if (!st.ok()) return st;
  return true;
}

std::string ChildText(const pugi::xml_node& node, std::string_view name) {
  return CollapseWhitespace(XmlText(Child(node, name)));
}

}  // namespace

Status DocxReader::Read(const std::filesystem::path&, std::string_view bytes,
                        ExtractedDocument* out) const {
  if (!StartsWith(bytes, "PK")) {
    return Status::Corruption("not a DOCX file: not a ZIP container (no 'PK' signature)");
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status::Internal("libzip: " + why);
  }
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!zip) {
    std::string why = zip_error_strerror(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    return Status::Corruption("not a readable DOCX (ZIP) container: " + why);
  }
  zip_error_fini(&error);
  ZipPackage package(zip, limits_);
  zip_int64_t entries = zip_get_num_entries(zip, 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > limits_.max_entries) {
    return Status::Unsupported("ZIP container has " + std::to_string(entries) +
                               " entries, over the limit of " +
                               std::to_string(limits_.max_entries));
  }

  DocxParser parser(out);
  pugi::xml_document styles, numbering, footnotes, endnotes, comments, core, document;
  Result<bool> has = LoadPart(package, "word/styles.xml", &styles);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadStyles(styles.document_element());
  has = LoadPart(package, "word/numbering.xml", &numbering);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadNumbering(numbering.document_element());
  has = LoadPart(package, "word/footnotes.xml", &footnotes);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadNotes(footnotes.document_element(), "footnote", NoteKind::kFootnote);
  has = LoadPart(package, "word/endnotes.xml", &endnotes);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadNotes(endnotes.document_element(), "endnote", NoteKind::kEndnote);
  has = LoadPart(package, "word/comments.xml", &comments);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadNotes(comments.document_element(), "comment", NoteKind::kComment);
  has = LoadPart(package, "docProps/core.xml", &core);
  if (!has.ok()) return has.status();
  if (*has) {
    pugi::xml_node props = core.document_element();
    out->meta.title = ChildText(props, "title");
    out->meta.author = ChildText(props, "creator");
    std::string created = ChildText(props, "created");
    // W3CDTF ("2022-02-01T09:30:00Z"): the date is its YYYY-MM-DD, YYYY-MM or YYYY prefix,
    // checked character by character (a cut at a byte count could split a UTF-8 character of
    // a garbled value).
    auto digits = [&](size_t from, size_t to) {
      if (created.size() < to) return false;
      for (size_t i = from; i < to; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(created[i]))) return false;
      }
      return true;
    };
    if (digits(0, 4)) {
      size_t end = 4;
      if (created.size() >= 7 && created[4] == '-' && digits(5, 7)) end = 7;
      if (end == 7 && created.size() >= 10 && created[7] == '-' && digits(8, 10)) end = 10;
      out->meta.date = created.substr(0, end);
    }
    out->meta.language = LanguageCode(ChildText(props, "language"));
  }
  has = LoadPart(package, "word/document.xml", &document);
  if (!has.ok()) return has.status();
  if (!*has) return Status::Corruption("no word/document.xml: not a Word document");
  pugi::xml_node body = Child(document.document_element(), "body");
  if (!body) return Status::Corruption("word/document.xml has no <w:body>");
  parser.ReadBody(body);
  if (out->meta.title.empty()) out->meta.title = parser.title_from_style;
  return Status::Ok();
}

}  // namespace pillar
