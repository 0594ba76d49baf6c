#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/ingest/extracted_document.h"

namespace pillar::layout {

// Page geometry -> blocks in reading order. The PDF reader (and OCR) hand over positioned
// words; everything a careful reader does with them happens here:
//
//  - lines: words that overlap vertically and follow each other within 2.5 em (3.5 em after a
//    paragraph number) on the same page, in whatever order the content stream drew them (a
//    footer drawn between a paragraph number and its text does not split the line); a word
//    at a left edge where six or more words of the page start, after a gap of an em, starts
//    a new line, so side-by-side columns never merge;
//  - columns: per page, vertical strips of white space that no line crosses split the page
//    into up to three columns; lines that span the gutter (titles, full-width tables) stay
//    between them. Reading order is band by band (a spanning line ends a band), column by
//    column, top to bottom;
//  - margins: per page and column, the left edge most lines start at; a first-line indent, an
//    outdent (hanging numbers) and the right edge are measured against that column, never
//    against one margin for the whole document;
//  - page furniture: running headers and footers (repeated in the top or bottom band of at
//    least two pages and 40% of them, digits masked), page numbers ("12", "2/7", "Page 3 of
//    9"), and lines the caller marks as dropped (a UN masthead, job number, barcode);
//  - footnotes: after a short rule ("______") in the lower part of a page, or per column the
//    run of small-font lines at its foot that starts with a note number (or goes on with a
//    note of the page); each note becomes a footnote block after the paragraph in progress;
//  - paragraphs: a new one starts after a vertical gap over 1.2 line pitches, at a first-line
//    indent or outdent, at a paragraph marker ("(a)", "(iv)", "12.", "12.3", bullets; never a
//    year such as "(2025)" or "1990." wrapped to the start of a line), at a change of font
//    size (large, or with a gap), or after a short line ending a sentence. A paragraph
//    continues over a page or column break when the next line sits at the margin, or the
//    previous line stopped without punctuation;
//  - headings: lines 15% larger than the body (level 1) or bold lines shaped like headings
//    (level 2; level 1 for "I. ..." and "PART ..."), consecutive heading lines are one; a
//    paragraph of one short italic line of body size that neither ends a sentence nor holds
//    a colon ("United Nations Integrated Office in Haiti", the UN's third-level style) is a
//    heading of level 3;
//  - tables and charts: rows of cells side by side on one baseline (short or small), lines
//    with no letter (tick labels "160", "45%") and the short small-print lines next to them
//    (legends, axis titles) are grid lines. Each row becomes one line; consecutive grid lines
//    become one block of their own (a table is one passage, cut at sentence ends only when
//    over-long), emitted after the paragraph they interrupt, which runs on around them. A
//    grid block with no letter at all (a chart's ticks) is no passage;
//  - hyphenation: see JoinHyphenatedWord.

// One word as the page draws it; coordinates in points from the top-left corner.
struct Word {
  std::string text;
  double x0 = 0, top = 0, x1 = 0, bottom = 0;
  double size = 0;  // font size
  bool bold = false;
  bool space_after = false;
  bool italic = false;
};

// One line of a page.
struct Line {
  std::string text;
  double x0 = 0, top = 0, x1 = 0, bottom = 0;
  double base = 0;          // bottom of the words in the dominant size: steadier than `top`
                            // when a bullet or symbol glyph has a taller box
  double size = 0;          // dominant font size (by characters)
  bool bold = false;        // every word bold
  bool italic = false;      // every word italic (or oblique)
  int page = 0;             // 1-based
  int column = -1;          // column on its page (0-based); -1 for a line spanning columns
  std::string lead_marker;  // a raised small number at the start (a footnote's own number)
  bool dropped = false;     // furniture, masthead or footnote: not body text
  bool grid = false;        // a row of a table or chart (cells side by side, tick labels)
};

// One page: its size and its lines.
struct Page {
  double width = 0;
  double height = 0;
  std::vector<Line> lines;
};

// Groups a page's words into lines (see above) and drops note calls (small raised digits).
// `rtl_fix` (may be null) turns a line of visual-order text into logical order.
std::vector<Line> BuildLines(std::vector<Word>& words, int page,
                             std::string (*rtl_fix)(std::string_view) = nullptr);

// The font size most characters of the not-dropped lines are set in (10 when none).
double BodySize(const std::vector<Page>& pages);

// Lays out `pages` (lines from BuildLines; lines already marked dropped are left out) and
// appends heading, paragraph and footnote blocks to `out` in reading order.
void AssembleBlocks(std::vector<Page>& pages, ExtractedDocument* out);

// True when `line` starts with a paragraph or list marker a PDF line may begin with: "(a) ",
// "(iv) ", "(12) ", "a) ", "12. ", "12.3 ", "iv. " (then not lower case), a bullet. Years
// ("(2025)", "1990.") and numbers over 999 are not markers.
bool StartsWithParagraphMarker(std::string_view line);

// True for a bullet glyph: "•", "▪", "◦", "‣", "·", "●", "○", "■", "➢", "❖", "–", "-", "*",
// and the private-use characters symbol fonts map their bullets to (U+F020..U+F0FF).
bool IsBulletGlyph(std::string_view glyph);

// The hyphenation decision: true when "prefix-" at a line end followed by "suffix" on the next
// line should be joined as one word without the hyphen. `known_word` answers whether a
// lowercase word occurs elsewhere in the document. Joined when the joined word is known, kept
// when the hyphenated compound is known, joined when the suffix is a common word ending
// (tion, ment, ity...), else joined when neither part is a word of the document.
template <typename KnownWord>
bool JoinHyphenatedWord(std::string_view prefix, std::string_view suffix, KnownWord known_word);

bool IsCommonWordEnding(std::string_view suffix);

template <typename KnownWord>
bool JoinHyphenatedWord(std::string_view prefix, std::string_view suffix, KnownWord known_word) {
  auto lower = [](std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  };
  std::string joined = lower(std::string(prefix) + std::string(suffix));
  if (known_word(joined)) return true;
  std::string compound = lower(std::string(prefix) + "-" + std::string(suffix));
  if (known_word(compound)) return false;
  if (IsCommonWordEnding(suffix)) return true;
  // Two fragments that are not words of the document ("popu" + "lation") are one word; a
  // real compound's parts are usually words themselves ("community" + "based").
  return !known_word(lower(std::string(prefix))) && !known_word(lower(std::string(suffix)));
}

}  // namespace pillar::layout
