// Judged query sets (tests/fixtures/queries/*.jsonl, format in its README.md) and the figures
// computed on them: nDCG@k and P@5. Shared by tests/search/ndcg_real_test.cc and
// tools/rankeval, so that the test's floor and the tool's table measure the same thing.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pillar::testing {

struct JudgedQuery {
  std::string set;                    // file name of the set
  std::string id;                     // "q01", "r01", ...
  std::string query;                  // as typed into `pillar search`
  std::string split;                  // "dev" or "test"; "all" when the set has no split
  std::map<std::string, int> grades;  // every judged passage id -> 0, 1 or 2
};

// Reads `path`. Returns "" on success, else "FILE:LINE: why".
inline std::string LoadJudgedSet(const std::filesystem::path& path, std::vector<JudgedQuery>* out) {
  std::ifstream in(path);
  if (!in) return path.string() + ": cannot read";
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const auto j = nlohmann::json::parse(line);
      JudgedQuery q;
      q.set = path.filename().string();
      q.id = j.at("id").get<std::string>();
      q.query = j.at("query").get<std::string>();
      q.split = j.value("split", "all");
      if (j.contains("nonrelevant")) {
        for (const auto& pid : j.at("nonrelevant")) q.grades[pid.get<std::string>()] = 0;
      }
      for (const auto& [pid, grade] : j.at("relevant").items()) q.grades[pid] = grade.get<int>();
      out->push_back(std::move(q));
    } catch (const nlohmann::json::exception& e) {
      return path.string() + ":" + std::to_string(line_no) + ": " + e.what();
    }
  }
  return "";
}

// nDCG@k of `ranked` (passage ids, best first): gain 2^grade - 1, discount log2(rank + 1);
// the ideal orders every judged passage of the query by grade; unjudged passages gain 0.
inline double Ndcg(const std::vector<std::string>& ranked, const std::map<std::string, int>& grades,
                   size_t k) {
  auto gain = [](int grade) { return std::pow(2.0, grade) - 1.0; };
  auto discount = [](size_t rank0) { return std::log2(static_cast<double>(rank0) + 2.0); };
  double dcg = 0;
  for (size_t i = 0; i < ranked.size() && i < k; ++i) {
    auto it = grades.find(ranked[i]);
    if (it != grades.end()) dcg += gain(it->second) / discount(i);
  }
  std::vector<int> ideal;
  for (const auto& [pid, grade] : grades) ideal.push_back(grade);
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (size_t i = 0; i < ideal.size() && i < k; ++i) idcg += gain(ideal[i]) / discount(i);
  return idcg > 0 ? dcg / idcg : 0;
}

// Share of the top 5 judged 1 or 2; a list shorter than 5 counts its gaps as misses.
inline double PrecisionAt5(const std::vector<std::string>& ranked,
                           const std::map<std::string, int>& grades) {
  constexpr size_t kDepth = 5;
  size_t relevant = 0;
  for (size_t i = 0; i < ranked.size() && i < kDepth; ++i) {
    auto it = grades.find(ranked[i]);
    if (it != grades.end() && it->second > 0) ++relevant;
  }
  return static_cast<double>(relevant) / static_cast<double>(kDepth);
}

}  // namespace pillar::testing
