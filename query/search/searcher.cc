#include "query/search/searcher.h"

#include <algorithm>

#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "indexer/index/schema.h"
#include "indexer/segment/analyzer.h"
#include "query/search/stopwords.h"

namespace pillar {
namespace {

using schema::Slot;
using schema::SlotNo;

// Counts each concept id of a passage's multi-valued pillar slot once (ValueCountMatchSpy
// counts whole values, which would count "un-tier-1\nau-political" as one category).
class PillarSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    std::string v = doc.get_value(SlotNo(Slot::kPillars));
    size_t pos = 0;
    while (pos < v.size()) {
      size_t nl = v.find('\n', pos);
      if (nl == std::string::npos) nl = v.size();
      ++counts[v.substr(pos, nl - pos)];
      pos = nl + 1;
    }
  }
  std::map<std::string, size_t> counts;
};

Xapian::Query FilterOf(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& v : values) terms.emplace_back(std::string(prefix) + v);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

template <typename F>
auto WithReopen(Xapian::Database& db, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Xapian::DatabaseModifiedError&) {
    db.reopen();
    return fn();
  }
}

}  // namespace

Searcher::Searcher(std::filesystem::path index_dir, Xapian::Database db)
    : index_dir_(std::move(index_dir)), db_(std::move(db)) {}

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::filesystem::path& index_dir) {
  std::filesystem::path xapian_dir = XapianPath(index_dir);
  std::error_code ec;
  if (!std::filesystem::exists(xapian_dir, ec)) {
    return Status::NotFound(index_dir.string() +
                            ": no index here; run `pillar index PATH --index " +
                            index_dir.string() + "` first");
  }
  try {
    Xapian::Database db(xapian_dir.string());
    std::string version = db.get_metadata(std::string(schema::kMetaSchema));
    if (version != schema::kSchemaVersion) {
      return Status::InvalidArgument(index_dir.string() + ": index schema version '" + version +
                                     "' is not '" + std::string(schema::kSchemaVersion) +
                                     "'; index again");
    }
    return std::unique_ptr<Searcher>(new Searcher(index_dir, std::move(db)));
  } catch (const Xapian::Error& e) {
    return Status::IOError(xapian_dir.string() + ": " + e.get_description());
  }
}

size_t Searcher::passage_count() const { return db_.get_doccount(); }

Result<Xapian::Query> Searcher::BuildQuery(const SearchRequest& request,
                                           std::string* stem_language) {
  *stem_language = request.languages.size() == 1 ? request.languages[0] : "en";
  Xapian::Query query = Xapian::Query::MatchAll;
  if (!TrimAscii(request.query).empty()) {
    Xapian::QueryParser parser;
    parser.set_database(db_);
    std::string stemmer = Analyzer::StemmerName(*stem_language);
    if (stemmer != "none") parser.set_stemmer(Xapian::Stem(stemmer));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    static Xapian::SimpleStopper* stopper = [] {
      auto* st = new Xapian::SimpleStopper;
      for (std::string_view w : kStopwords) st->add(std::string(w));
      return st;
    }();
    parser.set_stopper(stopper);
    for (const schema::Field& f : schema::kFields) {
      if (f.name == "id") continue;
      if (f.kind == schema::FieldKind::kBoolean) {
        parser.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
      } else {
        parser.add_prefix(std::string(f.name), std::string(f.prefix));
      }
    }
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_PURE_NOT;
    try {
      query = parser.parse_query(StripElisions(request.query), flags);
    } catch (const Xapian::QueryParserError& e) {
      return Status::InvalidArgument("cannot parse query '" + request.query + "': " + e.get_msg());
    }
    if (query.empty()) query = Xapian::Query::MatchNothing;
  }
  std::vector<Xapian::Query> filters;
  if (!request.pillars.empty()) filters.push_back(FilterOf(schema::kPrefixPillar, request.pillars));
  if (!request.docs.empty()) filters.push_back(FilterOf(schema::kPrefixDoc, request.docs));
  if (!request.languages.empty()) {
    filters.push_back(FilterOf(schema::kPrefixLang, request.languages));
  }
  for (const Xapian::Query& f : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);
  return query;
}

const DocumentRecord& Searcher::CachedDocument(const std::string& doc_id) {
  auto it = doc_cache_.find(doc_id);
  if (it != doc_cache_.end()) return it->second;
  DocumentRecord record;
  Result<DocumentRecord> decoded = DecodeDocumentRecord(
      db_.get_metadata(std::string(schema::kMetaDocPrefix) + doc_id));
  if (decoded.ok()) record = std::move(decoded.value());
  if (record.meta.id.empty()) record.meta.id = doc_id;
  return doc_cache_.emplace(doc_id, std::move(record)).first->second;
}

