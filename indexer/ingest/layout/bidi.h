#pragma once

#include <string>
#include <string_view>

namespace pillar {

// Turns one line of PDF text from visual order into logical order. poppler hands out the
// glyphs of a line left to right as they stand on the page, so right-to-left script comes out
// reversed: the line printed as "[الأصل بالعربية]" is extracted as "]ةيبرعلاب لصلأا[", and no
// Arabic query finds it. This undoes that with ICU's inverse bidi algorithm
// (UBIDI_REORDER_INVERSE_LIKE_DIRECT): right-to-left runs are reversed back, while digits and
// Latin words inside them keep their order ("2025" stays "2025").
//
// The line's base direction is that of the letters at both its ends when they agree (an
// English line quoting Arabic starts and ends with Latin letters), else right-to-left when it
// has at least as many right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko) as
// left-to-right ones. ICU's own guess, the first strong letter, does not do for a visual line:
// there it is the logical last letter of a right-to-left line.
//
// Brackets: poppler gives each glyph its own code point, unmirrored ("[" printed on the left
// of an Arabic phrase is the phrase's closing bracket "]", and comes out as "]"), so reversing
// the run puts each bracket back where it belongs and no mirroring is applied.
//
// Call it once per line, on the whole line, not per word: the direction of a run and the
// order of the words in it are only known from the line. A line without any right-to-left
// character (the common case) is returned unchanged, byte for byte, after a scan of its bytes
// that does not leave UTF-8. Invalid UTF-8 in a line with right-to-left text is returned
// unchanged too.
std::string VisualToLogical(std::string_view line);

// True when `text` holds a character of the Hebrew, Arabic, Syriac, Thaana or N'Ko blocks
// (U+0590..U+07FF), Arabic Extended-A/B (U+0870..U+08FF) or the Hebrew and Arabic
// presentation forms (U+FB1D..U+FDFF, U+FE70..U+FEFF): the byte scan behind
// VisualToLogical's fast path.
bool HasRightToLeftText(std::string_view text);

}  // namespace pillar
