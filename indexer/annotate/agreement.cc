#include "indexer/annotate/agreement.h"

#include <algorithm>
#include <cmath>

namespace pillar {

std::optional<double> CohenKappa(const std::vector<std::pair<bool, bool>>& labels) {
  if (labels.empty()) return std::nullopt;
  double n = static_cast<double>(labels.size());
  double agree = 0, first_yes = 0, second_yes = 0;
  for (const auto& [a, b] : labels) {
    agree += a == b ? 1 : 0;
    first_yes += a ? 1 : 0;
    second_yes += b ? 1 : 0;
  }
  double po = agree / n;
  double pa = first_yes / n, pb = second_yes / n;
  double pe = pa * pb + (1 - pa) * (1 - pb);
  if (pe >= 1.0 - 1e-12) return std::nullopt;
  return (po - pe) / (1 - pe);
}

std::optional<double> KrippendorffAlphaNominal(const std::vector<std::vector<int>>& units) {
  // Coincidences o[c][k]: each ordered pair of values from different coders within a unit,
  // weighted 1/(m_u - 1) so that a unit contributes m_u pairable values in all.
  std::map<int, std::map<int, double>> o;
  for (const std::vector<int>& values : units) {
    const size_t m = values.size();
    if (m < 2) continue;
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = 0; j < m; ++j) {
        if (i != j) o[values[i]][values[j]] += 1.0 / static_cast<double>(m - 1);
      }
    }
  }
  std::map<int, double> n_c;
  double n = 0;
  for (const auto& [c, row] : o) {
    for (const auto& [k, count] : row) {
      n_c[c] += count;
      n += count;
    }
  }
  if (n < 2) return std::nullopt;
  double observed = 0;  // sum over c != k of o_ck
  for (const auto& [c, row] : o) {
    for (const auto& [k, count] : row) {
      if (c != k) observed += count;
    }
  }
  double expected = 0;  // sum over c != k of n_c * n_k
  for (const auto& [c, nc] : n_c) {
    for (const auto& [k, nk] : n_c) {
      if (c != k) expected += nc * nk;
    }
  }
  if (expected <= 0) return std::nullopt;
  // alpha = 1 - Do/De with Do = observed / n and De = expected / (n (n - 1)).
  return 1.0 - (n - 1) * observed / expected;
}

Codings CodingsOf(const std::vector<Annotation>& annotations,
                  const std::vector<std::string>& coders) {
  std::set<std::string> wanted(coders.begin(), coders.end());
  // passage -> coder -> that coder's decisions there, oldest first.
  std::map<std::string, std::map<std::string, std::vector<Annotation>>> history;
  for (const Annotation& a : annotations) {
    if (a.orphan || !a.unreadable.empty() || !wanted.count(a.by)) continue;
    history[a.anchor.passage_id][a.by].push_back(a);
  }
  Codings out;
  for (const auto& [passage_id, by_coder] : history) {
    for (const auto& [coder, decisions] : by_coder) {
      std::set<std::string>& concepts = out[passage_id][coder];
      for (const Tag& t : ApplyManualDecisions({}, decisions)) concepts.insert(t.concept_id);
    }
  }
  return out;
}

AgreementReport MeasureAgreement(const Codings& codings, const std::vector<std::string>& coders,
                                 const std::vector<std::string>& concept_ids) {
  AgreementReport report;
  report.coders = coders;
  std::vector<std::string> ids = concept_ids;
  if (ids.empty()) {
    std::set<std::string> seen;
    for (const auto& [passage_id, by_coder] : codings) {
      for (const auto& [coder, concepts] : by_coder) seen.insert(concepts.begin(), concepts.end());
    }
    ids.assign(seen.begin(), seen.end());
  }
  for (const std::string& id : ids) {
    ConceptAgreement ca;
    ca.concept_id = id;
    for (size_t i = 0; i < coders.size(); ++i) {
      for (size_t j = i + 1; j < coders.size(); ++j) {
        ConceptAgreement::Pair pair;
        pair.first = coders[i];
        pair.second = coders[j];
        std::vector<std::pair<bool, bool>> labels;
        for (const auto& [passage_id, by_coder] : codings) {
          auto a = by_coder.find(coders[i]), b = by_coder.find(coders[j]);
          if (a == by_coder.end() || b == by_coder.end()) continue;
          labels.emplace_back(a->second.count(id) > 0, b->second.count(id) > 0);
          pair.agree += labels.back().first == labels.back().second ? 1 : 0;
        }
        pair.units = labels.size();
        pair.kappa = CohenKappa(labels);
        ca.pairs.push_back(std::move(pair));
      }
    }
    std::vector<std::vector<int>> units;
    for (const auto& [passage_id, by_coder] : codings) {
      std::vector<int> values;
      Disagreement d;
      d.passage_id = passage_id;
      d.concept_id = id;
      for (const std::string& coder : coders) {
        auto it = by_coder.find(coder);
        if (it == by_coder.end()) continue;
        bool yes = it->second.count(id) > 0;
        values.push_back(yes ? 1 : 0);
        (yes ? d.yes : d.no).push_back(coder);
      }
      if (values.size() < 2) continue;
      ++ca.units;
      units.push_back(std::move(values));
      if (!d.yes.empty() && !d.no.empty()) report.disagreements.push_back(std::move(d));
    }
    ca.alpha = KrippendorffAlphaNominal(units);
    report.concepts.push_back(std::move(ca));
  }
  std::stable_sort(
      report.disagreements.begin(), report.disagreements.end(),
      [](const Disagreement& a, const Disagreement& b) { return a.passage_id < b.passage_id; });
  return report;
}

}  // namespace pillar