Result<SearchResult> Searcher::Search(const SearchRequest& request) {
  try {
    return WithReopen(db_, [&]() -> Result<SearchResult> {
      doc_cache_.clear();
      std::string language;
      Result<Xapian::Query> query = BuildQuery(request, &language);
      if (!query.ok()) return query.status();

      Xapian::Enquire enquire(db_);
      enquire.set_query(*query);
      enquire.set_weighting_scheme(Xapian::BM25Weight());
      PillarSpy pillar_spy;
      Xapian::ValueCountMatchSpy doc_spy(SlotNo(Slot::kDocId));
      if (request.facets) {
        enquire.add_matchspy(&pillar_spy);
        enquire.add_matchspy(&doc_spy);
      }
      Xapian::doccount check = request.facets ? db_.get_doccount() : 0;
      Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                           static_cast<Xapian::doccount>(request.limit), check);
      SearchResult result;
      result.query = request.query;
      result.total = mset.get_matches_estimated();

      // Highlight terms: unprefixed words and Z-stems of unprefixed words.
      std::set<std::string> terms, stems;
      for (auto t = query->get_unique_terms_begin(); t != query->get_unique_terms_end(); ++t) {
        const std::string& term = *t;
        if (term.empty()) continue;
        if (term[0] == 'Z' && term.size() > 1 && !(term[1] >= 'A' && term[1] <= 'Z')) {
          stems.insert(term.substr(1));
        } else if (!(term[0] >= 'A' && term[0] <= 'Z')) {
          terms.insert(term);
        }
      }
      int rank = static_cast<int>(request.offset);
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        Result<Passage> passage = DecodePassage(it.get_document().get_data());
        if (!passage.ok()) continue;
        Hit hit;
        hit.passage = std::move(passage.value());
        hit.document = CachedDocument(hit.passage.doc_id);
        hit.rank = ++rank;
        hit.score = it.get_weight();
        Analyzer passage_analyzer(hit.passage.language.empty() ? language : hit.passage.language);
        Highlighter local(terms, stems, passage_analyzer);
        hit.highlights = local.Matches(hit.passage.text);
        hit.snippet = local.Best(hit.passage.text, request.snippet_bytes);
        result.hits.push_back(std::move(hit));
      }
      if (request.facets) {
        result.pillar_facet = pillar_spy.counts;
        for (auto v = doc_spy.values_begin(); v != doc_spy.values_end(); ++v) {
          result.doc_facet[*v] = v.get_termfreq();
        }
      }
      return result;
    });
  } catch (const Xapian::Error& e) {
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

Result<Passage> Searcher::GetPassage(const std::string& passage_id) {
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
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

Result<DocumentRecord> Searcher::GetDocument(const std::string& doc_id) {
  try {
    std::string data = db_.get_metadata(std::string(schema::kMetaDocPrefix) + doc_id);
    if (data.empty()) return Status::NotFound("no document '" + doc_id + "'");
    return DecodeDocumentRecord(data);
  } catch (const Xapian::Error& e) {
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

Result<std::string> Searcher::GetDocumentText(const std::string& doc_id) {
  try {
    std::string text = db_.get_metadata(std::string(schema::kMetaTextPrefix) + doc_id);
    if (text.empty()) return Status::NotFound("no text for document '" + doc_id + "'");
    return text;
  } catch (const Xapian::Error& e) {
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

Result<std::vector<Passage>> Searcher::DocumentPassages(const std::string& doc_id) {
  SearchRequest request;
  request.docs = {doc_id};
  std::vector<Passage> out;
  Status st = ForEachPassage(request, [&](const Passage& p, const DocumentRecord&) {
    out.push_back(p);
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<DocumentRecord>> Searcher::Documents() {
  try {
    std::vector<DocumentRecord> out;
    const std::string prefix(schema::kMetaDocPrefix);
    for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
      Result<DocumentRecord> r = DecodeDocumentRecord(db_.get_metadata(*it));
      if (r.ok()) out.push_back(std::move(r.value()));
    }
    return out;
  } catch (const Xapian::Error& e) {
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

Status Searcher::ForEachPassage(
    const SearchRequest& request,
    const std::function<void(const Passage&, const DocumentRecord&)>& fn) {
  try {
    return WithReopen(db_, [&]() -> Status {
      doc_cache_.clear();
      std::string language;
      Result<Xapian::Query> query = BuildQuery(request, &language);
      if (!query.ok()) return query.status();
      Xapian::Enquire enquire(db_);
      enquire.set_query(*query);
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
    return Status::IOError(index_dir_.string() + ": " + e.get_description());
  }
}

}  // namespace pillar
