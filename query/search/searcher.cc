#include "query/search/searcher.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "indexer/index/schema.h"
#include "indexer/index/shard_spec.h"
#include "indexer/index/xapian_errors.h"
#include "indexer/segment/analyzer.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/filter_check.h"
#include "query/search/query_rewrite.h"
#include "query/search/query_syntax.h"
#include "query/search/question_words.h"
#include "query/search/spelling.h"
#include "query/search/stopwords.h"
#include "query/shards/remote_vocabulary.h"

namespace pillar {
namespace {

using schema::Slot;
using schema::SlotNo;

Xapian::Query FilterOf(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& v : values) terms.emplace_back(std::string(prefix) + v);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Counts every passage matching `query` into `spy`'s counter: from postings where the facet
// index can, else through an unweighted pass of the matcher. `db` must be at the revision
// `facets` was built from.
void CountFacets(const Xapian::Database& db, const Xapian::Query& query, const FacetIndex& facets,
                 FacetSpy* spy) {
  if (FacetIndex::CanCount(query)) {
    facets.CountMatches(db, query, &spy->counter());
    return;
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
  enquire.add_matchspy(spy);
  enquire.get_mset(0, 0, db.get_doccount());
}

// How often a read is tried again after a concurrent commit discarded its revision.
constexpr int kReadAttempts = 10;

template <typename F>
auto WithReopen(Xapian::Database& db, F&& fn) -> decltype(fn()) {
  // A writer that commits twice while we read invalidates what we read: reopen at the new
  // revision and read again (several `pillar tag` runs may commit in a row).
  for (int attempt = 1;; ++attempt) {
    try {
      return fn();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == kReadAttempts) throw;
      db.reopen();
    }
  }
}

}  // namespace

Searcher::Searcher(std::filesystem::path index_dir, Xapian::Database db)
    : index_dir_(std::move(index_dir)), db_(std::move(db)) {}

Searcher::~Searcher() = default;

SynonymLookup Searcher::Synonyms(const Xapian::Query& parsed, Analyzer& analyzer) {
  if (!remote_shards_) return SynonymsOf(db_);
  if (!vocabulary_) vocabulary_ = std::make_unique<RemoteVocabulary>();
  const std::vector<std::string> languages = IndexLanguages();
  auto stem_of = [this](const std::string& language, const std::string& word) {
    return AnalyzerFor(language).StemOrWord(word);
  };
  for (auto t = parsed.get_unique_terms_begin(); t != parsed.get_unique_terms_end(); ++t) {
    const std::string term = *t;
    if (term.empty()) continue;
    if (StartsWith(term, schema::kPrefixStem) && term.size() > 1 &&
        !(term[1] >= 'A' && term[1] <= 'Z')) {
      // The parser's stem of a word: ExpandStems looks it up.
      vocabulary_->Learn(db_, term.substr(schema::kPrefixStem.size()), languages, stem_of);
    } else if (!(term[0] >= 'A' && term[0] <= 'Z')) {
      // A word (quoted words are not stemmed by the parser): ProximityBonus looks up its stem.
      vocabulary_->Learn(db_, analyzer.StemOrWord(term), languages, stem_of);
    }
  }
  const RemoteVocabulary* vocabulary = vocabulary_.get();
  return [vocabulary](const std::string& key) { return vocabulary->Words(key); };
}

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::filesystem::path& index_dir) {
  std::filesystem::path xapian_dir = XapianPath(index_dir);
  std::error_code ec;
  if (!std::filesystem::exists(xapian_dir, ec)) {
    return Status::NotFound(index_dir.string() +
                            ": no index here; run `pillar index PATH --index " +
                            index_dir.string() + "` first");
  }
  // A first `pillar index` killed before its first commit leaves a folder Xapian cannot
  // open; one killed just after it, an index without documents or schema. Say so, rather
  // than report a failure to open or a schema version ''.
  const Status unfinished =
      Status::NotFound(index_dir.string() +
                       ": the index is empty or unfinished (a first `pillar index` was "
                       "interrupted or is still running); run `pillar index PATH --index " +
                       index_dir.string() + "`");
  if (IsShardStub(xapian_dir)) {
    // An index made of shards: every shard must be of this schema (an empty one, a shard
    // with no documents yet, is fine).
    Result<OpenedShards> shards = OpenShards(xapian_dir, ShardTimeoutMs());
    if (!shards.ok()) return shards.status();
    try {
      bool any = false;
      for (size_t i = 0; i < shards->each.size(); ++i) {
        const Xapian::Database& shard = shards->each[i];
        std::string version = shard.get_metadata(std::string(schema::kMetaSchema));
        if (version.empty() && shard.get_doccount() == 0) continue;
        any = true;
        if (version != schema::kSchemaVersion) {
          return Status::InvalidArgument(
              xapian_dir.string() + ":" + std::to_string(shards->entries[i].line) + ": shard " +
              shards->entries[i].Name() + " has index schema version '" + version + "', not '" +
              std::string(schema::kSchemaVersion) + "'; index it again");
        }
      }
      if (!any) return unfinished;
      std::unique_ptr<Searcher> searcher(new Searcher(index_dir, shards->combined));
      searcher->UseShards(std::move(shards.value()));
      return searcher;
    } catch (const Xapian::Error& e) {
      return ShardErrorStatus(index_dir, shards->entries, e);
    }
  }
  if (!HasCommittedRevision(xapian_dir)) return unfinished;
  // Opening reads the tables' roots: a writer committing meanwhile (several `pillar tag` runs
  // in a row, say) can discard the revision being opened. Open again, a few times.
  for (int attempt = 1;; ++attempt) {
    try {
      Xapian::Database db(xapian_dir.string());
      std::string version = db.get_metadata(std::string(schema::kMetaSchema));
      if (version.empty() && db.get_doccount() == 0) {
        return unfinished;
      }
      if (version != schema::kSchemaVersion) {
        return Status::InvalidArgument(index_dir.string() + ": index schema version '" + version +
                                       "' is not '" + std::string(schema::kSchemaVersion) +
                                       "'; index again");
      }
      return std::unique_ptr<Searcher>(new Searcher(index_dir, std::move(db)));
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kReadAttempts) {
        return XapianErrorStatus(index_dir, e);
      }
    } catch (const Xapian::Error& e) {
      return XapianErrorStatus(index_dir, e);
    }
  }
}

size_t Searcher::passage_count() const { return db_.get_doccount(); }

