#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "indexer/segment/analyzer.h"

namespace pillar {

// What QueryParser builds, adapted to how the index is written (docs/schema.md).
//
// The operators rebuilt are the ones a QueryParser puts above terms and phrases (AND, OR,
// AND_NOT, XOR, AND_MAYBE, FILTER, SYNONYM, MAX); subqueries with nothing to adapt are
// kept as they are. Apply these to what parse_query returns, before any OP_SCALE_WEIGHT
// (whose factor Xapian 1.4 cannot read back).

// The index holds no stem terms for passage text: it records, in Xapian's synonym table, the
// words each stem comes from (`Zpatrol` -> `patrols`, `patrolling`, ...). So each stem term
// of a query is looked up as the words of that stem: `Zpatrol` becomes
// OP_SYNONYM(`patrol`, `patrols`, `patrolling`, ...), which matches the passages with any of
// them and sums their wdf, as a stem term would.
Xapian::Query ExpandStems(const Xapian::Query& query, const Xapian::Database& db);

// The words filed under synonym key `key` ("Z" + stem), in order: a database's synonym table,
// or another source of the same entries (remote shards: query/shards/remote_vocabulary.h).
using SynonymLookup = std::function<std::vector<std::string>(const std::string& key)>;
SynonymLookup SynonymsOf(const Xapian::Database& db);
// ExpandStems, AdaptParsedQuery and ProximityBonus with their synonyms from `synonyms`.
Xapian::Query ExpandStems(const Xapian::Query& query, const SynonymLookup& synonyms);

// Title (`S`), heading (`XS`) and speaker (`XW`) words are indexed without positions, so a
// phrase or NEAR of only such terms (`section:"early warning"`, `speaker:"Pere Pérez"`, or a
// quoted query in the heading boost) becomes the AND of its words: the field holds all of them.
Xapian::Query PhrasesToAnd(const Xapian::Query& query);

// Title, heading and speaker words are indexed as their stems alone (Analyzer::StemOrWord),
// so the parser's `ZXSwarn` becomes `XSwarn`, and an unstemmed `XSwarnings` (a capitalised or
// quoted word) becomes `XSwarn` too. `analyzer` must be the one of the parser's language.
// Wildcards (`section:warn*`) are kept: they expand over the indexed stems.
Xapian::Query StemFieldTerms(const Xapian::Query& query, Analyzer& analyzer);

// All three: phrases of field words to AND, field words to stems, body stems to their words
// in `db`. What the searcher applies to every query it parses with the language of `analyzer`.
Xapian::Query AdaptParsedQuery(const Xapian::Query& query, Analyzer& analyzer,
                               const Xapian::Database& db);
Xapian::Query AdaptParsedQuery(const Xapian::Query& query, Analyzer& analyzer,
                               const SynonymLookup& synonyms);

// A passage saying "the Force Commander’s directive" holds the word `commander's` (the
// analyzer keeps an inner apostrophe, typographic ones as '), so the phrase "Force
// Commander" would miss it. Each word of a phrase or NEAR becomes OR(word, word's) where
// `db` holds the possessive.
Xapian::Query ExpandPossessives(const Xapian::Query& query, const Xapian::Database& db);

// The proximity bonus of a query (issue 22): for each two neighbouring words of the query's
// plain runs of words (outside quotes, fields, groups, wildcards, exclusions and operators),
// the phrase of their two stems' words within a window of the gap between them in the query
// (the `stopwords` skipped, of `analyzer`'s language) plus `slack` words, in order. So `use of
// force` rewards passages saying "use of force" or "using force" over ones where "use" and
// "force" are far apart, and `protection civilians` (slack 1) rewards "protection of
// civilians". Each word is the OR of its stem's words in `db` (as ExpandStems finds them;
// Xapian 1.4 refuses an OP_SYNONYM under a phrase). One phrase per pair, at most 8, for the
// caller to weigh and add each with its own OP_AND_MAYBE. Empty when the query has no pair.
std::vector<Xapian::Query> ProximityBonus(std::string_view text, Analyzer& analyzer,
                                          std::span<const std::string_view> stopwords,
                                          const Xapian::Database& db, Xapian::termcount slack);
std::vector<Xapian::Query> ProximityBonus(std::string_view text, Analyzer& analyzer,
                                          std::span<const std::string_view> stopwords,
                                          const SynonymLookup& synonyms,
                                          Xapian::termcount slack);

// The words of a query's plain runs (outside quotes, fields, groups, wildcards, exclusions and
// operators), in order, as `analyzer` tokenises them: each flagged when it is one of
// `stopwords`, and when it starts a run (after a quote, group, field or operator).
struct PlainWord {
  std::string term;
  bool stop = false;
  bool run_start = false;
};
std::vector<PlainWord> PlainWords(std::string_view text, Analyzer& analyzer,
                                  std::span<const std::string_view> stopwords);

// The forms of each plain word of a query (PlainWords, stop words left out) that the exact-form
// bonus rewards: the word as typed (lowercased) and its regular plural or singular, so that
// `use of force` ranks "force" and "forces" above "forced", and `women's participation`
// "participation" above "participants" (the stemmer joins them). At most 8 words.
std::vector<std::vector<std::string>> ExactForms(std::string_view text, Analyzer& analyzer,
                                                 std::span<const std::string_view> stopwords);

// The operators that combine match sets without positions or parameters (AND, OR, AND_NOT,
// XOR, AND_MAYBE, FILTER, SYNONYM, MAX): the ones the rewrites above rebuild, and the ones
// FacetIndex counts from postings.
bool IsSetOperator(Xapian::Query::op op);

// A word of the query language's operators: AND, OR, NOT, XOR, NEAR, ADJ, or one of them with
// a "/N" window (NEAR/3).
bool IsOperatorWord(std::string_view word);

// `query` (as typed) without its NEAR and ADJ operators (with or without a "/N" window),
// outside double quotes: "ceasefire NEAR/5 monitoring" gives "ceasefire monitoring". The
// query the page is filled with after the passages that match the whole query (Searcher).
std::string WithoutProximityOperators(std::string_view query);

// Whether matching `query` checks term positions (a phrase or NEAR anywhere in it).
bool HasPositional(const Xapian::Query& query);

}  // namespace pillar
