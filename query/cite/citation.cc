#include "query/cite/citation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/base/text.h"

namespace pillar {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::array<const char*, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 12> kBibMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                    "jul", "aug", "sep", "oct", "nov", "dec"};

// Year, month and day of an ISO date "YYYY[-MM[-DD]]"; the missing parts are 0. All 0 when
// the date does not start with four digits.
struct DateParts {
  int year = 0, month = 0, day = 0;
};

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

DateParts ParseDate(std::string_view date) {
  DateParts d;
  if (date.size() < 4 || !AllDigits(date.substr(0, 4))) return d;
  d.year = std::stoi(std::string(date.substr(0, 4)));
  if (date.size() >= 7 && date[4] == '-' && AllDigits(date.substr(5, 2))) {
    int m = std::stoi(std::string(date.substr(5, 2)));
    if (m >= 1 && m <= 12) d.month = m;
  }
  if (d.month && date.size() >= 10 && date[7] == '-' && AllDigits(date.substr(8, 2))) {
    int day = std::stoi(std::string(date.substr(8, 2)));
    if (day >= 1 && day <= 31) d.day = day;
  }
  return d;
}

std::string TwoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Replaces every run of white space (newlines included) with one space: RIS and BibTeX
// values are single-line.
std::string OneLine(std::string_view s) { return CollapseWhitespace(s); }

struct PersonName {
  std::string family, given;  // given may be empty
};