Result<uint64_t> Searcher::Revision() {
  try {
    db_.reopen();
    if (shard_dbs_.empty()) return static_cast<uint64_t>(db_.get_revision());
    // Xapian gives no revision for several databases: mix each shard's, so that a change to
    // any shard changes the whole (pillar serve's ETags rest on it).
    uint64_t mixed = 1469598103934665603ull;
    for (Xapian::Database& shard : shard_dbs_) {
      shard.reopen();
      uint64_t revision = 0;
      try {
        revision = static_cast<uint64_t>(shard.get_revision());
      } catch (const Xapian::InvalidOperationError&) {
        // A backend without revisions (remote, in some Xapian versions): what it holds.
        revision = (static_cast<uint64_t>(shard.get_lastdocid()) << 32) ^
                   static_cast<uint64_t>(shard.get_total_length());
      }
      mixed = (mixed ^ revision) * 1099511628211ull;
    }
    return mixed;
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

void Searcher::UseShards(OpenedShards shards) {
  db_ = shards.combined;
  shard_dbs_ = std::move(shards.each);
  shard_entries_ = std::move(shards.entries);
  remote_shards_ = shards.any_remote;
  reconnect_ = false;
  DropCaches();  // every cache may be of another revision of some shard
}

Status Searcher::Reconnect() {
  if (!reconnect_) return Status::Ok();
  Result<OpenedShards> shards = OpenShards(XapianPath(index_dir_), ShardTimeoutMs());
  if (!shards.ok()) return shards.status();
  UseShards(std::move(shards.value()));
  return Status::Ok();
}

Status Searcher::ErrorStatus(const Xapian::Error& error) {
  if (shard_entries_.empty()) return XapianErrorStatus(index_dir_, error);
  const std::string type = error.get_type();
  // A broken connection stays broken: open the shards again on the next call (a restarted
  // server then answers it).
  if (type == "NetworkError" || type == "NetworkTimeoutError") reconnect_ = true;
  return ShardErrorStatus(index_dir_, shard_entries_, error);
}

std::string Searcher::Metadata(const std::string& key) {
  if (shard_dbs_.empty()) return db_.get_metadata(key);
  // Xapian reads a combined database's metadata from its first shard only; a document's
  // record and text live on the shard that indexed it.
  for (const Xapian::Database& shard : shard_dbs_) {
    std::string value = shard.get_metadata(key);
    if (!value.empty()) return value;
  }
  return std::string();
}

void Searcher::RemoteFacets(const Xapian::ValueCountMatchSpy& docs,
                            const Xapian::ValueCountMatchSpy& pillars, SearchResult* result) {
  for (auto it = docs.values_begin(); it != docs.values_end(); ++it) {
    const std::string doc_id = *it;
    const size_t count = it.get_termfreq();
    result->doc_facet[doc_id] += count;
    const DocumentMetadata& m = CachedDocument(doc_id).meta;
    if (!m.issuer.empty()) result->org_facet[m.issuer] += count;
    if (!m.Year().empty()) result->year_facet[m.Year()] += count;
    if (!m.language.empty()) result->lang_facet[m.language] += count;
    if (!m.type.empty()) result->type_facet[m.type] += count;
  }
  // Each value is one set of concepts: its passages count once for each concept in it.
  for (auto it = pillars.values_begin(); it != pillars.values_end(); ++it) {
    const std::string set = *it;
    const size_t count = it.get_termfreq();
    size_t begin = 0;
    while (begin < set.size()) {
      size_t end = set.find(' ', begin);
      if (end == std::string::npos) end = set.size();
      if (end > begin) result->pillar_facet[set.substr(begin, end - begin)] += count;
      begin = end + 1;
    }
  }
}

std::filesystem::path Searcher::TaxonomyPath() const {
  try {
    Xapian::Database db = db_;  // shares db_'s state; reopen is not const
    std::filesystem::path recorded =
        WithReopen(db, [&] { return db.get_metadata(std::string(schema::kMetaTaxonomy)); });
    std::error_code ec;
    if (!recorded.empty() && std::filesystem::is_regular_file(recorded, ec)) return recorded;
  } catch (const Xapian::Error&) {
  }
  return DefaultTaxonomyPath();
}

const std::vector<std::string>& Searcher::IndexLanguages() {
  if (languages_.empty()) {
    const std::string prefix(schema::kPrefixLang);
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
      languages_.push_back((*t).substr(prefix.size()));
    }
    if (languages_.empty()) languages_.push_back("en");
  }
  return languages_;
}

namespace {

// One parser per language: stemming and stop words are the language's, everything else is
// shared. Words without an operator between them combine with `default_op`.
Xapian::QueryParser MakeParser(const Xapian::Database& db, const std::string& language,
                               Xapian::Query::op default_op) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_default_op(default_op);
  std::string stemmer = Analyzer::StemmerName(language);
  if (stemmer != "none") parser.set_stemmer(Xapian::Stem(stemmer));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // Stoppers live as long as the process: the parser keeps a pointer to its stopper.
  static std::map<std::string, std::unique_ptr<Xapian::SimpleStopper>>* stoppers =
      new std::map<std::string, std::unique_ptr<Xapian::SimpleStopper>>;
  static std::mutex stoppers_mutex;
  {
    std::lock_guard<std::mutex> lock(stoppers_mutex);
    std::unique_ptr<Xapian::SimpleStopper>& stopper = (*stoppers)[language];
    if (!stopper) {
      stopper = std::make_unique<Xapian::SimpleStopper>();
      for (std::string_view w : StopwordsFor(language)) stopper->add(std::string(w));
    }
    parser.set_stopper(stopper.get());
  }
  for (const schema::Field& f : schema::kFields) {
    if (f.name == "id" || f.name == "year" || f.name == "symbol") continue;
    if (f.kind == schema::FieldKind::kBoolean) {
      parser.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
    } else {
      parser.add_prefix(std::string(f.name), std::string(f.prefix));
    }
  }
  static Xapian::NumberRangeProcessor* years =
      new Xapian::NumberRangeProcessor(SlotNo(Slot::kYear), "year:");
  parser.add_rangeprocessor(years);
  AddAcronymField(parser);  // the places AcronymTable::Expand marks (ResolveAcronyms)
  return parser;
}

// The weight of heading matches relative to passage-text matches, and how they combine.
// Judged set, nDCG@10, any word (before issue 17): AND_MAYBE 0.3 -> 0.813, OR 0.3 -> 0.839,
// OR 0.5 -> 0.845, OR 0.7 -> 0.844, OR 1.0 -> 0.836. All words: OR 0.5 (the heading clause
// needing all words too) -> 0.799, AND_MAYBE 0.5 -> 0.749. Issue 22: docs/query.md, Ranking.
constexpr double kHeadingWeight = 0.5;
constexpr Xapian::Query::op kHeadingOp = Xapian::Query::OP_OR;

// The proximity bonus (ProximityBonus): what each pair of neighbouring query words standing
// together adds, and the words a pair may have between them in a passage beyond the query's
// own gap. A fixed amount: scaling the pair's BM25 weight instead (0.5) favoured short
// passages, whose words weigh most (real dev set 0.726 against 0.732). docs/query.md.
constexpr double kPhraseBonus = 1.0;
constexpr Xapian::termcount kPhraseSlack = 1;

// How many of the best some-words passages (the fill after the all-words ones, or every hit
// when no passage has all the words) the proximity bonus reorders (Searcher::RunSomeWords).
constexpr Xapian::doccount kProximityPool = 50;

// The exact-form bonus: what each plain query word adds to a passage that holds it as typed
// or as its regular plural or singular (ExactForms), not only another word of its stem, and
// how many of the best passages it reorders. Real dev set (53 queries), nDCG@10: 0.842
// without; on the pool of 50, 0.848 / 0.851 / 0.857 / 0.857 / 0.857 / 0.857 with 0.25 / 0.5 /
// 0.75 / 1.0 / 1.5 / 2.0 (the sample set 0.874 up to 1.0, 0.870 above); with the passages
// it brought in judged, 0.835 without and 0.856 with 1.0. docs/query.md, Ranking.
constexpr double kExactFormBonus = 1.0;
constexpr Xapian::doccount kExactPool = 50;

// The name of the proximity bonus's parts in QueryPlan::unscaled_parts (and in --explain).
constexpr const char* kPhrasePart = "phrase";
bool IsPhrasePart(const std::pair<std::string, Xapian::Query>& part) {
  return part.first == kPhrasePart;
}

// What a footnote, endnote or reference note weighs against body text with the same words:
// UN footnotes cite news headlines dense with query words (issue 22). docs/query.md.
constexpr double kFootnoteFactor = 0.5;

// The bonus of a passage tagged with a --boost-pillar concept: about a strong word's weight.
constexpr double kBoostWeight = 2.0;

// BM25's parameters (Xapian's defaults: k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5).
Xapian::BM25Weight RankingWeight() { return Xapian::BM25Weight(1, 0, 1, 0.5, 0.5); }

// What a parsed query's top-level NOT excludes ("-violence protection", "protection AND NOT
// violence"): the right-hand sides of the AND_NOT at its root, or an empty query. Parts of the
// query that are ORed in afterwards (headings, accent-folded forms) must not bring those
// passages back.
Xapian::Query TopLevelExclusions(const Xapian::Query& q) {
  std::vector<Xapian::Query> excluded;
  Xapian::Query node = q;
  while (node.get_type() == Xapian::Query::OP_AND_NOT && node.get_num_subqueries() > 1) {
    for (size_t i = 1; i < node.get_num_subqueries(); ++i) excluded.push_back(node.get_subquery(i));
    node = node.get_subquery(0);
  }
  if (excluded.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end());
}

// The passages of a fixed set of docids, weighing nothing: a FILTER by the pool of
// RunSomeWords on a single local database without reading any document.
class DocidSet : public Xapian::PostingSource {
 public:
  explicit DocidSet(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {
    std::sort(ids_.begin(), ids_.end());
  }
  Xapian::doccount get_termfreq_min() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_est() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_max() const override { return ids_.size(); }
  void init(const Xapian::Database&) override { started_ = false; at_ = 0; }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    at_ = std::lower_bound(ids_.begin() + at_, ids_.end(), did) - ids_.begin();
  }
  bool at_end() const override { return started_ && at_ >= ids_.size(); }
  Xapian::docid get_docid() const override { return ids_[at_]; }
  Xapian::PostingSource* clone() const override { return new DocidSet(ids_); }

 private:
  std::vector<Xapian::docid> ids_;
  bool started_ = false;
  size_t at_ = 0;
};

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

}  // namespace

