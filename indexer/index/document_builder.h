#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "indexer/ingest/extracted_document.h"
#include "indexer/segment/analyzer.h"
#include "indexer/segment/passage.h"

namespace pillar {

// Maps one passage to its Xapian document following schema.h: body words with positions from
// `tokens` (REQUIRES: analyzer.Tokenize(passage.text)), title and section stems,
// boolean filter terms, value slots and the passage record (passage_codec.h) as data.
Xapian::Document BuildPassageDocument(const Passage& passage, const DocumentMetadata& meta,
                                      const std::vector<Token>& tokens, Analyzer& analyzer);

// Whether `heading` is a heading for ranking: not a figure, table or chart caption or a source
// note ("Figure 3", "Table 2: ...", "Source: ..."), and holding a word other than a month name
// (not a date, job number, barcode or symbol). Captions and the like are still indexed for
// section: under their own prefix, but the ranking's heading clause never sees them.
bool IsRankingHeading(std::string_view heading, const Analyzer& analyzer);

// A body passage of fewer than kFragmentWords words ("(a) Children and armed conflict", a
// chart legend), or of fewer than kCaptionMaxWords that is a caption, source note or date
// (IsRankingHeading's test on the text), or a line of a table of contents (IsContentsLine)
// or a chart's or table's figures or legend (IsChartText) or a list of abbreviations
// (IsAbbreviationList, acronyms.h), of any length: it ranks at the footnotes' factor
// (XKfragment). On the real-text judged set 7 of the 8 dev top-10 passages under 15 words
// were not relevant, and all judged contents lines, chart texts, legends and abbreviation
// lists were graded 0 (docs/query.md, Ranking).
inline constexpr size_t kFragmentWords = 8;
inline constexpr size_t kCaptionMaxWords = 30;
bool IsFragment(std::string_view text, size_t words, const Analyzer& analyzer);

// Whether `text` holds a leader of kLeaderDots dots or more, spaced or not ("Introduction
// . . . . . 3", "Wiring change ........ $3,790"): a line of a table of contents or a table.
inline constexpr size_t kLeaderDots = 5;
bool IsContentsLine(std::string_view text);

// Whether `text` holds kChartNumbers bare numbers in a row ("400 300 200 100 0 Jan Feb"):
// a chart's axis or a table's row of figures in a PDF's text layer; or is a chart's legend,
// labels and percentages with no punctuation of prose between them ("Killing 10% Abduction
// 18% Maiming 12%": kLegendPercentages or more, one in kLegendWordsPerPercentage words or
// denser, no comma, semicolon or sentence break).
inline constexpr size_t kChartNumbers = 5;
inline constexpr size_t kLegendPercentages = 3;
inline constexpr size_t kLegendWordsPerPercentage = 12;
bool IsChartText(std::string_view text);

// Whether `text` starts as a list item does in a PDF's text layer: a bullet ("•", "▪", "◦",
// "·", or "-", "–", "*" and a space) or a letter, Roman numeral or number of one or two
// digits in brackets ("(a)", "(iv)", "(12)"; not "(2016)"). Readers of formats with list
// markup drop the marker and mark the block instead (Block::list_item); the lead-in rule
// takes either.
bool IsListItem(std::string_view text);

// Whether `text` introduces a list: it ends with a colon ("Some were hit multiple times
// whilst occupied by patients, as follows:"). The items after it in its section carry its
// words as their nearest heading (XS): a bullet saying "the Saudi hospital was hit by RSF
// shelling" under "Hospitals and healthcare centres were continuously hit" is about attacks
// on hospitals.
bool IsLeadIn(std::string_view text);

// The first kLeadInWords words of a lead-in, what its list items carry: every item gets
// them, so a long lead-in before a long list would multiply the index's heading terms (a
// whole lead-in made the bench corpus's passages 36% longer and its queries' p99 22%
// slower; its first 25 words ranked as well on the real dev queries: docs/query.md).
inline constexpr size_t kLeadInWords = 25;
std::string LeadInWords(std::string_view text);

// Rewrites the pillar terms and data of an indexed passage document after
// its tags changed (manual tagging), leaving every other term alone.
void UpdatePassageTags(Xapian::Document& doc, const Passage& passage);

// "S/RES/2719 (2023)" -> "s/res/2719(2023)": lowercase, no white space, dashes unified.
std::string NormalizeSymbol(std::string_view symbol);

// The value of slot kPillars for a passage with `tags`: its concept ids, sorted and unique,
// joined by one space ("" for none).
std::string PillarSetValue(const std::vector<Tag>& tags);

// The symbol filter terms of a document: the normalised symbol, each part of a double
// symbol, and each without its "(year)": "S/RES/2719 (2023)" -> {"s/res/2719(2023)",
// "s/res/2719"}.
std::vector<std::string> SymbolKeys(std::string_view symbol);

// The issuing-body filter value: Slugify(issuer).
std::string OrgKey(std::string_view issuer);

}  // namespace pillar
