#include "indexer/ingest/zotero_import.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "indexer/base/text.h"
#include "indexer/index/index_writer.h"
#include "indexer/ingest/reader.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace fs = std::filesystem;
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string StripPrefix(std::string s, std::string_view prefix) {
  if (StartsWith(Lower(s), prefix)) s.erase(0, prefix.size());
  return s;
}

std::string NormalDoi(std::string_view doi) {
  std::string d = Lower(TrimAscii(doi));
  for (std::string_view p : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                             "http://dx.doi.org/", "doi:"}) {
    d = StripPrefix(d, p);
  }
  return std::string(TrimAscii(d));
}

// URLs compare without scheme, "www.", case and a trailing slash.
std::string NormalUrl(std::string_view url) {
  std::string u = Lower(TrimAscii(url));
  u = StripPrefix(u, "https://");
  u = StripPrefix(u, "http://");
  u = StripPrefix(u, "www.");
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

// Titles compare without ASCII case, punctuation and spacing (non-ASCII letters kept).
std::string NormalTitle(std::string_view title) {
  std::string out;
  bool gap = false;
  for (unsigned char c : title) {
    if (std::isalnum(c) || c >= 0x80) {
      if (gap && !out.empty()) out += ' ';
      gap = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      gap = true;
    }
  }
  return out;
}

// Pillar's document type for a CSL type (and genre, Zotero's Report Type).
std::string PillarType(std::string_view csl_type, std::string_view genre) {
  std::string g = Lower(TrimAscii(genre));
  if (csl_type == "legislation" || csl_type == "bill") return "resolution";
  if (csl_type == "report") {
    for (std::string_view known :
         {"policy", "guidelines", "handbook", "brief", "press-release", "resolution"}) {
      if (g == known) return std::string(known);
    }
    return "report";
  }
  if (StartsWith(csl_type, "article") || csl_type == "webpage" || StartsWith(csl_type, "post")) {
    return "article";
  }
  return "";
}

// "2023", "2023-12", "2023-12-21" from numbers (or numeric strings).
std::string IsoDate(const std::vector<int>& parts) {
  if (parts.empty() || parts[0] <= 0 || parts[0] > 9999) return "";
  char buf[16];
  std::string out = std::to_string(parts[0]);
  for (size_t k = 1; k < parts.size() && k < 3; ++k) {
    if (parts[k] < 1 || parts[k] > 31) break;
    std::snprintf(buf, sizeof buf, "-%02d", parts[k]);
    out += buf;
  }
  return out;
}

// The leading YYYY[-MM[-DD]] of a raw date, or "".
std::string RawIsoDate(std::string_view raw) {
  std::vector<int> parts;
  size_t i = 0;
  while (i < raw.size() && parts.size() < 3) {
    size_t j = i;
    while (j < raw.size() && std::isdigit(static_cast<unsigned char>(raw[j]))) ++j;
    if (j == i || (parts.empty() && j - i != 4) || (!parts.empty() && j - i > 2)) break;
    parts.push_back(std::stoi(std::string(raw.substr(i, j - i))));
    if (j >= raw.size() || (raw[j] != '-' && raw[j] != '/')) break;
    i = j + 1;
  }
  return IsoDate(parts);
}

int MonthNumber(std::string_view month) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string m = Lower(TrimAscii(month));
  if (!m.empty() && std::isdigit(static_cast<unsigned char>(m[0]))) return std::atoi(m.c_str());
  for (int k = 0; k < 12; ++k) {
    if (StartsWith(m, kMonths[k])) return k + 1;
  }
  return 0;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (n.empty()) continue;
    if (!out.empty()) out += "; ";
    out += n;
  }
  return out;
}

