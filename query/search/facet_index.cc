#include "query/search/facet_index.h"

#include "indexer/index/schema.h"

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