// meta.author: "Joseph Kariuki-Lind; Helena Baptiste" or "Kariuki-Lind, Joseph; ...".
std::vector<PersonName> PersonalAuthors(const DocumentMetadata& meta) {
  std::vector<PersonName> out;
  std::string_view rest = meta.author;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string name(TrimAscii(rest.substr(0, semi)));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    name = OneLine(name);
    if (name.empty()) continue;
    PersonName p;
    if (size_t comma = name.find(','); comma != std::string::npos) {
      p.family = std::string(TrimAscii(std::string_view(name).substr(0, comma)));
      p.given = std::string(TrimAscii(std::string_view(name).substr(comma + 1)));
    } else if (size_t space = name.rfind(' '); space != std::string::npos) {
      p.given = name.substr(0, space);
      p.family = name.substr(space + 1);
    } else {
      p.family = name;
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string TitleOf(const DocumentMetadata& meta) {
  return meta.title.empty() ? meta.id : OneLine(meta.title);
}

// The issuer when a document names personal authors (the issuer is then the institution),
// else the publisher of the issuing body.
std::string InstitutionOf(const DocumentMetadata& meta) {
  if (!meta.author.empty() && !meta.issuer.empty()) return meta.issuer;
  return PublisherOf(meta);
}

// "Policy", "Guidelines", "Press release": the report type shown by styles.
std::string Genre(std::string_view doc_type) {
  std::string g(doc_type);
  for (char& c : g) {
    if (c == '-' || c == '_') c = ' ';
  }
  if (!g.empty() && g[0] >= 'a' && g[0] <= 'z') g[0] = static_cast<char>(g[0] - 'a' + 'A');
  return g;
}

// "S/RES/2719 (2023)" -> "2719 (2023)"; "" when `symbol` is not an SC resolution symbol.
std::string ScResolutionNumber(std::string_view symbol) {
  if (!StartsWith(symbol, "S/RES/")) return "";
  return std::string(TrimAscii(symbol.substr(6)));
}

// First-appearance order of the distinct documents of `items`, with each one's passages.
struct DocGroup {
  const DocumentRecord* document = nullptr;
  std::string key;
  std::vector<const Passage*> passages;
};

std::vector<DocGroup> GroupByDocument(const std::vector<CiteItem>& items) {
  std::vector<DocGroup> groups;
  std::map<std::string, size_t> index;
  for (const CiteItem& item : items) {
    auto [it, inserted] = index.emplace(item.document.meta.id, groups.size());
    if (inserted) groups.push_back({&item.document, "", {}});
    if (item.passage) groups[it->second].passages.push_back(&*item.passage);
  }
  std::vector<std::string> ids;
  for (const DocGroup& g : groups) ids.push_back(g.document->meta.id);
  std::vector<std::string> keys = CitationKeys(ids);
  for (size_t k = 0; k < groups.size(); ++k) groups[k].key = keys[k];
  return groups;
}

// The passage text for quotation: one line, without the paragraph number it starts with
// ("5. ", "(b) ", "Article 5. ") since the pinpoint already gives it.
std::string QuotedText(const Passage& p) {
  std::string text = OneLine(p.text);
  std::string_view t = text;
  size_t i = 0;
  if (StartsWith(t, "Article ")) i = 8;
  size_t digits = i;
  while (digits < t.size() && ((t[digits] >= '0' && t[digits] <= '9') || t[digits] == '.')) {
    ++digits;
  }
  size_t cut = 0;
  if (!p.locator.empty() && StartsWith(t, p.locator + " ")) {
    cut = p.locator.size() + 1;  // "12.2 "
  } else if (digits > i && t[digits - 1] == '.' && digits < t.size() && t[digits] == ' ') {
    cut = digits + 1;  // "5. ", "12.3. ", "Article 5. "
  } else if (!t.empty() && t[0] == '(') {
    size_t close = t.find(')');
    bool letters = close != std::string_view::npos && close > 1 && close <= 6;
    for (size_t k = 1; letters && k < close; ++k) {
      letters = (t[k] >= 'a' && t[k] <= 'z') || (t[k] >= '0' && t[k] <= '9');
    }
    if (letters && close + 1 < t.size() && t[close + 1] == ' ') cut = close + 2;  // "(b) "
  }
  return text.substr(cut);
}

// --- text ---

std::string JoinNames(const std::vector<PersonName>& names) {
  std::string out;
  for (size_t k = 0; k < names.size(); ++k) {
    if (k > 0) out += k + 1 == names.size() ? " and " : ", ";
    out += names[k].given.empty() ? names[k].family : names[k].given + " " + names[k].family;
  }
  return out;
}

std::string TextCitation(const CiteItem& item, bool quote) {
  const DocumentMetadata& m = item.document.meta;
  std::vector<std::string> parts;
  std::vector<PersonName> people = PersonalAuthors(m);
  if (!people.empty()) {
    parts.push_back(JoinNames(people));
  } else if (!m.issuer.empty()) {
    parts.push_back(OneLine(m.issuer));
  }
  parts.push_back(CitationTitle(m));
  if (!people.empty() && !m.issuer.empty()) parts.push_back(OneLine(m.issuer));
  if (!m.symbol.empty()) parts.push_back(OneLine(m.symbol));
  if (!m.date.empty()) parts.push_back(HumanDate(m.date));
  if (item.passage) {
    std::string pin = PinpointText(*item.passage);
    if (!pin.empty()) parts.push_back(pin);
  }
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  if (item.passage && item.passage->ocr) out += " " + std::string(kOcrNote);
  if (quote && item.passage) {
    out += ": \xE2\x80\x9C" + QuotedText(*item.passage) + "\xE2\x80\x9D";  // “ ”
  }
  out += ".";
  if (!m.url.empty()) out += " " + m.url;
  return out;
}

// --- CSL ---

// `ocr`: some cited passage of the document was read by OCR; said in the item's note
// (Zotero's Extra), since CSL has no field for where the text came from. `speakers`: who
// speaks in the cited passages of a debate, also in the note ("Speakers cited: A; B"): the item
// is the whole record of the sitting, so they are not its authors.
ojson CslItem(const DocumentRecord& d, const std::string& key, bool ocr,
              const std::vector<std::string>& speakers = {}) {
  const DocumentMetadata& m = d.meta;
  std::string type = CslType(m.type);
  ojson item = {{"id", key}, {"type", type}, {"title", TitleOf(m)}};
  ojson authors = ojson::array();
  std::vector<PersonName> people = PersonalAuthors(m);
  for (const PersonName& p : people) {
    ojson name = {{"family", p.family}};
    if (!p.given.empty()) name["given"] = p.given;
    authors.push_back(std::move(name));
  }
  if (people.empty() && !m.issuer.empty()) authors.push_back({{"literal", OneLine(m.issuer)}});
  if (!authors.empty()) item["author"] = std::move(authors);
  if (type == "legislation" && !m.issuer.empty()) item["authority"] = OneLine(m.issuer);
  std::string publisher = InstitutionOf(m);
  if (!publisher.empty()) item["publisher"] = publisher;
  if (type == "report" && !m.type.empty()) item["genre"] = Genre(m.type);
  if (!m.symbol.empty()) item["number"] = OneLine(m.symbol);
  DateParts date = ParseDate(m.date);
  if (date.year) {
    ojson parts = {date.year};
    if (date.month) parts.push_back(date.month);
    if (date.day) parts.push_back(date.day);
    item["issued"] = {{"date-parts", ojson::array({parts})}};
  }
  if (!m.url.empty()) item["URL"] = m.url;
  if (!m.language.empty()) item["language"] = m.language;
  std::string note = ocr ? std::string(kOcrCslNote) : std::string();
  if (!speakers.empty()) {
    if (!note.empty()) note += "\n";
    note += "Speakers cited: ";
    for (size_t k = 0; k < speakers.size(); ++k) note += (k ? "; " : "") + OneLine(speakers[k]);
  }
  if (!note.empty()) item["note"] = note;
  return item;
}

std::string CslJson(const std::vector<DocGroup>& groups) {
  ojson items = ojson::array();
  for (const DocGroup& g : groups) {
    bool ocr = std::any_of(g.passages.begin(), g.passages.end(),
                           [](const Passage* p) { return p->ocr; });
    std::vector<std::string> speakers;
    for (const Passage* p : g.passages) {
      if (!p->speaker.empty() &&
          std::find(speakers.begin(), speakers.end(), p->speaker) == speakers.end()) {
        speakers.push_back(p->speaker);
      }
    }
    items.push_back(CslItem(*g.document, g.key, ocr, speakers));
  }
  return DumpJson(items, 2) + "\n";
}

std::string CslCitation(const std::vector<CiteItem>& items) {
  std::vector<DocGroup> groups = GroupByDocument(items);
  std::map<std::string, const DocGroup*> by_id;
  for (const DocGroup& g : groups) by_id[g.document->meta.id] = &g;
  ojson cite_items = ojson::array();
  std::string ids;
  for (const CiteItem& item : items) {
    const DocGroup& g = *by_id[item.document.meta.id];
    ojson c = {{"id", g.key}};
    if (item.passage) {
      ids += item.passage->id + "\n";
      CslLocator loc = CslLocatorOf(*item.passage);
      if (!loc.locator.empty()) {
        c["locator"] = loc.locator;
        c["label"] = loc.label;
      }
      // CSL has one locator; a page next to a paragraph goes in the suffix.
      std::string suffix;
      if (loc.label != "page" && item.passage->page > 0) {
        suffix = ", p. " + std::to_string(item.passage->page);
      }
      // Who speaks is part of the pinpoint (the passage), not of the item (the sitting).
      if (!item.passage->speaker.empty()) {
        suffix += ", speech by " + OneLine(item.passage->speaker);
      }
      if (!suffix.empty()) c["suffix"] = suffix;
    } else {
      ids += item.document.meta.id + "\n";
    }
    std::vector<std::string> speakers;
    if (item.passage && !item.passage->speaker.empty()) speakers.push_back(item.passage->speaker);
    c["itemData"] = CslItem(item.document, g.key, item.passage && item.passage->ocr, speakers);
    cite_items.push_back(std::move(c));
  }
  ojson citation = {
      {"schema",
       "https://resource.citationstyles.org/schema/v1.0/input/json/csl-citation.json"},
      {"citationID", "pillar-" + ContentHash(ids).substr(0, 12)},
      {"citationItems", std::move(cite_items)},
      {"properties", {{"noteIndex", 0}}}};
  return DumpJson(citation, 2) + "\n";
}

// --- RIS ---

void RisLine(std::string& out, const char* tag, std::string_view value) {
  std::string v = OneLine(value);
  if (v.empty()) return;
  out += tag;
  out += "  - ";
  out += v;
  out += "\r\n";
}

std::string RisRecord(const DocGroup& g, bool quote) {
  const DocumentMetadata& m = g.document->meta;
  std::string ty = RisType(m);
  std::string out;
  RisLine(out, "TY", ty);
  RisLine(out, "ID", g.key);
  RisLine(out, "TI", TitleOf(m));
  std::vector<PersonName> people = PersonalAuthors(m);
  for (const PersonName& p : people) {
    RisLine(out, "AU", p.given.empty() ? p.family : p.family + ", " + p.given);
  }
  if (people.empty()) RisLine(out, "AU", m.issuer);
  DateParts date = ParseDate(m.date);
  if (date.year) {
    RisLine(out, "PY", std::to_string(date.year));
    if (date.month) {
      RisLine(out, "DA", std::to_string(date.year) + "/" + TwoDigits(date.month) + "/" +
                             (date.day ? TwoDigits(date.day) : ""));
    }
  }
  // Zotero reads SN as a report's Report Number and M1 as a statute's Public Law Number;
  // M1 on a report would land in Extra (FORMATS.md 1.3).
  if (ty == "RPRT") {
    RisLine(out, "SN", m.symbol);
  } else {
    RisLine(out, "M1", m.symbol);
  }
  RisLine(out, "PB", InstitutionOf(m));
  if (ty == "RPRT") RisLine(out, "M3", Genre(m.type));
  RisLine(out, "UR", m.url);
  RisLine(out, "LA", m.language);
  for (const Passage* p : g.passages) {
    std::string pin = PinpointText(*p);
    std::string note = "Cited: " + (pin.empty() ? p->id : pin + " (" + p->id + ")");
    if (p->ocr) note += " " + std::string(kOcrNote);
    if (quote) note += ": \xE2\x80\x9C" + QuotedText(*p) + "\xE2\x80\x9D";
    RisLine(out, "N1", note);
  }
  out += "ER  - \r\n";
  return out;
}

// --- BibTeX / BibLaTeX ---

void BibField(std::string& out, const char* name, std::string_view raw_value) {
  if (raw_value.empty()) return;
  std::string field = std::string("  ") + name;
  field.resize(std::max<size_t>(field.size() + 1, 14), ' ');
  out += field + "= {";
  out += raw_value;
  out += "},\n";
}

// A URL inside \url{...} in a field: % and # must be escaped there (hyperref prints them
// plain), braces and backslashes percent-encoded so the field stays balanced.
std::string UrlArgument(std::string_view url, bool in_url_command) {
  std::string out;
  for (char c : url) {
    switch (c) {
      case '{': out += "%7B"; break;
      case '}': out += "%7D"; break;
      case '\\': out += "%5C"; break;
      case '%':
      case '#':
        if (in_url_command) out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

std::string BibAuthors(const DocumentMetadata& m) {
  std::vector<PersonName> people = PersonalAuthors(m);
  if (people.empty()) {
    // A corporate author in an extra pair of braces: never split into first/last names.
    return m.issuer.empty() ? "" : "{" + BibtexEscape(OneLine(m.issuer)) + "}";
  }
  std::string out;
  for (const PersonName& p : people) {
    if (!out.empty()) out += " and ";
    out += BibtexEscape(p.family);
    if (!p.given.empty()) out += ", " + BibtexEscape(p.given);
  }
  return out;
}

std::string PinpointComments(const DocGroup& g) {
  std::string out;
  for (const Passage* p : g.passages) {
    std::string pin = PinpointText(*p);
    out += "% " + p->id + ": ";
    if (pin.empty()) {
      out += "\\cite{" + g.key + "}";
    } else {
      std::string tex = BibtexEscape(pin);
      // A non-breaking space after the abbreviation, as LaTeX wants it.
      for (size_t at = tex.find(". "); at != std::string::npos; at = tex.find(". ", at)) {
        tex.replace(at, 2, ".~");
      }
      out += "\\cite[" + tex + "]{" + g.key + "}";
    }
    if (p->ocr) out += " " + std::string(kOcrNote);
    out += "\n";
  }
  return out;
}

std::string BiblatexLangid(std::string_view lang) {
  static const std::map<std::string, std::string, std::less<>> kLangs = {
      {"en", "english"}, {"fr", "french"},     {"es", "spanish"}, {"pt", "portuguese"},
      {"ar", "arabic"},  {"ru", "russian"},    {"zh", "chinese"}, {"de", "german"},
      {"it", "italian"}, {"sw", "swahili"}};
  auto it = kLangs.find(lang);
  return it == kLangs.end() ? "" : it->second;
}

std::string BibtexEntry(const DocGroup& g, bool biblatex) {
  const DocumentMetadata& m = g.document->meta;
  std::string csl = CslType(m.type);
  bool report = csl == "report" || csl == "legislation";
  std::string entry_type;
  if (report) {
    entry_type = biblatex ? "report" : "techreport";
  } else if (biblatex && csl == "article" && !m.url.empty()) {
    entry_type = "online";
  } else {
    entry_type = "misc";
  }
  std::string out = PinpointComments(g);
  out += "@" + entry_type + "{" + g.key + ",\n";
  BibField(out, "author", BibAuthors(m));
  // The title in an extra pair of braces keeps its official capitalisation: styles that
  // change case would otherwise lowercase "United Nations".
  BibField(out, "title", "{" + BibtexEscape(TitleOf(m)) + "}");
  std::string institution = BibtexEscape(InstitutionOf(m));
  if (report) {
    BibField(out, "type", BibtexEscape(Genre(m.type)));
    BibField(out, "institution", institution);
    BibField(out, "number", BibtexEscape(OneLine(m.symbol)));
  } else {
    BibField(out, biblatex ? "organization" : "publisher", institution);
    BibField(out, "number", BibtexEscape(OneLine(m.symbol)));
  }
  DateParts date = ParseDate(m.date);
  if (biblatex) {
    if (date.year) {
      std::string iso = std::to_string(date.year);
      if (date.month) iso += "-" + TwoDigits(date.month);
      if (date.day) iso += "-" + TwoDigits(date.day);
      BibField(out, "date", iso);
    }
    BibField(out, "url", UrlArgument(m.url, false));
    BibField(out, "langid", BiblatexLangid(m.language));
  } else {
    if (date.year) BibField(out, "year", std::to_string(date.year));
    if (date.month) {
      // The month macro, unbraced: styles print it in their own language.
      out += "  month       = " + std::string(kBibMonths[date.month - 1]) + ",\n";
    }
    // Classic .bst styles have no url field: the URL goes in the note.
    if (!m.url.empty()) BibField(out, "note", "\\url{" + UrlArgument(m.url, true) + "}");
  }
  out += "}\n";
  return out;
}

}  // namespace

const std::vector<std::string>& CitationFormatNames() {
  static const std::vector<std::string> kNames = {"text", "csl-json", "csl-citation",
                                                  "ris",  "bibtex",   "biblatex"};
  return kNames;
}

Result<CitationFormat> ParseCitationFormat(std::string_view name) {
  static const std::map<std::string, CitationFormat, std::less<>> kFormats = {
      {"text", CitationFormat::kText},       {"csl-json", CitationFormat::kCslJson},
      {"csl-citation", CitationFormat::kCslCitation}, {"ris", CitationFormat::kRis},
      {"bibtex", CitationFormat::kBibtex},   {"biblatex", CitationFormat::kBiblatex}};
  auto it = kFormats.find(name);
  if (it != kFormats.end()) return it->second;
  std::string names;
  for (const std::string& n : CitationFormatNames()) names += (names.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown citation format '" + std::string(name) +
                                 "' (one of: " + names + ")");
}

std::string FormatCitations(const std::vector<CiteItem>& items, const CitationOptions& options) {
  std::string out;
  switch (options.format) {
    case CitationFormat::kText:
      for (const CiteItem& item : items) out += TextCitation(item, options.quote) + "\n";
      return out;
    case CitationFormat::kCslJson:
      return CslJson(GroupByDocument(items));
    case CitationFormat::kCslCitation:
      return CslCitation(items);
    case CitationFormat::kRis:
      for (const DocGroup& g : GroupByDocument(items)) out += RisRecord(g, options.quote);
      return out;
    case CitationFormat::kBibtex:
    case CitationFormat::kBiblatex: {
      bool biblatex = options.format == CitationFormat::kBiblatex;
      for (const DocGroup& g : GroupByDocument(items)) {
        if (!out.empty()) out += "\n";
        out += BibtexEntry(g, biblatex);
      }
      return out;
    }
  }
  return out;
}

std::string CitationKey(std::string_view doc_id) {
  std::string key;
  bool gap = false;
  for (char c : doc_id) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u)) {
      if (gap && !key.empty()) key += '_';
      gap = false;
      key += static_cast<char>(std::tolower(u));
    } else {
      gap = true;
    }
  }
  if (key.empty()) return "doc";
  if (key[0] >= '0' && key[0] <= '9') key = "doc_" + key;
  return key;
}

std::vector<std::string> CitationKeys(const std::vector<std::string>& doc_ids) {
  std::vector<std::string> keys;
  std::map<std::string, std::string> by_id;  // doc id -> key given
  std::set<std::string> used;
  for (const std::string& id : doc_ids) {
    if (auto it = by_id.find(id); it != by_id.end()) {
      keys.push_back(it->second);
      continue;
    }
    std::string base = CitationKey(id), key = base;
    for (int n = 2; used.count(key); ++n) key = base + "_" + std::to_string(n);
    used.insert(key);
    by_id[id] = key;
    keys.push_back(key);
  }
  return keys;
}

std::string PinpointText(const Passage& p) {
  std::string out;
  const std::string& loc = p.locator;
  if (!p.speaker.empty()) out = "speech by " + OneLine(p.speaker) + (loc.empty() ? "" : ", ");
  if (p.footnote) {
    out += "footnote " + loc.substr(StartsWith(loc, "fn") ? 2 : 0);
  } else if (StartsWith(loc, "PP")) {
    out += "preambular para. " + loc.substr(2);
  } else if (StartsWith(loc, "Article")) {
    out += loc;
  } else if (!loc.empty()) {
    out += "para. " + loc;
  }
  if (p.page > 0) out += (out.empty() ? "" : ", ") + std::string("p. ") + std::to_string(p.page);
  return out;
}

CslLocator CslLocatorOf(const Passage& p) {
  const std::string& loc = p.locator;
  if (p.footnote && !loc.empty()) return {loc.substr(StartsWith(loc, "fn") ? 2 : 0), "note"};
  if (StartsWith(loc, "Article")) {
    return {std::string(TrimAscii(std::string_view(loc).substr(7))), "article-locator"};
  }
  if (!loc.empty()) return {loc, "paragraph"};
  if (p.page > 0) return {std::to_string(p.page), "page"};
  return {};
}

std::string CslType(std::string_view doc_type) {
  if (doc_type == "resolution") return "legislation";
  for (const char* t : {"report", "policy", "guidelines", "handbook", "brief", "press-release"}) {
    if (doc_type == t) return "report";
  }
  if (doc_type == "article") return "article";
  return "document";
}

std::string RisType(const DocumentMetadata& meta) {
  std::string csl = CslType(meta.type);
  if (csl == "legislation") return "STAT";
  if (csl == "report") return "RPRT";
  if (csl == "article" && !meta.url.empty()) return "ELEC";
  return "GEN";
}

std::string PublisherOf(const DocumentMetadata& meta) {
  std::string issuer = OneLine(meta.issuer);
  if (StartsWith(issuer, "United Nations")) return "United Nations";
  // A UN document symbol (A/..., S/..., E/..., ST/..., ...) means the UN issued it, whoever
  // wrote it (e.g. a panel's report circulated as A/70/95-S/2015/446).
  for (const char* organ : {"A/", "S/", "E/", "ST/", "UNEP/", "DP/", "HRC/", "CEDAW/"}) {
    if (StartsWith(meta.symbol, organ)) return "United Nations";
  }
  if (StartsWith(issuer, "African Union")) return "African Union";
  return issuer;
}

std::string CitationTitle(const DocumentMetadata& meta) {
  if (meta.type == "resolution") {
    std::string number = ScResolutionNumber(OneLine(meta.symbol));
    if (!number.empty()) return "resolution " + number;
  }
  return TitleOf(meta);
}

std::string HumanDate(std::string_view iso_date) {
  DateParts d = ParseDate(iso_date);
  if (!d.year) return std::string(iso_date);
  std::string out = std::to_string(d.year);
  if (d.month) out = std::string(kMonthNames[d.month - 1]) + " " + out;
  if (d.day) out = std::to_string(d.day) + " " + out;
  return out;
}

std::string BibtexEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "\\&"; break;
      case '%': out += "\\%"; break;
      case '$': out += "\\$"; break;
      case '#': out += "\\#"; break;
      case '_': out += "\\_"; break;
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '\\': out += "\\textbackslash{}"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace pillar
