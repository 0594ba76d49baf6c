#include "indexer/tag/tag_model.h"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

namespace pillar {
namespace {

constexpr const char* kMagic = "pillar-tag-model 1";
constexpr double kDropBelow = 0.01;
// The least gain in cross-validated F1 for which the model's tags are used at all: smaller
// differences are within the noise of a few hundred passages.
constexpr double kMinGain = 0.01;

void Quiet(const char*) {}

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A liblinear problem over a fixed vocabulary; rows are examples with a label for the concept.
struct Problem {
  std::vector<std::vector<feature_node>> rows;
  std::vector<double> y;
  std::vector<feature_node*> x;
  problem prob{};

  void Finish(int n_features) {
    x.clear();
    for (auto& r : rows) x.push_back(r.data());
    prob.l = static_cast<int>(rows.size());
    prob.n = n_features + 1;  // + bias
    prob.y = y.data();
    prob.x = x.data();
    prob.bias = 1;
  }
};

// Trains, returns (weights over the vocabulary, bias) for the positive class.
std::pair<std::vector<double>, double> Fit(Problem& p, int n_features, double c) {
  p.Finish(n_features);
  parameter param{};
  param.solver_type = L2R_LR;
  param.C = c;
  param.eps = 0.01;
  model* m = train(&p.prob, &param);
  int labels[2] = {0, 0};
  get_labels(m, labels);
  double sign = labels[0] == 1 ? 1.0 : -1.0;
  std::vector<double> w(n_features);
  for (int i = 0; i < n_features; ++i) w[i] = sign * get_decfun_coef(m, i + 1, 0);
  double b = sign * get_decfun_bias(m, 0);
  free_and_destroy_model(&m);
  return {w, b};
}

// Calls fn(key) for each word and bigram feature of the tokens, repeats included.
template <class Fn>
void ForEachTextFeature(const std::vector<Token>& tokens, Analyzer& analyzer,
                        std::string_view language, Fn fn) {
  std::string lang = language.empty() ? "und" : std::string(language);
  const std::string* previous = nullptr;
  uint32_t previous_position = 0;
  std::string key;
  for (const Token& t : tokens) {
    const std::string& stem = analyzer.StemOrWord(t.term);
    key.assign("w:").append(lang).append(":").append(stem);
    fn(key);
    if (previous && t.position != 0 && t.position == previous_position + 1) {
      key.assign("b:").append(lang).append(":").append(*previous).append("_").append(stem);
      fn(key);
    }
    previous = &stem;
    previous_position = t.position;
  }
}

}  // namespace

std::vector<Feature> ModelFeatures(const std::vector<Token>& tokens, Analyzer& analyzer,
                                   std::string_view language, const std::vector<Tag>& rule_tags) {
  std::set<std::string> text;
  ForEachTextFeature(tokens, analyzer, language, [&](const std::string& key) { text.insert(key); });
  std::vector<Feature> out;
  out.reserve(text.size() + rule_tags.size() * 3);
  double value = text.empty() ? 0 : 1.0 / std::sqrt(static_cast<double>(text.size()));
  for (const std::string& f : text) out.emplace_back(f, value);
  for (const Tag& tag : rule_tags) {
    if (tag.source != kTagSourceRule) continue;
    out.emplace_back("r:" + tag.concept_id, 1.0);
    for (const std::string& e : tag.evidence) {
      if (!e.empty() && e[0] != '-') out.emplace_back("rp:" + tag.concept_id + ":" + e, 1.0);
    }
  }
  return out;
}

TagModel TagModel::Train(const std::vector<TrainingExample>& examples, const TrainOptions& options,
                         std::vector<ConceptTraining>* report) {
  set_print_string_function(&Quiet);
  TagModel model;
  model.version_ = options.version;
  // The vocabulary: every feature of every example, numbered in sorted order (deterministic).
  std::map<std::string, int> vocab;
  for (const TrainingExample& e : examples) {
    for (const Feature& f : e.features) ++vocab[f.first];
  }
  std::erase_if(vocab,
                [&](const auto& kv) { return kv.second < options.min_examples_per_feature; });
  std::vector<const std::string*> names;
  int next = 0;
  for (auto& [name, index] : vocab) {
    index = ++next;  // liblinear's indices start at 1
    names.push_back(&name);
  }
  const int n_features = next;
  std::vector<std::vector<feature_node>> rows;
  for (const TrainingExample& e : examples) {
    std::vector<feature_node> row;
    for (const Feature& f : e.features) {
      auto it = vocab.find(f.first);
      if (it != vocab.end()) row.push_back({it->second, f.second});
    }
    std::sort(row.begin(), row.end(),
              [](const feature_node& a, const feature_node& b) { return a.index < b.index; });
    row.push_back({n_features + 1, 1.0});  // bias term
    row.push_back({-1, 0});
    rows.push_back(std::move(row));
  }
  // Fold of each example: its group's place in a fixed-seed Fisher-Yates permutation of the
  // groups (own loop: std::shuffle's order differs between standard libraries). Examples
  // without a group are groups of their own.
  std::map<std::string, int> group_index;
  for (size_t i = 0; i < examples.size(); ++i) {
    std::string g = examples[i].group.empty() ? "#" + std::to_string(i) : examples[i].group;
    group_index.emplace(g, 0);
  }
  std::vector<int*> order;
  for (auto& [g, index] : group_index) order.push_back(&index);
  std::mt19937 rng(options.seed);
  for (size_t i = order.size(); i > 1; --i) {
    size_t j = rng() % i;
    std::swap(order[i - 1], order[j]);
  }
  for (size_t k = 0; k < order.size(); ++k) *order[k] = static_cast<int>(k) % options.folds;
  std::vector<int> fold(examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    std::string g = examples[i].group.empty() ? "#" + std::to_string(i) : examples[i].group;
    fold[i] = group_index.at(g);
  }

  for (const std::string& id : options.concept_ids) {
    ConceptTraining tr;
    tr.id = id;
    std::vector<int> members;
    for (size_t i = 0; i < examples.size(); ++i) {
      auto it = examples[i].labels.find(id);
      if (it == examples[i].labels.end()) continue;
      members.push_back(static_cast<int>(i));
      (it->second ? tr.positives : tr.negatives)++;
    }
    if (tr.positives < options.min_positives || tr.negatives < options.min_positives) {
      tr.skipped = "too few labelled passages (" + std::to_string(tr.positives) + " yes, " +
                   std::to_string(tr.negatives) + " no)";
      if (report) report->push_back(std::move(tr));
      continue;
    }
    auto label = [&](int i) { return examples[i].labels.at(id); };
    auto score = [&](const std::vector<double>& w, double b, int i) {
      double z = b;
      for (const feature_node& n : rows[i]) {
        if (n.index >= 1 && n.index <= n_features) z += w[n.index - 1] * n.value;
      }
      return Sigmoid(z);
    };
    // Cross-validation: out-of-fold probabilities for each C, then the best (C, threshold).
    // Whether the rules tag the concept on each member (the feature r:ID).
    const std::string rule_feature = "r:" + id;
    std::map<int, bool> ruled;
    int rules_tp = 0, rules_fp = 0, rules_fn = 0;
    for (int i : members) {
      bool r = std::any_of(examples[i].features.begin(), examples[i].features.end(),
                           [&](const Feature& f) { return f.first == rule_feature; });
      ruled[i] = r;
      rules_tp += r && label(i);
      rules_fp += r && !label(i);
      rules_fn += !r && label(i);
    }
    auto f1_of = [](int tp, int fp, int fn) { return tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0; };
    tr.rules_f1 = f1_of(rules_tp, rules_fp, rules_fn);
    double best_f1 = -1, best_c = 1, best_t = 0.5, union_f1 = -1, union_c = 1, union_t = 0.5;
    std::vector<std::pair<double, bool>> best_oof;
    for (double c : {0.25, 1.0, 4.0, 16.0}) {
      std::vector<std::pair<double, bool>> oof;
      std::vector<int> oof_member;
      for (int f = 0; f < options.folds; ++f) {
        Problem p;
        std::vector<int> held;
        for (int i : members) {
          if (fold[i] == f) {
            held.push_back(i);
          } else {
            p.rows.push_back(rows[i]);
            p.y.push_back(label(i) ? 1 : -1);
          }
        }
        if (held.empty()) continue;
        bool has_both = std::count(p.y.begin(), p.y.end(), 1.0) > 0 &&
                        std::count(p.y.begin(), p.y.end(), -1.0) > 0;
        if (!has_both) {
          for (int i : held) {
            oof.emplace_back(p.y.empty() || p.y[0] < 0 ? 0.0 : 1.0, label(i));
            oof_member.push_back(i);
          }
          continue;
        }
        auto [w, b] = Fit(p, n_features, c);
        for (int i : held) {
          oof.emplace_back(score(w, b, i), label(i));
          oof_member.push_back(i);
        }
      }
      for (int step = 1; step <= 19; ++step) {
        double t = step * 0.05;
        int tp = 0, fp = 0, fn = 0, utp = 0, ufp = 0, ufn = 0;
        for (size_t k = 0; k < oof.size(); ++k) {
          auto [prob, gold] = oof[k];
          bool yes = prob >= t;
          tp += yes && gold;
          fp += yes && !gold;
          fn += !yes && gold;
          bool either = yes || ruled[oof_member[k]];
          utp += either && gold;
          ufp += either && !gold;
          ufn += !either && gold;
        }
        double f1 = f1_of(tp, fp, fn);
        if (f1 > best_f1 + 1e-9) {
          best_f1 = f1;
          best_c = c;
          best_t = t;
          best_oof = oof;
        }
        double uf1 = f1_of(utp, ufp, ufn);
        if (uf1 > union_f1 + 1e-9) {
          union_f1 = uf1;
          union_c = c;
          union_t = t;
        }
      }
    }
    tr.model_f1 = best_f1;
    tr.union_f1 = union_f1;
    // The model only adds tags where the rules are silent, and only when that raised the
    // cross-validated F1 by kMinGain: letting it replace rule tags ("model") won by less
    // than 0.03 on the dev split and lost 0.10 macro-F1 on the blind set (docs/tagging.md),
    // whose passages are in the style the rules were written for.
    std::string use = "rules";
    if (union_f1 > tr.rules_f1 + kMinGain) {
      use = "union";
      best_c = union_c;
      best_t = union_t;
    }
    tr.use = use;
    Problem all;
    for (int i : members) {
      all.rows.push_back(rows[i]);
      all.y.push_back(label(i) ? 1 : -1);
    }
    auto [w, b] = Fit(all, n_features, best_c);
    int index = static_cast<int>(model.concepts_.size());
    model.concepts_.push_back({id, b, best_t, best_c, use});
    for (int i = 0; i < n_features; ++i) {
      if (std::fabs(w[i]) >= kDropBelow) {
        model.weights_[*names[i]].emplace_back(index, static_cast<float>(w[i]));
      }
    }
    tr.c = best_c;
    tr.threshold = best_t;
    tr.cv_f1 = best_f1;
    tr.out_of_fold = std::move(best_oof);
    if (report) report->push_back(std::move(tr));
  }
  model.IndexByHash();
  return model;
}

Result<TagModel> TagModel::Load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path.string() + ": cannot open the tag model");
  auto corrupt = [&](size_t line, const std::string& what) {
    return Status::Corruption(path.string() + ": line " + std::to_string(line) + ": " + what);
  };
  TagModel model;
  std::string line;
  size_t line_no = 0;
  if (!std::getline(in, line) || line != kMagic) {
    return corrupt(1, std::string("not a tag model (expected \"") + kMagic + "\")");
  }
  ++line_no;
  if (!std::getline(in, line) || line.rfind("version ", 0) != 0) {
    return corrupt(2, "expected \"version V\"");
  }
  ++line_no;
  model.version_ = line.substr(8);
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream head(line);
    std::string word, id;
    ConceptModel cm;
    long n = -1;
    if (!(head >> word >> id >> cm.bias >> cm.threshold >> cm.c >> cm.use >> n) ||
        word != "concept" || n < 0 ||
        (cm.use != "rules" && cm.use != "model" && cm.use != "union")) {
      return corrupt(line_no,
                     "expected \"concept ID BIAS THRESHOLD C USE N\" (USE: rules, "
                     "model or union)");
    }
    if (!seen.insert(id).second) return corrupt(line_no, "concept '" + id + "' given twice");
    cm.id = id;
    int index = static_cast<int>(model.concepts_.size());
    model.concepts_.push_back(cm);
    for (long k = 0; k < n; ++k) {
      if (!std::getline(in, line)) return corrupt(line_no, "the file ends inside '" + id + "'");
      ++line_no;
      size_t space = line.find(' ');
      char* end = nullptr;
      double w = std::strtod(line.c_str(), &end);
      if (space == std::string::npos || space + 1 >= line.size() || end != line.c_str() + space ||
          !std::isfinite(w)) {
        return corrupt(line_no, "expected \"WEIGHT FEATURE\"");
      }
      model.weights_[line.substr(space + 1)].emplace_back(index, static_cast<float>(w));
    }
  }
  model.IndexByHash();
  return model;
}

