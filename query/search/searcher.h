#pragma once

#include <xapian.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/index/id_aliases.h"
#include "indexer/index/passage_codec.h"
#include "indexer/segment/passage.h"
#include "query/search/acronym_expansion.h"
#include "query/search/facet_index.h"
#include "query/search/filter_check.h"
#include "query/search/query_rewrite.h"
#include "query/shards/shard_set.h"
#include "query/snippet/highlighter.h"

namespace pillar {

class RemoteVocabulary;

struct SearchRequest {
  std::string query;                   // query-language text; "" matches every passage
  std::vector<std::string> pillars;    // concept ids; a passage needs any one of them
  std::vector<std::string> docs;       // document ids; any one
  std::vector<std::string> languages;  // ISO 639-1 codes; any one
  size_t offset = 0;
  size_t limit = 10;
  bool facets = true;  // exact facet counts over the whole result set
  size_t snippet_bytes = 260;
  size_t per_doc = 0;                      // keep the best N passages per document; 0 = all
  std::vector<std::string> boost_pillars;  // rank passages tagged with these higher
  bool suggest = true;                     // "did you mean" when few passages match
  // Words without an operator between them: false, all of them must match (AND); true, any
  // of them (OR, the behaviour before issue 17; `pillar search --any`).
  bool any_word = false;
  // Each hit's score split into its parts (Hit::explanation): a few small queries per hit.
  bool explain = false;
  // When no passage has all the words, the hits are the best passages with some of them
  // (SearchResult::any_word_hits); false leaves the hits empty.
  bool any_word_fallback = true;
  // Also search the acronym of a long form among the query's words ("Rapid Support Forces":
  // RSF) and the long forms of an acronym typed in capitals ("IDPs": internally displaced
  // persons), as the indexed documents define them (AcronymTable; `pillar search
  // --no-acronyms` turns it off). SearchResult::also_searched says what was added.
  bool expand_acronyms = true;
};

// One additive part of a hit's score (`pillar search --explain`): the parts of a hit add up
// to its score.
struct ScorePart {
  std::string name;    // "text", "text, accents folded", "heading", "phrase", "exact",
                       //   "footnote", "fragment", "boost"
  std::string detail;  // the passage's words that the part matched, or the factor applied
  double weight = 0;
};

struct Hit {
  Passage passage;
  DocumentRecord document;
  int rank = 0;      // 1-based
  double score = 0;  // BM25
  Snippet snippet;
  std::vector<Span> highlights;  // matched words, byte ranges into passage.text
  // passage.text was cut to kMaxHitTextBytes (a passage indexed before passages had a size
  // limit): what a hit prints stays bounded whatever the index holds.
  bool text_truncated = false;
  std::vector<ScorePart> explanation;  // filled when SearchRequest::explain
  // The passage does not match the whole query: not every word is in it, or (a NEAR or ADJ
  // query) not as near as asked (SearchResult::near_relaxed). It fills the page after the
  // passages that match (SearchRequest::any_word_fallback).
  bool some_words = false;
};

// The most bytes of passage text a hit carries (twice SplitOptions::hard_limit_bytes, so
// passages indexed now are never cut).
inline constexpr size_t kMaxHitTextBytes = 16384;

struct SearchResult {
  std::string query;
  size_t total = 0;  // matches (exact when facets were counted, else an estimate)
  std::vector<Hit> hits;
  // Exact passage counts over the whole result set (before --per-doc collapsing).
  std::map<std::string, size_t> pillar_facet;  // concept id -> passages (multi-label)
  std::map<std::string, size_t> doc_facet;     // doc id -> passages
  std::map<std::string, size_t> org_facet;     // issuing body -> passages
  std::map<std::string, size_t> year_facet;    // year -> passages
  std::map<std::string, size_t> lang_facet;    // language -> passages
  std::map<std::string, size_t> type_facet;    // document type -> passages
  std::string did_you_mean;  // a corrected query from the index's vocabulary, or ""
  // When no passage has all the words (total 0) but some have some of them: how many, as
  // the same query with any_word would count them; else 0.
  size_t any_word_total = 0;
  // The request's offset is at or past the last match (with per_doc, the last one kept):
  // the page is empty though passages match.
  bool offset_past_end = false;
  // The hits are the any-word fallback (total is 0, any_word_total counts them): passages
  // with the most of the words, best first.
  bool any_word_hits = false;
  // The query's NEAR and ADJ operators were dropped for the passages counted or shown after
  // those that match it (any_word_total, any_word_hits, Hit::some_words): they hold the
  // words farther apart than asked, or only some of them.
  bool near_relaxed = false;
  // The query's words that were also searched as their acronym or long form
  // (SearchRequest::expand_acronyms).
  std::vector<AcronymExpansion> also_searched;
  // The query read as a question: its question words, not searched ("how", "does";
  // StripQuestionWords).
  std::vector<std::string> not_searched;

