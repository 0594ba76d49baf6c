#include "query/search/acronym_expansion.h"

#include <algorithm>

#include "indexer/base/text.h"
#include "indexer/index/schema.h"
#include "indexer/segment/acronyms.h"
#include "query/search/query_rewrite.h"
#include "query/search/stopwords.h"

namespace pillar {
namespace {

// At most this many long forms are searched for one acronym (the most an index of
// unrelated documents gave one was 2: "STS", "speed trim system" in two cases).
constexpr size_t kMaxLongForms = 4;

bool IsProximityOperator(std::string_view t) {
  return t == "NEAR" || t == "ADJ" || StartsWith(t, "NEAR/") || StartsWith(t, "ADJ/");
}

bool IsPlainWord(std::string_view t) {
  if (t.empty() || IsOperatorWord(t)) return false;
  if (t[0] == '-' || t[0] == '+' || t[0] == '\'') return false;
  for (unsigned char c : t) {
    bool ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '\'';
    if (!ok) return false;
  }
  return true;
}

size_t CapitalCount(std::string_view word) {
  return static_cast<size_t>(
      std::count_if(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
}

// A lowercased acronym that is a stop word of one of `languages`: the parser would drop it,
// or it is a common word there ("les", "des").
bool CollidesWithWord(const std::string& lowered,
                      std::initializer_list<std::string_view> languages = {"en", "fr", "es",
                                                                           "pt"}) {
  for (std::string_view lang : languages) {
    for (std::string_view w : StopwordsFor(lang)) {
      if (w == lowered) return true;
    }
  }
  return false;
}

std::string Marker(size_t index) {
  return std::string(kAcronymField) + ":" + std::to_string(index);
}

// The expansion a parsed term marks (kAcronymPrefix + index, stemmed or not), or -1.
long MarkedExpansion(const std::string& term) {
  std::string_view t(term);
  if (StartsWith(t, "Z")) t.remove_prefix(1);
  if (!StartsWith(t, kAcronymPrefix) || t.size() == kAcronymPrefix.size()) return -1;
  t.remove_prefix(kAcronymPrefix.size());
  long index = 0;
  for (char c : t) {
    if (c < '0' || c > '9' || index > 1000) return -1;
    index = index * 10 + (c - '0');
  }
  return index;
}

}  // namespace

void AddAcronymField(Xapian::QueryParser& parser) {
  parser.add_prefix(std::string(kAcronymField), std::string(kAcronymPrefix));
}

Xapian::Query ResolveAcronyms(const Xapian::Query& parsed,
                              const std::vector<AcronymExpansion>& expansions,
                              const ParseForm& parse, bool any_word) {
  if (expansions.empty()) return parsed;
  if (parsed.get_type() == Xapian::Query::LEAF_TERM) {
    long index = MarkedExpansion(*parsed.get_unique_terms_begin());
    if (index < 0 || static_cast<size_t>(index) >= expansions.size()) return parsed;
    const AcronymExpansion& e = expansions[static_cast<size_t>(index)];
    // An acronym in capitals, which the parser does not stem (lowercased, "IEDs" stems to
    // "i"), singular and plural: "IDP" and "IDPs".
    std::vector<Xapian::Query> forms;
    auto add_acronym = [&](const std::string& acronym) {
      const std::string key = AcronymKey(acronym);
      forms.push_back(parse(key, true));
      forms.push_back(parse(key + "s", true));
    };
    if (e.acronym_typed) {
      add_acronym(e.words);
      for (const std::string& other : e.also) forms.push_back(parse("\"" + other + "\"", true));
      return Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
    }
    forms.push_back(parse(e.words, true));
    for (const std::string& other : e.also) add_acronym(other);
    Xapian::Query synonym(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
    if (!any_word) return synonym;
    return Xapian::Query(Xapian::Query::OP_OR, synonym, parse(e.words, false));
  }
  if (!IsSetOperator(parsed.get_type())) return parsed;
  std::vector<Xapian::Query> parts;
  for (size_t i = 0; i < parsed.get_num_subqueries(); ++i) {
    parts.push_back(ResolveAcronyms(parsed.get_subquery(i), expansions, parse, any_word));
  }
  return Xapian::Query(parsed.get_type(), parts.begin(), parts.end());
}

AcronymTable AcronymTable::FromDefinitions(const std::vector<std::string>& definitions) {
  AcronymTable table;
  for (const std::string& d : definitions) {
    size_t eq = d.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == d.size()) continue;
    std::string acronym = d.substr(0, eq);
    std::string long_form = d.substr(eq + 1);
    std::vector<std::string> words;
    for (size_t i = 0; i < long_form.size();) {
      size_t j = long_form.find(' ', i);
      if (j == std::string::npos) j = long_form.size();
      if (j > i) words.push_back(long_form.substr(i, j - i));
      i = j + 1;
    }
    if (words.size() < 2) continue;
    std::vector<std::string>& forms = table.long_forms_[AcronymKey(acronym)];
    if (forms.size() < kMaxLongForms &&
        std::find(forms.begin(), forms.end(), long_form) == forms.end()) {
      forms.push_back(long_form);
    }
    if (CapitalCount(acronym) >= 3 && !CollidesWithWord(AsciiLower(acronym))) {
      std::vector<std::string>& acronyms = table.acronyms_[LongFormKey(words)];
      if (std::find(acronyms.begin(), acronyms.end(), acronym) == acronyms.end()) {
        acronyms.push_back(acronym);
      }
    }
    table.max_words_ = std::max(table.max_words_, words.size());
  }
  return table;
}

AcronymTable AcronymTable::Load(const Xapian::Database& db) {
  std::vector<std::string> definitions;
  const std::string prefix(schema::kSynonymAcronym);
  for (auto key = db.synonym_keys_begin(prefix); key != db.synonym_keys_end(prefix); ++key) {
    for (auto s = db.synonyms_begin(*key); s != db.synonyms_end(*key); ++s) {
      definitions.push_back(*s);
    }
  }
  return FromDefinitions(definitions);
}

std::string AcronymTable::Expand(std::string_view text,
                                 std::vector<AcronymExpansion>* expansions) const {
  if (empty()) return std::string(text);
  // The query's whitespace-separated tokens, with where each starts and ends.
  struct Piece {
    std::string_view text;
    size_t begin;
    bool plain = false;
  };
  std::vector<Piece> tokens;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n') ++j;
    tokens.push_back({text.substr(i, j - i), i});
    i = j;
  }
  bool quoted = false;
  for (Piece& t : tokens) {
    size_t quotes = static_cast<size_t>(std::count(t.text.begin(), t.text.end(), '"'));
    t.plain = !quoted && quotes == 0 && IsPlainWord(t.text);
    if (quotes % 2 == 1) quoted = !quoted;
  }
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (!IsProximityOperator(tokens[k].text)) continue;
    if (k > 0) tokens[k - 1].plain = false;
    if (k + 1 < tokens.size()) tokens[k + 1].plain = false;
  }