Status TagModel::Save(const std::filesystem::path& path) const {
  std::string text = Text();
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) return Status::IOError(tmp.string() + ": cannot write");
    file << text;
    file.flush();
    if (!file) return Status::IOError(tmp.string() + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IOError(path.string() + ": " + ec.message());
  return Status::Ok();
}

std::string TagModel::Text() const {
  std::ostringstream out;
  out << kMagic << "\nversion " << version_ << "\n";
  out << "# Per-concept logistic regression (liblinear); p = 1 / (1 + exp(-(w.x + bias))).\n";
  for (size_t c = 0; c < concepts_.size(); ++c) {
    std::vector<std::pair<std::string, float>> ws;
    for (const auto& [name, list] : weights_) {
      for (const auto& [index, w] : list) {
        if (index == static_cast<int>(c)) ws.emplace_back(name, w);
      }
    }
    std::sort(ws.begin(), ws.end());
    char head[256];
    std::snprintf(head, sizeof head, " %.9g %.2f %.9g %s %zu\n", concepts_[c].bias,
                  concepts_[c].threshold, concepts_[c].c, concepts_[c].use.c_str(), ws.size());
    out << "concept " << concepts_[c].id << head;
    for (const auto& [name, w] : ws) {
      char num[32];
      std::snprintf(num, sizeof num, "%.6g", static_cast<double>(w));
      out << num << ' ' << name << '\n';
    }
  }
  return out.str();
}

