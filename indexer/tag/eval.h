#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {

// Precision, recall and F1 of one concept over a set of passages.
struct ConceptScores {
  std::string id;
  int tp = 0;  // predicted and gold
  int fp = 0;  // predicted, not gold
  int fn = 0;  // gold, not predicted
  double precision = 0, recall = 0, f1 = 0;
};

struct EvalReport {
  std::vector<ConceptScores> per_concept;  // in the order of `concept_ids`
  double micro_p = 0, micro_r = 0, micro_f1 = 0;  // from tp/fp/fn summed over concepts
  double macro_p = 0, macro_r = 0, macro_f1 = 0;  // unweighted means of the per-concept values
  int items = 0;                                  // passages evaluated
};

// Scores multi-label predictions against gold labels. Each item is one passage: (predicted
// concept ids, gold concept ids). Only the concepts in `concept_ids` count (ids outside it are
// ignored); an empty `concept_ids` means every id seen in any item, sorted.
// Undefined ratios follow scikit-learn's zero_division=0: precision with no predictions,
// recall with no gold and F1 with P + R = 0 are 0, and such concepts still count in the macro
// means (as sklearn does when given labels=). Macro F1 is the mean of per-concept F1s, not the
// F1 of macro P and R.
EvalReport Evaluate(
    const std::vector<std::pair<std::set<std::string> /*predicted*/,
                                std::set<std::string> /*gold*/>>& items,
    const std::vector<std::string>& concept_ids);

// Reads gold labels from an RFC 4180 CSV file (UTF-8, optional BOM, CRLF or LF, quoted
// fields with "" escapes and embedded newlines) whose header names the columns `passage_id`
// and `concepts` (other columns are ignored). Concepts inside the field are separated by ';',
// ',' or white space; an empty field marks a passage with no concept (a negative).
// Returns (passage id, concepts) in file order. NotFound/IOError when the file cannot be read;
// Corruption naming the file and line for a missing column, an unterminated quote, a row with
// the wrong number of fields, an empty or duplicate passage id.
Result<std::vector<std::pair<std::string, std::set<std::string>>>> LoadGoldCsv(
    const std::filesystem::path& path);

// One row of a gold CSV with every column: `fields` maps each header name to the row's value
// (passage_id and concepts included), `line` is where the row starts.
struct GoldRow {
  std::string passage_id;
  std::set<std::string> concepts;
  std::map<std::string, std::string> fields;
  size_t line = 0;
};

// LoadGoldCsv with every column kept (the real-text gold set stores a split, the source file
// and a text hash beside the labels). Same errors as LoadGoldCsv.
Result<std::vector<GoldRow>> LoadGoldRows(const std::filesystem::path& path);

// The hash a gold file stores to find a passage again when its id changed: FNV-1a 64-bit of
// the text with runs of ASCII white space made one space, trimmed, and ASCII letters
// lowercased, as 16 lowercase hex digits. Not a secure hash: it tells passages of one
// document apart.
std::string GoldTextHash(std::string_view text);

// Agreement of two labellers on one concept over the passages both labelled.
struct KappaScores {
  std::string id;
  int items = 0;
  int both = 0, first_only = 0, second_only = 0, neither = 0;
  double observed = 0;  // share of passages where they agree
  double expected = 0;  // agreement expected by chance from each one's rate of yes
  double kappa = 0;     // (observed - expected) / (1 - expected)
  bool defined = false; // false when expected == 1 (both said the same thing everywhere)
};

// Cohen's kappa per concept: each item is one passage, (first labeller's concepts, second
// labeller's concepts). Concepts as in Evaluate.
std::vector<KappaScores> CohenKappa(
    const std::vector<std::pair<std::set<std::string>, std::set<std::string>>>& items,
    const std::vector<std::string>& concept_ids);

}  // namespace pillar