  // The facets with their names, in display order: pillar, doc, org, year, lang, type.
  std::vector<std::pair<const char*, const std::map<std::string, size_t>*>> Facets() const {
    return {{"pillar", &pillar_facet}, {"doc", &doc_facet},   {"org", &org_facet},
            {"year", &year_facet},     {"lang", &lang_facet}, {"type", &type_facet}};
  }
};

// The read side of an index. Opens the Xapian database read-only; every call catches
// Xapian errors (reopening once on DatabaseModifiedError) and returns a Status.
class Searcher {
 public:
  // NotFound when `index_dir` holds no index; InvalidArgument for another schema version.
  static Result<std::unique_ptr<Searcher>> Open(const std::filesystem::path& index_dir);
  ~Searcher();

  // Ranked passages. InvalidArgument (with the parser's message) for a malformed query.
  Result<SearchResult> Search(const SearchRequest& request);

  // Passages most like `passage_id` (more like this): its most distinctive terms, weighted
  // against the index, as a query; the passage itself is left out. `request` supplies the
  // filters, limit and offset; its query is ignored.
  Result<SearchResult> Similar(const std::string& passage_id, const SearchRequest& request);

  // The passage an id names: a live id, an old id that moved (an alias recorded when its
  // document was re-indexed) or a paragraph-number shorthand ("#5" for "#op-5"); see
  // ResolvePassageId. The passage carries its current id.
  Result<Passage> GetPassage(const std::string& passage_id);
  // What `passage_id` resolves to and how (indexer/index/id_aliases.h); NotFound naming the
  // index when nothing does.
  Result<ResolvedId> ResolvePassageId(const std::string& passage_id);
  Result<DocumentRecord> GetDocument(const std::string& doc_id);
  Result<std::string> GetDocumentText(const std::string& doc_id);
  // The passages of one document in order.
  Result<std::vector<Passage>> DocumentPassages(const std::string& doc_id);
  // Every document record, by id.
  Result<std::vector<DocumentRecord>> Documents();
  // Calls `fn` for every passage matching `request` (query and filters; limit/offset
  // ignored), in document order when the query is empty and by rank otherwise.
  Status ForEachPassage(const SearchRequest& request,
                        const std::function<void(const Passage&, const DocumentRecord&)>& fn);

  size_t passage_count() const;
  // The latest committed revision of the index (reopening onto it first): what a response
  // that depends only on the index is valid for (the server's ETags).
  Result<uint64_t> Revision();
  // The taxonomy file this index was tagged with, if it still exists; else
  // DefaultTaxonomyPath().
  std::filesystem::path TaxonomyPath() const;
  const std::filesystem::path& index_dir() const { return index_dir_; }
  // The shards the index is made of when its `xapian` is a stub file (docs/scaling.md); 0 for
  // a single database.
  size_t shard_count() const { return shard_dbs_.size(); }
  // Some shard is remote: facets are counted by match spies on the shards (a facet index
  // would read whole posting lists over the network).
  bool remote_shards() const { return remote_shards_; }