std::vector<std::string> TagModel::ConceptIds() const {
  std::vector<std::string> ids;
  for (const ConceptModel& c : concepts_) ids.push_back(c.id);
  return ids;
}

double TagModel::Threshold(std::string_view concept_id) const {
  for (const ConceptModel& c : concepts_) {
    if (c.id == concept_id) return c.threshold;
  }
  return 1.0;
}

bool TagModel::AddsToRules() const {
  return std::any_of(concepts_.begin(), concepts_.end(),
                     [](const ConceptModel& c) { return c.use != "rules"; });
}

std::string TagModel::Use(std::string_view concept_id) const {
  for (const ConceptModel& c : concepts_) {
    if (c.id == concept_id) return c.use;
  }
  return "";
}

std::vector<std::pair<std::string, double>> TagModel::Probabilities(
    const std::vector<Feature>& features) const {
  std::vector<double> z(concepts_.size());
  for (size_t c = 0; c < concepts_.size(); ++c) z[c] = concepts_[c].bias;
  for (const Feature& f : features) {
    auto it = weights_.find(f.first);
    if (it == weights_.end()) continue;
    for (const auto& [index, w] : it->second) z[index] += w * f.second;
  }
  std::vector<std::pair<std::string, double>> out;
  for (size_t c = 0; c < concepts_.size(); ++c) out.emplace_back(concepts_[c].id, Sigmoid(z[c]));
  return out;
}