std::vector<std::string> SplitFiles(std::string_view field) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= field.size()) {
    size_t end = field.find(';', start);
    if (end == std::string_view::npos) end = field.size();
    std::string part(TrimAscii(field.substr(start, end - start)));
    // Zotero's own BibTeX writes "description:path:mime/type".
    size_t last = part.rfind(':');
    if (last != std::string::npos && part.find('/', last) != std::string::npos &&
        part.find(' ', last) == std::string::npos && last > 0) {
      size_t first = part.find(':');
      if (first < last) part = part.substr(first + 1, last - first - 1);
    }
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

std::string JsonText(const nlohmann::json& item, const char* key) {
  auto it = item.find(key);
  if (it == item.end()) return "";
  if (it->is_string()) return CollapseWhitespace(it->get<std::string>());
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return "";
}

int JsonInt(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_string()) return std::atoi(v.get<std::string>().c_str());
  return 0;
}

// ISO 639-1 from "en", "en-US", "eng", "English", "français"...; "" when unknown.
std::string LanguageOf(std::string_view language) {
  std::string l = Lower(TrimAscii(language));
  static const std::map<std::string, std::string> kNames = {
      {"english", "en"},  {"french", "fr"},     {"français", "fr"},  {"francais", "fr"},
      {"spanish", "es"},  {"español", "es"},    {"arabic", "ar"},    {"russian", "ru"},
      {"chinese", "zh"},  {"portuguese", "pt"}, {"german", "de"},    {"catalan", "ca"},
      {"american", "en"}, {"british", "en"},    {"ukenglish", "en"}, {"usenglish", "en"}};
  if (auto it = kNames.find(l); it != kNames.end()) return it->second;
  return LanguageCode(l);
}

}  // namespace

Result<ZoteroExport> ParseCslJsonExport(std::string_view text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    LineColumn lc = LineColumnAt(text, std::min(offset, text.size()));
    return Status::Corruption("line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) + ": malformed JSON");
  }
  if (doc.is_object() && doc.contains("items")) doc = doc["items"];
  if (!doc.is_array()) return Status::Corruption("not a CSL-JSON export (expected an array)");
  ZoteroExport out;
  for (size_t k = 0; k < doc.size(); ++k) {
    const nlohmann::json& item = doc[k];
    std::string where = "item " + std::to_string(k + 1);
    if (!item.is_object()) {
      out.errors.push_back({where, "not an object"});
      continue;
    }
    ZoteroItem z;
    z.key = JsonText(item, "id");
    z.where = where + (z.key.empty() ? "" : " (" + z.key + ")");
    DocumentMetadata& m = z.meta;
    m.title = JsonText(item, "title");
    std::vector<std::string> people;
    if (auto a = item.find("author"); a != item.end() && a->is_array()) {
      for (const nlohmann::json& name : *a) {
        if (!name.is_object()) continue;
        std::string literal = JsonText(name, "literal");
        if (!literal.empty()) {
          if (m.issuer.empty()) m.issuer = literal;
          continue;
        }
        std::string given = JsonText(name, "given"), family = JsonText(name, "family");
        people.push_back(given.empty() ? family : family.empty() ? given : given + " " + family);
      }
    }
    m.author = JoinNames(people);
    if (m.issuer.empty()) m.issuer = JsonText(item, "authority");
    if (m.issuer.empty() && !m.author.empty()) m.issuer = JsonText(item, "publisher");
    m.symbol = JsonText(item, "number");
    if (auto d = item.find("issued"); d != item.end() && d->is_object()) {
      auto parts = d->find("date-parts");
      if (parts != d->end() && parts->is_array() && !parts->empty() && (*parts)[0].is_array()) {
        std::vector<int> ints;
        for (const nlohmann::json& p : (*parts)[0]) ints.push_back(JsonInt(p));
        m.date = IsoDate(ints);
      }
      if (m.date.empty()) m.date = RawIsoDate(JsonText(*d, "raw"));
      if (m.date.empty()) m.date = RawIsoDate(JsonText(*d, "literal"));
    }
    m.language = LanguageOf(JsonText(item, "language"));
    m.type = PillarType(JsonText(item, "type"), JsonText(item, "genre"));
    m.url = JsonText(item, "URL");
    z.doi = NormalDoi(JsonText(item, "DOI"));
    z.files = SplitFiles(JsonText(item, "file"));
    if (m.title.empty() && z.files.empty()) {
      out.errors.push_back({z.where, "neither a title nor an attachment"});
      continue;
    }
    out.items.push_back(std::move(z));
  }
  return out;
}