 private:
  explicit Searcher(std::filesystem::path index_dir, Xapian::Database db);
  // How a request is matched and ranked.
  struct QueryPlan {
    Xapian::Query match;   // the passages that match, filters included
    Xapian::Query ranked;  // the same passages, weighted for ranking: match, the proximity
                           //   bonus and the footnote factor
    // The additive parts of `ranked`'s weight (each scaled as in `ranked`): what --explain
    // runs. The footnote factor scales `parts`, not `unscaled_parts` (phrase bonus, boost).
    std::vector<std::pair<std::string, Xapian::Query>> parts;
    std::vector<std::pair<std::string, Xapian::Query>> unscaled_parts;
    // `ranked` without the proximity bonus (what RunSomeWords ranks its pool by).
    Xapian::Query ranked_without_pairs;
    // The query's words also searched as acronyms or long forms (AcronymTable::Expand).
    std::vector<AcronymExpansion> expansions;
    // The words of a question not searched (StripQuestionWords).
    std::vector<std::string> question_words;
    // The exact-form bonus (ExactForms): per plain query word, the forms a passage earns it
    // with. Run adds it to the best kExactPool passages and reorders them.
    std::vector<std::vector<std::string>> exact_forms;
  };
  // Resolves the request's filters (ResolveFilters), parses its query, whose fields are
  // checked by Filters().CheckQuery, and plans its match and ranking.
  Result<QueryPlan> Plan(const SearchRequest& unchecked);
  // Plan(request).ranked.
  Result<Xapian::Query> BuildQuery(const SearchRequest& request);
  // Adds the request's filters to `query`.
  Xapian::Query Filtered(Xapian::Query query, const SearchRequest& request) const;
  // The bonus of --boost-pillar, or an empty query.
  Xapian::Query Boost(const SearchRequest& request) const;
  // Runs `plan` and fills hits, snippets and facets.
  Result<SearchResult> Run(const QueryPlan& plan, const SearchRequest& request);
  // Runs a some-words plan (`request.any_word`, no facets) with the proximity bonus checked
  // only on the best kProximityPool passages by the other parts: the bonus's position checks
  // on every passage with one query word were most of the slowest queries' time (issue 18).
  Result<SearchResult> RunSomeWords(const QueryPlan& plan, const SearchRequest& request);
  // The parts of the score of the passage `docid` (Hit::explanation); `exact` the words whose
  // exact-form bonus it was given.
  std::vector<ScorePart> Explain(const QueryPlan& plan, Xapian::docid docid,
                                 const std::vector<std::string>& exact);
  // A filter to the first `n` passages of `mset`: their docids on one local database, their
  // id terms over shards (a merged docid means nothing to a shard's server). `kept` is how
  // many it holds.
  Xapian::Query PoolFilter(const Xapian::MSet& mset, size_t n, size_t* kept);
  // For each of the first `pool` passages of `mset`, the words of `exact_forms` (by their
  // first form) it holds in one of their forms.
  std::vector<std::vector<std::string>> ExactFormsHeld(
      const std::vector<std::vector<std::string>>& exact_forms, const Xapian::MSet& mset,
      size_t pool);
  // The filter check of the current revision, made on first use.
  FilterCheck& Filters();
  // The acronyms the index's documents define; empty over remote shards.
  const AcronymTable& Acronyms();
  // The request's pillars, boost_pillars, docs and languages as the index holds them
  // (FilterCheck::Resolve), or InvalidArgument naming the nearest valid values.
  Status ResolveFilters(SearchRequest* request);
  const std::vector<std::string>& IndexLanguages();
  const DocumentRecord& CachedDocument(const std::string& doc_id);
  // The facet index of the current revision, built on first use.
  const FacetIndex& Facets();
  // The record of the document with ordinal `ordinal` in Facets(), cached.
  const DocumentRecord& FacetDocument(uint32_t ordinal);
  // One Analyzer per language (stemming and folding caches kept across queries).
  Analyzer& AnalyzerFor(const std::string& language);
  // Picks up the latest committed revision; clears the caches below when it changed.
  void RefreshCaches();
  // Forgets every cache of index content (document records, languages, facets, filters, the
  // shards' vocabulary).
  void DropCaches();

  std::filesystem::path index_dir_;
  Xapian::Database db_;
  std::map<std::string, DocumentRecord> doc_cache_;
  std::vector<std::string> languages_;             // languages present in the index
  std::unique_ptr<FacetIndex> facet_index_;        // of cache_revision_; null until used
  std::vector<const DocumentRecord*> facet_docs_;  // by document ordinal of facet_index_
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers_;
  std::unique_ptr<AcronymTable> acronyms_;  // of cache_revision_; null until used
  std::unique_ptr<FilterCheck> filter_check_;  // of cache_revision_; null until used
  Xapian::rev cache_revision_ = 0;             // the revision the caches were filled from

  // A sharded index (query/shards/shard_set.h): db_ combines the shards; each is open alone
  // too, for the metadata (document records, texts, aliases) that lives on one shard only.
  void UseShards(OpenedShards shards);
  // Opens the shards again after a network error (a restarted server); a no-op otherwise.
  Status Reconnect();
  // The status for `error`; for a network error, the shard servers' names, and the next
  // call reconnects.
  Status ErrorStatus(const Xapian::Error& error);
  // The value of metadata `key` from whichever shard has it (db_'s own for one database).
  std::string Metadata(const std::string& key);
  // Facets over remote shards: match spies on value slots kDocId and kPillars, run by each
  // shard's server and merged here.
  void RemoteFacets(const Xapian::ValueCountMatchSpy& docs,
                    const Xapian::ValueCountMatchSpy& pillars, SearchResult* result);
  // Where a query's stems are expanded: db_'s synonym table, or over remote shards (whose
  // synonyms Xapian cannot read) the entries the words of `parsed` need, made from the shards'
  // vocabulary (query/shards/remote_vocabulary.h).
  SynonymLookup Synonyms(const Xapian::Query& parsed, Analyzer& analyzer);
  std::unique_ptr<RemoteVocabulary> vocabulary_;
  std::vector<Xapian::Database> shard_dbs_;
  std::vector<ShardEntry> shard_entries_;
  bool remote_shards_ = false;
  bool reconnect_ = false;
};

}  // namespace pillar