Result<Xapian::Query> Searcher::BuildQuery(const SearchRequest& request) {
  Result<QueryPlan> plan = Plan(request);
  if (!plan.ok()) return plan.status();
  return plan->ranked;
}

Result<Searcher::QueryPlan> Searcher::Plan(const SearchRequest& unchecked) {
  // Every query path meets this first: a query that is not UTF-8 is a usage error, never a
  // crash further on (JSON output refuses such bytes).
  size_t bad = FindInvalidUtf8(unchecked.query);
  if (bad != std::string::npos) {
    return Status::InvalidArgument("the query is not valid UTF-8 (byte " + std::to_string(bad) +
                                   "); check the terminal's encoding");
  }
  // Filters as the index holds them, or refused: a filter never silently matches nothing.
  SearchRequest request = unchecked;
  Status resolved = ResolveFilters(&request);
  if (!resolved.ok()) return resolved;
  Result<PreparedQuery> prepared = PrepareQuery(request.query);
  if (!prepared.ok()) return prepared.status();
  Result<std::string> checked = Filters().CheckQuery(prepared->text);
  if (!checked.ok()) return checked.status();
  QueryPlan plan;
  // A question's own words ("how does ...") are not what is searched for.
  QuestionStrip question = StripQuestionWords(StripElisions(*checked));
  std::string text = std::move(question.text);
  plan.question_words = std::move(question.dropped);
  // What the parser reads: the text with each long form and acronym whose other form the
  // documents define marked for ResolveAcronyms (the proximity bonus takes none of their
  // words: a long form's words always stand together, its acronym's passages would lose).
  const std::string parsed_text =
      request.expand_acronyms ? Acronyms().Expand(text, &plan.expansions) : text;
  // The empty term matches every passage. Not a copy of Xapian::Query::MatchAll: that one
  // object is shared by every thread and copying it bumps a reference count that is not
  // atomic, which crashed pillar serve under parallel searches (issue 18's load run).
  Xapian::Query match{std::string()};
  Xapian::Query ranked{std::string()};
  std::vector<Xapian::Query> bonuses;  // the proximity bonus, one query per word pair
  if (!TrimAscii(text).empty()) {
    // Parse once per language of the index (or of --lang), each with its own stemmer and
    // restricted to passages of that language, so "patrouilles" is stemmed as French and
    // "patrols" as English in the same query. The accent-folded query joins in at a lower
    // weight: "securite" finds "sécurité", while passages with the exact form rank first.
    const std::vector<std::string>& languages =
        request.languages.empty() ? IndexLanguages() : request.languages;
    std::string folded = FoldMarks(parsed_text);
    std::vector<Xapian::Query> match_per_language;
    auto adapt = [this](const Xapian::Query& parsed, Analyzer& analyzer) {
      return ExpandPossessives(AdaptParsedQuery(parsed, analyzer, Synonyms(parsed, analyzer)), db_);
    };
    const Xapian::Query::op default_op =
        request.any_word ? Xapian::Query::OP_OR : Xapian::Query::OP_AND;
    std::vector<std::string_view> stop_in_any;
    for (const std::string& lang : languages) {
      for (std::string_view w : StopwordsFor(lang)) stop_in_any.push_back(w);
    }
    try {
      for (const std::string& lang : languages) {
        const Xapian::Query lang_filter(std::string(schema::kPrefixLang) + lang);
        auto part = [&](const char* name, const Xapian::Query& q) {
          plan.parts.emplace_back(
              name,
              languages.size() > 1 ? Xapian::Query(Xapian::Query::OP_FILTER, q, lang_filter) : q);
        };
        Xapian::QueryParser parser = MakeParser(db_, lang, default_op);
        Analyzer& analyzer = AnalyzerFor(lang);
        // The parser's query with each acronym place resolved, its forms parsed alike.
        auto parse = [&](Xapian::QueryParser& p, const std::string& t, bool fold) {
          auto form = [&](const std::string& f, bool all_words) {
            p.set_default_op(all_words ? Xapian::Query::OP_AND : default_op);
            Xapian::Query q = p.parse_query(fold ? FoldMarks(f) : f, kParseFlags);
            p.set_default_op(default_op);
            return q;
          };
          return ResolveAcronyms(p.parse_query(t, kParseFlags), plan.expansions, form,
                                 request.any_word);
        };
        Xapian::Query q = adapt(parse(parser, parsed_text, false), analyzer);
        Xapian::Query excluded = TopLevelExclusions(q);
        {
          // The text clause's weight is the sum of its top-level words' (or groups'):
          // --explain shows each.
          Xapian::Query node = q;
          while (node.get_type() == Xapian::Query::OP_AND_NOT) node = node.get_subquery(0);
          const Xapian::Query::op op = node.get_type();
          if (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR ||
              op == Xapian::Query::OP_AND_MAYBE) {
            // A word weighs in only where the clause matches as a whole (FILTER by it).
            for (size_t i = 0; i < node.get_num_subqueries(); ++i) {
              part("text", Xapian::Query(Xapian::Query::OP_FILTER, node.get_subquery(i), node));
            }
          } else {
            part("text", node);
          }
        }
        if (folded != parsed_text) {
          // All the words folded: as many passages or more, never fewer words.
          Xapian::Query f =
              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                            adapt(parse(parser, folded, true), analyzer), 0.7);
          part("text, accents folded", f);
          q = Xapian::Query(Xapian::Query::OP_OR, q, f);
        }
        // The same words in the passage's headings count at half weight: a passage under
        // "Early warning" ranks above one that mentions it in passing. With any word (the
        // old OR meaning) the heading clause is ORed in with its words ORed: a passage that
        // only its heading ties to the query is found (+0.03 nDCG@10 on the judged set over
        // AND_MAYBE). With all words, the heading clause needs all the words in the headings
        // too, so it adds passages whose headings hold every word, never ones that hold some.
        // Only real headings count (XS; captions, dates and job numbers are XC:
        // IsRankingHeading), and a list item's lead-in, the paragraph that introduces its list
        // (IsLeadIn, indexed as XS too): real dev 0.871 -> 0.879 (docs/query.md, Ranking).
        Xapian::QueryParser headings = MakeParser(db_, lang, default_op);
        headings.add_prefix("", std::string(schema::kPrefixSection));
        Xapian::Query h = adapt(parse(headings, parsed_text, false), analyzer);
        if (!h.empty()) {
          h = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, h, kHeadingWeight);
          part("heading", h);
          q = Xapian::Query(kHeadingOp, q, h);
        }
        if (!excluded.empty()) q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, excluded);
        // Passages where neighbouring query words stand together rank first; the bonus
        // decides no match (AND_MAYBE), so counts and facets use the query without it.
        // They are added last, outside every FILTER and AND_NOT: Xapian 1.4.22 weighs an
        // AND_MAYBE with a phrase on its right under a FILTER above the sum of its parts (any
        // word, three words: 11.82 against 9.32 for the same passage filtered to its id).
        for (const Xapian::Query& pair : ProximityBonus(
                 parsed_text, analyzer, StopwordsFor(lang),
                 remote_shards_ ? Synonyms(parser.parse_query(text, kParseFlags), analyzer)
                                : SynonymsOf(db_),
                 kPhraseSlack)) {
          Xapian::Query bonus(
              Xapian::Query::OP_FILTER,
              Xapian::Query((new Xapian::FixedWeightPostingSource(kPhraseBonus))->release()), pair);
          if (languages.size() > 1) {
            bonus = Xapian::Query(Xapian::Query::OP_FILTER, bonus, lang_filter);
          }
          bonuses.push_back(bonus);
        }
        // The words' exact forms, once for all languages (a word is the same string in each;
        // the check runs over passages of every language). So a function word of any of them
        // is left out: "on" is one in English and a word in Catalan, and an index holding
        // Catalan documents gave every English passage with "on" a bonus for it.
        for (auto& forms : ExactForms(parsed_text, analyzer, stop_in_any)) {
          if (std::find(plan.exact_forms.begin(), plan.exact_forms.end(), forms) ==
              plan.exact_forms.end()) {
            plan.exact_forms.push_back(std::move(forms));
          }
        }
        if (languages.size() > 1) q = Xapian::Query(Xapian::Query::OP_FILTER, q, lang_filter);
        match_per_language.push_back(q);
      }
    } catch (const Xapian::QueryParserError& e) {
      return Status::InvalidArgument("cannot parse query '" + request.query + "': " + e.get_msg());
    }
    match =
        Xapian::Query(Xapian::Query::OP_OR, match_per_language.begin(), match_per_language.end());
    if (match.empty()) match = Xapian::Query::MatchNothing;
    ranked = match;
    // Footnotes, reference notes and fragments (short passages, captions, source notes: the
    // XK kinds) weigh kFootnoteFactor of what body text with the same words weighs: the
    // query once for body text and once, scaled, for them.
    std::vector<Xapian::Query> kinds;
    for (std::string_view k : schema::kKindsRankedAsNotes) {
      if (db_.term_exists(std::string(k))) kinds.emplace_back(std::string(k));
    }
    if (!kinds.empty()) {
      const Xapian::Query note(Xapian::Query::OP_OR, kinds.begin(), kinds.end());
      ranked = Xapian::Query(
          Xapian::Query::OP_OR,
          Xapian::Query(Xapian::Query::OP_AND_NOT, ranked, note),
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Xapian::Query::OP_FILTER, ranked, note),
                        kFootnoteFactor));
    }
  }
  if (!prepared->symbol_keys.empty()) {
    const Xapian::Query symbols = FilterOf(schema::kPrefixSymbol, prepared->symbol_keys);
    match = Xapian::Query(Xapian::Query::OP_FILTER, match, symbols);
    ranked = Xapian::Query(Xapian::Query::OP_FILTER, ranked, symbols);
  }
  plan.match = Filtered(match, request);
  plan.ranked = Filtered(ranked, request);
  const Xapian::Query boost = Boost(request);
  plan.ranked_without_pairs =
      boost.empty() ? plan.ranked
                    : Xapian::Query(Xapian::Query::OP_AND_MAYBE, plan.ranked, boost);
  for (const Xapian::Query& bonus : bonuses) {
    plan.unscaled_parts.emplace_back(kPhrasePart, bonus);
    plan.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, plan.ranked, bonus);
  }
  if (!boost.empty()) {
    plan.unscaled_parts.emplace_back("boost", boost);
    plan.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, plan.ranked, boost);
  }
  return plan;
}

