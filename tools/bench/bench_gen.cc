// bench_gen: a deterministic synthetic corpus for tools/bench.
//
//   bench_gen --out DIR --mb 100 [--seed 42] [--queries FILE]
//
// Writes files of about 60 KB (a fifth of them Markdown, the rest plain text) into DIR until
// the corpus holds --mb million bytes, and the fixed query mix into FILE (kind TAB pillar TAB
// query; 220 queries). Words follow a Zipf law (s = 1) over a vocabulary of 50,000: English
// function words at the top, protection-of-civilians domain words spread through the first
// ~2,000 ranks, generated pseudo-words for the rest; domain phrases ("early warning", "quick
// reaction force") are dropped into a third of the sentences. Documents have headings,
// numbered paragraphs ("12. ..."), (a)/(b) sub-paragraphs, wrapped lines and page breaks.
// Same seed and size, same bytes, on any machine.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "tools/bench/bench_common.h"

namespace {

const char* const kFunctionWords[] = {
    "the", "of", "and", "to", "in", "a", "for", "is", "that", "on", "by", "with", "as", "be",
    "are", "it", "at", "from", "or", "this", "which", "an", "their", "not", "should", "will",
    "have", "has", "all", "its", "been", "where", "including", "other", "such", "these", "may",
    "into", "more", "within", "they", "who", "when", "can", "also", "must", "through", "between",
    "both", "any"};

const char* const kDomainWords[] = {
    "civilians", "protection", "mission", "missions", "mandate", "mandates", "peacekeepers",
    "peacekeeping", "patrols", "patrol", "patrolling", "threats", "threat", "violence", "attacks",
    "attack", "communities", "community", "displaced", "refugees", "camps", "humanitarian",
    "ceasefire", "mediation", "dialogue", "accompaniment", "presence", "escort", "escorts",
    "deterrence", "monitoring", "monitors", "warning", "early", "response", "rights", "human",
    "security", "council", "resolution", "resolutions", "operations", "operation", "military",
    "police", "civilian", "component", "components", "troops", "forces", "force", "armed",
    "groups", "government", "authorities", "national", "local", "leaders", "women", "children",
    "youth", "elders", "villages", "village", "towns", "roads", "markets", "water", "fields",
    "herders", "farmers", "cattle", "raids", "abductions", "killings", "looting", "rape",
    "sexual", "gender", "justice", "accountability", "impunity", "investigation", "courts",
    "prosecution", "detention", "prisons", "reform", "sector", "disarmament", "demobilization",
    "reintegration", "combatants", "weapons", "mines", "demining", "explosive", "ordnance",
    "access", "assistance", "convoys", "aid", "agencies", "partners", "organizations", "ngos",
    "unarmed", "nonviolent", "volunteers", "teams", "team", "networks", "alert", "alerts",
    "radios", "phones", "hotline", "rumours", "tensions", "disputes", "grievances",
    "reconciliation", "negotiation", "negotiations", "envoy", "mediators", "talks", "agreement",
    "agreements", "truce", "hostilities", "violations", "abuses", "reporting", "reports",
    "analysis", "assessment", "planning", "strategy", "strategies", "tiers", "tier", "pillars",
    "pillar", "physical", "political", "process", "environment", "protective", "rule", "law",
    "engagement", "interposition", "deployment", "deployments", "bases", "base", "outposts",
    "checkpoints", "curfew", "evacuation", "evacuate", "shelter", "sites", "returns",
    "resettlement", "livelihoods", "schools", "hospitals", "clinics", "journalists", "defenders",
    "activists", "observers", "monitoring", "verification", "mechanism", "mechanisms",
    "committees", "committee", "focal", "points", "liaison", "interpreters", "language",
    "trust", "perceptions", "consent", "impartiality", "neutrality", "sovereignty", "host",
    "state", "regional", "union", "african", "united", "nations", "secretariat",
    "headquarters", "sector", "commanders", "commander", "battalion", "company", "platoon",
    "helicopters", "vehicles", "aviation", "logistics", "budget", "resources", "capacity",
    "training", "guidance", "policy", "handbook", "guidelines", "doctrine", "principles",
    "obligations", "responsibility", "prevention", "preventive", "early", "rapid", "quick",
    "reaction", "readiness", "proactive", "robust", "imminent", "physical", "risk", "risks",
    "mitigation", "harm", "casualties", "victims", "survivors", "witnesses", "testimony",
    "evidence", "coordination", "integrated", "joint", "cluster", "transition", "drawdown",
    "withdrawal", "exit", "benchmarks", "elections", "electoral", "hate", "speech", "radio",
    "broadcasts", "misinformation", "disinformation", "accompany", "accompanied", "mediated",
    "negotiated", "deter", "deterred", "protect", "protected", "protecting", "monitor",
    "monitored", "warn", "warned", "respond", "responded", "displacement", "returnees",
    "hosts", "pastoralists", "transhumance", "corridors", "borders", "crossings"};

// Multi-word phrases: inserted into sentences and used as phrase queries.
const char* const kPhrases[] = {
    "early warning", "protective presence", "quick reaction force", "rule of law",
    "protective accompaniment", "human rights", "protection of civilians",
    "internally displaced persons", "rules of engagement", "sexual violence", "local mediation",
    "ceasefire monitoring", "unarmed civilian protection", "community engagement",
    "peace process", "security sector reform", "humanitarian access", "physical protection",
    "protective environment", "political process", "threat assessment", "civil society",
    "armed groups", "host state", "state authority", "early response", "community alert networks",
    "joint protection teams", "temporary operating base", "mine action", "child protection",
    "international humanitarian law", "show of force", "good offices", "peace agreement",
    "cessation of hostilities", "women protection advisers", "freedom of movement",
    "all necessary means", "imminent threat", "physical violence", "national authorities",
    "troop contributing countries", "situational awareness", "conflict analysis",
    "local peace committees", "grave violations", "humanitarian assistance", "village leaders",
    "round the clock", "safe passage", "protection committee", "shuttle diplomacy",
    "intercommunal dialogue", "weapons free zones", "dialogue and engagement",
    "provision of physical protection", "establishment of a protective environment",
    "peace enforcement", "political settlement"};

constexpr size_t kVocabularySize = 50000;
constexpr size_t kFunctionCount = sizeof(kFunctionWords) / sizeof(kFunctionWords[0]);

struct Vocabulary {
  std::vector<std::string> words;  // by Zipf rank
  std::vector<double> cdf;
  std::vector<std::string> domain;  // the distinct domain words

