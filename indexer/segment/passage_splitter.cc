#include "indexer/segment/passage_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>

#include "indexer/base/text.h"
#include "indexer/segment/locator.h"
#include "indexer/segment/passage_id.h"

namespace pillar {

namespace {

// True when the word that ends just before `pos` is an abbreviation after which ICU may
// break wrongly in policy texts: initials ("U.N.", "U.S."), and the reference words of UN
// documents ("para.", "Res.", "No.", "Add."...).
bool EndsWithAbbreviation(std::string_view text, size_t pos) {
  // Only the last few bytes can hold an abbreviation: looking no further back keeps a text
  // of many breaks and no spaces linear.
  constexpr size_t kLookBack = 32;
  size_t end = pos;
  while (end > 0 && pos - end < kLookBack && text[end - 1] == ' ') --end;
  if (end == 0 || text[end - 1] != '.') return false;
  const size_t floor = end > kLookBack ? end - kLookBack : 0;
  size_t start = end - 1;
  while (start > floor && text[start - 1] != ' ') --start;
  if (start == floor && floor > 0 && text[start - 1] != ' ') return false;
  std::string_view word = text.substr(start, end - start);
  while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.remove_prefix(1);
  if (word.size() < 2 || word.back() != '.') return false;
  // Initials: letter-dot pairs.
  bool initials = word.size() % 2 == 0;
  for (size_t i = 0; initials && i < word.size(); i += 2) {
    initials = std::isalpha(static_cast<unsigned char>(word[i])) && word[i + 1] == '.';
  }
  if (initials) return true;
  static const std::string_view kAbbreviations[] = {
      "para.", "paras.", "Para.", "p.", "pp.", "No.", "Nos.", "no.", "Res.", "Art.", "art.",
      "Add.", "Corr.", "Rev.", "Doc.", "Vol.", "vol.", "Suppl.", "e.g.", "i.e.", "cf.", "Cf.",
      "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gen.", "Lt.", "Col.", "Amb.", "approx.", "Ref.",
      "al.", "ibid.", "Ibid.", "op.", "cit.", "Inc.", "Ltd.", "ch.", "Ch.", "sect.", "fig."};
  for (std::string_view a : kAbbreviations) {
    if (word == a) return true;
  }
  return false;
}

// Where to end a piece of text[begin, end) that must be at most `limit` bytes: after the
// last white space in the second half of the window, else at the last UTF-8 code point
// boundary (never inside a character). REQUIRES: end - begin > limit >= 16.
size_t HardCutAt(std::string_view text, size_t begin, size_t limit) {
  const size_t window_end = begin + limit;
  for (size_t k = window_end; k > begin + limit / 2; --k) {
    if (text[k - 1] == ' ') return k;
  }
  size_t k = window_end;
  while (k > begin + 1 && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
  return k;
}

}  // namespace

std::vector<size_t> SentenceStarts(std::string_view text, std::string_view language) {
  // Break iterators are expensive to create and not thread-safe: one per thread and language.
  thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>> cache;
  std::string key(language.empty() ? "en" : language);
  auto& it = cache[key];
  UErrorCode status = U_ZERO_ERROR;
  if (!it) {
    icu::Locale locale((key + "@ss=standard").c_str());
    it.reset(icu::BreakIterator::createSentenceInstance(locale, status));
    if (U_FAILURE(status)) {
      status = U_ZERO_ERROR;
      it.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    }
  }
  std::vector<size_t> starts{0};
  if (!it || U_FAILURE(status)) return starts;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return starts;
  it->setText(ut, status);
  if (U_SUCCESS(status)) {
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
      if (static_cast<size_t>(b) >= text.size()) continue;
      if (EndsWithAbbreviation(text, static_cast<size_t>(b))) continue;
      starts.push_back(static_cast<size_t>(b));
    }
  }
  // Detach the iterator from the UText before closing it.
  icu::UnicodeString empty;
  it->setText(empty);
  utext_close(ut);
  return starts;
}

namespace {

// Tracks the numbering context: the current paragraph number and letter sub-paragraph.
struct Numbering {
  std::string number;   // "5", "12.3", "Article 5"
  char letter = 0;      // last letter sub-paragraph under `number`
  std::string roman;    // last roman sub-point

