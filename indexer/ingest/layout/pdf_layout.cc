#include "indexer/ingest/layout/pdf_layout.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "indexer/base/text.h"
#include "indexer/ingest/text_reader.h"

namespace pillar::layout {

bool IsCommonWordEnding(std::string_view suffix) {
  static const std::set<std::string_view> kEndings = {
      "tion", "tions", "sion",  "sions", "ation", "ations", "ment", "ments", "ing",
      "ings", "ity",   "ities", "ties",  "ance",  "ances",  "ence", "ences", "ed",
      "er",   "ers",   "ian",   "ians",  "ly",    "al",     "ally", "ness",  "ous",
      "ive",  "ives",  "ible",  "able",  "ably",  "ful",    "less", "ist",   "ists",
      "ism",  "ize",   "izes",  "ized",  "ise",   "ises",   "ised", "ic",    "ical",
      "ty",   "ry",    "ries",  "lar",   "tive",  "tives",  "ture", "tures"};
  std::string s;
  for (char c : suffix) {
    if (c >= 'a' && c <= 'z')
      s += c;
    else
      break;
  }
  return kEndings.count(s) > 0;
}

namespace {

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

// True for a note call or note number: 1-3 digits, or *, †, ‡.
bool IsNoteMark(std::string_view s) {
  if (s.empty() || s.size() > 3) {
    return s == "\xE2\x80\xA0" || s == "\xE2\x80\xA1";
  }
  if (s == "*") return true;
  for (char c : s) {
    if (!IsDigitChar(c)) return false;
  }
  return true;
}

// True when `s` holds at least one letter (any script).
bool HasLetter(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (std::isalpha(c)) return true;
      ++i;
      continue;
    }
    if (FindInvalidUtf8(s.substr(i, std::min<size_t>(4, s.size() - i))) == 0) return false;
    char32_t cp = DecodeUtf8(s, i);
    if (u_isalpha(static_cast<UChar32>(cp))) return true;
  }
  return false;
}

// "12", "- 12 -", "Page 3", "page 3 of 9", "p. 4", "iv", "3/9".
bool IsPageNumberLine(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '[' || c == ']' || c == '|') continue;
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (StartsWith(s, "page"))
    s = s.substr(4);
  else if (StartsWith(s, "p."))
    s = s.substr(2);
  if (s.empty()) return false;
  bool digits = true;
  for (char c : s) digits = digits && (IsDigitChar(c) || c == '/');
  if (digits) return true;
  size_t of = s.find("of");
  if (of != std::string::npos && of > 0) {
    bool ok = true;
    for (size_t i = 0; i < s.size(); ++i) {
      if (i == of || i == of + 1) continue;
      ok = ok && IsDigitChar(s[i]);
    }
    if (ok && of + 2 < s.size()) return true;
  }
  if (s.size() <= 6) {
    for (char c : s) {
      if (std::string_view("ivxlc").find(c) == std::string_view::npos) return false;
    }
    return true;
  }
  return false;
}

std::string MaskDigits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (IsDigitChar(c)) {
      if (out.empty() || out.back() != '#') out += '#';
    } else if (c != ' ') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// A short rule drawn with characters: "______", "————".
bool IsRuleLine(std::string_view text) {
  size_t underscores = 0;
  for (char c : text) {
    if (c == '_')
      ++underscores;
    else if (c != ' ')
      return false;
  }
  return underscores >= 5;
}

// Lowercase ASCII letters of `s` from `from` while they are letters (non-ASCII bytes too).
std::string LettersAt(std::string_view s, size_t from, bool forward) {
  std::string out;
  if (forward) {
    for (size_t i = from; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (!(std::isalpha(c) || c >= 0x80)) break;
      out += static_cast<char>(std::tolower(c));
    }
  } else {
    size_t i = from;
    while (i > 0) {
      auto c = static_cast<unsigned char>(s[i - 1]);
      if (!(std::isalpha(c) || c >= 0x80)) break;
      --i;
    }
    for (size_t k = i; k < from; ++k) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[k])));
    }
  }
  return out;
}

// A line under construction: its words and extent.
struct Group {
  std::vector<Word*> words;
  double top = 0, bottom = 0, x0 = 0, x1 = 0, size = 0;
};

bool IsMarkerWord(std::string_view w) { return StartsWithParagraphMarker(std::string(w) + " X"); }

}  // namespace