std::vector<Tag> TagModel::TagFeatures(const std::vector<Feature>& features) const {
  if (concepts_.empty()) return {};
  std::vector<double> z(concepts_.size());
  for (size_t c = 0; c < concepts_.size(); ++c) z[c] = concepts_[c].bias;
  std::vector<std::vector<std::pair<double, const std::string*>>> parts(concepts_.size());
  for (const Feature& f : features) {
    auto it = weights_.find(f.first);
    if (it == weights_.end()) continue;
    for (const auto& [index, w] : it->second) {
      double part = w * f.second;
      z[index] += part;
      if (part > 0) parts[index].emplace_back(part, &it->first);
    }
  }
  return Finish(z, parts);
}

std::vector<Tag> TagModel::TagTokens(const std::vector<Token>& tokens, Analyzer& analyzer,
                                     std::string_view language,
                                     const std::vector<Tag>& rule_tags) const {
  if (concepts_.empty()) return {};
  if (by_hash_.empty()) return TagFeatures(ModelFeatures(tokens, analyzer, language, rule_tags));
  // As TagFeatures(ModelFeatures(...)), without making a string per feature: features are
  // looked up by hash (the model's own features are kept by hash too).
  std::vector<size_t> hashes;
  hashes.reserve(tokens.size() * 2);
  std::hash<std::string_view> hasher;
  ForEachTextFeature(tokens, analyzer, language,
                     [&](const std::string& key) { hashes.push_back(hasher(key)); });
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  double value = hashes.empty() ? 0 : 1.0 / std::sqrt(static_cast<double>(hashes.size()));
  std::vector<double> z(concepts_.size());
  for (size_t c = 0; c < concepts_.size(); ++c) z[c] = concepts_[c].bias;
  std::vector<std::vector<std::pair<double, const std::string*>>> parts(concepts_.size());
  auto add = [&](size_t h, double v) {
    auto it = by_hash_.find(h);
    if (it == by_hash_.end()) return;
    for (const auto& [index, w] : it->second.second) {
      double part = w * v;
      z[index] += part;
      if (part > 0) parts[index].emplace_back(part, &it->second.first);
    }
  };
  for (size_t h : hashes) add(h, value);
  std::string key;
  for (const Tag& tag : rule_tags) {
    if (tag.source != kTagSourceRule) continue;
    key.assign("r:").append(tag.concept_id);
    add(hasher(key), 1.0);
    for (const std::string& e : tag.evidence) {
      if (e.empty() || e[0] == '-') continue;
      key.assign("rp:").append(tag.concept_id).append(":").append(e);
      add(hasher(key), 1.0);
    }
  }
  return Finish(z, parts);
}

