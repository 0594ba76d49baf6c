#pragma once

#include <string>
#include <vector>

#include "query/search/searcher.h"

namespace pillar::cli {

// "S/RES/2719 (2023) · United Nations Security Council · 2023-12-21"
std::string DocumentLine(const DocumentRecord& document);

// `text` with each span wrapped in ANSI bold when `terminal`, left plain otherwise.
std::string MarkSpans(const std::string& text, const std::vector<Span>& spans, bool terminal);

// "un-tier-2 (rule 3.5), au-physical (manual)".
std::string TagsLine(const std::vector<Tag>& tags);

}  // namespace pillar::cli