  const std::string& Draw(bench::Rng& rng) const {
    double u = rng.Uniform();
    size_t i = static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    if (i >= words.size()) i = words.size() - 1;
    return words[i];
  }
};

std::string PseudoWord(bench::Rng& rng) {
  static const char* const onsets[] = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m",
                                       "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch",
                                       "cl", "dr", "fr", "gr", "pl", "pr", "sh", "st", "th",
                                       "tr", "", "qu"};
  static const char* const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"};
  static const char* const codas[] = {"", "", "", "n", "r", "s", "l", "m", "t", "nd", "st", "x"};
  // Mostly two syllables: words of about 7 letters, as in policy prose.
  double u = rng.Uniform();
  int syllables = u < 0.15 ? 1 : u < 0.75 ? 2 : 3;
  std::string w;
  for (int s = 0; s < syllables; ++s) {
    w += onsets[rng.Next() % (sizeof(onsets) / sizeof(onsets[0]))];
    w += vowels[rng.Next() % (sizeof(vowels) / sizeof(vowels[0]))];
    if (s == syllables - 1 || rng.Chance(0.15)) w += codas[rng.Next() % (sizeof(codas) / sizeof(codas[0]))];
  }
  return w;
}

Vocabulary BuildVocabulary(uint64_t seed) {
  bench::Rng rng(seed ^ 0x766f636162ULL);
  Vocabulary v;
  std::unordered_set<std::string> seen;
  for (const char* w : kFunctionWords) {
    v.words.push_back(w);
    seen.insert(w);
  }
  // Domain words, including every word of the phrases, in a shuffled order.
  std::vector<std::string> domain;
  auto add_domain = [&](const std::string& w) {
    if (seen.insert(w).second) domain.push_back(w);
  };
  for (const char* w : kDomainWords) add_domain(w);
  for (const char* p : kPhrases) {
    std::string phrase = p;
    size_t start = 0;
    while (start < phrase.size()) {
      size_t sp = phrase.find(' ', start);
      if (sp == std::string::npos) sp = phrase.size();
      add_domain(phrase.substr(start, sp - start));
      start = sp + 1;
    }
  }
  for (size_t i = domain.size(); i > 1; --i) std::swap(domain[i - 1], domain[rng.Next() % i]);
  v.domain = domain;
  // Spread them over ranks ~50..2000 between pseudo-words, so that some are common and some
  // are not, as in real policy texts.
  size_t next_domain = 0;
  while (v.words.size() < kVocabularySize) {
    size_t rank = v.words.size();
    bool place_domain = next_domain < domain.size() &&
                        (rank < 120 || rng.Chance(rank < 600 ? 0.35 : rank < 2000 ? 0.12 : 0.05));
    if (place_domain) {
      v.words.push_back(domain[next_domain++]);
      continue;
    }
    std::string w = PseudoWord(rng);
    if (w.size() < 3 || !seen.insert(w).second) continue;
    v.words.push_back(w);
  }
  // Zipf, s = 1.
  v.cdf.resize(v.words.size());
  double sum = 0;
  for (size_t i = 0; i < v.words.size(); ++i) sum += 1.0 / static_cast<double>(i + 1);
  double acc = 0;
  for (size_t i = 0; i < v.words.size(); ++i) {
    acc += 1.0 / static_cast<double>(i + 1) / sum;
    v.cdf[i] = acc;
  }
  v.cdf.back() = 1.0;
  return v;
}