void TagModel::IndexByHash() {
  by_hash_.clear();
  std::hash<std::string_view> hasher;
  for (const auto& [name, list] : weights_) {
    auto [it, fresh] = by_hash_.emplace(hasher(name), std::make_pair(name, list));
    if (!fresh) {  // two features with one hash: TagTokens falls back to strings
      by_hash_.clear();
      return;
    }
  }
}

std::vector<Tag> TagModel::Finish(
    const std::vector<double>& z,
    std::vector<std::vector<std::pair<double, const std::string*>>>& parts) const {
  std::vector<Tag> tags;
  for (size_t c = 0; c < concepts_.size(); ++c) {
    double p = Sigmoid(z[c]);
    if (p < concepts_[c].threshold) continue;
    Tag tag;
    tag.concept_id = concepts_[c].id;
    tag.source = kTagSourceModel;
    tag.score = std::round(p * 1000) / 1000;
    tag.rule_version = version_;
    auto& ps = parts[c];
    size_t top = std::min<size_t>(3, ps.size());
    std::partial_sort(ps.begin(), ps.begin() + top, ps.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    for (size_t k = 0; k < top; ++k) {
      char num[32];
      std::snprintf(num, sizeof num, " +%.2f", ps[k].first);
      tag.evidence.push_back(*ps[k].second + num);
    }
    tags.push_back(std::move(tag));
  }
  std::stable_sort(tags.begin(), tags.end(),
                   [](const Tag& a, const Tag& b) { return a.score > b.score; });
  return tags;
}

std::filesystem::path ModelPathFor(const std::filesystem::path& taxonomy_path) {
  if (const char* env = std::getenv("PILLAR_MODEL")) {
    std::string v = env;
    if (v.empty() || v == "none") return {};
    return v;
  }
  if (taxonomy_path.empty()) return {};
  std::string name = taxonomy_path.filename().string();
  const std::string suffix = ".skos.xml";
  if (name.size() > suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    name.resize(name.size() - suffix.size());
  } else {
    name = taxonomy_path.stem().string();
  }
  std::filesystem::path candidate = taxonomy_path.parent_path() / (name + ".model");
  std::error_code ec;
  return std::filesystem::is_regular_file(candidate, ec) ? candidate : std::filesystem::path();
}

}  // namespace pillar
