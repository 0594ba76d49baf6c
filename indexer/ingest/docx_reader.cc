#include "indexer/ingest/docx_reader.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "indexer/base/text.h"
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
};

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
      styles_[std::string(Attr(s, "styleId"))] = style;
    }
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

  void LoadFootnotes(const pugi::xml_node& footnotes) {
    for (pugi::xml_node f = footnotes.first_child(); f; f = f.next_sibling()) {
      if (LocalName(f) != "footnote") continue;
      std::string_view type = Attr(f, "type");
      if (!type.empty() && type != "normal") continue;
      std::string text;
      WalkXml(f, [&](const pugi::xml_node& n) {
        if (n.type() != pugi::node_element) return false;
        if (LocalName(n) == "p") {
          std::vector<std::string> ignored;
          text += " " + ParagraphText(n, &ignored);
          return false;
        }
        return true;
      });
      footnotes_[std::string(Attr(f, "id"))] = text;
    }
  }

  void ReadBody(const pugi::xml_node& body) {
    WalkXml(body, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "p") {
        Paragraph(n);
        return false;
      }
      return name != "sectPr" && name != "sdtPr";
    });
  }

  std::string title_from_style;

 private:
  // The text of one <w:p>; footnote reference ids go to *refs.
  static std::string ParagraphText(const pugi::xml_node& p, std::vector<std::string>* refs) {
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
      if (name == "footnoteReference") {
        refs->push_back(std::string(Attr(n, "id")));
        return false;
      }
      // Deleted text, field codes, properties, drawings (their layout numbers are not text),
      // the footnote mark inside a footnote, and nested paragraphs of text boxes.
      if (name == "del" || name == "delText" || name == "instrText" || name == "pPr" ||
          name == "rPr" || name == "drawing" || name == "pict" || name == "object" ||
          name == "AlternateContent" || name == "footnoteRef" || name == "endnoteReference" ||
          name == "sdtPr" || name == "p") {
        return false;
      }
      return true;
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

  bool IsTitleStyle(const pugi::xml_node& ppr) {
    std::string id(Attr(Child(ppr, "pStyle"), "val"));
    auto it = styles_.find(id);
    return Lower(id) == "title" || (it != styles_.end() && Lower(it->second.name) == "title");
  }

  // The synthesized marker of a numbered paragraph ("3.", "(b)"), or "".
  std::string Marker(const pugi::xml_node& ppr) {
    pugi::xml_node num_pr = Child(ppr, "numPr");
    if (!num_pr) return {};
    std::string num_id(Attr(Child(num_pr, "numId"), "val"));
    int ilvl = std::atoi(std::string(Attr(Child(num_pr, "ilvl"), "val")).c_str());
    auto it = lists_.find(num_id);
    if (it == lists_.end() || ilvl < 0 || ilvl > 8) return {};
    const std::vector<Level>& levels = it->second;
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

  void Paragraph(const pugi::xml_node& p) {
    std::vector<std::string> refs;
    std::string text = ParagraphText(p, &refs);
    pugi::xml_node ppr = Child(p, "pPr");
    std::string marker = Marker(ppr);
    if (!CollapseWhitespace(text).empty()) {
      if (!marker.empty()) text = marker + " " + text;
      int level = HeadingLevel(ppr);
      if (IsTitleStyle(ppr) && title_from_style.empty()) {
        title_from_style = CollapseWhitespace(text);
      }
      out_->AddBlock(level > 0 ? BlockKind::kHeading : BlockKind::kParagraph, text, level);
    }
    for (const std::string& id : refs) {
      auto it = footnotes_.find(id);
      if (it == footnotes_.end()) continue;
      out_->AddBlock(BlockKind::kFootnote, it->second, 0, 0, std::to_string(++notes_));
    }
  }

  ExtractedDocument* out_;
  std::map<std::string, Style> styles_;
  std::map<std::string, std::vector<Level>> lists_;
  std::map<std::string, std::vector<int>> counters_;
  std::map<std::string, std::string> footnotes_;
  int notes_ = 0;
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
  pugi::xml_document styles, numbering, footnotes, core, document;
  Result<bool> has = LoadPart(package, "word/styles.xml", &styles);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadStyles(styles.document_element());
  has = LoadPart(package, "word/numbering.xml", &numbering);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadNumbering(numbering.document_element());
  has = LoadPart(package, "word/footnotes.xml", &footnotes);
  if (!has.ok()) return has.status();
  if (*has) parser.LoadFootnotes(footnotes.document_element());
  has = LoadPart(package, "docProps/core.xml", &core);
  if (!has.ok()) return has.status();
  if (*has) {
    pugi::xml_node props = core.document_element();
    out->meta.title = ChildText(props, "title");
    out->meta.author = ChildText(props, "creator");
    std::string created = ChildText(props, "created");
    if (created.size() >= 4) out->meta.date = created.substr(0, std::min<size_t>(10, created.size()));
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