namespace {

// A small reader of BibTeX entries as Zotero and Better BibTeX write them.
class BibReader {
 public:
  explicit BibReader(std::string_view text) : text_(text) {}

  ZoteroExport Read() {
    ZoteroExport out;
    while (true) {
      size_t at = text_.find('@', pos_);
      if (at == std::string_view::npos) break;
      pos_ = at + 1;
      size_t entry_start = at;
      std::string type = Lower(Word());
      SkipSpace();
      if (pos_ >= text_.size() || (text_[pos_] != '{' && text_[pos_] != '(')) continue;
      if (type == "comment" || type == "preamble" || type == "string") {
        SkipBalanced();
        continue;
      }
      ++pos_;
      std::string where = "line " + std::to_string(LineColumnAt(text_, entry_start).line);
      std::map<std::string, std::string> fields;
      std::string key;
      std::string error = Entry(&key, &fields);
      if (!error.empty()) {
        out.errors.push_back({where, error});
        continue;
      }
      ZoteroItem z;
      z.key = key;
      z.where = where + " (" + key + ")";
      Fill(type, fields, &z);
      if (z.meta.title.empty() && z.files.empty()) {
        out.errors.push_back({z.where, "neither a title nor an attachment"});
        continue;
      }
      out.items.push_back(std::move(z));
    }
    return out;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  std::string Word() {
    size_t start = pos_;
    while (pos_ < text_.size()) {
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (std::isalnum(c) || c == '_' || c == '-' || c == ':' || c == '.' || c == '/' || c == '+' ||
          c >= 0x80) {
        ++pos_;
      } else {
        break;
      }
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  void SkipBalanced() {
    int depth = 0;
    for (; pos_ < text_.size(); ++pos_) {
      if (text_[pos_] == '{' || text_[pos_] == '(') ++depth;
      if ((text_[pos_] == '}' || text_[pos_] == ')') && --depth == 0) {
        ++pos_;
        return;
      }
    }
  }
  bool EntryStartsAt(size_t i) const {
    return text_[i] == '\n' && i + 1 < text_.size() && text_[i + 1] == '@';
  }
  // The raw text of a {braced} value, braces inside kept. False when it never closes.
  bool Braced(std::string* out) {
    int depth = 0;
    size_t start = pos_;
    for (; pos_ < text_.size(); ++pos_) {
      if (text_[pos_] == '\\') {
        ++pos_;
        continue;
      }
      // An entry starting on a new line ends the one with a missing brace: only one is lost.
      if (EntryStartsAt(pos_)) return false;
      if (text_[pos_] == '{') ++depth;
      if (text_[pos_] == '}' && --depth == 0) {
        *out = std::string(text_.substr(start + 1, pos_ - start - 1));
        ++pos_;
        return true;
      }
    }
    return false;
  }
  bool Quoted(std::string* out) {
    int depth = 0;
    size_t start = ++pos_;
    for (; pos_ < text_.size(); ++pos_) {
      if (EntryStartsAt(pos_)) return false;
      if (text_[pos_] == '{') ++depth;
      if (text_[pos_] == '}') --depth;
      if (text_[pos_] == '"' && depth == 0) {
        *out = std::string(text_.substr(start, pos_ - start));
        ++pos_;
        return true;
      }
    }
    return false;
  }
  // Reads "key, name = value, ... }" after the opening brace; an error message or "".
  std::string Entry(std::string* key, std::map<std::string, std::string>* fields) {
    SkipSpace();
    *key = Word();
    SkipSpace();
    if (key->empty() || pos_ >= text_.size() || text_[pos_] != ',') {
      return "expected a citation key and a comma after '@type{'";
    }
    ++pos_;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) return "the entry never closes";
      if (text_[pos_] == '}' || text_[pos_] == ')') {
        ++pos_;
        return "";
      }
      std::string name = Lower(Word());
      SkipSpace();
      if (name.empty() || pos_ >= text_.size() || text_[pos_] != '=') {
        return "expected 'field = value' at line " +
               std::to_string(LineColumnAt(text_, std::min(pos_, text_.size())).line);
      }
      ++pos_;
      std::string value;
      while (true) {
        SkipSpace();
        if (pos_ >= text_.size()) return "the entry never closes";
        std::string piece;
        if (text_[pos_] == '{') {
          if (!Braced(&piece)) return "unbalanced braces in field '" + name + "'";
        } else if (text_[pos_] == '"') {
          if (!Quoted(&piece)) return "unterminated quoted value in field '" + name + "'";
        } else {
          piece = Word();  // a number or a macro such as dec
          if (piece.empty()) return "expected a value for field '" + name + "'";
        }
        value += piece;
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == '#') {
          ++pos_;
          continue;
        }
        break;
      }
      (*fields)[name] = value;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
    }
  }