Xapian::Query Searcher::Filtered(Xapian::Query query, const SearchRequest& request) const {
  std::vector<Xapian::Query> filters;
  if (!request.pillars.empty()) filters.push_back(FilterOf(schema::kPrefixPillar, request.pillars));
  if (!request.docs.empty()) filters.push_back(FilterOf(schema::kPrefixDoc, request.docs));
  if (!request.languages.empty()) {
    filters.push_back(FilterOf(schema::kPrefixLang, request.languages));
  }
  for (const Xapian::Query& f : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);
  return query;
}

Xapian::Query Searcher::Boost(const SearchRequest& request) const {
  if (request.boost_pillars.empty()) return Xapian::Query();
  // A tagged passage gets a fixed bonus of about a strong term match. (Pillar terms are
  // boolean, with no wdf: as a weighted SYNONYM of them, the boost weighed 0 under BM25 and
  // ranked nothing higher, which --explain showed; issue 22.)
  Xapian::PostingSource* bonus = (new Xapian::FixedWeightPostingSource(kBoostWeight))->release();
  return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(bonus),
                       FilterOf(schema::kPrefixPillar, request.boost_pillars));
}

void Searcher::DropCaches() {
  doc_cache_.clear();
  languages_.clear();
  facet_index_.reset();
  facet_docs_.clear();
  filter_check_.reset();
  acronyms_.reset();
  vocabulary_.reset();
}

void Searcher::RefreshCaches() {
  // Document records only change when the index does: keep them across queries (decoding
  // them was a third of a query's time) and drop them when a writer has committed since.
  if (!shard_dbs_.empty()) {
    // Shards have no one revision: any shard that moved on drops the caches.
    bool moved = db_.reopen();
    for (Xapian::Database& shard : shard_dbs_) moved = shard.reopen() || moved;
    if (moved) DropCaches();
    return;
  }
  db_.reopen();
  Xapian::rev revision = db_.get_revision();
  if (revision != cache_revision_) {
    DropCaches();
    cache_revision_ = revision;
  }
}

const FacetIndex& Searcher::Facets() {
  if (!facet_index_) {
    // Built into a local first: a DatabaseModifiedError halfway leaves no half-built index.
    auto index = std::make_unique<FacetIndex>(db_);
    facet_docs_.assign(index->doc_ids().size(), nullptr);
    facet_index_ = std::move(index);
  }
  return *facet_index_;
}

