#include "query/search/facet_index.h"

#include <algorithm>

#include "indexer/index/schema.h"
#include "query/search/query_rewrite.h"

namespace pillar {

FacetIndex::FacetIndex(const Xapian::Database& db) {
  Xapian::docid last = db.get_lastdocid();
  doc_of_.assign(static_cast<size_t>(last) + 1, kNone);

  const std::string doc_prefix(schema::kPrefixDoc);
  for (auto t = db.allterms_begin(doc_prefix); t != db.allterms_end(doc_prefix); ++t) {
    const std::string term = *t;
    uint32_t ordinal = static_cast<uint32_t>(doc_ids_.size());
    doc_ids_.push_back(term.substr(doc_prefix.size()));
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      Xapian::docid did = *p;
      if (did < doc_of_.size()) doc_of_[did] = ordinal;
    }
  }

  const std::string pillar_prefix(schema::kPrefixPillar);
  std::vector<std::string> pillar_terms;
  for (auto t = db.allterms_begin(pillar_prefix); t != db.allterms_end(pillar_prefix); ++t) {
    pillar_terms.push_back(*t);
    concepts_.push_back((*t).substr(pillar_prefix.size()));
  }
  words_ = (concepts_.size() + 63) / 64;
  pillar_bits_.assign(doc_of_.size() * words_, 0);
  for (size_t c = 0; c < pillar_terms.size(); ++c) {
    const uint64_t bit = uint64_t{1} << (c % 64);
    const size_t word = c / 64;
    for (auto p = db.postlist_begin(pillar_terms[c]); p != db.postlist_end(pillar_terms[c]);
         ++p) {
      Xapian::docid did = *p;
      if (did < doc_of_.size()) pillar_bits_[static_cast<size_t>(did) * words_ + word] |= bit;
    }
  }
}

bool FacetIndex::CanCount(const Xapian::Query& query) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return true;
    default:
      if (!IsSetOperator(query.get_type()) &&
          query.get_type() != Xapian::Query::OP_SCALE_WEIGHT) {
        return false;
      }
      for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (!CanCount(query.get_subquery(i))) return false;
      }
      return true;
  }
}

void FacetIndex::CountMatches(const Xapian::Database& db, const Xapian::Query& query,
                              Counter* counter) const {
  counter->AddAll(Evaluate(db, query));
}

void FacetIndex::ReadTerm(const Xapian::Database& db, const std::string& term,
                          Bits* bits) const {
  const Xapian::docid limit = static_cast<Xapian::docid>(doc_of_.size());
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    Xapian::docid did = *p;
    if (did < limit) (*bits)[did >> 6] |= uint64_t{1} << (did & 63);
  }
}

namespace {

std::string LeafTerm(const Xapian::Query& leaf) {
  auto t = leaf.get_terms_begin();
  return t == leaf.get_terms_end() ? std::string() : *t;
}

size_t Popcount(const std::vector<uint64_t>& bits) {
  size_t n = 0;
  for (uint64_t w : bits) n += static_cast<size_t>(__builtin_popcountll(w));
  return n;
}

}  // namespace

FacetIndex::Bits FacetIndex::Evaluate(const Xapian::Database& db,
                                      const Xapian::Query& query) const {
  const size_t nwords = (doc_of_.size() + 63) / 64;
  Bits out(nwords, 0);
  const size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      ReadTerm(db, LeafTerm(query), &out);
      return out;
    case Xapian::Query::LEAF_MATCH_ALL:
      ReadTerm(db, std::string(), &out);  // the empty term's postings: every document
      return out;
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return out;
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:  // the optional side only changes weights
      return n == 0 ? out : Evaluate(db, query.get_subquery(0));
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      for (size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = query.get_subquery(i);
        if (sub.get_type() == Xapian::Query::LEAF_TERM) {
          ReadTerm(db, LeafTerm(sub), &out);
        } else {
          Bits b = Evaluate(db, sub);
          for (size_t w = 0; w < nwords; ++w) out[w] |= b[w];
        }
      }
      return out;
    case Xapian::Query::OP_XOR:  // documents matching an odd number of subqueries
      for (size_t i = 0; i < n; ++i) {
        Bits b = Evaluate(db, query.get_subquery(i));
        for (size_t w = 0; w < nwords; ++w) out[w] ^= b[w];
      }
      return out;
    case Xapian::Query::OP_AND_NOT: {
      if (n == 0) return out;
      out = Evaluate(db, query.get_subquery(0));
      for (size_t i = 1; i < n; ++i) {
        Bits b = Evaluate(db, query.get_subquery(i));
        for (size_t w = 0; w < nwords; ++w) out[w] &= ~b[w];
      }
      return out;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
      if (n == 0) return out;
      // Complex subqueries first, then terms from the rarest: a term much more frequent than
      // the passages still in the running is probed with skip_to instead of read whole.
      std::vector<Xapian::Query> complex;
      std::vector<std::pair<Xapian::doccount, std::string>> terms;
      for (size_t i = 0; i < n; ++i) {
        Xapian::Query sub = query.get_subquery(i);
        if (sub.get_type() == Xapian::Query::LEAF_TERM) {
          std::string term = LeafTerm(sub);
          terms.emplace_back(db.get_termfreq(term), std::move(term));
        } else {
          complex.push_back(std::move(sub));
        }
      }
      std::sort(terms.begin(), terms.end());
      bool first = true;
      size_t live = 0;
      for (const Xapian::Query& sub : complex) {
        Bits b = Evaluate(db, sub);
        if (first) {
          out = std::move(b);
          first = false;
        } else {
          for (size_t w = 0; w < nwords; ++w) out[w] &= b[w];
        }
      }
      if (!first) live = Popcount(out);
      for (const auto& [freq, term] : terms) {
        if (first) {
          ReadTerm(db, term, &out);
          first = false;
          live = freq;
          continue;
        }
        if (live == 0) break;
        if (live * 8 < freq) {
          // Probe: keep the bits of docids the term's postings reach.
          Xapian::PostingIterator p = db.postlist_begin(term);
          const Xapian::PostingIterator end = db.postlist_end(term);
          size_t kept = 0;
          for (size_t w = 0; w < nwords; ++w) {
            uint64_t word = out[w], keep = 0;
            while (word != 0) {
              uint64_t low = word & (~word + 1);
              Xapian::docid did = static_cast<Xapian::docid>(
                  w * 64 + static_cast<size_t>(__builtin_ctzll(word)));
              word &= word - 1;
              if (p == end) break;
              p.skip_to(did);
              if (p == end) break;
              if (*p == did) {
                keep |= low;
                ++kept;
              }
            }
            out[w] = keep;
          }
          live = kept;
        } else {
          Bits b(nwords, 0);
          ReadTerm(db, term, &b);
          for (size_t w = 0; w < nwords; ++w) out[w] &= b[w];
          live = Popcount(out);
        }
      }
      return out;
    }
    default:
      return out;  // not reached: CanCount said no
  }
}

std::map<std::string, size_t> FacetIndex::Counter::ConceptCounts() const {
  std::map<std::string, size_t> out;
  for (size_t c = 0; c < concepts_.size(); ++c) {
    if (concepts_[c] != 0) out.emplace_hint(out.end(), index_.concepts_[c], concepts_[c]);
  }
  return out;
}

std::map<std::string, size_t> FacetIndex::Counter::DocCounts() const {
  std::map<std::string, size_t> out;
  for (size_t d = 0; d + 1 < docs_.size(); ++d) {
    if (docs_[d] != 0) out.emplace_hint(out.end(), index_.doc_ids_[d], docs_[d]);
  }
  return out;
}

}  // namespace pillar