  void Fill(const std::string& type, const std::map<std::string, std::string>& f, ZoteroItem* z) {
    auto get = [&](const char* name) -> std::string {
      auto it = f.find(name);
      return it == f.end() ? "" : it->second;
    };
    DocumentMetadata& m = z->meta;
    m.title = Untex(get("title"));
    std::vector<std::string> people;
    for (const std::string& name : SplitAnd(get("author"))) {
      std::string_view t = TrimAscii(name);
      if (t.size() >= 2 && t.front() == '{' && ClosingBrace(t, 0) == t.size() - 1) {
        if (m.issuer.empty()) m.issuer = Untex(t);
        continue;
      }
      std::string plain = Untex(t);
      if (size_t comma = plain.find(','); comma != std::string::npos) {
        std::string family(TrimAscii(plain.substr(0, comma)));
        std::string given(TrimAscii(plain.substr(comma + 1)));
        plain = given.empty() ? family : given + " " + family;
      }
      people.push_back(plain);
    }
    m.author = JoinNames(people);
    if (m.issuer.empty()) m.issuer = Untex(get("institution"));
    if (m.issuer.empty()) m.issuer = Untex(get("publisher"));
    m.symbol = Untex(get("number"));
    m.date = RawIsoDate(Untex(get("date")));
    if (m.date.empty()) {
      std::vector<int> parts;
      std::string year = Untex(get("year"));
      if (year.size() == 4) parts.push_back(std::atoi(year.c_str()));
      if (int month = MonthNumber(get("month")); month && !parts.empty()) parts.push_back(month);
      m.date = IsoDate(parts);
    }
    m.language = LanguageOf(Untex(get("langid")));
    if (m.language.empty()) m.language = LanguageOf(Untex(get("language")));
    std::string genre = Untex(get("type"));
    if (type == "legislation" || type == "legal") {
      m.type = "resolution";
    } else if (type == "techreport" || type == "report") {
      m.type = PillarType("report", genre);
    } else if (type == "online" || type == "article") {
      m.type = "article";
    }
    m.url = Untex(get("url"));
    if (m.url.empty()) {
      // Classic BibTeX keeps the URL in note = {\url{...}}.
      std::string note = get("howpublished") + get("note");
      if (size_t u = note.find("\\url{"); u != std::string::npos) {
        size_t end = ClosingBrace(note, u + 4);
        if (end != std::string::npos) m.url = note.substr(u + 5, end - u - 5);
      }
    }
    z->doi = NormalDoi(Untex(get("doi")));
    z->files = SplitFiles(get("file"));
  }

  // The index of the brace closing the one at `open`, or npos.
  static size_t ClosingBrace(std::string_view s, size_t open) {
    int depth = 0;
    for (size_t i = open; i < s.size(); ++i) {
      if (s[i] == '\\') {
        ++i;
        continue;
      }
      if (s[i] == '{') ++depth;
      if (s[i] == '}' && --depth == 0) return i;
    }
    return std::string_view::npos;
  }