const char* const kRoman[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
                              "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"};

class DocWriter {
 public:
  DocWriter(const Vocabulary& vocab, bench::Rng& rng, bool markdown)
      : vocab_(vocab), rng_(rng), md_(markdown) {}

  std::string Write(size_t target_bytes, int doc_number) {
    out_.clear();
    std::string title = "Synthetic " + Capitalized(DomainWord()) + " " + DomainWord() +
                        " document " + std::to_string(doc_number);
    Heading(title, 0);
    int para = 0, part = 0, section = 0, since_heading = 100, since_page = 0;
    while (out_.size() < target_bytes) {
      if (since_heading > rng_.Range(6, 20)) {
        if (part == 0 || rng_.Chance(0.3)) {
          ++part;
          section = 0;
          Heading(std::string(md_ ? "" : "PART ") + kRoman[(part - 1) % 20] + ". " +
                      Upper(HeadingWords(rng_.Range(1, 4))),
                  1);
        } else {
          ++section;
          Heading(std::string(1, static_cast<char>('A' + (section - 1) % 26)) + ". " +
                      Capitalized(HeadingWords(rng_.Range(2, 7))),
                  2);
        }
        since_heading = 0;
      }
      ++para;
      ++since_heading;
      bool has_subs = rng_.Chance(0.15);
      std::string text = std::to_string(para) + ". " + Sentences(rng_.Range(2, 6));
      if (has_subs) text.back() = ':';
      Paragraph(text);
      if (has_subs) {
        int n = rng_.Range(2, 5);
        for (int i = 0; i < n; ++i) {
          const char letter[2] = {static_cast<char>('a' + i), 0};
          std::string sub = bench::Cat("(", letter, ") ", Sentences(rng_.Range(1, 2)));
          sub.back() = i + 1 == n ? '.' : ';';
          Paragraph(sub);
        }
      }
      if (!md_ && ++since_page > 30 && rng_.Chance(0.2)) {
        out_ += "\f";
        since_page = 0;
      }
    }
    return out_;
  }

 private:
  const std::string& DomainWord() { return vocab_.domain[rng_.Next() % vocab_.domain.size()]; }

  std::string HeadingWords(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (!s.empty()) s += ' ';
      if (rng_.Chance(0.3)) {
        s += kPhrases[rng_.Next() % (sizeof(kPhrases) / sizeof(kPhrases[0]))];
      } else {
        s += rng_.Chance(0.6) ? DomainWord() : vocab_.Draw(rng_);
      }
    }
    // A heading is at most 12 words for the text reader: keep 9.
    size_t words = 0, cut = 0;
    while (cut < s.size() && (cut = s.find(' ', cut + 1)) != std::string::npos) {
      if (++words == 9) return s.substr(0, cut);
    }
    return s;
  }

  static std::string Capitalized(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
  }
  static std::string Upper(std::string s) {
    for (char& c : s) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
  }

  std::string Sentence() {
    int n = rng_.Range(8, 28);
    int phrase_at = rng_.Chance(0.35) ? rng_.Range(0, n - 1) : -1;
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i > 0) s += ' ';
      if (i == phrase_at) {
        const char* p = kPhrases[rng_.Next() % (sizeof(kPhrases) / sizeof(kPhrases[0]))];
        if (md_ && rng_.Chance(0.1)) {
          s += bench::Cat("*", p, "*");
        } else {
          s += p;
        }
      } else if (rng_.Chance(0.015)) {
        s += std::to_string(rng_.Range(2, 2030));
      } else {
        s += vocab_.Draw(rng_);
      }
      if (i + 1 < n && rng_.Chance(0.06)) s += ',';
    }
    s += '.';
    return Capitalized(s);
  }

  std::string Sentences(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i > 0) s += ' ';
      s += Sentence();
    }
    return s;
  }

  void Heading(const std::string& text, int level) {
    if (md_) {
      out_ += std::string(static_cast<size_t>(level + 1), '#') + " " + text + "\n\n";
    } else {
      out_ += text + "\n\n";
    }
  }

  // Plain text wraps at about 90 columns (never starting a line with a digit, a parenthesis
  // or a dash, which the reader would take for a paragraph marker); Markdown does not wrap.
  void Paragraph(const std::string& text) {
    if (md_) {
      out_ += text + "\n\n";
      return;
    }
    size_t col = 0, start = 0;
    while (start < text.size()) {
      size_t sp = text.find(' ', start);
      if (sp == std::string::npos) sp = text.size();
      std::string_view word(text.data() + start, sp - start);
      bool marker_like = !word.empty() && ((word[0] >= '0' && word[0] <= '9') ||
                                           word[0] == '(' || word[0] == '-' || word[0] == '*');
      if (col > 0 && col + 1 + word.size() > 90 && !marker_like) {
        out_ += '\n';
        col = 0;
      } else if (col > 0) {
        out_ += ' ';
        ++col;
      }
      out_.append(word);
      col += word.size();
      start = sp + 1;
    }
    out_ += "\n\n";
  }

  const Vocabulary& vocab_;
  bench::Rng& rng_;
  bool md_;
  std::string out_;
};