  void Reset() { *this = Numbering(); }

  // Returns the full locator of a paragraph with marker `loc`.
  std::string Apply(const DetectedLocator& loc) {
    switch (loc.kind) {
      case LocatorKind::kNone:
        return {};
      case LocatorKind::kNumber:
      case LocatorKind::kDecimal:
      case LocatorKind::kArticle:
        number = loc.label;
        letter = 0;
        roman.clear();
        return number;
      case LocatorKind::kLetter:
        letter = loc.label[0];
        roman.clear();
        return number + "(" + loc.label + ")";
      case LocatorKind::kRoman:
        roman = loc.label;
        return number + (letter ? std::string("(") + letter + ")" : std::string()) + "(" +
               loc.label + ")";
    }
    return {};
  }
};

// "The Security Council," / "Le Conseil de sécurité," : the enacting formula of a resolution.
bool IsEnactingFormula(std::string_view text) {
  if (text.size() > 60 || text.empty() || text.back() != ',') return false;
  return StartsWith(text, "The ") || StartsWith(text, "Le ") || StartsWith(text, "La ") ||
         StartsWith(text, "L’") || StartsWith(text, "L'") || StartsWith(text, "El ") ||
         StartsWith(text, "O ");
}

// Endnotes ("en3") and comments ("comment2") flag their kind in the locator a reader gives
// them; they keep it as it is instead of becoming footnote "fn" locators.
bool IsFlaggedNoteLocator(std::string_view locator) {
  for (std::string_view prefix : {"en", "comment"}) {
    if (locator.size() > prefix.size() && StartsWith(locator, prefix) &&
        locator[prefix.size()] >= '0' && locator[prefix.size()] <= '9') {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Passage> SplitPassages(const ExtractedDocument& doc, const SplitOptions& options) {
  std::vector<Passage> out;
  SplitPassagesTo(doc, options, [&](Passage&& p) { out.push_back(std::move(p)); });
  return out;
}

void SplitPassagesTo(const ExtractedDocument& doc, const SplitOptions& options,
                     const std::function<void(Passage&&)>& sink) {
  size_t emitted = 0;  // passages handed to `sink` so far
  const bool resolution = doc.meta.type == "resolution";
  std::vector<std::pair<int, std::string>> headings;  // (level, text)
  Numbering numbering;
  bool seen_numbered = false;
  int preambular = 0;
  int footnotes = 0;
  // In a resolution, unnumbered paragraphs between the enacting formula (or the start, when
  // there is none) and the first operative paragraph are preambular: PP1, PP2...
  size_t formula = doc.blocks.size();
  if (resolution) {
    for (size_t k = 0; k < doc.blocks.size(); ++k) {
      const Block& b = doc.blocks[k];
      if (b.kind != BlockKind::kParagraph) continue;
      if (!DetectLocator(doc.BlockText(b)).label.empty()) break;
      if (IsEnactingFormula(doc.BlockText(b))) {
        formula = k;
        break;
      }
    }
  }
  bool in_preamble = resolution && formula == doc.blocks.size();
  std::map<std::string, int> fragment_uses;

  auto add = [&](const Block& block, size_t begin, size_t end, const std::string& locator,
                 const std::string& fragment, bool footnote) {
    Passage p;
    p.doc_id = doc.meta.id;
    p.ordinal = static_cast<int>(emitted);
    for (const auto& h : headings) p.section.push_back(h.second);
    p.locator = locator;
    p.page = block.page;
    p.begin = begin;
    p.end = end;
    p.text = doc.text.substr(begin, end - begin);
    p.footnote = footnote;
    p.ocr = block.ocr;
    p.speaker = block.speaker;
    p.list_item = block.list_item;
    p.language = doc.meta.language;
    // add_parts names every passage; the fallback only keeps an id from ever being empty.
    std::string frag = fragment.empty() ? ContentFragment(p.text) : fragment;
    int uses = ++fragment_uses[frag];
    if (uses > 1) frag += "~" + std::to_string(uses);
    p.id = doc.meta.id + "#" + frag;
    ++emitted;
    sink(std::move(p));
  };

  // Adds the parts of `block` (byte ranges into its text, in order) as passages: the first
  // keeps `fragment`, the next ones get "+2", "+3"... Parts longer than the hard limit are
  // cut first, so that no passage exceeds it.
  auto add_parts = [&](const Block& block, const std::vector<std::pair<size_t, size_t>>& parts,
                       const std::string& locator, const std::string& fragment, bool footnote) {
    const std::string_view text = doc.BlockText(block);
    const size_t limit = std::max<size_t>(options.hard_limit_bytes, 16);
    // A passage with no locator is named by its paragraph's text (all parts share the hash
    // of the whole paragraph), not its position: inserting a paragraph above leaves it alone.
    const std::string base = fragment.empty() ? ContentFragment(text) : fragment;
    int part = 1;
    if (parts.size() == 1 && parts[0].second - parts[0].first <= limit) {
      add(block, block.begin + parts[0].first, block.begin + parts[0].second, locator, base,
          footnote);
      return;
    }
    auto emit = [&](size_t b, size_t e) {
      while (e > b && text[e - 1] == ' ') --e;
      while (b < e && text[b] == ' ') ++b;
      if (b == e) return;
      add(block, block.begin + b, block.begin + e, locator,
          part == 1 ? base : base + "+" + std::to_string(part), footnote);
      ++part;
    };
    for (auto [b, e] : parts) {
      while (e - b > limit) {
        size_t cut = HardCutAt(text, b, limit);
        emit(b, cut);
        b = cut;
      }
      emit(b, e);
    }
  };

  for (size_t index = 0; index < doc.blocks.size(); ++index) {
    const Block& block = doc.blocks[index];
    std::string_view text = doc.BlockText(block);
    if (block.kind == BlockKind::kHeading) {
      while (!headings.empty() && headings.back().first >= block.level) headings.pop_back();
      headings.emplace_back(block.level, std::string(text));
      numbering.Reset();
      continue;
    }
    if (block.kind == BlockKind::kFootnote) {
      ++footnotes;
      std::string locator = block.locator.empty() ? std::to_string(footnotes) : block.locator;
      std::vector<std::pair<size_t, size_t>> whole{{0, text.size()}};
      if (IsFlaggedNoteLocator(locator)) {
        add_parts(block, whole, locator, locator, true);
      } else {
        add_parts(block, whole, "fn" + locator, "fn-" + locator, true);
      }
      continue;
    }

    std::string locator;
    if (!block.locator.empty()) {
      locator = block.locator;
    } else {
      locator = numbering.Apply(DetectLocator(text, numbering.letter));
    }
    if (!locator.empty()) seen_numbered = true;
    // A preambular paragraph ends with a comma; one that ends a sentence is operative (a
    // resolution with a single operative paragraph leaves it unnumbered).
    if (locator.empty() && in_preamble && !seen_numbered && !text.empty() &&
        (text.back() == '.' || text.back() == ';')) {
      in_preamble = false;
    }
    if (locator.empty() && in_preamble && !seen_numbered) {
      locator = "PP" + std::to_string(++preambular);
    }
    if (index == formula) in_preamble = true;
    std::string fragment = FragmentForLocator(locator, resolution);

    if (text.size() <= options.max_passage_bytes) {
      add_parts(block, {{0, text.size()}}, locator, fragment, false);
      continue;
    }
    // Over-long paragraph: group sentences into parts of about target_part_bytes.
    std::vector<size_t> starts = SentenceStarts(text, doc.meta.language);
    starts.push_back(text.size());
    std::vector<std::pair<size_t, size_t>> parts;
    size_t part_begin = 0;
    for (size_t k = 1; k < starts.size(); ++k) {
      bool last = k + 1 == starts.size();
      if (starts[k] - part_begin >= options.target_part_bytes || last) {
        if (last && !parts.empty() && starts[k] - part_begin < options.target_part_bytes / 4) {
          // A short tail joins the previous part rather than standing alone.
          parts.back().second = starts[k];
          break;
        }
        parts.emplace_back(part_begin, starts[k]);
        part_begin = starts[k];
      }
    }
    add_parts(block, parts, locator, fragment, false);
  }
}

}  // namespace pillar