  // Names joined by " and " outside braces.
  static std::vector<std::string> SplitAnd(std::string_view s) {
    std::vector<std::string> out;
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '{') ++depth;
      if (s[i] == '}') --depth;
      if (depth == 0 && (i + 5 <= s.size()) && s.substr(i, 5) == " and ") {
        out.emplace_back(s.substr(start, i - start));
        start = i + 5;
        i += 4;
      }
    }
    if (!TrimAscii(s.substr(start)).empty()) out.emplace_back(s.substr(start));
    return out;
  }

  // TeX markup as Zotero writes it, back to UTF-8 text.
  static std::string Untex(std::string_view s) {
    static const std::map<std::string, std::string> kWords = {{"textasciitilde", "~"},
                                                              {"textasciicircum", "^"},
                                                              {"textbackslash", "\\"},
                                                              {"textendash", "\u2013"},
                                                              {"textemdash", "\u2014"},
                                                              {"url", ""},
                                                              {"emph", ""},
                                                              {"textit", ""},
                                                              {"textbf", ""},
                                                              {"textquoteright", "\u2019"},
                                                              {"ss", "\u00df"}};
    static const std::map<char, std::string> kAccents = {{'\'', "\u0301"}, {'`', "\u0300"},
                                                         {'^', "\u0302"},  {'"', "\u0308"},
                                                         {'~', "\u0303"},  {'c', "\u0327"}};
    std::string out;
    std::string pending_mark;  // a combining accent waiting for its letter
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '{' || c == '}') continue;
      if (c == '\\' && i + 1 < s.size()) {
        char n = s[i + 1];
        if (std::string("&%$#_{}").find(n) != std::string::npos) {
          out += n;
          ++i;
          continue;
        }
        if (kAccents.count(n) &&
            (n != 'c' ||
             (i + 2 < s.size() && !std::isalpha(static_cast<unsigned char>(s[i + 2]))))) {
          pending_mark = kAccents.at(n);
          ++i;
          continue;
        }
        size_t j = i + 1;
        while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
        std::string word(s.substr(i + 1, j - i - 1));
        if (auto it = kWords.find(word); it != kWords.end()) out += it->second;
        i = j - 1;
        while (i + 1 < s.size() && s[i + 1] == ' ' && word.size() > 1 && !kWords.count(word)) ++i;
        continue;
      }
      if (c == '~') c = ' ';
      if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
        bool em = i + 2 < s.size() && s[i + 2] == '-';
        out += em ? "\u2014" : "\u2013";
        i += em ? 2 : 1;
        continue;
      }
      out += c;
      if (!pending_mark.empty() && std::isalpha(static_cast<unsigned char>(c))) {
        out += pending_mark;
        pending_mark.clear();
      }
    }
    return CollapseWhitespace(NormalizeNfc(out));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

struct CorpusFile {
  fs::path path;        // canonical
  fs::path relative;    // to the corpus folder
  std::string name;     // file name
  bool looked = false;  // `title`/`url` filled
  std::string title, url;
};

std::vector<CorpusFile> ListCorpus(const fs::path& corpus) {
  std::vector<CorpusFile> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(corpus, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string lower = Lower(name);
    if (name.empty() || name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || lower == "catalog.xml" || StartsWith(lower, "readme")) {
      continue;
    }
    if (!ReaderRegistry::Default().ForPath(it->path())) continue;
    CorpusFile f;
    f.path = fs::weakly_canonical(it->path(), ec);
    f.relative = fs::relative(f.path, fs::weakly_canonical(corpus, ec), ec);
    f.name = name;
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.path < b.path; });
  return out;
}

std::string NodeText(pugi::xml_node record, const char* name) {
  return CollapseWhitespace(record.child(name).text().as_string());
}

}  // namespace

Result<ZoteroExport> ParseBibtexExport(std::string_view text) { return BibReader(text).Read(); }