const AcronymTable& Searcher::Acronyms() {
  if (!acronyms_) {
    acronyms_ = std::make_unique<AcronymTable>(remote_shards_ ? AcronymTable()
                                                              : AcronymTable::Load(db_));
  }
  return *acronyms_;
}

FilterCheck& Searcher::Filters() {
  if (!filter_check_) {
    filter_check_ = std::make_unique<FilterCheck>(db_, TaxonomyPath());
    if (!shard_dbs_.empty()) filter_check_->SetDocumentSources(shard_dbs_);
  }
  return *filter_check_;
}

Status Searcher::ResolveFilters(SearchRequest* request) {
  FilterCheck& check = Filters();
  Status st = check.ResolveAll("pillar", &request->pillars, "--pillar");
  if (st.ok()) st = check.ResolveAll("pillar", &request->boost_pillars, "--boost-pillar");
  if (st.ok()) st = check.ResolveAll("doc", &request->docs, "--doc");
  if (st.ok()) st = check.ResolveAll("lang", &request->languages, "--lang");
  return st;
}

const DocumentRecord& Searcher::FacetDocument(uint32_t ordinal) {
  const DocumentRecord*& record = facet_docs_[ordinal];
  if (record == nullptr) record = &CachedDocument(facet_index_->doc_ids()[ordinal]);
  return *record;
}

Analyzer& Searcher::AnalyzerFor(const std::string& language) {
  std::unique_ptr<Analyzer>& analyzer = analyzers_[language];
  if (!analyzer) analyzer = std::make_unique<Analyzer>(language);
  return *analyzer;
}

const DocumentRecord& Searcher::CachedDocument(const std::string& doc_id) {
  auto it = doc_cache_.find(doc_id);
  if (it != doc_cache_.end()) return it->second;
  DocumentRecord record;
  Result<DocumentRecord> decoded =
      DecodeDocumentRecord(Metadata(std::string(schema::kMetaDocPrefix) + doc_id));
  if (decoded.ok()) record = std::move(decoded.value());
  if (record.meta.id.empty()) record.meta.id = doc_id;
  return doc_cache_.emplace(doc_id, std::move(record)).first->second;
}

std::vector<ScorePart> Searcher::Explain(const QueryPlan& plan, Xapian::docid docid,
                                         const std::vector<std::string>& exact) {
  // Xapian sums the weights of a query's parts; each part run alone on this one passage
  // (filtered to its id term) weighs what it added to the passage's score.
  const Xapian::Document doc = db_.get_document(docid);
  std::set<std::string> held;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) held.insert(*t);
  std::string id_term;
  for (const std::string& t : held) {
    if (StartsWith(t, schema::kPrefixId) && !(t.size() > 1 && t[1] >= 'A' && t[1] <= 'Z')) {
      id_term = t;
      break;
    }
  }
  auto weigh = [&](const Xapian::Query& part) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, part, Xapian::Query(id_term)));
    enquire.set_weighting_scheme(RankingWeight());
    Xapian::MSet mset = enquire.get_mset(0, 1);
    return mset.empty() ? 0.0 : mset.begin().get_weight();
  };
  // The words of a part the passage holds, without their field prefix.
  auto words = [&](const Xapian::Query& part) {
    std::string out;
    // A part is FILTER(words, language or clause): its words are the left side's.
    Xapian::Query own = part;
    while (own.get_type() == Xapian::Query::OP_FILTER) {
      // The proximity bonus is FILTER(fixed weight, phrase): its words are the right side's.
      const Xapian::Query left = own.get_subquery(0);
      own = left.get_terms_begin() != left.get_terms_end() ? left : own.get_subquery(1);
    }
    for (auto t = own.get_unique_terms_begin(); t != own.get_unique_terms_end(); ++t) {
      const std::string term = *t;  // a TermIterator yields its term by value
      if (held.count(term) == 0) continue;
      std::string_view w = term;
      if (StartsWith(w, schema::kPrefixSection)) {
        w.remove_prefix(schema::kPrefixSection.size());
      } else if (StartsWith(w, schema::kPrefixPillar)) {
        w.remove_prefix(schema::kPrefixPillar.size());
      } else if (w.empty() || (w[0] >= 'A' && w[0] <= 'Z')) {
        continue;  // filters (language, document) are no words of the query
      }
      if (!out.empty()) out += ' ';
      out += w;
    }
    return out;
  };
  std::vector<ScorePart> parts;
  double before_factor = 0;
  for (const auto& [name, query] : plan.parts) {
    const double w = weigh(query);
    if (w == 0) continue;
    before_factor += w;
    parts.push_back({name, words(query), w});
  }
  for (std::string_view kind : schema::kKindsRankedAsNotes) {
    if (held.count(std::string(kind)) == 0 || before_factor == 0) continue;
    char factor[32];
    std::snprintf(factor, sizeof factor, "x%g", kFootnoteFactor);
    parts.push_back({std::string(kind.substr(schema::kPrefixKind.size())), factor,
                     before_factor * kFootnoteFactor - before_factor});
  }
  for (const auto& [name, query] : plan.unscaled_parts) {
    const double w = weigh(query);
    if (w != 0) parts.push_back({name, words(query), w});
  }
  for (const std::string& word : exact) parts.push_back({"exact", word, kExactFormBonus});
  return parts;
}

Xapian::Query Searcher::PoolFilter(const Xapian::MSet& mset, size_t n, size_t* kept) {
  std::vector<Xapian::docid> docids;
  auto it = mset.begin();
  for (size_t k = 0; k < n && it != mset.end(); ++k, ++it) docids.push_back(*it);
  if (db_.size() == 1 && !remote_shards_) {
    // One local database: its docids name the passages.
    *kept = docids.size();
    return Xapian::Query((new DocidSet(std::move(docids)))->release());
  }
  // Shards: a merged docid means nothing to a shard's server; the id terms do.
  mset.fetch();
  std::vector<Xapian::Query> ids;
  it = mset.begin();
  for (size_t k = 0; k < docids.size(); ++k, ++it) {
    Result<Passage> passage = DecodePassage(it.get_document().get_data());
    if (passage.ok()) ids.emplace_back(std::string(schema::kPrefixId) + passage->id);
  }
  *kept = ids.size();
  return Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
}

std::vector<std::vector<std::string>> Searcher::ExactFormsHeld(
    const std::vector<std::vector<std::string>>& exact_forms, const Xapian::MSet& mset,
    size_t pool) {
  // One small boolean query per word over the pool (PoolFilter: the same over remote shards,
  // whose servers hold the postings).
  std::vector<Xapian::docid> docids;
  auto it = mset.begin();
  for (size_t k = 0; k < pool; ++k, ++it) docids.push_back(*it);
  size_t kept = 0;
  const Xapian::Query in_pool = PoolFilter(mset, pool, &kept);
  std::map<Xapian::docid, std::vector<std::string>> held;
  for (const std::vector<std::string>& forms : exact_forms) {
    std::vector<Xapian::Query> terms(forms.begin(), forms.end());
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                    Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                    in_pool));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::MSet with = enquire.get_mset(0, static_cast<Xapian::doccount>(pool));
    for (auto w = with.begin(); w != with.end(); ++w) held[*w].push_back(forms.front());
  }
  std::vector<std::vector<std::string>> out;
  for (Xapian::docid d : docids) out.push_back(held[d]);
  return out;
}

