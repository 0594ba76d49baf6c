#pragma once

// Per-passage facet keys held in memory, so that counting the facets of a query costs two
// array lookups per matching passage instead of reading and parsing value slots.
//
// Built once per database revision from the boolean postings (XD<doc id> and XP<concept id>,
// see schema.h) and thrown away when the database is reopened at another revision. Document
// ids in Xapian can have holes (deleted passages) and run past get_doccount(): the tables are
// sized by get_lastdocid() and a docid that no XD posting names has no document.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

namespace pillar {

class FacetIndex {
 public:
  // Reads the XD and XP postings of `db` (at its current revision).
  explicit FacetIndex(const Xapian::Database& db);

  // The document ordinal of a passage (index into doc_ids()), or kNone.
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t DocOf(Xapian::docid did) const {
    return did < doc_of_.size() ? doc_of_[did] : kNone;
  }
  const std::vector<std::string>& doc_ids() const { return doc_ids_; }
  const std::vector<std::string>& concepts() const { return concepts_; }
  Xapian::docid last_docid() const { return static_cast<Xapian::docid>(doc_of_.size()) - 1; }

  // Counts matching passages by document ordinal and by concept ordinal.
  class Counter {
   public:
    explicit Counter(const FacetIndex& index)
        : index_(index),
          docs_(index.doc_ids_.size() + 1, 0),
          concepts_(index.concepts_.size(), 0) {}
    void Add(Xapian::docid did) {
      ++total_;
      uint32_t d = index_.DocOf(did);
      ++docs_[d == kNone ? docs_.size() - 1 : d];
      // No concepts at all (an index tagged by nothing): no bits to read.
      if (did >= index_.doc_of_.size() || index_.words_ == 0) return;
      const uint64_t* words = index_.pillar_bits_.data() + static_cast<size_t>(did) * index_.words_;
      for (size_t w = 0; w < index_.words_; ++w) {
        uint64_t bits = words[w];
        while (bits != 0) {
          ++concepts_[w * 64 + static_cast<size_t>(__builtin_ctzll(bits))];
          bits &= bits - 1;
        }
      }
    }
    // Adds every docid whose bit is set in `bits` (bit d % 64 of word d / 64 is docid d).
    void AddAll(const std::vector<uint64_t>& bits) {
      for (size_t w = 0; w < bits.size(); ++w) {
        uint64_t word = bits[w];
        while (word != 0) {
          Add(static_cast<Xapian::docid>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
          word &= word - 1;
        }
      }
    }
    size_t total() const { return total_; }
    // Passages per document ordinal (the last slot: passages without a document term).
    const std::vector<uint32_t>& docs() const { return docs_; }
    // Concept id -> passages, only concepts with at least one.
    std::map<std::string, size_t> ConceptCounts() const;
    // Document id -> passages, only documents with at least one.
    std::map<std::string, size_t> DocCounts() const;

   private:
    const FacetIndex& index_;
    std::vector<uint32_t> docs_;
    std::vector<uint32_t> concepts_;
    size_t total_ = 0;
  };

  // Counts the passages matching `query` into `counter` by reading postings straight into
  // docid bitmaps, without Xapian's matcher (no weights, no documents). Handles terms,
  // MatchAll/MatchNothing and OR, AND, AND_NOT, XOR, AND_MAYBE, FILTER, SYNONYM, MAX and
  // SCALE_WEIGHT over them; returns false, having counted nothing, for anything else
  // (phrases, NEAR, wildcards, value ranges, ELITE_SET, posting sources), which the caller
  // then counts through the matcher. `db` must be at the revision the index was built from.
  static bool CanCount(const Xapian::Query& query);
  void CountMatches(const Xapian::Database& db, const Xapian::Query& query,
                    Counter* counter) const;

 private:
  std::vector<uint32_t> doc_of_;       // docid -> document ordinal or kNone
  std::vector<std::string> doc_ids_;   // document ordinal -> doc id (sorted)
  std::vector<std::string> concepts_;  // concept ordinal -> concept id (sorted)
  size_t words_ = 0;                   // 64-bit words of pillar bits per docid
  std::vector<uint64_t> pillar_bits_;  // docid * words_ + concept / 64 -> bit concept % 64

  using Bits = std::vector<uint64_t>;
  Bits Evaluate(const Xapian::Database& db, const Xapian::Query& query) const;
  void ReadTerm(const Xapian::Database& db, const std::string& term, Bits* bits) const;
};

// A match spy that feeds each matching passage's docid to a FacetIndex::Counter.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(const FacetIndex& index) : counter_(index) {}
  void operator()(const Xapian::Document& doc, double) override { counter_.Add(doc.get_docid()); }
  const FacetIndex::Counter& counter() const { return counter_; }
  FacetIndex::Counter& counter() { return counter_; }

 private:
  FacetIndex::Counter counter_;
};

}  // namespace pillar
