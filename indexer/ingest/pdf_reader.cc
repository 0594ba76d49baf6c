#include "indexer/ingest/pdf_reader.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/text_reader.h"

namespace pillar {

bool IsCommonWordEnding(std::string_view suffix) {
  static const std::set<std::string_view> kEndings = {
      "tion", "tions", "sion", "sions", "ation", "ations", "ment", "ments", "ing", "ings",
      "ity", "ities", "ties", "ance", "ances", "ence", "ences", "ed", "er", "ers", "ian",
      "ians", "ly", "al", "ally", "ness", "ous", "ive", "ives", "ible", "able", "ably", "ful",
      "less", "ist", "ists", "ism", "ize", "izes", "ized", "ise", "ises", "ised", "ic",
      "ical", "ty", "ry", "ries", "lar", "tive", "tives", "ture", "tures"};
  std::string s;
  for (char c : suffix) {
    if (c >= 'a' && c <= 'z') s += c;
    else break;
  }
  return kEndings.count(s) > 0;
}

namespace {

void Silence(const std::string&, void*) {}

struct Word {
  std::string text;
  double x0, top, x1, bottom, size;
  bool bold;
  bool space_after;
};

struct Line {
  std::string text;
  double x0 = 0, top = 0, x1 = 0, bottom = 0;
  double size = 0;     // dominant font size (by characters)
  bool bold = false;   // every word bold
  int page = 0;
  std::string lead_marker;  // a raised small number at the start (a footnote's own number)
  bool dropped = false;     // header, footer or footnote
};

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

std::string FixLigatures(std::string s) {
  static const std::pair<std::string_view, std::string_view> kLigatures[] = {
      {"\xEF\xAC\x80", "ff"}, {"\xEF\xAC\x81", "fi"}, {"\xEF\xAC\x82", "fl"},
      {"\xEF\xAC\x83", "ffi"}, {"\xEF\xAC\x84", "ffl"}};
  if (s.find("\xEF\xAC") == std::string::npos) return s;
  for (const auto& [from, to] : kLigatures) {
    size_t at;
    while ((at = s.find(from)) != std::string::npos) s.replace(at, from.size(), to);
  }
  return s;
}

// Groups a page's words into lines and drops note calls.
std::vector<Line> BuildLines(std::vector<Word>& words, int page) {
  std::vector<std::vector<Word*>> groups;
  for (Word& w : words) {
    bool joined = false;
    if (!groups.empty()) {
      std::vector<Word*>& g = groups.back();
      double top = g[0]->top, bottom = g[0]->bottom;
      for (Word* x : g) {
        top = std::min(top, x->top);
        bottom = std::max(bottom, x->bottom);
      }
      double overlap = std::min(bottom, w.bottom) - std::max(top, w.top);
      double h = std::min(bottom - top, w.bottom - w.top);
      if (overlap >= 0.5 * h && w.x0 >= g.back()->x0 - 1) {
        g.push_back(&w);
        joined = true;
      }
    }
    if (!joined) groups.push_back({&w});
  }
  std::vector<Line> lines;
  for (auto& g : groups) {
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
    line.x0 = 1e9;
    line.top = 1e9;
    double main_bottom = 0;
    for (Word* w : g) {
      if (std::fabs(w->size - size) < 0.6) main_bottom = std::max(main_bottom, w->bottom);
    }
    const Word* prev = nullptr;
    for (size_t i = 0; i < g.size(); ++i) {
      Word* w = g[i];
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
      prev = w;
    }
    if (line.text.empty()) continue;
    lines.push_back(std::move(line));
  }
  return lines;
}

// "12", "- 12 -", "Page 3", "page 3 of 9", "p. 4", "iv", "3/9".
bool IsPageNumberLine(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '[' || c == ']' || c == '|') continue;
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (StartsWith(s, "page")) s = s.substr(4);
  else if (StartsWith(s, "p.")) s = s.substr(2);
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

struct Note {
  std::string number;
  std::string text;
  int page;
};

class Assembler {
 public:
  Assembler(std::vector<Line>& lines, int pages, ExtractedDocument* out)
      : lines_(lines), pages_(pages), out_(out) {}

  void Run(const std::vector<double>& heights) {
    BodyMetrics();
    DropRunningLines(heights);
    BodyMetrics();
    ExtractFootnotes(heights);
    CollectWords();
    Assemble();
  }