bool IsBulletGlyph(std::string_view t) {
  // Symbol-font bullets come through as private-use characters (U+F020..U+F0FF).
  if (t.size() == 3 && static_cast<unsigned char>(t[0]) == 0xEF &&
      (static_cast<unsigned char>(t[1]) == 0x80 || static_cast<unsigned char>(t[1]) == 0x81 ||
       static_cast<unsigned char>(t[1]) == 0x82 || static_cast<unsigned char>(t[1]) == 0x83)) {
    return true;
  }
  // Control characters where a font without a Unicode map draws its bullet ("\x0e\x0e").
  if (!t.empty() && std::all_of(t.begin(), t.end(),
                                [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return true;
  }
  static const std::set<std::string_view> kBullets = {"\xE2\x80\xA2",
                                                      "\xE2\x80\xA3",
                                                      "\xC2\xB7",
                                                      "\xE2\x96\xAA",
                                                      "\xE2\x96\xA0",
                                                      "\xE2\x96\xA1",
                                                      "\xE2\x97\x8F",
                                                      "\xE2\x97\x8B",
                                                      "\xE2\x97\xA6",
                                                      "\xE2\x9E\xA2",
                                                      "\xE2\x9D\x96",
                                                      "\xE2\x9C\x93",
                                                      "\xE2\x80\x93",
                                                      "-",
                                                      "*"};
  return kBullets.count(t) > 0;
}

bool StartsWithParagraphMarker(std::string_view line) {
  line = TrimAscii(line);
  if (line.size() < 2) return false;
  size_t space = line.find(' ');
  if (space != std::string_view::npos) {
    // One bullet or a run of them ("••" where a font draws a bullet twice).
    std::string_view first = line.substr(0, space);
    bool bullets = FindInvalidUtf8(first) == std::string_view::npos;
    for (size_t i = 0; bullets && i < first.size();) {
      size_t start = i;
      DecodeUtf8(first, i);
      bullets = IsBulletGlyph(first.substr(start, i - start));
    }
    if (bullets) return true;
  }
  // Lowercase roman list numbers: "iv. Context".
  if (space != std::string_view::npos && space >= 2 && line[space - 1] == '.' &&
      space + 1 < line.size() && !IsAsciiLower(line[space + 1])) {
    std::string_view roman = line.substr(0, space - 1);
    if (roman.size() <= 5 && roman.find_first_not_of("ivx") == std::string_view::npos) {
      return true;
    }
  }
  size_t i = 0;
  if (line[0] == '(') {
    i = 1;
    size_t start = i;
    while (i < line.size() && (IsAsciiLower(line[i]) || IsDigitChar(line[i]))) ++i;
    size_t n = i - start;
    if (n == 0 || i >= line.size() || line[i] != ')') return false;
    bool digits = IsDigitChar(line[start]);
    return digits ? n <= 2 : n <= 5;  // "(12)", "(a)", "(viii)"; not "(2025)"
  }
  if (IsDigitChar(line[0])) {
    while (i < line.size() && IsDigitChar(line[i])) ++i;
    if (i > 3) return false;  // "1990." is a wrapped year, not paragraph 1990
    size_t number_end = i;
    while (i < line.size() && (IsDigitChar(line[i]) || line[i] == '.')) ++i;
    if (i >= line.size() || line[i] != ' ') return false;
    std::string_view marker = line.substr(0, i);
    if (marker.find('.') == std::string_view::npos) return false;
    if (marker.back() != '.' && i == number_end) return false;
    // "2. " or "12.3 " or "2.1.4. "; the next word starts with a capital, a quote or "(".
    size_t next = i;
    while (next < line.size() && line[next] == ' ') ++next;
    return next < line.size() && !IsAsciiLower(line[next]);
  }
  if (IsAsciiLower(line[0]) && line.size() > 2 && line[1] == ')' && line[2] == ' ') return true;
  return false;
}

std::vector<Line> BuildLines(std::vector<Word>& words, int page,
                             std::string (*rtl_fix)(std::string_view)) {
  // Left edges where many words start (six or more, within a point): column and indent
  // margins. Justified text spreads wide gaps between words at random places, a column
  // gutter ends at such an edge.
  std::map<long, int> starts;
  for (const Word& w : words) ++starts[std::lround(w.x0)];
  auto at_margin = [&](double x) {
    long r = std::lround(x);
    int n = 0;
    for (long d = -1; d <= 1; ++d) {
      auto it = starts.find(r + d);
      if (it != starts.end()) n += it->second;
    }
    return n >= 6;
  };
  // A font without a Unicode map may hand its bullet over as control characters: show "•".
  for (Word& w : words) {
    if (!w.text.empty() && IsBulletGlyph(w.text) && static_cast<unsigned char>(w.text[0]) < 0x20) {
      w.text = "\xE2\x80\xA2";
    }
  }
  std::vector<Group> groups;
  constexpr size_t kLookBack = 12;
  for (Word& w : words) {
    double h = w.bottom - w.top;
    Group* target = nullptr;
    size_t first = groups.size() > kLookBack ? groups.size() - kLookBack : 0;
    for (size_t k = groups.size(); k-- > first;) {
      Group& g = groups[k];
      double overlap = std::min(g.bottom, w.bottom) - std::max(g.top, w.top);
      if (overlap < 0.5 * std::min(g.bottom - g.top, h)) continue;
      double em = std::max(g.size, w.size);
      // A paragraph number is followed by a tab stop: allow a wider gap after it. A word at a
      // margin after a gap of an em starts another column (or a tab stop, joined
      // again with its row once columns are known: see MarkGrid).
      bool marker = g.words.size() == 1 && IsMarkerWord(g.words[0]->text);
      double max_gap = (marker ? 3.5 : at_margin(w.x0) ? 1.0 : 2.5) * em;
      double gap_right = w.x0 - g.x1;  // the word follows the line
      double gap_left = g.x0 - w.x1;   // the word precedes it (right-to-left drawing)
      if ((gap_right >= -0.3 * em && gap_right <= max_gap) ||
          (gap_left >= -0.3 * em && gap_left <= 1.25 * em)) {
        target = &g;
        break;
      }
    }
    if (!target) {
      groups.push_back(Group{{}, w.top, w.bottom, w.x0, w.x1, w.size});
      target = &groups.back();
    }
    target->words.push_back(&w);
    target->top = std::min(target->top, w.top);
    target->bottom = std::max(target->bottom, w.bottom);
    target->x0 = std::min(target->x0, w.x0);
    target->x1 = std::max(target->x1, w.x1);
    target->size = std::max(target->size, w.size);
  }

  // A bullet drawn apart from its text ("•" in a symbol font, with its own box) joins the
  // line it stands in front of.
  auto is_bullet = [](const std::string& t) { return IsBulletGlyph(t) && t != "*"; };
  for (size_t k = 0; k < groups.size(); ++k) {
    Group& b = groups[k];
    if (b.words.size() != 1 || !is_bullet(b.words[0]->text)) continue;
    double mid = (b.top + b.bottom) / 2;
    Group* best = nullptr;
    for (Group& g : groups) {
      if (&g == &b || g.words.empty()) continue;
      double em = std::max(g.size, b.size);
      double gap = g.x0 - b.x1;
      if (mid < g.top - 0.3 * em || mid > g.bottom + 0.3 * em || gap < 0 || gap > 4 * em) continue;
      if (!best || g.x0 < best->x0) best = &g;
    }
    if (!best) continue;
    best->words.insert(best->words.begin(), b.words[0]);
    best->x0 = std::min(best->x0, b.x0);
    b.words.clear();
  }

  std::vector<Line> lines;
  for (Group& grp : groups) {
    if (grp.words.empty()) continue;
    std::vector<Word*>& g = grp.words;
    std::stable_sort(g.begin(), g.end(),
                     [](const Word* a, const Word* b) { return a->x0 < b->x0; });
    std::map<double, size_t> chars_by_size;
    for (Word* w : g) chars_by_size[std::round(w->size * 2) / 2] += w->text.size();
    double size = 0;
    size_t best = 0;
    for (auto& [s, n] : chars_by_size) {
      if (n > best) best = n, size = s;
    }
    Line line;
    line.page = page;
    line.size = size;
    line.bold = true;
    line.italic = true;
    line.x0 = 1e9;
    line.top = 1e9;
    double main_bottom = 0;
    for (Word* w : g) {
      if (std::fabs(w->size - size) < 0.6) main_bottom = std::max(main_bottom, w->bottom);
    }
    const Word* prev = nullptr;
    for (Word* w : g) {
      bool small = w->size < 0.85 * size;
      bool raised = w->bottom < main_bottom - 0.12 * size;
      if (small && raised && IsNoteMark(w->text)) {
        if (line.text.empty()) line.lead_marker = w->text;
        continue;  // a note call or a note's own number: not text
      }
      if (!line.text.empty() && prev) {
        if (prev->space_after || w->x0 - prev->x1 > 0.12 * size) line.text += ' ';
      }
      line.text += w->text;
      line.x0 = std::min(line.x0, w->x0);
      line.x1 = std::max(line.x1, w->x1);
      line.top = std::min(line.top, w->top);
      line.bottom = std::max(line.bottom, w->bottom);
      line.bold = line.bold && w->bold;
      line.italic = line.italic && w->italic;
      prev = w;
    }
    if (line.text.empty()) continue;
    line.base = main_bottom > 0 ? main_bottom : line.bottom;
    if (rtl_fix) line.text = rtl_fix(line.text);
    lines.push_back(std::move(line));
  }
  return lines;
}

double BodySize(const std::vector<Page>& pages) {
  std::map<double, size_t> sizes;
  for (const Page& p : pages) {
    for (const Line& l : p.lines) {
      if (!l.dropped) sizes[l.size] += l.text.size();
    }
  }
  double body = 0;
  size_t best = 0;
  for (auto& [s, n] : sizes) {
    if (n > best) best = n, body = s;
  }
  return body > 0 ? body : 10;
}

namespace {

struct Note {
  std::string number;
  std::string text;
  int page;
};

// The left and right edges of one column of one page.
struct ColumnEdges {
  double left = 0;
  double right = 0;
};

class Assembler {
 public:
  Assembler(std::vector<Page>& pages, ExtractedDocument* out) : pages_(pages), out_(out) {}

  void Run() {
    body_size_ = BodySize(pages_);
    DropRunningLines();
    body_size_ = BodySize(pages_);
    for (size_t p = 0; p < pages_.size(); ++p) OrderPage(pages_[p]);
    for (size_t p = 0; p < pages_.size(); ++p) MarkGrid(pages_[p]);
    Pitch();
    for (size_t p = 0; p < pages_.size(); ++p) ExtractFootnotes(pages_[p]);
    for (size_t p = 0; p < pages_.size(); ++p) MeasureColumns(p);
    CollectWords();
    Assemble();
  }

 private:
  void DropRunningLines() {
    std::map<std::string, std::set<int>> pages_of;
    auto in_band = [&](const Page& p, const Line& l) {
      return l.top < 0.12 * p.height || l.bottom > 0.88 * p.height;
    };
    for (const Page& p : pages_) {
      for (const Line& l : p.lines) {
        if (!l.dropped && in_band(p, l)) pages_of[MaskDigits(l.text)].insert(l.page);
      }
    }
    size_t needed = std::max<size_t>(2, static_cast<size_t>(std::ceil(0.4 * pages_.size())));
    for (Page& p : pages_) {
      for (Line& l : p.lines) {
        if (l.dropped || !in_band(p, l)) continue;
        // Nothing of the text is set in the outer 4% of a page: printer's slugs, file stamps.
        bool edge = l.bottom > 0.96 * p.height || l.top < 0.04 * p.height;
        if (edge || pages_of[MaskDigits(l.text)].size() >= needed || IsPageNumberLine(l.text)) {
          l.dropped = true;
        }
      }
    }
  }

  // Finds the column gutters of a page, assigns each line its column and sorts the lines in
  // reading order: band by band (a line spanning a gutter ends a band), column by column.
  void OrderPage(Page& page) {
    std::vector<Line*> live;
    for (Line& l : page.lines) {
      if (!l.dropped) live.push_back(&l);
    }
    std::vector<std::pair<double, double>> gutters = Gutters(live);
    for (Line& l : page.lines) {
      l.column = 0;
      for (const auto& [g0, g1] : gutters) {
        if (l.x0 < g0 && l.x1 > g1) {
          l.column = -1;  // spans the gutter
          break;
        }
        if (l.x0 >= g0) ++l.column;
      }
    }
    if (gutters.empty()) return;
    // Bands: runs of non-spanning lines between spanning ones, by vertical position.
    std::vector<Line> sorted = std::move(page.lines);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Line& a, const Line& b) { return a.top < b.top; });
    std::vector<Line> ordered;
    std::vector<Line> band;
    auto flush_band = [&] {
      std::stable_sort(band.begin(), band.end(), [](const Line& a, const Line& b) {
        if (a.column != b.column) return a.column < b.column;
        return a.top < b.top;
      });
      for (Line& l : band) ordered.push_back(std::move(l));
      band.clear();
    };
    for (Line& l : sorted) {
      if (l.column == -1 && !l.dropped) {
        flush_band();
        ordered.push_back(std::move(l));
      } else {
        band.push_back(std::move(l));
      }
    }
    flush_band();
    page.lines = std::move(ordered);
  }

  // Vertical strips of white space at least 6 points wide in the middle 70% of the text area
  // that at most 10% of the narrow lines cross, with at least a fifth of them (and 4) wholly
  // on each side. Lines wider than 60% of the text area (full-width highlights, titles) are
  // no column's and do not count. At most two (three columns).
  std::vector<std::pair<double, double>> Gutters(const std::vector<Line*>& all) const {
    std::vector<std::pair<double, double>> out;
    double left = 1e9, right = -1e9;
    for (const Line* l : all) {
      left = std::min(left, l->x0);
      right = std::max(right, l->x1);
    }
    double width = right - left;
    if (width < 100) return out;
    std::vector<Line*> live;
    for (Line* l : all) {
      if (l->x1 - l->x0 <= 0.6 * width) live.push_back(l);
    }
    if (live.size() < 8) return out;
    int bins = static_cast<int>(std::ceil(width)) + 1;
    std::vector<int> cover(static_cast<size_t>(bins), 0);
    for (const Line* l : live) {
      int a = static_cast<int>(std::floor(l->x0 - left));
      int b = static_cast<int>(std::ceil(l->x1 - left));
      for (int x = std::max(0, a); x < std::min(bins, b); ++x) ++cover[static_cast<size_t>(x)];
    }
    const int allowed = static_cast<int>(live.size() / 10);
    const size_t side_min = std::max<size_t>(4, live.size() / 5);
    int lo = static_cast<int>(0.15 * width), hi = static_cast<int>(0.85 * width);
    int x = lo;
    while (x < hi && out.size() < 2) {
      if (cover[static_cast<size_t>(x)] > allowed) {
        ++x;
        continue;
      }
      int start = x;
      while (x < hi && cover[static_cast<size_t>(x)] <= allowed) ++x;
      if (x - start < 6) continue;
      double g0 = left + start, g1 = left + x;
      size_t lefts = 0, rights = 0;
      for (const Line* l : live) {
        if (l->x1 <= g0 + 1) ++lefts;
        if (l->x0 >= g1 - 1) ++rights;
      }
      if (lefts >= side_min && rights >= side_min) out.emplace_back(g0, g1);
    }
    return out;
  }

  // Marks table and chart lines (see the header) and joins the cells of each row into one
  // line, left to right.
  void MarkGrid(Page& page) {
    std::vector<Line*> live;
    double left = 1e9, right = -1e9;
    for (Line& l : page.lines) {
      if (l.dropped) continue;
      live.push_back(&l);
      left = std::min(left, l.x0);
      right = std::max(right, l.x1);
    }
    if (live.empty()) return;
    const double width = std::max(1.0, right - left);
    auto words = [](const std::string& t) {
      return static_cast<size_t>(std::count(t.begin(), t.end(), ' ')) + 1;
    };
    // Rows: lines of one column on one baseline (within 1.5 points), each left to right.
    std::vector<Line*> by_base = live;
    std::stable_sort(by_base.begin(), by_base.end(), [](const Line* a, const Line* b) {
      if (a->column != b->column) return a->column < b->column;
      return a->base < b->base;
    });
    std::vector<std::vector<Line*>> rows;
    for (size_t i = 0; i < by_base.size();) {
      size_t j = i + 1;
      while (j < by_base.size() && by_base[j]->column == by_base[i]->column &&
             by_base[j]->base - by_base[j - 1]->base <= 1.5) {
        ++j;
      }
      if (j - i >= 2) {
        rows.emplace_back(by_base.begin() + static_cast<long>(i),
                          by_base.begin() + static_cast<long>(j));
        std::stable_sort(rows.back().begin(), rows.back().end(),
                         [](const Line* a, const Line* b) { return a->x0 < b->x0; });
      }
      i = j;
    }
    for (const std::vector<Line*>& row : rows) {
      bool narrow = true, small = true;
      size_t word_count = 0;
      // Cells stand apart; the pieces of a justified line cut at a wide space do not.
      double min_gap = 1e9;
      for (size_t k = 0; k < row.size(); ++k) {
        narrow = narrow && row[k]->x1 - row[k]->x0 < 0.35 * width;
        small = small && row[k]->size < 0.95 * body_size_;
        word_count += words(row[k]->text);
        if (k > 0) min_gap = std::min(min_gap, row[k]->x0 - row[k - 1]->x1);
      }
      bool apart = min_gap >= 1.6 * body_size_;
      bool short_cells = row.size() >= 3 && word_count <= 3 * row.size();
      if (narrow && apart && (small || short_cells)) {
        for (Line* l : row) l->grid = true;
      }
    }
    for (Line* l : live) {
      if (!HasLetter(l->text) && l->x1 - l->x0 < 0.35 * width && l->size < 0.95 * body_size_) {
        l->grid = true;
      }
    }
    // Legends and axis titles: short small print next to grid lines.
    for (int pass = 0; pass < 3; ++pass) {
      for (size_t k = 0; k < live.size(); ++k) {
        Line& l = *live[k];
        if (l.grid || l.size >= 0.95 * body_size_ || l.x1 - l.x0 >= 0.4 * width) continue;
        bool near = (k > 0 && live[k - 1]->grid) || (k + 1 < live.size() && live[k + 1]->grid);
        if (near) l.grid = true;
      }
    }
    // One line per row, cells left to right: the cells of a table row, and the pieces of a
    // text line cut at a wide gap or a tab stop ("1." and its text).
    for (const std::vector<Line*>& row : rows) {
      Line* first = row[0];
      for (size_t k = 1; k < row.size(); ++k) {
        first->grid = first->grid || row[k]->grid;
        first->text += ' ';
        first->text += row[k]->text;
        first->x1 = std::max(first->x1, row[k]->x1);
        row[k]->dropped = true;
      }
    }
  }

  void Pitch() {
    std::vector<double> pitches;
    for (const Page& p : pages_) {
      const Line* prev = nullptr;
      for (const Line& l : p.lines) {
        if (l.dropped || l.grid || std::fabs(l.size - body_size_) > 0.6) continue;
        if (prev && prev->column == l.column && l.base > prev->base) {
          pitches.push_back(l.base - prev->base);
        }
        prev = &l;
      }
    }
    std::sort(pitches.begin(), pitches.end());
    // The lower quartile, not the median: in a short resolution half the steps from one line
    // to the next are the wider ones between paragraphs.
    pitch_ = pitches.empty() ? body_size_ * 1.2 : pitches[pitches.size() / 4];
  }

  static bool StartsNote(const Line& l) {
    if (!l.lead_marker.empty()) return true;
    size_t sp = l.text.find(' ');
    std::string_view first = std::string_view(l.text).substr(0, sp);
    while (!first.empty() && (first.back() == '.' || first.back() == ')')) first.remove_suffix(1);
    return sp != std::string::npos && IsNoteMark(first);
  }

  // True when `l` starts with a number printed in the text (not raised) that does not follow
  // the last note's: "27 January 2025" wrapped to the start of a note's second line.
  bool OutOfSequence(const Line& l) const {
    if (!l.lead_marker.empty() || notes_.empty() || notes_.back().page != l.page) return false;
    const std::string& last = notes_.back().number;
    std::string first = l.text.substr(0, l.text.find(' '));
    while (!first.empty() && (first.back() == '.' || first.back() == ')')) first.pop_back();
    auto numeric = [](const std::string& s) {
      return !s.empty() && s.size() <= 3 &&
             std::all_of(s.begin(), s.end(), [](char c) { return IsDigitChar(c); });
    };
    return numeric(last) && numeric(first) && std::stoi(first) != std::stoi(last) + 1;
  }

  void TakeNote(Line& l) {
    std::string number, text = l.text;
    bool starts = StartsNote(l) && !OutOfSequence(l);
    if (starts || notes_.empty() || notes_.back().page != l.page) {
      if (!l.lead_marker.empty()) {
        number = l.lead_marker;
      } else if (starts) {
        size_t sp = text.find(' ');
        number = text.substr(0, sp);
        while (!number.empty() && (number.back() == '.' || number.back() == ')')) {
          number.pop_back();
        }
        text = sp == std::string::npos ? "" : text.substr(sp + 1);
      }
      notes_.push_back({number, text, l.page});
    } else {
      AppendLine(notes_.back().text, text);
    }
    l.dropped = true;
  }

  // Footnotes: the lines after a short rule in the lower two thirds of the page, or else the
  // run of small-font lines at the bottom that starts with a numbered note line.
  void ExtractFootnotes(Page& page) {
    std::vector<Line*> live;
    for (Line& l : page.lines) {
      if (!l.dropped) live.push_back(&l);
    }
    for (size_t k = 0; k < live.size(); ++k) {
      Line& rule = *live[k];
      if (!IsRuleLine(rule.text) || rule.top < page.height / 3) continue;
      rule.dropped = true;
      for (size_t j = k + 1; j < live.size(); ++j) {
        Line& l = *live[j];
        bool same_flow = rule.column == l.column || rule.column == -1 || l.column == -1;
        if (l.top > rule.top && same_flow) TakeNote(l);
      }
      return;
    }
    // Per column (a note may run on from the foot of one column to the next): walk up from
    // the column's last line while lines are small; the run must start with a numbered note
    // line, or go on with a note of the column before.
    std::map<int, std::vector<Line*>> by_column;
    for (Line* l : live) by_column[l->column].push_back(l);
    for (auto& [column, lines] : by_column) {  // spanning lines (-1) first
      size_t first = lines.size();
      while (first > 0) {
        const Line& l = *lines[first - 1];
        if (l.grid || l.size >= 0.9 * body_size_ || l.top < 0.4 * page.height) break;
        --first;
      }
      bool continues =
          first < lines.size() && !notes_.empty() && notes_.back().page == lines[first]->page;
      if (!continues) {
        while (first < lines.size() && !StartsNote(*lines[first])) ++first;
      }
      for (size_t k = first; k < lines.size(); ++k) TakeNote(*lines[k]);
    }
  }

  // Left and right edges per column of a page: the left margin (see below), else the nearest
  // margin seen on earlier pages, else the leftmost line; the right edge of the body lines.
  void MeasureColumns(size_t p) {
    Page& page = pages_[p];
    std::map<int, std::map<long, int>> lefts;  // column -> x0 (rounded) -> count
    std::map<int, double> rights, mins;
    // The size most of this page is set in: a page (a box, an annex) may differ from the body.
    std::map<double, size_t> sizes;
    for (const Line& l : page.lines) {
      if (!l.dropped && !l.grid) sizes[l.size] += l.text.size();
    }
    double page_size = body_size_;
    size_t most = 0;
    for (const auto& [size, chars] : sizes) {
      if (chars > most) most = chars, page_size = size;
    }
    for (const Line& l : page.lines) {
      if (l.dropped || l.grid) continue;
      double& mn = mins.try_emplace(l.column, 1e9).first->second;
      mn = std::min(mn, l.x0);
      if (std::fabs(l.size - page_size) > 0.6) continue;
      lefts[l.column][std::lround(l.x0)] += 1;
      double& r = rights.try_emplace(l.column, 0).first->second;
      r = std::max(r, l.x1);
    }
    for (auto& [col, mn] : mins) {
      ColumnEdges e;
      e.left = mn;
      // The leftmost edge that at least two body lines, and a tenth of them, start at. Counts
      // merge within 2 points: kerning moves line starts a little. Leftmost, not most common:
      // in a short resolution more lines start at the first-line indent than at the margin.
      int lines_in_column = 0;
      for (auto& [x, n] : lefts[col]) lines_in_column += n;
      int best = 0;
      long best_x = 0;
      for (auto& [x, n] : lefts[col]) {
        int total = 0;
        for (long d = -2; d <= 2; ++d) {
          auto it = lefts[col].find(x + d);
          if (it != lefts[col].end()) total += it->second;
        }
        if (total >= 2 && total * 10 >= lines_in_column) {
          best = total, best_x = x;
          break;
        }
      }
      if (best >= 2) {
        e.left = static_cast<double>(best_x);
        known_lefts_.push_back(e.left);
      } else {
        double nearest = 1e9;
        for (double k : known_lefts_) {
          if (std::fabs(k - mn) < std::fabs(nearest - mn)) nearest = k;
        }
        if (std::fabs(nearest - mn) <= 2 * body_size_) e.left = nearest;
      }
      e.right = rights.count(col) ? rights[col] : e.left + 1;
      edges_[{static_cast<int>(p) + 1, col}] = e;
    }
  }

  const ColumnEdges& Edges(const Line& l) const {
    static const ColumnEdges kNone;
    auto it = edges_.find({l.page, l.column});
    return it == edges_.end() ? kNone : it->second;
  }

  void CollectWords() {
    bool after_hyphen = false;
    for (const Page& p : pages_) {
      for (const Line& l : p.lines) {
        if (l.dropped) continue;
        std::string_view t = l.text;
        size_t pos = 0;
        // The first word after a hyphenated line end is a fragment too.
        if (after_hyphen) {
          size_t sp = t.find(' ');
          pos = sp == std::string_view::npos ? t.size() : sp + 1;
        }
        after_hyphen = !t.empty() && t.back() == '-';
        while (pos < t.size()) {
          size_t sp = t.find(' ', pos);
          std::string_view w = t.substr(pos, sp == std::string_view::npos ? t.npos : sp - pos);
          pos = sp == std::string_view::npos ? t.size() : sp + 1;
          // A hyphenated line end is a fragment, not a word.
          if (sp == std::string_view::npos && !w.empty() && w.back() == '-') continue;
          std::string lower;
          for (char c : w) {
            auto u = static_cast<unsigned char>(c);
            if (std::isalpha(u) || u >= 0x80 || c == '-') {
              lower += static_cast<char>(std::tolower(u));
            }
          }
          if (!lower.empty()) words_.insert(lower);
        }
      }
    }
  }

  // Appends a wrapped line to `text`, rejoining a word hyphenated at the line end.
  void AppendLine(std::string& text, const std::string& line) {
    if (text.empty()) {
      text = line;
      return;
    }
    bool soft = text.size() >= 2 && text.compare(text.size() - 2, 2, "\xC2\xAD") == 0;
    size_t hyphen_len = 0;
    if (soft) {
      hyphen_len = 2;
    } else if (!text.empty() && text.back() == '-') {
      hyphen_len = 1;
    } else if (text.size() >= 3 && text.compare(text.size() - 3, 3, "\xE2\x80\x90") == 0) {
      hyphen_len = 3;
    }
    if (hyphen_len > 0) {
      size_t stem_end = text.size() - hyphen_len;
      bool lower_before = stem_end > 0 && IsAsciiLower(text[stem_end - 1]);
      bool lower_after = !line.empty() && IsAsciiLower(line[0]);
      if (soft || (lower_before && lower_after)) {
        std::string prefix = LettersAt(text, stem_end, false);
        std::string suffix = LettersAt(line, 0, true);
        bool join = soft || JoinHyphenatedWord(prefix, suffix, [&](const std::string& w) {
                      return words_.count(w) > 0;
                    });
        if (join) {
          text.erase(stem_end);
          text += line;
          return;
        }
      }
      if (!soft) {
        text += line;  // a real hyphen: "community-" + "based"
        return;
      }
    }
    text += ' ';
    text += line;
  }

  bool IsHeadingLine(const Line& l, int* level) const {
    if (l.text.size() > 160 || !HasLetter(l.text)) return false;
    if (l.size >= 1.15 * body_size_) {
      *level = 1;
      return true;
    }
    int shape = HeadingLevelOfLine(l.text);
    if (l.bold && std::fabs(l.size - body_size_) < 0.6 && shape > 0) {
      *level = shape == 1 ? 1 : 2;
      return true;
    }
    return false;
  }

  // Indentation is measured from the margin of each line's own page and column, so that a
  // block indented as a whole (quoted text, sub-paragraphs set in) continues line after line,
  // across pages whose margins differ too.
  double Indent(const Line& l) const { return l.x0 - Edges(l).left; }
  // A line further right than a line already well inside the column is centred or set flush
  // right (a signature block, an address), not a first-line indent.
  bool MoreIndented(const Line& l, const Line& prev) const {
    return Indent(l) > 0.8 * body_size_ && Indent(l) > Indent(prev) + 0.8 * body_size_ &&
           Indent(prev) <= 3 * body_size_;
  }
  bool Outdented(const Line& l) const { return l.x0 < Edges(l).left - 0.8 * body_size_; }

  static bool EndsSentence(const std::string& t) {
    if (t.empty()) return false;
    char c = t.back();
    return c == '.' || c == ':' || c == ';' || c == '!' || c == '?' ||
           (t.size() >= 3 && t.compare(t.size() - 3, 3, "\xE2\x80\x9D") == 0);
  }

  // A change of font size starts a block when it is large, or comes with a break or a gap;
  // a line of small capitals inside a paragraph ("FOR FURTHER INFORMATION") does not.
  bool SizeBreak(const Line& l, const Line& prev, bool same_flow) const {
    double small = std::min(l.size, prev.size), large = std::max(l.size, prev.size);
    if (large - small <= 0.6) return false;
    return large > 1.25 * small || !same_flow || l.base - prev.base > 1.15 * pitch_;
  }

  // Across a page or column break margins are less sure than words: a line that stops
  // without punctuation, or a next line that starts in lower case, runs on.
  static bool RunsOn(const Line& prev, const Line& l) {
    const std::string& t = prev.text;
    bool open = !t.empty() && !EndsSentence(t) && t.back() != ',' && t.back() != ')';
    return open || (!l.text.empty() && IsAsciiLower(l.text[0]));
  }

  bool ShortLine(const Line& l) const {
    const ColumnEdges& e = Edges(l);
    return l.x1 < e.left + 0.75 * (e.right - e.left);
  }

  // A paragraph of one italic line of body size, short of the column's right edge, that
  // starts with a capital and neither ends a sentence nor holds a colon: a heading of the
  // third level, as UN documents set theirs ("United Nations Integrated Office in Haiti",
  // "Member State leadership"). An italic quotation or Latin phrase runs on or ends with
  // punctuation; an italic source note ("Source: ...") holds a colon.
  bool IsItalicHeading(const Line& l) const {
    if (!l.italic || l.bold || std::fabs(l.size - body_size_) >= 0.6 || !ShortLine(l)) return false;
    const std::string& t = l.text;
    if (t.empty() || t.size() > 120 || !HasLetter(t) || EndsSentence(t)) return false;
    const unsigned char first = static_cast<unsigned char>(t.front());
    if (!(first >= 'A' && first <= 'Z') && first < 0x80) return false;
    if (t.find(':') != std::string::npos || t.back() == ',') return false;
    return true;
  }

  void Flush() {
    if (!current_.empty() && HasLetter(current_)) {
      if (current_kind_ == BlockKind::kParagraph && only_line_ && IsItalicHeading(*only_line_)) {
        if (debug_) std::fprintf(stderr, "ITH p%d | %s\n", current_page_, current_.c_str());
        out_->AddBlock(BlockKind::kHeading, current_, kItalicHeadingLevel, current_page_);
      } else {
        out_->AddBlock(current_kind_, current_, current_level_, current_page_);
      }
    }
    current_.clear();
    only_line_ = nullptr;
    for (const Note& f : figures_) {
      if (HasLetter(f.text)) out_->AddBlock(BlockKind::kParagraph, f.text, 0, f.page);
    }
    figures_.clear();
    last_grid_ = 0;
    while (next_note_ < notes_.size() && notes_[next_note_].page <= last_page_) {
      const Note& n = notes_[next_note_++];
      if (!HasLetter(n.text)) continue;  // chart tick labels at the foot of a page ("800 000")
      out_->AddBlock(BlockKind::kFootnote, n.text, 0, n.page, n.number);
    }
  }

  // Whether line `l` starts a new block after `prev` (the block in progress is not empty).
  bool StartsBlock(const Line& l, const Line& prev, bool heading, bool prev_first) const {
    bool same_flow = prev.page == l.page && prev.column == l.column;
    double pitch = pitch_ * std::max(l.size, prev.size) / body_size_;
    double step = l.base - prev.base;
    if (heading != (current_kind_ == BlockKind::kHeading)) return true;
    if (SizeBreak(l, prev, same_flow) || (heading && l.bold != prev.bold)) return true;
    if (same_flow && !heading && step > 1.25 * pitch) return true;
    if (same_flow && heading && step > 1.6 * l.size) return true;
    if (same_flow && l.base < prev.base - 0.5 * l.size) return true;
    if (heading) return false;
    if (MoreIndented(l, prev) && !(prev_first && same_flow) && (same_flow || !RunsOn(prev, l))) {
      return true;
    }
    if (Outdented(l)) return true;
    if (StartsWithParagraphMarker(l.text) &&
        (!same_flow || EndsSentence(prev.text) || ShortLine(prev) || prev_first ||
         Indent(l) < Indent(prev) - 0.8 * body_size_)) {
      return true;
    }
    return EndsSentence(prev.text) && ShortLine(prev);
  }

  void Assemble() {
    const Line* prev = nullptr;
    bool prev_first = false;  // prev was the first line of its paragraph
    for (const Page& page : pages_) {
      for (const Line& l : page.lines) {
        if (l.dropped) continue;
        if (l.grid && debug_) {
          std::fprintf(stderr, "GRD p%d c%d x0=%.1f x1=%.1f top=%.1f sz=%.1f | %s\n", l.page,
                       l.column, l.x0, l.x1, l.top, l.size, l.text.c_str());
        }
        if (l.grid) {
          // A table or chart: a block of its own; the paragraph around it runs on.
          // Chart labels wrapped around other chart text ("forms of exploitation 2%") go on
          // with the figure before them on the page.
          bool wrapped = !figures_.empty() && figures_.back().page == l.page && !l.text.empty() &&
                         IsAsciiLower(l.text[0]);
          if (!figures_.empty() && figures_.back().page == l.page &&
              (last_grid_ == figures_.size() || wrapped)) {
            figures_.back().text += ' ';
            figures_.back().text += l.text;
          } else {
            figures_.push_back({"", l.text, l.page});
            last_grid_ = figures_.size();
          }
          continue;
        }
        last_grid_ = 0;
        int level = 0;
        bool heading = IsHeadingLine(l, &level);
        // A bold line of body size right under a paragraph line, without the space that sets
        // a heading apart, is that paragraph going on in bold.
        if (heading && level == 2 && prev && !current_.empty() &&
            current_kind_ == BlockKind::kParagraph && prev->page == l.page &&
            prev->column == l.column && l.base - prev->base <= 1.25 * pitch_ &&
            !EndsSentence(prev->text)) {
          heading = false;
        }
        // The second line of a wrapped bold heading ("... for" / "terrorist purposes").
        if (!heading && prev && !current_.empty() && current_kind_ == BlockKind::kHeading &&
            l.bold && prev->bold && std::fabs(l.size - prev->size) < 0.6 && prev->page == l.page &&
            prev->column == l.column && l.base - prev->base <= 1.6 * l.size &&
            l.base > prev->base && HasLetter(l.text)) {
          heading = true;
          level = current_level_;
        }
        bool start = current_.empty() || (prev && StartsBlock(l, *prev, heading, prev_first));
        if (debug_) {
          const ColumnEdges& e = Edges(l);
          std::fprintf(stderr,
                       "%s p%d c%d x0=%.1f L=%.1f R=%.1f x1=%.1f top=%.1f sz=%.1f %s%s| %s\n",
                       start ? "NEW" : "   ", l.page, l.column, l.x0, e.left, e.right, l.x1, l.top,
                       l.size, l.bold ? "B" : "", heading ? "H" : "", l.text.c_str());
        }
        if (start) {
          Flush();
          current_kind_ = heading ? BlockKind::kHeading : BlockKind::kParagraph;
          current_level_ = heading ? level : 0;
          current_page_ = l.page;
          current_ = l.text;
          only_line_ = &l;
          prev_first = true;
        } else {
          AppendLine(current_, l.text);
          only_line_ = nullptr;
          prev_first = false;
        }
        // Notes of the pages before this line's go after the paragraph in progress.
        last_page_ = l.page - 1;
        prev = &l;
      }
    }
    last_page_ = 1 << 30;
    Flush();
  }

  std::vector<Page>& pages_;
  ExtractedDocument* out_;
  // PILLAR_LAYOUT_DEBUG set: every line with its page, column, edges and decision on stderr
  // (NEW starts a block, GRD is a table or chart line; docs/realdocs.md).
  const bool debug_ = std::getenv("PILLAR_LAYOUT_DEBUG") != nullptr;
  double body_size_ = 10, pitch_ = 12;
  std::map<std::pair<int, int>, ColumnEdges> edges_;
  std::vector<double> known_lefts_;
  std::vector<Note> notes_;
  size_t next_note_ = 0;
  std::vector<Note> figures_;  // tables and charts met inside the paragraph in progress
  size_t last_grid_ = 0;       // figures_.size() while the previous line was a grid line
  std::set<std::string> words_;
  std::string current_;
  BlockKind current_kind_ = BlockKind::kParagraph;
  int current_level_ = 0;
  int current_page_ = 0;
  const Line* only_line_ = nullptr;  // current_'s line while it has only one
  int last_page_ = 0;
  // Under the bold "A." headings (level 2) of the same documents.
  static constexpr int kItalicHeadingLevel = 3;
};

}  // namespace

void AssembleBlocks(std::vector<Page>& pages, ExtractedDocument* out) {
  Assembler(pages, out).Run();
}

}  // namespace pillar::layout
