#include "indexer/tag/rule_tagger.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "indexer/base/text.h"

namespace pillar {
namespace {

// Scores are sums of decimal weights: compare with a little slack so that 0.7 + 1.3 reaches 2.
constexpr double kScoreEpsilon = 1e-9;

// Exact-form rule words are keyed by this prefix and the lowercased word; no stem or word
// the analyzer gives starts with a control character.
constexpr std::string_view kExactPrefix = "\x01";

// "fr-CA" -> "fr", lowercased: rules name a language by its primary subtag.
std::string PrimaryLanguage(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}


// "Figure II", "Table 3", "Map 1": a caption's first word and its number.
bool IsCaption(std::string_view text) {
  constexpr size_t kMaxCaptionBytes = 300;
  if (text.size() > kMaxCaptionBytes) return false;
  for (std::string_view word : {"Figure ", "Table ", "Map ", "Chart ", "Graph "}) {
    if (!StartsWith(text, word)) continue;
    std::string_view rest = text.substr(word.size());
    size_t n = rest.find_first_of(" .:");
    if (n == 0 || n == std::string_view::npos) return false;
    std::string_view number = rest.substr(0, n);
    return number.find_first_not_of("0123456789IVXLC") == std::string_view::npos;
  }
  return false;
}

// Chart axes and data: at least 6 chunks, half of them numbers ("300 282 250 ... Alpha line").
bool IsMostlyNumbers(std::string_view text) {
  size_t chunks = 0, numbers = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
    if (i >= text.size()) break;
    size_t j = i;
    bool digit = false, letter = false;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n' && text[j] != '\t') {
      char c = text[j];
      digit = digit || (c >= '0' && c <= '9');
      letter = letter || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               static_cast<unsigned char>(c) >= 0x80;
      ++j;
    }
    ++chunks;
    numbers += digit && !letter;
    i = j;
  }
  return chunks >= 6 && numbers * 2 >= chunks;
}

}  // namespace

bool IsBodyPassage(std::string_view text, bool footnote) {
  if (footnote) return false;
  text = TrimAscii(text);
  for (std::string_view lead : {"Source:", "Sources:", "Source :", "Base map source", "Note:",
                                "Notes:", "Credit:", "Abbreviations:"}) {
    if (StartsWith(text, lead)) return false;
  }
  // Dot leaders of a table of contents.
  if (text.find(". . . .") != std::string_view::npos ||
      text.find(".....") != std::string_view::npos) {
    return false;
  }
  return !IsCaption(text) && !IsMostlyNumbers(text);
}