  std::string out;
  size_t copied = 0;  // text before this is in `out`
  auto replace = [&](size_t first, size_t last, const std::string& with) {
    out.append(text.substr(copied, tokens[first].begin - copied));
    out += with;
    copied = tokens[last].begin + tokens[last].text.size();
  };
  for (size_t k = 0; k < tokens.size();) {
    if (!tokens[k].plain) {
      ++k;
      continue;
    }
    // The longest long form starting here.
    size_t run = 0;
    while (k + run < tokens.size() && tokens[k + run].plain) ++run;
    bool done = false;
    for (size_t n = std::min(run, max_words_); n >= 2 && !done; --n) {
      std::vector<std::string> words;
      for (size_t m = 0; m < n; ++m) words.emplace_back(tokens[k + m].text);
      auto found = acronyms_.find(LongFormKey(words));
      if (found == acronyms_.end()) continue;
      std::string typed(text.substr(tokens[k].begin,
                                    tokens[k + n - 1].begin + tokens[k + n - 1].text.size() -
                                        tokens[k].begin));
      if (expansions) {
        replace(k, k + n - 1, Marker(expansions->size()));
        expansions->push_back({typed, found->second, false});
      }
      k += n;
      done = true;
    }
    if (done) continue;
    const std::string_view word = tokens[k].text;
    // Typed, "UN" is the United Nations even though French has the word "un"; "AS" is not
    // looked up: English, the language queries are parsed in by default, drops "as".
    if (CapitalCount(word) >= 2 && !CollidesWithWord(AsciiLower(word), {"en"}) && expansions) {
      auto found = long_forms_.find(AcronymKey(word));
      if (found != long_forms_.end()) {
        replace(k, k, Marker(expansions->size()));
        expansions->push_back({std::string(word), found->second, true});
      }
    }
    ++k;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace pillar