 private:
  void BodyMetrics() {
    std::map<double, size_t> sizes;
    for (const Line& l : lines_) {
      if (!l.dropped) sizes[l.size] += l.text.size();
    }
    size_t best = 0;
    for (auto& [s, n] : sizes) {
      if (n > best) best = n, body_size_ = s;
    }
    if (body_size_ <= 0) body_size_ = 10;
    std::map<long, size_t> lefts, rights;
    std::vector<double> pitches;
    const Line* prev = nullptr;
    for (const Line& l : lines_) {
      if (l.dropped || std::fabs(l.size - body_size_) > 0.6) continue;
      lefts[std::lround(l.x0)] += 1;
      rights[std::lround(l.x1)] += 1;
      if (prev && prev->page == l.page && l.top > prev->top) pitches.push_back(l.top - prev->top);
      prev = &l;
    }
    best = 0;
    for (auto& [x, n] : lefts) {
      if (n > best) best = n, left_ = static_cast<double>(x);
    }
    right_ = left_;
    for (auto& [x, n] : rights) right_ = std::max(right_, static_cast<double>(x));
    std::sort(pitches.begin(), pitches.end());
    pitch_ = pitches.empty() ? body_size_ * 1.2 : pitches[pitches.size() / 2];
  }

  void DropRunningLines(const std::vector<double>& heights) {
    auto in_band = [&](const Line& l) {
      double h = heights[static_cast<size_t>(l.page - 1)];
      return l.top < 0.12 * h || l.bottom > 0.88 * h;
    };
    std::map<std::string, std::set<int>> pages_of;
    for (const Line& l : lines_) {
      if (in_band(l)) pages_of[MaskDigits(l.text)].insert(l.page);
    }
    size_t needed = std::max<size_t>(2, static_cast<size_t>(std::ceil(0.4 * pages_)));
    for (Line& l : lines_) {
      if (!in_band(l)) continue;
      if (pages_of[MaskDigits(l.text)].size() >= needed || IsPageNumberLine(l.text)) {
        l.dropped = true;
      }
    }
  }

  // The run of small-font lines at the bottom of each page that starts with a note number.
  void ExtractFootnotes(const std::vector<double>& heights) {
    size_t i = 0;
    while (i < lines_.size()) {
      int page = lines_[i].page;
      size_t end = i;
      while (end < lines_.size() && lines_[end].page == page) ++end;
      std::vector<size_t> live;
      for (size_t k = i; k < end; ++k) {
        if (!lines_[k].dropped) live.push_back(k);
      }
      // Walk up from the last line while lines are small.
      size_t first = live.size();
      while (first > 0) {
        const Line& l = lines_[live[first - 1]];
        if (l.size >= 0.9 * body_size_ || l.top < 0.4 * heights[static_cast<size_t>(page - 1)]) {
          break;
        }
        --first;
      }
      // The region must start with a numbered note line.
      while (first < live.size() && !StartsNote(lines_[live[first]])) ++first;
      for (size_t k = first; k < live.size(); ++k) {
        Line& l = lines_[live[k]];
        std::string number, text = l.text;
        if (StartsNote(l)) {
          if (!l.lead_marker.empty()) {
            number = l.lead_marker;
          } else {
            size_t sp = text.find(' ');
            number = text.substr(0, sp);
            while (!number.empty() && (number.back() == '.' || number.back() == ')')) {
              number.pop_back();
            }
            text = sp == std::string::npos ? "" : text.substr(sp + 1);
          }
          notes_.push_back({number, text, page});
        } else if (!notes_.empty()) {
          AppendLine(notes_.back().text, text);
        }
        l.dropped = true;
      }
      i = end;
    }
  }

  static bool StartsNote(const Line& l) {
    if (!l.lead_marker.empty()) return true;
    size_t sp = l.text.find(' ');
    std::string_view first = std::string_view(l.text).substr(0, sp);
    while (!first.empty() && (first.back() == '.' || first.back() == ')')) first.remove_suffix(1);
    return sp != std::string::npos && IsNoteMark(first);
  }