// The rules of every concept, compiled for one analyzer language: every rule word is replaced
// by the id of its stem, and rules for other languages are dropped.
struct RuleTagger::Compiled {
  struct CompiledRule {
    Rule::Kind kind;
    std::vector<int> words;  // stem ids; kNear: distinct, in any order
    int window = 0;
    int span = 0;  // kMask
    double weight = 0;
    const std::string* text = nullptr;
  };
  struct CompiledConcept {
    const Concept* concept_ptr = nullptr;
    std::vector<CompiledRule> rules;  // scoring rules, in file order
    std::vector<CompiledRule> masks;  // kMask rules
  };
  std::unordered_map<std::string, int> stem_ids;  // stems, and exact forms after kExactPrefix
  bool has_exact = false;                          // some rule matches exact forms
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
  auto id_of = [&](const std::string& word, bool exact) {
    // Rule words were split without a language: drop elisions here as the analyzer does.
    // An exact form is kept apart from stems by a prefix no word starts with.
    std::string stem = exact ? std::string(kExactPrefix) + std::string(StripElisions(word))
                             : analyzer.StemOrWord(StripElisions(word));
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
      cr.span = rule.span;
      cr.weight = rule.weight;
      cr.text = &rule.text;
      for (const std::string& w : rule.words) cr.words.push_back(id_of(w, rule.exact));
      compiled->has_exact = compiled->has_exact || rule.exact;
      if (cr.kind == Rule::Kind::kMask) {
        cc.masks.push_back(std::move(cr));
        continue;
      }
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
  // A copy without the hits at the positions in `masked` (sorted, distinct).
  PassageIndex Without(const std::vector<uint32_t>& masked) const {
    PassageIndex out;
    for (const Hit& h : hits_) {
      if (!std::binary_search(masked.begin(), masked.end(), h.second)) out.hits_.push_back(h);
    }
    return out;
  }

 private:
  std::vector<Hit> hits_;
};

// The positions where the phrase `words` starts.
std::vector<uint32_t> PhraseStarts(const std::vector<int>& words, const PassageIndex& index) {
  std::vector<uint32_t> starts;
  auto [begin, end] = index.Positions(words[0]);
  for (const auto* h = begin; h != end; ++h) {
    bool all = true;
    for (size_t i = 1; i < words.size() && all; ++i) {
      all = index.Has(words[i], h->second + static_cast<uint32_t>(i));
    }
    if (all) starts.push_back(h->second);
  }
  return starts;
}

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

std::vector<Tag> RuleTagger::TagPassage(const Passage& passage,
                                        const std::vector<Token>& tokens,
                                        Analyzer& analyzer) const {
  if (!IsBodyPassage(passage.text, passage.footnote)) return {};
  std::vector<Tag> rules = TagTokens(tokens, analyzer);
  if (!model_ || model_->empty() || mode_ == TagMode::kRules) return rules;
  if (mode_ == TagMode::kBoth && !model_->AddsToRules()) return rules;
  std::vector<Tag> learned = model_->TagTokens(tokens, analyzer, passage.language, rules);
  if (mode_ == TagMode::kModel) return learned;
  // Per concept as cross-validation chose: "model" replaces the rule tag by the model's,
  // "union" adds the model's where the rules are silent, "rules" ignores the model.
  std::erase_if(rules, [&](const Tag& r) { return model_->Use(r.concept_id) == "model"; });
  for (Tag& t : learned) {
    if (model_->Use(t.concept_id) == "rules") continue;
    bool ruled = std::any_of(rules.begin(), rules.end(),
                             [&](const Tag& r) { return r.concept_id == t.concept_id; });
    if (!ruled) rules.push_back(std::move(t));
  }
  return rules;
}

std::vector<Tag> RuleTagger::TagTokens(const std::vector<Token>& tokens,
                                       Analyzer& analyzer) const {
  const Compiled& compiled = CompiledFor(analyzer);
  PassageIndex index;
  // Which rule words occur at all: most rules of most passages fail on their first absent
  // word, which this answers without a search.
  thread_local std::vector<char> present;
  present.assign(compiled.stem_ids.size(), 0);
  auto add_key = [&](const std::string& key, uint32_t position) {
    auto it = compiled.stem_ids.find(key);
    if (it == compiled.stem_ids.end()) return;
    index.Add(it->second, position);
    present[static_cast<size_t>(it->second)] = 1;
  };
  std::string exact_key(kExactPrefix);
  auto add = [&](const std::string& term, uint32_t position) {
    add_key(analyzer.StemOrWord(term), position);
    if (compiled.has_exact) {
      exact_key.resize(kExactPrefix.size());
      exact_key += term;
      add_key(exact_key, position);
    }
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
    // Masks hide the words they cover from this concept's rules.
    std::vector<uint32_t> masked;
    for (const Compiled::CompiledRule& mask : cc.masks) {
      if (!all_present(mask.words)) continue;
      for (uint32_t start : PhraseStarts(mask.words, index)) {
        uint32_t last = start + static_cast<uint32_t>(mask.words.size() - 1 + mask.span);
        for (uint32_t p = start; p <= last; ++p) masked.push_back(p);
      }
    }
    PassageIndex unmasked;
    if (!masked.empty()) {
      std::sort(masked.begin(), masked.end());
      masked.erase(std::unique(masked.begin(), masked.end()), masked.end());
      unmasked = index.Without(masked);
    }
    const PassageIndex& seen = masked.empty() ? index : unmasked;
    for (const Compiled::CompiledRule& rule : cc.rules) {
      if (!all_present(rule.words)) continue;
      bool fired = false;
      switch (rule.kind) {
        case Rule::Kind::kTerm: {
          auto [begin, end] = seen.Positions(rule.words[0]);
          fired = begin != end;
          break;
        }
        case Rule::Kind::kPhrase:
          fired = PhraseFires(rule.words, seen);
          break;
        case Rule::Kind::kNear:
          fired = NearFires(rule.words, rule.window, seen);
          break;
        case Rule::Kind::kMask:
          break;  // kept in CompiledConcept::masks
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
