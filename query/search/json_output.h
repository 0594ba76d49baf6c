#pragma once

#include <string>

#include "query/search/searcher.h"

namespace pillar {

// The DESIGN.md passage object: passage_id, doc_id, title, locator, page, section,
// pillars [{id, source, score, evidence}], text, plus the document's symbol, issuer, date,
// language, type and url, and the byte range in the document text. Missing values are null.
std::string PassageObjectJson(const Passage& passage, const DocumentRecord& document);

// `search --json`: {query, total, offset, did_you_mean, any_word_total, offset_past_end,
// any_word_hits (the hits are the any-word fallback), hits: [passage object + rank, score,
// snippet, snippet_highlights, highlights, and the same two as code points:
// snippet_highlights_cp, highlights_cp; with --explain explain: [{part, detail, weight}]
// adding up to score], facets: {pillar, doc, org, year, lang, type}}. Highlights are
// [begin, end) UTF-8 byte offsets into `text` (highlights) or `snippet` (snippet_highlights);
// the _cp ones count code points instead, as jq, Python and R slice.
std::string SearchResultJson(const SearchResult& result, size_t offset);

}  // namespace pillar
