#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"
#include "query/cite/citation.h"

namespace pillar {

// Citations in any CSL style (Chicago, APA, OSCOLA... the 10,000 of the Zotero style
// repository), rendered by pandoc's citeproc from Pillar's CSL-JSON, with each passage's
// pinpoint as the CSL locator. docs/citations.md, "Any CSL style".

// Where Debian's citation-style-language-styles package puts the styles.
inline constexpr std::string_view kCslStylesDir = "/usr/share/citation-style-language/styles";

// The style file for `style`: a path to a .csl file as given, else a style name looked up in
// kCslStylesDir ("apa", "oscola", "chicago-note-bibliography.csl"). NotFound naming both
// places when neither exists (and the package to install for the second).
Result<std::filesystem::path> FindCslStyle(std::string_view style);

struct StyledCitations {
  // One per cited item, in order: the in-text citation, or for a note style the note's text.
  // Later citations of one document take the short form the style gives them.
  std::vector<std::string> citations;
  std::vector<std::string> bibliography;  // the style's bibliography entries (may be empty)
};

// Renders `items` with the CSL style file `style` through `pandoc --citeproc` (plain text, no
// wrapping); a dependent style (a journal's alias of another) is rendered with its parent
// from the same installation, not fetched from zotero.org. Each passage's pinpoint becomes the CSL
// locator pandoc reads: paragraphs "para.", pages "p.", footnotes "n.", with a page beside a
// paragraph and the speaker in the suffix (as in csl-citation); an article number ("Article 5")
// goes in the suffix, since pandoc's locale has no term for it. With `bibliography_only` no
// citation is rendered. Unsupported when pandoc is not on PATH; Internal with pandoc's message when
// it fails (an invalid style, say); IOError when the temporary files cannot be written.
Result<StyledCitations> RenderCslStyle(const std::vector<CiteItem>& items,
                                       const std::filesystem::path& style,
                                       bool bibliography_only = false);

// "citation\n..." then, when there is a bibliography, a blank line and its entries.
std::string StyledCitationsText(const StyledCitations& styled);

}  // namespace pillar