Result<SearchResult> Searcher::Run(const QueryPlan& plan, const SearchRequest& request) {
  const Xapian::Query& query = plan.match;
  Xapian::Enquire enquire(db_);
  enquire.set_query(plan.ranked);
  enquire.set_weighting_scheme(RankingWeight());
  if (request.per_doc > 0) {
    enquire.set_collapse_key(SlotNo(Slot::kDocId), static_cast<Xapian::doccount>(request.per_doc));
  }
  // Exact facets: every match is counted by docid through the facet index of this revision
  // (no value slots read per match).
  const FacetIndex* facets = request.facets && !remote_shards_ ? &Facets() : nullptr;
  std::optional<FacetSpy> spy;
  if (facets) spy.emplace(*facets);
  // Over remote shards each shard's server counts its matches by value (one pass that visits
  // every match), and only the counts cross the network (docs/scaling.md).
  const bool remote_facets = request.facets && remote_shards_;
  Xapian::ValueCountMatchSpy doc_spy(SlotNo(Slot::kDocId));
  Xapian::ValueCountMatchSpy pillar_spy(SlotNo(Slot::kPillars));
  if (remote_facets) {
    enquire.add_matchspy(&doc_spy);
    enquire.add_matchspy(&pillar_spy);
  }
  // Without positions, counting is cheap and ranking can stop early: rank the top with
  // Xapian's pruning and count in a second pass that needs no weights (BM25 weights for every
  // match were two thirds of a full pass). Phrases and NEAR pay their position checks in each
  // pass, so there one weighted pass that visits every match is cheaper than two. (Counting
  // in a second thread on a second handle while this one ranks was slower on a loaded
  // two-core machine: 100 MB p99 12.7 -> 14.7-19.8 ms.)
  bool one_pass = facets && HasPositional(query);
  if (one_pass) enquire.add_matchspy(&*spy);
  Xapian::doccount check = one_pass || remote_facets ? db_.get_doccount() : 0;
  // The exact-form bonus reorders the best kExactPool passages: a page that starts in the
  // pool is cut from the whole pool reordered, so pages neither repeat nor skip a passage;
  // past the pool the order is BM25's. Not with --per-doc (the cap holds on Xapian's order).
  const bool exact = !plan.exact_forms.empty() && request.per_doc == 0 &&
                     request.offset < kExactPool && request.limit > 0;
  const Xapian::doccount first = exact ? 0 : static_cast<Xapian::doccount>(request.offset);
  const Xapian::doccount wanted =
      exact ? std::max<Xapian::doccount>(kExactPool, static_cast<Xapian::doccount>(
                                                         request.offset + request.limit))
            : static_cast<Xapian::doccount>(request.limit);
  Xapian::MSet mset = enquire.get_mset(first, wanted, check);
  if (facets && !one_pass) CountFacets(db_, query, *facets, &*spy);
  SearchResult result;
  result.query = request.query;
  if (facets) {
    result.total = spy->counter().total();
  } else if (remote_facets) {
    // The spies see every match, before collapsing (check_at_least is the passage count),
    // and every passage has a doc id value: the count is exact.
    result.total = doc_spy.get_total();
  } else {
    result.total = request.per_doc > 0 ? mset.get_uncollapsed_matches_estimated()
                                       : mset.get_matches_estimated();
  }

  // Highlight terms: the unprefixed words, exact and folded. A stem of the query is here as
  // the words of the index that have it (ExpandStems), so no word needs stemming to match.
  std::set<std::string> terms;
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string& term = *t;
    if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) terms.insert(term);
  }
  // The page's entries: Xapian's order, or the pool reordered by score and bonus.
  struct Entry {
    Xapian::MSetIterator it;
    double score;
    std::vector<std::string> exact;  // the words whose bonus it has
  };
  std::vector<Entry> entries;
  for (auto it = mset.begin(); it != mset.end(); ++it) entries.push_back({it, it.get_weight(), {}});
  if (exact) {
    const size_t pool = std::min<size_t>(entries.size(), kExactPool);
    std::vector<std::vector<std::string>> held = ExactFormsHeld(plan.exact_forms, mset, pool);
    for (size_t k = 0; k < pool; ++k) {
      entries[k].exact = std::move(held[k]);
      entries[k].score += kExactFormBonus * static_cast<double>(entries[k].exact.size());
    }
    std::stable_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(pool),
                     [](const Entry& a, const Entry& b) { return a.score > b.score; });
    const size_t from = std::min(entries.size(), request.offset);
    const size_t to = std::min(entries.size(), request.offset + request.limit);
    entries = std::vector<Entry>(entries.begin() + static_cast<std::ptrdiff_t>(from),
                                 entries.begin() + static_cast<std::ptrdiff_t>(to));
  }
  int rank = static_cast<int>(request.offset);
  for (const Entry& entry : entries) {
    const Xapian::MSetIterator& it = entry.it;
    Result<Passage> passage = DecodePassage(it.get_document().get_data());
    if (!passage.ok()) continue;
    Hit hit;
    hit.passage = std::move(passage.value());
    hit.document = CachedDocument(hit.passage.doc_id);
    hit.rank = ++rank;
    hit.score = entry.score;
    if (hit.passage.text.size() > kMaxHitTextBytes) {
      hit.passage.text.resize(CharStart(hit.passage.text, kMaxHitTextBytes));
      hit.passage.text += "…";
      hit.text_truncated = true;
    }
    if (request.explain) hit.explanation = Explain(plan, *it, entry.exact);
    Highlighter local(terms, {}, AnalyzerFor(hit.passage.language));
    hit.highlights = local.Matches(hit.passage.text);
    hit.snippet = local.Best(hit.passage.text, request.snippet_bytes);
    result.hits.push_back(std::move(hit));
  }
  if (remote_facets) RemoteFacets(doc_spy, pillar_spy, &result);
  if (facets) {
    const FacetIndex::Counter& counter = spy->counter();
    result.pillar_facet = counter.ConceptCounts();
    const std::vector<uint32_t>& per_doc = counter.docs();
    // Every passage belongs to one document: the other facets follow from the doc facet.
    for (uint32_t d = 0; d + 1 < per_doc.size(); ++d) {
      size_t count = per_doc[d];
      if (count == 0) continue;
      const DocumentRecord& record = FacetDocument(d);
      result.doc_facet.emplace_hint(result.doc_facet.end(), facets->doc_ids()[d], count);
      const DocumentMetadata& m = record.meta;
      if (!m.issuer.empty()) result.org_facet[m.issuer] += count;
      if (!m.Year().empty()) result.year_facet[m.Year()] += count;
      if (!m.language.empty()) result.lang_facet[m.language] += count;
      if (!m.type.empty()) result.type_facet[m.type] += count;
    }
  }
  result.offset_past_end =
      request.offset > 0 && request.limit > 0 && result.hits.empty() && result.total > 0;
  return result;
}

