#include "indexer/tag/rule_tagger.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace pillar {
namespace {

// Scores are sums of decimal weights: compare with a little slack so that 0.7 + 1.3 reaches 2.
constexpr double kScoreEpsilon = 1e-9;

// "fr-CA" -> "fr", lowercased: rules name a language by its primary subtag.
std::string PrimaryLanguage(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}


}  // namespace

// The rules of every concept, compiled for one analyzer language: every rule word is replaced
// by the id of its stem, and rules for other languages are dropped.
struct RuleTagger::Compiled {
  struct CompiledRule {
    Rule::Kind kind;
    std::vector<int> words;  // stem ids; kNear: distinct, in any order
    int window = 0;
    double weight = 0;
    const std::string* text = nullptr;
  };
  struct CompiledConcept {
    const Concept* concept_ptr = nullptr;
    std::vector<CompiledRule> rules;
  };
  std::unordered_map<std::string, int> stem_ids;
  std::vector<CompiledConcept> concepts;
};

struct RuleTagger::Cache {
  std::mutex mu;
  std::map<std::string, std::unique_ptr<const Compiled>> by_language;  // analyzer language
};

RuleTagger::RuleTagger(const Taxonomy& taxonomy)
    : taxonomy_(taxonomy), cache_(std::make_unique<Cache>()) {}
RuleTagger::~RuleTagger() = default;
RuleTagger::RuleTagger(RuleTagger&&) noexcept = default;

const RuleTagger::Compiled& RuleTagger::CompiledFor(Analyzer& analyzer) const {
  std::lock_guard<std::mutex> lock(cache_->mu);
  std::unique_ptr<const Compiled>& slot = cache_->by_language[analyzer.language()];
  if (slot) return *slot;

  auto compiled = std::make_unique<Compiled>();
  const std::string lang = PrimaryLanguage(analyzer.language());
  auto id_of = [&](const std::string& word) {
    // Rule words were split without a language: drop elisions here as the analyzer does.
    std::string stem = analyzer.StemOrWord(StripElisions(word));
    auto [it, fresh] =
        compiled->stem_ids.emplace(std::move(stem), static_cast<int>(compiled->stem_ids.size()));
    (void)fresh;
    return it->second;
  };
  for (const Concept& c : taxonomy_.concepts()) {
    Compiled::CompiledConcept cc;
    cc.concept_ptr = &c;
    for (const Rule& rule : c.rules) {
      if (!rule.language.empty() && PrimaryLanguage(rule.language) != lang) continue;
      Compiled::CompiledRule cr;
      cr.kind = rule.kind;
      cr.window = rule.window;
      cr.weight = rule.weight;
      cr.text = &rule.text;
      for (const std::string& w : rule.words) cr.words.push_back(id_of(w));
      if (cr.words.size() == 1) cr.kind = Rule::Kind::kTerm;
      if (cr.kind == Rule::Kind::kNear) {
        std::sort(cr.words.begin(), cr.words.end());
        cr.words.erase(std::unique(cr.words.begin(), cr.words.end()), cr.words.end());
      }
      cc.rules.push_back(std::move(cr));
    }
    compiled->concepts.push_back(std::move(cc));
  }
  slot = std::move(compiled);
  return *slot;
}

namespace {

// The positions of every rule stem in one passage: (stem id, position) pairs, sorted.
class PassageIndex {
 public:
  using Hit = std::pair<int, uint32_t>;

  void Add(int id, uint32_t position) { hits_.emplace_back(id, position); }
  void Finish() {
    std::sort(hits_.begin(), hits_.end());
    hits_.erase(std::unique(hits_.begin(), hits_.end()), hits_.end());
  }

  // Sorted positions of `id` (an empty range when absent).
  std::pair<const Hit*, const Hit*> Positions(int id) const {
    auto lo = std::lower_bound(hits_.begin(), hits_.end(), Hit{id, 0});
    auto hi = std::upper_bound(lo, hits_.end(), Hit{id, UINT32_MAX});
    return {hits_.data() + (lo - hits_.begin()), hits_.data() + (hi - hits_.begin())};
  }
  bool Has(int id, uint32_t position) const {
    return std::binary_search(hits_.begin(), hits_.end(), Hit{id, position});
  }