Result<ZoteroExport> LoadZoteroExport(const fs::path& file) {
  Result<std::string> bytes = ReadFileBytes(file, 256ull << 20);
  if (!bytes.ok()) return bytes.status();
  std::string_view text = *bytes;
  if (StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  if (size_t bad = FindInvalidUtf8(text); bad != std::string::npos) {
    LineColumn lc = LineColumnAt(text, bad);
    return Status::Corruption("line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) + ": invalid UTF-8");
  }
  std::string_view start = TrimAscii(text);
  if (!start.empty() && (start[0] == '[' || start[0] == '{')) return ParseCslJsonExport(text);
  return ParseBibtexExport(text);
}

std::string_view ZoteroMatchName(ZoteroMatch how) {
  switch (how) {
    case ZoteroMatch::kAttachment:
      return "attachment";
    case ZoteroMatch::kDoi:
      return "DOI";
    case ZoteroMatch::kUrl:
      return "URL";
    case ZoteroMatch::kTitle:
      return "title";
  }
  return "";
}

Result<ZoteroImportReport> ImportZotero(const std::vector<ZoteroItem>& items,
                                        const ZoteroImportOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.corpus, ec)) {
    return Status::InvalidArgument(options.corpus.string() + ": not a folder");
  }
  pugi::xml_document xml;
  std::error_code exists_ec;
  if (fs::exists(options.catalog, exists_ec)) {
    pugi::xml_parse_result parsed = xml.load_file(
        options.catalog.c_str(),
        pugi::parse_default | pugi::parse_comments | pugi::parse_declaration, pugi::encoding_utf8);
    if (!parsed) {
      Result<std::string> bytes = ReadFileBytes(options.catalog, 64ull << 20);
      std::string place = "offset " + std::to_string(parsed.offset);
      if (bytes.ok()) {
        LineColumn lc = LineColumnAt(*bytes, std::min<size_t>(parsed.offset, bytes->size()));
        place = "line " + std::to_string(lc.line) + ", column " + std::to_string(lc.column);
      }
      return Status::Corruption(options.catalog.string() + ": " + place + ": " +
                                parsed.description() + " (nothing written)");
    }
    if (!xml.child("catalog")) {
      return Status::Corruption(options.catalog.string() +
                                ": no <catalog> root element (nothing written)");
    }
  } else {
    pugi::xml_node decl = xml.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    xml.append_child(pugi::node_comment)
        .set_value(
            " Bibliographic records for pillar index (docs/formats.md). Records with "
            "source=\"zotero\" were written by pillar import zotero and are updated by "
            "it; the others are kept as written. ");
    xml.append_child("catalog");
  }
  pugi::xml_node root = xml.child("catalog");
  fs::path catalog_dir = fs::weakly_canonical(fs::absolute(options.catalog).parent_path(), ec);

  // The old catalog's records by canonical file path, and the ids taken.
  std::map<std::string, pugi::xml_node> by_file;
  std::set<std::string> ids;
  for (pugi::xml_node record : root.children("document")) {
    std::string file = record.attribute("file").as_string();
    ids.insert(record.attribute("id").as_string());
    if (file.empty()) continue;
    fs::path full = fs::weakly_canonical(catalog_dir / file, ec);
    by_file[full.string()] = record;
  }

  ZoteroImportReport report;
  report.kept_records = static_cast<size_t>(
      std::distance(root.children("document").begin(), root.children("document").end()));
  std::vector<CorpusFile> files = ListCorpus(options.corpus);
  auto look = [&](CorpusFile& f) {
    if (f.looked) return;
    f.looked = true;
    if (auto it = by_file.find(f.path.string()); it != by_file.end()) {
      f.title = NodeText(it->second, "title");
      f.url = NodeText(it->second, "url");
    }
    if (f.title.empty() || f.url.empty()) {
      Result<ExtractedDocument> doc = ReadDocument(f.path);
      if (doc.ok()) {
        if (f.title.empty()) f.title = doc->meta.title;
        if (f.url.empty()) f.url = doc->meta.url;
      }
    }
  };

  std::map<std::string, std::string> claimed;  // canonical path -> key of the item
  std::set<std::string> touched;               // records the import changed this run
  for (const ZoteroItem& item : items) {
    std::optional<size_t> found;
    ZoteroMatch how = ZoteroMatch::kAttachment;
    for (const std::string& attachment : item.files) {
      fs::path a = fs::weakly_canonical(fs::path(attachment), ec);
      for (size_t k = 0; k < files.size() && !found; ++k) {
        if (files[k].path == a) found = k;
      }
      if (found) break;
      // Zotero keeps attachments in its own storage folder: the file name is what links them.
      std::string name = fs::path(attachment).filename().string();
      std::vector<size_t> same;
      for (size_t k = 0; k < files.size(); ++k) {
        if (files[k].name == name) same.push_back(k);
      }
      if (same.size() == 1) {
        found = same[0];
        break;
      }
    }
    if (!found && (!item.doi.empty() || !item.meta.url.empty())) {
      std::string url = NormalUrl(item.meta.url);
      for (size_t k = 0; k < files.size() && !found; ++k) {
        look(files[k]);
        if (files[k].url.empty()) continue;
        std::string fu = NormalUrl(files[k].url);
        if (!item.doi.empty() && (fu == "doi.org/" + item.doi || fu == "dx.doi.org/" + item.doi)) {
          found = k;
          how = ZoteroMatch::kDoi;
        } else if (!url.empty() && fu == url) {
          found = k;
          how = ZoteroMatch::kUrl;
        }
      }
    }
    if (!found && !item.meta.title.empty()) {
      std::string title = NormalTitle(item.meta.title);
      std::vector<size_t> same;
      for (size_t k = 0; k < files.size(); ++k) {
        look(files[k]);
        if (!files[k].title.empty() && NormalTitle(files[k].title) == title) same.push_back(k);
      }
      if (same.size() == 1) {
        found = same[0];
        how = ZoteroMatch::kTitle;
      }
    }
    if (!found) {
      report.unmatched_items.push_back(item);
      continue;
    }
    CorpusFile& file = files[*found];
    auto [claim, fresh] = claimed.emplace(file.path.string(), item.key);
    if (!fresh) {
      report.conflicts.push_back(item.key + ": " + file.relative.generic_string() +
                                 " is already matched by " + claim->second + "; left out");
      continue;
    }

    ZoteroImportReport::Matched m;
    m.key = item.key;
    m.title = item.meta.title;
    m.file = file.relative;
    m.how = how;
    pugi::xml_node record;
    if (auto it = by_file.find(file.path.string()); it != by_file.end()) {
      record = it->second;
      m.hand_written = std::string(record.attribute("source").as_string()) != "zotero";
      if (touched.insert(record.attribute("id").as_string()).second) --report.kept_records;
    } else {
      std::string id = DocIdForFile(file.path);
      std::string base = id;
      for (int n = 2; ids.count(id); ++n) id = base + "-" + std::to_string(n);
      ids.insert(id);
      fs::path rel = fs::relative(file.path, catalog_dir, ec);
      record = root.append_child("document");
      record.append_attribute("id") = id.c_str();
      record.append_attribute("file") =
          (ec || rel.empty() ? file.path : rel).generic_string().c_str();
      record.append_attribute("source") = "zotero";
      by_file[file.path.string()] = record;
    }
    if (!m.hand_written) {
      if (!record.attribute("zotero-key")) record.append_attribute("zotero-key");
      record.attribute("zotero-key") = item.key.c_str();
    }
    m.doc_id = record.attribute("id").as_string();
    const DocumentMetadata& meta = item.meta;
    const std::pair<const char*, const std::string*> fields[] = {
        {"title", &meta.title}, {"issuer", &meta.issuer},     {"symbol", &meta.symbol},
        {"date", &meta.date},   {"language", &meta.language}, {"type", &meta.type},
        {"url", &meta.url},     {"author", &meta.author}};
    for (const auto& [name, value] : fields) {
      if (value->empty()) continue;
      pugi::xml_node child = record.child(name);
      std::string old = child ? CollapseWhitespace(child.text().as_string()) : "";
      if (m.hand_written && !old.empty()) {
        bool same = old == *value ||
                    (std::string_view(name) == "url" && NormalUrl(old) == NormalUrl(*value));
        if (!same) m.kept.push_back(name);
        continue;
      }
      if (!child) child = record.append_child(name);
      child.text().set(value->c_str());
    }
    report.matched.push_back(std::move(m));
  }
  for (const CorpusFile& f : files) {
    if (!by_file.count(f.path.string())) report.unmatched_files.push_back(f.relative);
  }
  std::ostringstream out;
  xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  report.catalog_xml = out.str();
  return report;
}

}  // namespace pillar