void WriteQueries(const Vocabulary& v, uint64_t seed, const std::filesystem::path& path) {
  bench::Rng rng(seed ^ 0x7175657279ULL);
  auto domain = [&]() -> const std::string& { return v.domain[rng.Next() % v.domain.size()]; };
  auto band = [&](size_t lo, size_t hi) -> const std::string& {
    return v.words[lo + rng.Next() % (hi - lo)];
  };
  auto mid = [&]() -> const std::string& { return band(kFunctionCount, 5000); };
  auto rare = [&]() -> const std::string& { return band(10000, kVocabularySize); };
  constexpr size_t kPhraseCount = sizeof(kPhrases) / sizeof(kPhrases[0]);
  std::ofstream out(path);
  out << "# kind\tpillar\tquery  (bench_gen, seed " << seed << ")\n";
  auto emit = [&](const char* kind, const std::string& pillar, const std::string& q) {
    out << kind << '\t' << pillar << '\t' << q << '\n';
  };
  for (int i = 0; i < 30; ++i) emit("word", "", domain());
  for (int i = 0; i < 20; ++i) emit("word", "", mid());
  for (int i = 0; i < 10; ++i) emit("word", "", rare());
  for (int i = 0; i < 20; ++i) emit("two", "", domain() + " " + domain());
  for (int i = 0; i < 20; ++i) emit("two", "", domain() + " " + mid());
  for (int i = 0; i < 10; ++i) emit("two", "", mid() + " " + rare());
  for (int i = 0; i < 20; ++i) emit("three", "", domain() + " " + domain() + " " + domain());
  for (int i = 0; i < 20; ++i) emit("three", "", domain() + " " + mid() + " " + mid());
  for (size_t i = 0; i < 40; ++i) {
    emit("phrase", "", bench::Cat("\"", kPhrases[(i * 7) % kPhraseCount], "\""));
  }
  static const char* const kOtherPillars[] = {"au-political", "ucp-early-warning", "un-tier-3",
                                              "ucp-accompaniment", "au-rights"};
  for (int i = 0; i < 25; ++i) {
    emit("pillar", "un-tier-2", i % 2 == 0 ? domain() : domain() + " " + mid());
  }
  for (int i = 0; i < 5; ++i) emit("pillar", kOtherPillars[i], domain());
}

int Usage() {
  std::fprintf(stderr, "usage: bench_gen --out DIR --mb N [--seed S] [--queries FILE]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path out_dir, queries;
  double mb = 0;
  uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return Usage();
    if (a == "--out") out_dir = argv[++i];
    else if (a == "--mb") mb = std::atof(argv[++i]);
    else if (a == "--seed") seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--queries") queries = argv[++i];
    else return Usage();
  }
  if (out_dir.empty() || mb <= 0) return Usage();
  Vocabulary vocab = BuildVocabulary(seed);
  if (!queries.empty()) {
    if (queries.has_parent_path()) std::filesystem::create_directories(queries.parent_path());
    WriteQueries(vocab, seed, queries);
  }
  std::filesystem::create_directories(out_dir);
  const size_t target = static_cast<size_t>(mb * 1e6);
  bench::Rng rng(seed);
  size_t total = 0;
  int files = 0;
  while (total < target) {
    ++files;
    bool markdown = files % 5 == 0;
    size_t want = static_cast<size_t>(rng.Range(50000, 70000));
    if (target - total < want) want = std::max<size_t>(target - total, 2000);
    DocWriter writer(vocab, rng, markdown);
    std::string text = writer.Write(want, files);
    char name[64];
    std::snprintf(name, sizeof name, "doc-%05d.%s", files, markdown ? "md" : "txt");
    std::ofstream f(out_dir / name, std::ios::binary);
    f << text;
    if (!f) {
      std::fprintf(stderr, "bench_gen: cannot write %s\n", (out_dir / name).c_str());
      return 1;
    }
    total += text.size();
  }
  std::printf("files=%d\nbytes=%zu\nvocabulary=%zu\n", files, total, vocab.words.size());
  return 0;
}