 private:
  std::vector<Hit> hits_;
};

bool PhraseFires(const std::vector<int>& words, const PassageIndex& index) {
  auto [begin, end] = index.Positions(words[0]);
  for (const auto* h = begin; h != end; ++h) {
    bool all = true;
    for (size_t i = 1; i < words.size() && all; ++i) {
      all = index.Has(words[i], h->second + static_cast<uint32_t>(i));
    }
    if (all) return true;
  }
  return false;
}

// True when some stretch of the passage with first-to-last distance <= window holds every
// word: the smallest range covering one position from each word's list, by a sliding window.
bool NearFires(const std::vector<int>& words, int window, const PassageIndex& index) {
  for (int word : words) {
    auto [begin, end] = index.Positions(word);
    if (begin == end) return false;
  }
  std::vector<std::pair<uint32_t, size_t>> events;  // (position, which word)
  for (size_t w = 0; w < words.size(); ++w) {
    auto [begin, end] = index.Positions(words[w]);
    for (const auto* h = begin; h != end; ++h) events.emplace_back(h->second, w);
  }
  std::sort(events.begin(), events.end());
  std::vector<uint32_t> count;  // occurrences of each word inside the window
  count.resize(words.size());
  size_t covered = 0;
  size_t left = 0;
  for (size_t right = 0; right < events.size(); ++right) {
    if (count[events[right].second]++ == 0) ++covered;
    while (covered == words.size()) {
      if (events[right].first - events[left].first <= static_cast<uint32_t>(window)) return true;
      if (--count[events[left].second] == 0) --covered;
      ++left;
    }
  }
  return false;
}

}  // namespace

std::vector<Tag> RuleTagger::TagTokens(const std::vector<Token>& tokens,
                                       Analyzer& analyzer) const {
  const Compiled& compiled = CompiledFor(analyzer);
  PassageIndex index;
  // Which rule words occur at all: most rules of most passages fail on their first absent
  // word, which this answers without a search.
  thread_local std::vector<char> present;
  present.assign(compiled.stem_ids.size(), 0);
  auto add = [&](const std::string& term, uint32_t position) {
    auto it = compiled.stem_ids.find(analyzer.StemOrWord(term));
    if (it == compiled.stem_ids.end()) return;
    index.Add(it->second, position);
    present[static_cast<size_t>(it->second)] = 1;
  };
  // Elided articles ("l'escorte") are already split off by the analyzer (fr, it, ca).
  for (const Token& token : tokens) add(token.term, token.position);
  index.Finish();
  auto all_present = [&](const std::vector<int>& words) {
    for (int w : words) {
      if (!present[static_cast<size_t>(w)]) return false;
    }
    return true;
  };

  std::vector<Tag> tags;
  std::vector<std::string> negative;
  for (const Compiled::CompiledConcept& cc : compiled.concepts) {
    double score = 0;
    bool any_positive = false;
    Tag tag;
    negative.clear();
    for (const Compiled::CompiledRule& rule : cc.rules) {
      if (!all_present(rule.words)) continue;
      bool fired = false;
      switch (rule.kind) {
        case Rule::Kind::kTerm: {
          auto [begin, end] = index.Positions(rule.words[0]);
          fired = begin != end;
          break;
        }
        case Rule::Kind::kPhrase:
          fired = PhraseFires(rule.words, index);
          break;
        case Rule::Kind::kNear:
          fired = NearFires(rule.words, rule.window, index);
          break;
      }
      if (!fired) continue;
      score += rule.weight;
      if (rule.weight > 0) {
        any_positive = true;
        tag.evidence.push_back(*rule.text);
      } else if (rule.weight < 0) {
        negative.push_back("-" + *rule.text);
      }
    }
    if (!any_positive || score + kScoreEpsilon < cc.concept_ptr->threshold) continue;
    tag.concept_id = cc.concept_ptr->id;
    tag.source = kTagSourceRule;
    tag.score = std::round(score * 100) / 100;
    tag.evidence.insert(tag.evidence.end(), negative.begin(), negative.end());
    tag.rule_version = cc.concept_ptr->rules_version;
    tags.push_back(std::move(tag));
  }
  std::stable_sort(tags.begin(), tags.end(),
                   [](const Tag& a, const Tag& b) { return a.score > b.score; });
  return tags;
}

}  // namespace pillar