Result<SearchResult> Searcher::RunSomeWords(const QueryPlan& plan, const SearchRequest& request) {
  const bool has_pairs =
      std::any_of(plan.unscaled_parts.begin(), plan.unscaled_parts.end(), IsPhrasePart);
  // With --per-doc the cap would not hold across the pool and the rest: the bonus everywhere.
  if (!has_pairs || request.per_doc > 0) return Run(plan, request);
  // The pool: the best passages without the bonus, the same whatever page is asked for, so
  // pages neither repeat nor skip a passage. Within it the bonus ranks as in Run; past it the
  // order is that of the other parts, every such passage scoring no more than the pool's.
  Xapian::Enquire enquire(db_);
  enquire.set_query(plan.ranked_without_pairs);
  enquire.set_weighting_scheme(RankingWeight());
  Xapian::MSet pool_mset = enquire.get_mset(0, kProximityPool);
  size_t pool_size = 0;
  const Xapian::Query pool = PoolFilter(pool_mset, pool_mset.size(), &pool_size);
  SearchResult result;
  size_t wanted_end = request.offset + request.limit;
  if (request.offset < pool_size) {
    QueryPlan in_pool = plan;
    in_pool.match = Xapian::Query(Xapian::Query::OP_FILTER, plan.match, pool);
    // The bonus outside the FILTER, as in Plan (Xapian 1.4.22 over-weighs an AND_MAYBE with
    // a phrase on its right under a FILTER).
    in_pool.ranked = Xapian::Query(Xapian::Query::OP_FILTER, plan.ranked_without_pairs, pool);
    for (const auto& part : plan.unscaled_parts) {
      if (IsPhrasePart(part)) {
        in_pool.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, in_pool.ranked, part.second);
      }
    }
    SearchRequest first = request;
    first.limit = std::min(wanted_end, pool_size) - request.offset;
    Result<SearchResult> ranked = Run(in_pool, first);
    if (!ranked.ok()) return ranked;
    result = std::move(*ranked);
  }
  if (wanted_end > pool_size && pool_mset.size() == kProximityPool) {
    QueryPlan past = plan;
    past.match = Xapian::Query(Xapian::Query::OP_AND_NOT, plan.match, pool);
    past.ranked = Xapian::Query(Xapian::Query::OP_AND_NOT, plan.ranked_without_pairs, pool);
    std::erase_if(past.unscaled_parts, IsPhrasePart);
    past.exact_forms.clear();  // past the pool, as the proximity bonus
    SearchRequest rest = request;
    rest.offset = request.offset > pool_size ? request.offset - pool_size : 0;
    rest.limit = wanted_end - std::max(request.offset, pool_size);
    Result<SearchResult> more = Run(past, rest);
    if (!more.ok()) return more;
    int rank = static_cast<int>(std::max(request.offset, pool_size));
    for (Hit& h : more->hits) {
      h.rank = ++rank;
      result.hits.push_back(std::move(h));
    }
  }
  return result;
}