  void CollectWords() {
    bool after_hyphen = false;
    for (const Line& l : lines_) {
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
          if (std::isalpha(u) || u >= 0x80 || c == '-') lower += static_cast<char>(std::tolower(u));
        }
        if (!lower.empty()) words_.insert(lower);
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
    if (l.text.size() > 160) return false;
    if (l.size >= 1.15 * body_size_) {
      *level = 1;
      return true;
    }
    if (l.bold && std::fabs(l.size - body_size_) < 0.6 && HeadingLevelOfLine(l.text) > 0) {
      *level = 2;
      return true;
    }
    return false;
  }

  bool Indented(const Line& l) const { return l.x0 > left_ + 0.8 * body_size_; }

  bool EndsSentence(const std::string& t) const {
    if (t.empty()) return false;
    char c = t.back();
    return c == '.' || c == ':' || c == ';' || c == '!' || c == '?' ||
           (t.size() >= 3 && t.compare(t.size() - 3, 3, "\xE2\x80\x9D") == 0);
  }

  bool ShortLine(const Line& l) const { return l.x1 < left_ + 0.75 * (right_ - left_); }

  void Flush() {
    if (!current_.empty()) {
      out_->AddBlock(current_kind_, current_, current_level_, current_page_);
      current_.clear();
    }
    while (next_note_ < notes_.size() && notes_[next_note_].page <= last_page_) {
      const Note& n = notes_[next_note_++];
      out_->AddBlock(BlockKind::kFootnote, n.text, 0, n.page, n.number);
    }
  }

  void Assemble() {
    const Line* prev = nullptr;
    bool prev_first = false;  // prev was the first line of its paragraph
    for (const Line& l : lines_) {
      if (l.dropped) continue;
      int level = 0;
      bool heading = IsHeadingLine(l, &level);
      bool start = current_.empty();
      if (!start && prev) {
        bool same_page = prev->page == l.page;
        if (heading != (current_kind_ == BlockKind::kHeading)) start = true;
        else if (std::fabs(l.size - prev->size) > 0.6 || (heading && l.bold != prev->bold)) start = true;
        else if (same_page && !heading && l.top - prev->top > 1.2 * pitch_) start = true;
        else if (same_page && heading && l.top - prev->top > 1.6 * l.size) start = true;
        else if (same_page && l.top < prev->top) start = true;  // a new column
        else if (!heading && Indented(l) && !(prev_first && l.x0 > prev->x0)) start = true;
        else if (!heading && StartsWithListMarker(l.text)) start = true;
        else if (!heading && EndsSentence(prev->text) && ShortLine(*prev)) start = true;
      }
      if (start) {
        Flush();
        current_kind_ = heading ? BlockKind::kHeading : BlockKind::kParagraph;
        current_level_ = heading ? level : 0;
        current_page_ = l.page;
        current_ = l.text;
        prev_first = true;
      } else {
        AppendLine(current_, l.text);
        prev_first = false;
      }
      // Notes of the pages before this line's go after the paragraph in progress.
      last_page_ = l.page - 1;
      prev = &l;
    }
    last_page_ = 1 << 30;
    Flush();
  }

