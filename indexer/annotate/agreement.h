#pragma once

// Agreement between coders who tagged the same passages by hand (`pillar agreement`): Cohen's
// kappa for each pair of coders and Krippendorff's alpha over all of them, per concept, from
// the decisions in the annotation store.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "indexer/annotate/annotation_store.h"

namespace pillar {

// Cohen's kappa of two coders' yes/no labels on the same units: (po - pe) / (1 - pe), po the
// share of units they agree on, pe = pA*pB + (1-pA)*(1-pB) the agreement expected by chance
// from each one's share of yes. Undefined (nullopt) with no units or when pe is 1 (both said
// the same thing on every unit: nothing to correct for chance).
std::optional<double> CohenKappa(const std::vector<std::pair<bool, bool>>& labels);

// Krippendorff's alpha for nominal data: 1 - Do/De from the coincidence matrix. `units` holds
// the values each unit received (one per coder who coded it, any number of coders); units with
// fewer than two values are not pairable and are left out. Undefined (nullopt) with fewer than
// two pairable values or when every value is the same (De = 0).
std::optional<double> KrippendorffAlphaNominal(const std::vector<std::vector<int>>& units);

// What each coder decided on each passage they coded: passage id -> coder -> the concepts the
// coder's own decisions there add up to (ApplyManualDecisions over that coder's decisions
// alone, rule tags left out). A coder coded a passage when they made any decision on it;
// orphaned and unreadable decisions are left out, so are coders not in `coders`.
using Codings = std::map<std::string, std::map<std::string, std::set<std::string>>>;
Codings CodingsOf(const std::vector<Annotation>& annotations,
                  const std::vector<std::string>& coders);

// One concept's agreement.
struct ConceptAgreement {
  std::string concept_id;
  size_t units = 0;  // passages coded by at least two of the coders
  struct Pair {
    std::string first, second;
    size_t units = 0;  // passages both coded
    size_t agree = 0;  // ... on which they agree about this concept
    std::optional<double> kappa;
  };
  std::vector<Pair> pairs;  // each pair of coders, in the order given
  std::optional<double> alpha;
};

// A passage and concept the coders who coded it do not agree on.
struct Disagreement {
  std::string passage_id;
  std::string concept_id;
  std::vector<std::string> yes, no;  // coders, in the order given
};

struct AgreementReport {
  std::vector<std::string> coders;
  std::vector<ConceptAgreement> concepts;
  std::vector<Disagreement> disagreements;  // by passage id, then concept
};

// Agreement of `coders` on `concept_ids` (when empty: every concept any of them applied
// anywhere, sorted) over the passages in `codings`.
AgreementReport MeasureAgreement(const Codings& codings, const std::vector<std::string>& coders,
                                 const std::vector<std::string>& concept_ids);

}  // namespace pillar