Result<SearchResult> Searcher::Search(const SearchRequest& request) {
  if (Status connected = Reconnect(); !connected.ok()) return connected;
  try {
    return WithReopen(db_, [&]() -> Result<SearchResult> {
      RefreshCaches();
      Result<QueryPlan> plan = Plan(request);
      if (!plan.ok()) return plan.status();
      Result<SearchResult> result = Run(*plan, request);
      if (result.ok()) {
        result->also_searched = plan->expansions;
        result->not_searched = plan->question_words;
      }
      // The page's fill: the words in any order and distance (NEAR and ADJ dropped), any of
      // them, after the passages that match the whole query.
      const std::string relaxed = WithoutProximityOperators(request.query);
      if (result.ok() && result->total == 0 && !request.any_word &&
          !TrimAscii(request.query).empty()) {
        // No passage has all the words: say how many have some of them, so that an empty
        // result is never mistaken for "nothing on this".
        SearchRequest any = request;
        any.any_word = true;
        any.query = relaxed;
        Result<QueryPlan> q = Plan(any);
        if (q.ok()) {
          Xapian::Enquire e(db_);
          e.set_query(q->match);
          e.set_weighting_scheme(Xapian::BoolWeight());
          result->any_word_total = e.get_mset(0, 0, db_.get_doccount()).get_matches_estimated();
          result->near_relaxed = result->any_word_total > 0 && relaxed != request.query;
          if (result->any_word_total > 0 && request.any_word_fallback && request.limit > 0) {
            // Rank them rather than show nothing: on real documents a third of researchers'
            // multi-word queries have no passage with every word (issue 22, docs/query.md).
            any.facets = false;
            any.suggest = false;
            Result<SearchResult> fallback = RunSomeWords(*q, any);
            if (fallback.ok()) {
              result->hits = std::move(fallback->hits);
              for (Hit& h : result->hits) h.some_words = true;
              result->any_word_hits = !result->hits.empty();
            }
          }
        }
      }
      if (result.ok() && result->total > 0 && !request.any_word && request.any_word_fallback &&
          request.limit > 0 && result->hits.size() < request.limit && request.per_doc == 0 &&
          !TrimAscii(request.query).empty()) {
        // The passages with all the words do not fill the page: the best passages with some
        // of them follow, marked (the rank order researchers judged best on real documents:
        // all words first, then the rest; issue 22, docs/query.md). Counts and facets stay
        // those of all the words. Not with --per-doc: its cap could not hold across the two.
        SearchRequest any = request;
        any.any_word = true;
        any.query = relaxed;
        any.facets = false;
        any.suggest = false;
        any.offset = result->hits.empty() && request.offset > result->total
                         ? request.offset - result->total
                         : 0;
        any.limit = request.limit - result->hits.size();
        Result<QueryPlan> q = Plan(any);
        if (q.ok()) {
          QueryPlan rest = *q;
          rest.match = Xapian::Query(Xapian::Query::OP_AND_NOT, q->match, plan->match);
          rest.ranked = Xapian::Query(Xapian::Query::OP_AND_NOT, q->ranked, plan->match);
          rest.ranked_without_pairs =
              Xapian::Query(Xapian::Query::OP_AND_NOT, q->ranked_without_pairs, plan->match);
          Result<SearchResult> more = RunSomeWords(rest, any);
          if (more.ok()) {
            if (!more->hits.empty()) result->near_relaxed = relaxed != request.query;
            int rank = static_cast<int>(request.offset + result->hits.size());
            for (Hit& h : more->hits) {
              h.rank = ++rank;
              h.some_words = true;
              result->hits.push_back(std::move(h));
            }
            if (!result->hits.empty()) result->offset_past_end = false;
          }
        }
      }
      if (result.ok() && request.suggest && result->total < 3 &&
          !TrimAscii(request.query).empty()) {
        std::string suggestion;
        try {
          suggestion = SuggestQuery(db_, request.query);
        } catch (const Xapian::UnimplementedError&) {
          // A backend without a spelling table (remote shards): no suggestion.
        }
        if (!suggestion.empty()) {
          SearchRequest probe = request;
          probe.query = suggestion;
          probe.limit = 0;
          probe.facets = false;
          probe.suggest = false;
          Result<QueryPlan> q = Plan(probe);
          if (q.ok()) {
            Xapian::Enquire e(db_);
            e.set_query(q->match);
            if (e.get_mset(0, 0, 10).get_matches_estimated() > result->total) {
              result->did_you_mean = suggestion;
            }
          }
        }
      }
      return result;
    });
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

Result<SearchResult> Searcher::Similar(const std::string& requested_id,
                                       const SearchRequest& request) {
  Result<ResolvedId> resolved = ResolvePassageId(requested_id);
  if (!resolved.ok()) return resolved.status();
  const std::string& passage_id = resolved->id;
  try {
    return WithReopen(db_, [&]() -> Result<SearchResult> {
      RefreshCaches();
      std::string id_term = std::string(schema::kPrefixId) + passage_id;
      Xapian::PostingIterator p = db_.postlist_begin(id_term);
      if (p == db_.postlist_end(id_term)) {
        return Status::NotFound("no passage '" + passage_id + "' in " + index_dir_.string());
      }
      Xapian::RSet rset;
      rset.add_document(*p);
      // Plain words only: no prefixed terms, no stems (their words are there too).
      struct WordsOnly : Xapian::ExpandDecider {
        bool operator()(const std::string& term) const override {
          return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z') && term.size() > 2 &&
                 !std::isdigit(static_cast<unsigned char>(term[0]));
        }
      } words_only;
      Xapian::Enquire enquire(db_);
      Xapian::ESet eset = enquire.get_eset(25, rset, &words_only);
      std::vector<Xapian::Query> terms;
      for (auto t = eset.begin(); t != eset.end(); ++t) {
        terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
      }
      if (terms.empty()) return SearchResult();
      Xapian::Query q(Xapian::Query::OP_OR, terms.begin(), terms.end());
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, Xapian::Query(id_term));
      SearchRequest r = request;
      r.query = "";
      Status filters_ok = ResolveFilters(&r);
      if (!filters_ok.ok()) return filters_ok;
      QueryPlan plan;
      plan.match = plan.ranked = Filtered(q, r);
      plan.parts.emplace_back("similar", plan.match);
      if (Xapian::Query boost = Boost(r); !boost.empty()) {
        plan.unscaled_parts.emplace_back("boost", boost);
        plan.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, plan.ranked, boost);
      }
      Result<SearchResult> result = Run(plan, r);
      if (result.ok()) result->query = "similar:" + passage_id;
      return result;
    });
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

Result<ResolvedId> Searcher::ResolvePassageId(const std::string& passage_id) {
  try {
    if (Status connected = Reconnect(); !connected.ok()) return connected;
    Result<ResolvedId> resolved =
        WithReopen(db_, [&] { return pillar::ResolvePassageId(db_, passage_id); });
    // An old id's alias lives on the shard of its document, beside the passage it names.
    for (size_t i = 0; i < shard_dbs_.size() && !resolved.ok() &&
                       resolved.status().code() == Status::Code::kNotFound;
         ++i) {
      Result<ResolvedId> on_shard = pillar::ResolvePassageId(shard_dbs_[i], passage_id);
      if (on_shard.ok() || on_shard.status().code() != Status::Code::kNotFound) {
        resolved = std::move(on_shard);
      }
    }
    if (!resolved.ok() && resolved.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(resolved.status().message() + " in " + index_dir_.string());
    }
    return resolved;
  } catch (const Xapian::Error& e) {
    if (!shard_entries_.empty()) return ErrorStatus(e);
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

Result<Passage> Searcher::GetPassage(const std::string& requested_id) {
  Result<ResolvedId> resolved = ResolvePassageId(requested_id);
  if (!resolved.ok()) return resolved.status();
  const std::string& passage_id = resolved->id;
  try {
    return WithReopen(db_, [&]() -> Result<Passage> {
      std::string term = std::string(schema::kPrefixId) + passage_id;
      Xapian::PostingIterator p = db_.postlist_begin(term);
      if (p == db_.postlist_end(term)) {
        return Status::NotFound("no passage '" + passage_id + "' in " + index_dir_.string());
      }
      return DecodePassage(db_.get_document(*p).get_data());
    });
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

Result<DocumentRecord> Searcher::GetDocument(const std::string& doc_id) {
  try {
    if (Status connected = Reconnect(); !connected.ok()) return connected;
    std::string data =
        WithReopen(db_, [&] { return Metadata(std::string(schema::kMetaDocPrefix) + doc_id); });
    if (data.empty()) return Status::NotFound("no document '" + doc_id + "'");
    return DecodeDocumentRecord(data);
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

Result<std::string> Searcher::GetDocumentText(const std::string& doc_id) {
  try {
    if (Status connected = Reconnect(); !connected.ok()) return connected;
    std::string text =
        WithReopen(db_, [&] { return Metadata(std::string(schema::kMetaTextPrefix) + doc_id); });
    if (text.empty()) return Status::NotFound("no text for document '" + doc_id + "'");
    return text;
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

Result<std::vector<Passage>> Searcher::DocumentPassages(const std::string& doc_id) {
  SearchRequest request;
  request.docs = {doc_id};
  std::vector<Passage> out;
  Status st =
      ForEachPassage(request, [&](const Passage& p, const DocumentRecord&) { out.push_back(p); });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<DocumentRecord>> Searcher::Documents() {
  try {
    if (Status connected = Reconnect(); !connected.ok()) return connected;
    return WithReopen(db_, [&] {
      std::vector<DocumentRecord> out;
      const std::string prefix(schema::kMetaDocPrefix);
      // Each shard holds the records of its own documents.
      std::vector<Xapian::Database> sources = shard_dbs_;
      if (sources.empty()) sources.push_back(db_);
      for (const Xapian::Database& db : sources) {
        for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
          Result<DocumentRecord> r = DecodeDocumentRecord(db.get_metadata(*it));
          if (r.ok()) out.push_back(std::move(r.value()));
        }
      }
      if (sources.size() > 1) {
        std::sort(out.begin(), out.end(), [](const DocumentRecord& a, const DocumentRecord& b) {
          return a.meta.id < b.meta.id;
        });
      }
      return out;
    });
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

Status Searcher::ForEachPassage(
    const SearchRequest& request,
    const std::function<void(const Passage&, const DocumentRecord&)>& fn) {
  if (Status connected = Reconnect(); !connected.ok()) return connected;
  try {
    return WithReopen(db_, [&]() -> Status {
      RefreshCaches();
      Result<Xapian::Query> query = BuildQuery(request);
      if (!query.ok()) return query.status();
      Xapian::Enquire enquire(db_);
      enquire.set_query(*query);
      if (TrimAscii(request.query).empty() && remote_shards_) {
        // Xapian cannot send a KeyMaker to a remote shard: sort by the doc id slot there, and
        // each document's passages (all on one shard) by ordinal here.
        enquire.set_sort_by_value(SlotNo(Slot::kDocId), false);
        Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
        std::vector<Passage> group;
        auto flush = [&] {
          std::stable_sort(group.begin(), group.end(), [](const Passage& a, const Passage& b) {
            return a.ordinal < b.ordinal;
          });
          for (const Passage& p : group) fn(p, CachedDocument(p.doc_id));
          group.clear();
        };
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          Result<Passage> p = DecodePassage(it.get_document().get_data());
          if (!p.ok()) continue;
          if (!group.empty() && group.front().doc_id != p->doc_id) flush();
          group.push_back(std::move(p.value()));
        }
        flush();
        return Status::Ok();
      }
      if (TrimAscii(request.query).empty()) {
        // Document order: by doc id, then ordinal.
        Xapian::MultiValueKeyMaker order;
        order.add_value(SlotNo(Slot::kDocId));
        order.add_value(SlotNo(Slot::kOrdinal));
        enquire.set_sort_by_key(&order, false);
        Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          Result<Passage> p = DecodePassage(it.get_document().get_data());
          if (p.ok()) fn(*p, CachedDocument(p->doc_id));
        }
        return Status::Ok();
      }
      Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        Result<Passage> p = DecodePassage(it.get_document().get_data());
        if (p.ok()) fn(*p, CachedDocument(p->doc_id));
      }
      return Status::Ok();
    });
  } catch (const Xapian::Error& e) {
    return ErrorStatus(e);
  }
}

}  // namespace pillar
