#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "query/search/json_output.h"  // DocumentObject
#include "query/search/searcher.h"

namespace pillar::cli {

// "S/RES/2719 (2023) · United Nations Security Council · 2023-12-21"
std::string DocumentLine(const DocumentRecord& document);

// `s` made safe to print on a terminal: control characters (C0 but tab, DEL, and C1 such as
// CSI U+009B) are shown in caret or <U+XXXX> notation instead of being obeyed, so a document
// cannot clear the screen, set the window title or hide a link; bytes that are not UTF-8 are
// shown as \xNN. Everything else is left as it is.
std::string TerminalSafe(std::string_view s);

// `text` made TerminalSafe, with each span wrapped in ANSI bold when `terminal`.
std::string MarkSpans(const std::string& text, const std::vector<Span>& spans, bool terminal);

// "un-tier-2 (rule 3.5), au-physical (manual)".
std::string TagsLine(const std::vector<Tag>& tags);

}  // namespace pillar::cli
