#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/annotate/annotation_store.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"

namespace pillar {

// A document record as `docs --json`, `show DOC_ID --json` and the server print it.
nlohmann::json DocumentObject(const DocumentRecord& d);

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

// `show PASSAGE_ID --json`: the passage object of `passage` with context: {before, after},
// the passage objects of up to `context` passages on each side of it in `all` (its
// document's passages in order).
nlohmann::json PassageWithContextObject(const Passage& passage, const DocumentRecord& document,
                                        const std::vector<Passage>& all, int context);

// `show DOC_ID --json`: {document, passages}.
nlohmann::json DocumentWithPassagesObject(const DocumentRecord& document,
                                          const std::vector<Passage>& passages);

// `taxonomy --json`: one object per concept {id, iri, scheme, label (in `lang`),
// exact_matches, close_matches, rules, rules_version, threshold}.
nlohmann::json ConceptsObject(const Taxonomy& taxonomy, const std::string& lang);

// `annotations --json`: one manual decision {id, action, concepts, passage_id, doc_id, exact,
// prefix, suffix, start, end, by, when, note, orphan, unreadable}.
nlohmann::json AnnotationObject(const Annotation& annotation);

}  // namespace pillar
