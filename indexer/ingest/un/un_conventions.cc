#include "indexer/ingest/un/un_conventions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "indexer/base/text.h"

namespace pillar::un {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Month names in the languages UN documents are printed in (English, French, Spanish).
int MonthNumber(std::string_view word) {
  static const std::array<std::array<std::string_view, 3>, 12> kMonths = {{
      {"january", "janvier", "enero"},
      {"february", "février", "febrero"},
      {"march", "mars", "marzo"},
      {"april", "avril", "abril"},
      {"may", "mai", "mayo"},
      {"june", "juin", "junio"},
      {"july", "juillet", "julio"},
      {"august", "août", "agosto"},
      {"september", "septembre", "septiembre"},
      {"october", "octobre", "octubre"},
      {"november", "novembre", "noviembre"},
      {"december", "décembre", "diciembre"},
  }};
  std::string w = Lower(word);
  for (size_t m = 0; m < kMonths.size(); ++m) {
    for (std::string_view name : kMonths[m]) {
      if (w == name) return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// "English" -> "en": the language names a masthead prints ("Original: English").
std::string LanguageCodeOfName(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"english", "en"},  {"french", "fr"},  {"spanish", "es"}, {"arabic", "ar"},
      {"russian", "ru"},  {"chinese", "zh"}, {"anglais", "en"}, {"français", "fr"},
      {"espagnol", "es"}, {"arabe", "ar"},   {"russe", "ru"},   {"chinois", "zh"},
      {"inglés", "en"},   {"francés", "fr"}, {"español", "es"}, {"árabe", "ar"},
      {"ruso", "ru"},     {"chino", "zh"}};
  std::string n = Lower(TrimAscii(name));
  for (const auto& [word, code] : kNames) {
    if (n == word) return std::string(code);
  }
  return {};
}

bool IsUnitedNationsLine(std::string_view line) {
  return line == "United Nations" || line == "Nations Unies" || line == "Naciones Unidas";
}

// "Official Records", "Seventy-ninth Session", "Supplement No. 19".
bool IsOfficialRecordsLine(std::string_view line) {
  if (line == "Official Records" || line == "Documents officiels" ||
      line == "Documentos Oficiales") {
    return true;
  }
  if (StartsWith(line, "Supplement No.") || StartsWith(line, "Supplément no") ||
      StartsWith(line, "Suplemento núm.")) {
    return true;
  }
  std::string l = Lower(line);
  return l.size() < 40 && l.size() > 8 && l.compare(l.size() - 8, 8, " session") == 0;
}

bool IsDistributionLine(std::string_view line) {
  return StartsWith(line, "Distr.") || StartsWith(line, "Distr ");
}

// "I. Introduction", "IV. Observations", "A. Background", "1. Scope".
bool StartsWithHeadingNumber(std::string_view line) {
  size_t dot = line.find(". ");
  if (dot == std::string_view::npos || dot == 0 || dot > 5) return false;
  std::string_view number = line.substr(0, dot);
  if (AllDigits(number)) return true;
  if (number.size() == 1 && IsAsciiUpper(number[0])) return true;
  for (char c : number) {
    if (std::string_view("IVXLC").find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeSymbol(std::string_view text) {
  std::string s;
  // Drop spaces next to '/' ("S /RES/2769") and keep the rest.
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ') {
      bool next_slash = i + 1 < text.size() && text[i + 1] == '/';
      bool prev_slash = !s.empty() && s.back() == '/';
      if (next_slash || prev_slash || s.empty() || s.back() == ' ') continue;
    }
    s += c;
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  // Optional suffixes: " (2025)" and "*".
  std::string core = s, suffix;
  if (!core.empty() && core.back() == '*') {
    core.pop_back();
    suffix = "*";
  }
  size_t paren = core.find(" (");
  std::string year;
  if (paren != std::string::npos) {
    std::string_view y = std::string_view(core).substr(paren + 2);
    if (y.size() != 5 || y.back() != ')' || !AllDigits(y.substr(0, 4))) return {};
    year = core.substr(paren);
    core.erase(paren);
  }
  // Series: 1-3 uppercase letters, then at least one "/part".
  size_t i = 0;
  while (i < core.size() && IsAsciiUpper(core[i])) ++i;
  if (i == 0 || i > 3 || i >= core.size() || core[i] != '/') return {};
  bool digit = false;
  size_t parts = 0;
  while (i < core.size()) {
    if (core[i] != '/') return {};
    ++i;
    size_t start = i;
    while (i < core.size() && core[i] != '/') {
      char c = core[i];
      if (!(IsAsciiUpper(c) || IsAsciiDigit(c) || c == '.' || c == '-')) return {};
      digit = digit || IsAsciiDigit(c);
      ++i;
    }
    if (i == start) return {};
    ++parts;
  }
  if (!digit || parts == 0) return {};
  return core + year + suffix;
}

bool IsJobNumber(std::string_view line) {
  std::vector<std::string_view> words = Words(line);
  if (words.empty()) return false;
  std::string_view w = words[0];
  if (w.size() != 8 || w[2] != '-' || !AllDigits(w.substr(0, 2)) || !AllDigits(w.substr(3))) {
    return false;
  }
  for (size_t k = 1; k < words.size(); ++k) {
    std::string_view x = words[k];
    bool lang = x.size() == 3 && x[0] == '(' && x[2] == ')' && IsAsciiUpper(x[1]);
    if (!lang && !AllDigits(x)) return false;  // "(E)", and the date stamps "180325"
  }
  return true;
}

bool IsBarcode(std::string_view line) {
  std::string_view s = TrimAscii(line);
  if (s.size() < 5 || s.front() != '*' || s.back() != '*') return false;
  std::string_view inner = s.substr(1, s.size() - 2);
  for (char c : inner) {
    if (!(IsAsciiDigit(c) || IsAsciiUpper(c) || c == ' ')) return false;
  }
  return true;
}

bool IsReissueNote(std::string_view line) {
  std::string s = Lower(TrimAscii(line));
  if (!s.empty() && s[0] == '*') s.erase(0, 1);
  return StartsWith(TrimAscii(s), "reissued for technical reasons") ||
         StartsWith(TrimAscii(s), "nouveau tirage pour raisons techniques") ||
         StartsWith(TrimAscii(s), "publicado nuevamente por razones técnicas");
}

std::string ParseDate(std::string_view line) {
  std::vector<std::string_view> w = Words(TrimAscii(line));
  // "16 January 2025", "16 janvier 2025", "16 de enero de 2025", "1er mars 2025".
  std::vector<std::string_view> kept;
  for (std::string_view x : w) {
    if (x != "de") kept.push_back(x);
  }
  if (kept.size() != 3) return {};
  std::string_view day = kept[0];
  if (StartsWith(day, "1er")) day = "1";
  int month = MonthNumber(kept[1]);
  if (!AllDigits(day) || day.size() > 2 || month == 0 || kept[2].size() != 4 ||
      !AllDigits(kept[2])) {
    return {};
  }
  int d = std::stoi(std::string(day));
  if (d < 1 || d > 31) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s-%02d-%02d", std::string(kept[2]).c_str(), month, d);
  return buf;
}

std::string IssuerOfBodyLine(std::string_view line) {
  static const std::pair<std::string_view, std::string_view> kBodies[] = {
      {"Security Council", "United Nations Security Council"},
      {"General Assembly", "United Nations General Assembly"},
      {"Economic and Social Council", "United Nations Economic and Social Council"},
      {"Conseil de sécurité", "United Nations Security Council"},
      {"Assemblée générale", "United Nations General Assembly"},
      {"Conseil économique et social", "United Nations Economic and Social Council"},
      {"Consejo de Seguridad", "United Nations Security Council"},
      {"Asamblea General", "United Nations General Assembly"},
      {"Consejo Económico y Social", "United Nations Economic and Social Council"},
      {"Human Rights Council", "United Nations Human Rights Council"}};
  std::string_view s = TrimAscii(line);
  for (const auto& [name, issuer] : kBodies) {
    if (s == name) return std::string(issuer);
  }
  return {};
}

Masthead ReadMasthead(const std::vector<MastheadLine>& lines, double body_size,
                      double page_height) {
  Masthead m;
  const double top_band = page_height / 3;
  bool united_nations = false;
  std::vector<size_t> consumed;
  bool any = false;
  std::string pending_language;  // "English" above "Original: French"
  size_t last_top = 0;           // the last masthead line in the top band: the title follows it
  for (size_t i = 0; i < lines.size(); ++i) {
    const MastheadLine& l = lines[i];
    std::string_view t = TrimAscii(l.text);
    if (l.top > top_band) {
      // The cover of an Official Records volume names the organ and session at its foot.
      std::string issuer = IssuerOfBodyLine(t);
      if (!issuer.empty() || IsOfficialRecordsLine(t)) {
        if (m.issuer.empty()) m.issuer = issuer;
        consumed.push_back(i);
      }
      continue;
    }
    bool mine = true;
    std::string value;
    if (IsUnitedNationsLine(t)) {
      united_nations = true;
    } else if (!(value = NormalizeSymbol(t)).empty()) {
      if (m.symbol.empty()) m.symbol = value;
    } else if (!(value = IssuerOfBodyLine(t)).empty()) {
      if (m.issuer.empty()) m.issuer = value;
    } else if (IsDistributionLine(t)) {
    } else if (!(value = ParseDate(t)).empty() && m.date.empty() && m.title.empty()) {
      m.date = value;
    } else if (StartsWith(t, "Original:") || StartsWith(t, "Original :")) {
      std::string code = LanguageCodeOfName(t.substr(t.find(':') + 1));
      if (m.language.empty()) m.language = pending_language.empty() ? code : pending_language;
    } else if (!LanguageCodeOfName(t).empty() && !any) {
      mine = false;  // a language name before anything else is no masthead line
    } else if (!LanguageCodeOfName(t).empty()) {
      pending_language = LanguageCodeOfName(t);
    } else {
      mine = false;
    }
    if (mine) {
      consumed.push_back(i);
      last_top = i;
      any = true;
    }
  }
  if (!united_nations || m.symbol.empty()) return Masthead();
  m.found = true;
  if (m.language.empty()) m.language = pending_language;

  // The title: after the last masthead line, the run of lines set larger than the body or
  // bold, up to the first body line. "Adopted by ..." under a resolution's title and the
  // reissue note belong to the masthead.
  std::string title;
  double title_size = 0;
  for (size_t i = last_top + 1; i < lines.size(); ++i) {
    const MastheadLine& l = lines[i];
    std::string_view t = TrimAscii(l.text);
    if (std::find(consumed.begin(), consumed.end(), i) != consumed.end()) continue;
    bool large = l.size >= 1.15 * body_size;
    if (!(large || l.bold)) break;
    if (StartsWith(t, "Adopted by") || StartsWith(t, "Adoptée par") ||
        StartsWith(t, "Aprobada por")) {
      consumed.push_back(i);
      // "... on 16 January 2025" may wrap onto the next line.
      if (i + 1 < lines.size() && !ParseDate(lines[i + 1].text).empty()) {
        consumed.push_back(++i);
      }
      continue;
    }
    // A numbered heading ("I. Introduction", "A. Background") starts the body.
    if (StartsWithHeadingNumber(t)) break;
    if (!title.empty()) title += ' ';
    title += t;
    if (title_size == 0) title_size = l.size;
    consumed.push_back(i);
  }
  m.title = CollapseWhitespace(title);

  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = TrimAscii(lines[i].text);
    if (IsJobNumber(t) || IsBarcode(t)) {
      consumed.push_back(i);
    } else if (IsReissueNote(t)) {
      consumed.push_back(i);
      std::string note(t);
      if (!note.empty() && note[0] == '*') note.erase(0, 1);
      m.note = CollapseWhitespace(note);
    }
  }
  std::sort(consumed.begin(), consumed.end());
  consumed.erase(std::unique(consumed.begin(), consumed.end()), consumed.end());
  m.consumed = std::move(consumed);
  for (size_t i : m.consumed) m.printed_lines.push_back(std::string(TrimAscii(lines[i].text)));

  // "S/2025/383*": the star marks a reissue (the note says why); the symbol is without it.
  if (!m.symbol.empty() && m.symbol.back() == '*') m.symbol.pop_back();
  std::string sym = m.symbol;
  if (sym.find("/RES/") != std::string::npos) {
    m.type = "resolution";
  } else if (StartsWith(m.title, "Letter dated") || StartsWith(m.title, "Identical letters")) {
    m.type = "letter";
  } else if (m.title.find("Report of the") != std::string::npos ||
             m.title.find("report of the") != std::string::npos || StartsWith(m.title, "Report")) {
    m.type = "report";
  }
  return m;
}

void ApplyMasthead(const Masthead& masthead, DocumentMetadata* meta) {
  if (!masthead.found) return;
  meta->symbol = masthead.symbol;
  if (!masthead.issuer.empty()) {
    meta->issuer = masthead.issuer;
    meta->author.clear();  // the typist in the information dictionary is not the author
  }
  if (!masthead.date.empty()) meta->date = masthead.date;
  if (!masthead.title.empty()) meta->title = masthead.title;
  if (!masthead.type.empty()) meta->type = masthead.type;
  if (!masthead.language.empty()) meta->language = masthead.language;
  if (!masthead.note.empty()) meta->note = masthead.note;
}

}  // namespace pillar::un