  std::vector<Line>& lines_;
  int pages_;
  ExtractedDocument* out_;
  double body_size_ = 10, left_ = 0, right_ = 0, pitch_ = 12;
  std::vector<Note> notes_;
  size_t next_note_ = 0;
  std::set<std::string> words_;
  std::string current_;
  BlockKind current_kind_ = BlockKind::kParagraph;
  int current_level_ = 0;
  int current_page_ = 0;
  int last_page_ = 0;
};

std::string Utf8(const poppler::ustring& s) {
  poppler::byte_array bytes = s.to_utf8();
  std::string out(bytes.begin(), bytes.end());
  while (!out.empty() && out.back() == '\0') out.pop_back();
  if (FindInvalidUtf8(out) != std::string::npos) return {};
  return CollapseWhitespace(out);
}

}  // namespace

Status PdfReader::Read(const std::filesystem::path& path, std::string_view bytes,
                       ExtractedDocument* out) const {
  return ReadWithOptions(path, bytes, ReadOptions(), out);
}

std::string PdfReader::OptionsKey(const ReadOptions& options) const {
  return options.ocr.enabled ? "ocr:" + options.ocr.languages : std::string();
}

Status PdfReader::ReadWithOptions(const std::filesystem::path&, std::string_view bytes,
                                  const ReadOptions& options, ExtractedDocument* out) const {
  if (!StartsWith(bytes, "%PDF-")) {
    size_t head = bytes.substr(0, 1024).find("%PDF-");
    if (head == std::string_view::npos) {
      return Status::Corruption("not a PDF file (no %PDF- header)");
    }
  }
  if (bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0).find("%%EOF") ==
      std::string_view::npos) {
    return Status::Corruption("truncated PDF (no %%EOF marker at the end of the file)");
  }
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::Unsupported("PDF over 2 GiB");
  }
  static std::once_flag silence;
  std::call_once(silence, [] { poppler::set_debug_error_function(Silence, nullptr); });

  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Status::Corruption("damaged PDF: poppler could not load it");
  if (doc->is_locked()) {
    return Status::Unsupported("encrypted PDF (a password is required); decrypt it first, e.g. "
                               "with qpdf --decrypt");
  }
  int pages = doc->pages();
  if (pages <= 0) return Status::Corruption("damaged PDF: no pages");
  if (pages > limits_.max_pages) {
    return Status::Unsupported("PDF has " + std::to_string(pages) + " pages, over the limit of " +
                               std::to_string(limits_.max_pages));
  }

  std::vector<Line> lines;
  std::vector<double> heights;
  std::set<int> ocr_pages;  // 1-based pages whose words came from OCR
  size_t text_bytes = 0;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) return Status::Corruption("damaged PDF: page " + std::to_string(i + 1));
    heights.push_back(page->page_rect().height());
    std::vector<Word> words;
    for (const poppler::text_box& box : page->text_list(poppler::page::text_list_include_font)) {
      if (box.rotation() != 0 || box.get_wmode() == poppler::text_box::vertical_wmode) continue;
      std::string text = FixLigatures(Utf8(box.text()));
      if (text.empty()) continue;
      text_bytes += text.size() + 1;
      if (text_bytes > limits_.max_text_bytes) {
        return Status::Unsupported("PDF text is over the limit of " +
                                   std::to_string(limits_.max_text_bytes >> 20) + " MiB");
      }
      poppler::rectf r = box.bbox();
      std::string font = box.has_font_info() ? box.get_font_name() : std::string();
      bool bold = font.find("Bold") != std::string::npos || font.find("bold") != std::string::npos ||
                  font.find("Black") != std::string::npos || font.find("Heavy") != std::string::npos;
      double size = box.has_font_info() ? box.get_font_size() : r.height();
      words.push_back({NormalizeNfc(text), r.x(), r.y(), r.x() + r.width(), r.y() + r.height(),
                       size, bold, box.has_space_after()});
    }
    if (words.empty() && options.ocr.enabled) {
      // A page with no text layer: its words from Tesseract, placed the same way.
      Result<std::vector<OcrWord>> read = OcrPage(*page, options.ocr);
      if (!read.ok()) return read.status().WithContext("page " + std::to_string(i + 1));
      for (OcrWord& w : *read) {
        text_bytes += w.text.size() + 1;
        words.push_back({std::move(w.text), w.x0, w.top, w.x1, w.bottom, w.size, false,
                         w.space_after});
      }
      if (text_bytes > limits_.max_text_bytes) {
        return Status::Unsupported("PDF text is over the limit of " +
                                   std::to_string(limits_.max_text_bytes >> 20) + " MiB");
      }
      if (!words.empty()) ocr_pages.insert(i + 1);
    }
    std::vector<Line> page_lines = BuildLines(words, i + 1);
    for (Line& l : page_lines) lines.push_back(std::move(l));
  }
  if (lines.empty() && options.ocr.enabled) {
    return Status::Corruption("no text found, not even by OCR (Tesseract, languages " +
                              options.ocr.languages + ")");
  }
  if (lines.empty()) {
    return Status::Corruption("no text layer (a scanned PDF): re-run with `pillar index --ocr` "
                              "to read it with Tesseract");
  }

  out->meta.title = Utf8(doc->get_title());
  out->meta.author = Utf8(doc->get_author());
  time_t created = doc->get_creation_date_t();
  if (created > 0) {
    std::tm tm{};
    gmtime_r(&created, &tm);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    out->meta.date = date;
  }
  Assembler(lines, pages, out).Run(heights);
  for (Block& b : out->blocks) b.ocr = ocr_pages.count(b.page) > 0;
  return Status::Ok();
}

}  // namespace pillar
