#pragma once

#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "query/search/searcher.h"

namespace pillar {

// One side of a comparison (issue 19, the web UI's Compare view): the passages tagged with
// `concept_id` (or all of them) in a group of documents. The group is the documents matching every
// non-empty field: any of `orgs` (issuing bodies as the org facet prints them), `years` (a year or
// a range as the query language writes it: "2023", "2012..2015", "2020.."), any of `docs`.
struct CompareSide {
  std::string concept_id;         // e.g. "un-tier-2"; "" = every passage of the group
  std::vector<std::string> orgs;  // issuing bodies; any one
  std::string years;              // "" = every year
  std::vector<std::string> docs;  // document ids; any one
};

struct CompareRequest {
  std::string query;  // query-language text both sides must also match; "" = none
  CompareSide a;
  CompareSide b;
  size_t passages = 10;  // passages listed per side (the best ranked, or in document order
                         //   when `query` is empty)
  size_t words = 15;     // distinguishing words listed per side
};

// A word that one side uses more than the other, by the log-odds ratio with an informative
// Dirichlet prior (Monroe, Colaresi and Quinn 2008) taken from both sides' counts together:
// z is the ratio over its standard deviation, positive for side a, negative for side b.
struct DistinctiveWord {
  std::string word;
  size_t count_a = 0;
  size_t count_b = 0;
  double z = 0;
};

struct CompareSideResult {
  size_t total = 0;                                  // passages on this side
  size_t words = 0;                                  // words counted in them (stop words left out)
  std::vector<std::pair<std::string, size_t>> docs;  // doc id -> passages, most first
  std::vector<Hit> hits;                             // the first CompareRequest::passages
  std::vector<DistinctiveWord> distinctive;          // most distinctive first
};

struct CompareResult {
  CompareSideResult a;
  CompareSideResult b;
};

// Both sides of `request`. InvalidArgument (naming the side) for an unknown concept,
// document or malformed query or year range, as Searcher::Search words it.
Result<CompareResult> Compare(Searcher& searcher, const CompareRequest& request);

// {query, a: {concept, orgs, years, docs, total, words, docs_count: [{doc, passages}],
// passages: [passage objects + snippet], distinctive: [{word, count_a, count_b, z}]}, b: ...}.
std::string CompareResultJson(const CompareRequest& request, const CompareResult& result);

}  // namespace pillar
