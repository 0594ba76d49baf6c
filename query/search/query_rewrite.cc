#include "query/search/query_rewrite.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "indexer/index/schema.h"

namespace pillar {
namespace {

bool StartsWithPrefix(const std::string& term, std::string_view prefix) {
  return term.size() > prefix.size() && term.compare(0, prefix.size(), prefix) == 0;
}

// A stem of a body word: `Z` and a lowercase stem (`ZXS...` and `ZS...` are field stems).
bool IsStemTerm(const std::string& term) {
  return StartsWithPrefix(term, schema::kPrefixStem) &&
         !(term[schema::kPrefixStem.size()] >= 'A' && term[schema::kPrefixStem.size()] <= 'Z');
}

bool HasStemTerm(const Xapian::Query& query) {
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    if (IsStemTerm(*t)) return true;
  }
  return false;
}

// Rebuilds `query`: `adapt` replaces the subqueries it takes, the operators above them are
// rebuilt, and subqueries where `changes` finds nothing to adapt are kept as they are.
template <typename Changes, typename Adapt>
Xapian::Query Rebuild(const Xapian::Query& query, Changes changes, Adapt adapt) {
  if (!changes(query)) return query;
  if (Xapian::Query adapted; adapt(query, &adapted)) return adapted;
  Xapian::Query::op op = query.get_type();
  if (!IsSetOperator(op)) return query;
  std::vector<Xapian::Query> parts;
  parts.reserve(query.get_num_subqueries());
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    parts.push_back(Rebuild(query.get_subquery(i), changes, adapt));
  }
  return Xapian::Query(op, parts.begin(), parts.end());
}

bool IsUnpositionedTerm(const std::string& term) {
  return StartsWithPrefix(term, schema::kPrefixTitle) ||
         StartsWithPrefix(term, schema::kPrefixSection) ||
         StartsWithPrefix(term, schema::kPrefixSectionOther) ||
         StartsWithPrefix(term, schema::kPrefixSpeaker);
}

// The prefix of a title, heading or speaker term, "S", "XS" or "XW", as parsed: bare
// (`XSwarnings`) or stemmed (`ZXSwarn`). Sets `*stemmed` to whether it was the latter.
std::string_view FieldPrefixOf(const std::string& term, bool* stemmed) {
  *stemmed = StartsWithPrefix(term, schema::kPrefixStem);
  std::string_view rest(term);
  if (*stemmed) rest.remove_prefix(schema::kPrefixStem.size());
  for (std::string_view prefix :
       {schema::kPrefixSection, schema::kPrefixSectionOther, schema::kPrefixTitle,
        schema::kPrefixSpeaker}) {
    if (rest.size() > prefix.size() && rest.substr(0, prefix.size()) == prefix) return prefix;
  }
  return {};
}

bool HasFieldTerm(const Xapian::Query& query) {
  bool stemmed;
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    if (!FieldPrefixOf(*t, &stemmed).empty()) return true;
  }
  return false;
}

bool IsPositional(Xapian::Query::op op) {
  return op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR;
}

// A phrase or NEAR whose terms are all title, heading or speaker terms.
bool IsUnpositionedPhrase(const Xapian::Query& query) {
  if (!IsPositional(query.get_type())) return false;
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    if (!IsUnpositionedTerm(*t)) return false;
  }
  return true;
}

bool HasUnpositionedPhrase(const Xapian::Query& query) {
  if (IsUnpositionedPhrase(query)) return true;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (HasUnpositionedPhrase(query.get_subquery(i))) return true;
  }
  return false;
}

}  // namespace

SynonymLookup SynonymsOf(const Xapian::Database& db) {
  return [&db](const std::string& key) {
    std::vector<std::string> out;
    for (auto w = db.synonyms_begin(key); w != db.synonyms_end(key); ++w) out.push_back(*w);
    return out;
  };
}

Xapian::Query ExpandStems(const Xapian::Query& query, const Xapian::Database& db) {
  return ExpandStems(query, SynonymsOf(db));
}

Xapian::Query ExpandStems(const Xapian::Query& query, const SynonymLookup& synonyms) {
  return Rebuild(query, HasStemTerm, [&](const Xapian::Query& q, Xapian::Query* out) {
    if (q.get_type() != Xapian::Query::LEAF_TERM) return false;
    const std::string term = *q.get_terms_begin();
    std::vector<Xapian::Query> words{Xapian::Query(term.substr(schema::kPrefixStem.size()))};
    for (const std::string& w : synonyms(term)) words.emplace_back(w);
    *out = Xapian::Query(Xapian::Query::OP_SYNONYM, words.begin(), words.end());
    return true;
  });
}

Xapian::Query PhrasesToAnd(const Xapian::Query& query) {
  return Rebuild(query, HasUnpositionedPhrase, [](const Xapian::Query& q, Xapian::Query* out) {
    if (!IsUnpositionedPhrase(q)) return false;
    std::vector<Xapian::Query> words;
    for (size_t i = 0; i < q.get_num_subqueries(); ++i) words.push_back(q.get_subquery(i));
    *out = Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
    return true;
  });
}

Xapian::Query StemFieldTerms(const Xapian::Query& query, Analyzer& analyzer) {
  return Rebuild(query, HasFieldTerm, [&](const Xapian::Query& q, Xapian::Query* out) {
    if (q.get_type() != Xapian::Query::LEAF_TERM) return false;
    const std::string term = *q.get_terms_begin();
    bool stemmed;
    std::string_view prefix = FieldPrefixOf(term, &stemmed);
    if (prefix.empty()) return false;
    std::string word = term.substr((stemmed ? schema::kPrefixStem.size() : 0) + prefix.size());
    *out = Xapian::Query(std::string(prefix) + (stemmed ? word : analyzer.StemOrWord(word)));
    return true;
  });
}

namespace {

// The window of a PHRASE or NEAR query. Xapian 1.4 has no accessor for it; its description
// carries it ("Query((force PHRASE 2 commander))"), and the subqueries the parser puts under
// a phrase are terms, whose descriptions hold no spaces.
Xapian::termcount WindowOf(const Xapian::Query& q) {
  const std::string description = q.get_description();
  const std::string name = q.get_type() == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
  size_t at = description.find(name);
  if (at == std::string::npos) return 0;
  return static_cast<Xapian::termcount>(std::strtoul(description.c_str() + at + name.size(),
                                                     nullptr, 10));
}

bool IsBodyWord(const std::string& term) {
  return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
}

}  // namespace

Xapian::Query ExpandPossessives(const Xapian::Query& query, const Xapian::Database& db) {
  return Rebuild(query, HasPositional, [&](const Xapian::Query& q, Xapian::Query* out) {
    if (!IsPositional(q.get_type())) return false;
    std::vector<Xapian::Query> parts;
    bool changed = false;
    for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
      Xapian::Query part = q.get_subquery(i);
      if (part.get_type() == Xapian::Query::LEAF_TERM) {
        const std::string term = *part.get_terms_begin();
        const std::string possessive = term + "'s";
        if (IsBodyWord(term) && db.term_exists(possessive)) {
          part = Xapian::Query(Xapian::Query::OP_OR, part, Xapian::Query(possessive));
          changed = true;
        }
      }
      parts.push_back(part);
    }
    if (!changed) {
      *out = q;
      return true;
    }
    *out = Xapian::Query(q.get_type(), parts.begin(), parts.end(), WindowOf(q));
    return true;
  });
}

bool IsSetOperator(Xapian::Query::op op) {
  switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return true;
    default:
      return false;
  }
}

bool HasPositional(const Xapian::Query& query) {
  if (IsPositional(query.get_type())) return true;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (HasPositional(query.get_subquery(i))) return true;
  }
  return false;
}

bool IsOperatorWord(std::string_view word) {
  for (std::string_view op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
    if (word == op || (word.size() > op.size() && word.substr(0, op.size()) == op &&
                       word[op.size()] == '/')) {
      return true;
    }
  }
  return false;
}

std::string WithoutProximityOperators(std::string_view query) {
  std::string out;
  bool quoted = false;
  size_t i = 0;
  while (i < query.size()) {
    const unsigned char c = static_cast<unsigned char>(query[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      out += query[i++];
      continue;
    }
    size_t end = i;
    while (end < query.size() && query[end] != ' ' && query[end] != '\t' && query[end] != '\n' &&
           query[end] != '\r') {
      ++end;
    }
    const std::string_view word = query.substr(i, end - i);
    const bool proximity =
        IsOperatorWord(word) && (word.starts_with("NEAR") || word.starts_with("ADJ"));
    if (quoted || !proximity) out += word;
    // Typographic quotes are read as '"' (PrepareQuery): each toggles as one does.
    for (std::string_view mark : {"\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xC2\xAB", "\xC2\xBB"}) {
      for (size_t at = word.find(mark); at != std::string_view::npos;
           at = word.find(mark, at + mark.size())) {
        quoted = !quoted;
      }
    }
    i = end;
  }
  return out;
}

namespace {

// The most word pairs a bonus holds: queries people type have a handful of words, and each
// pair is a position check on the passages that reach the top.
constexpr size_t kMaxBonusPairs = 8;

}  // namespace

std::vector<Xapian::Query> ProximityBonus(std::string_view text, Analyzer& analyzer,
                                          std::span<const std::string_view> stopwords,
                                          const Xapian::Database& db, Xapian::termcount slack) {
  return ProximityBonus(text, analyzer, stopwords, SynonymsOf(db), slack);
}

std::vector<PlainWord> PlainWords(std::string_view text, Analyzer& analyzer,
                                  std::span<const std::string_view> stopwords) {
  std::vector<PlainWord> out;
  bool quoted = false;
  bool run_start = true;  // the next word starts a run
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '"' || c == '(' || c == ')') {
      if (c == '"') quoted = !quoted;
      run_start = true;
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' &&
           text[end] != '\r' && text[end] != '"' && text[end] != '(' && text[end] != ')') {
      ++end;
    }
    std::string_view chunk = text.substr(i, end - i);
    i = end;
    if (chunk.front() == '+') chunk.remove_prefix(1);
    if (quoted || chunk.empty() || chunk.front() == '-' || IsOperatorWord(chunk) ||
        chunk.find(':') != std::string_view::npos || chunk.find('*') != std::string_view::npos) {
      run_start = true;
      continue;
    }
    for (const Token& t : analyzer.Tokenize(chunk)) {
      const bool stop = std::find(stopwords.begin(), stopwords.end(), t.term) != stopwords.end();
      out.push_back({t.term, stop, run_start});
      run_start = false;
    }
  }
  return out;
}

std::vector<Xapian::Query> ProximityBonus(std::string_view text, Analyzer& analyzer,
                                          std::span<const std::string_view> stopwords,
                                          const SynonymLookup& synonyms, Xapian::termcount slack) {
  // Chinese, Japanese and Korean are indexed as character n-grams: no word pairs to reward.
  const std::string& language = analyzer.language();
  if (language == "zh" || language == "ja" || language == "ko") return {};
  // The words of one stem, as a query: what ExpandStems makes of the parser's `Z` term.
  auto forms = [&](const std::string& word) {
    const std::string stem = analyzer.StemOrWord(word);
    std::vector<Xapian::Query> words{Xapian::Query(word)};
    if (stem != word) words.emplace_back(stem);
    const std::string key = std::string(schema::kPrefixStem) + stem;
    for (const std::string& w : synonyms(key)) {
      if (w != word && w != stem) words.emplace_back(w);
    }
    return Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end());
  };
  std::vector<Xapian::Query> pairs;
  std::string previous;       // the last word of the current run, "" at a run's start
  Xapian::termcount gap = 0;  // stop words since `previous`
  for (const PlainWord& w : PlainWords(text, analyzer, stopwords)) {
    if (pairs.size() >= kMaxBonusPairs) break;
    if (w.run_start) {
      previous.clear();
      gap = 0;
    }
    if (w.stop) {
      if (!previous.empty()) ++gap;
      continue;
    }
    if (!previous.empty() && previous != w.term) {
      const Xapian::Query words[] = {forms(previous), forms(w.term)};
      pairs.emplace_back(Xapian::Query::OP_PHRASE, std::begin(words), std::end(words),
                         gap + 2 + slack);
    }
    previous = w.term;
    gap = 0;
  }
  return pairs;
}

std::vector<std::vector<std::string>> ExactForms(std::string_view text, Analyzer& analyzer,
                                                 std::span<const std::string_view> stopwords) {
  const std::string& language = analyzer.language();
  if (language == "zh" || language == "ja" || language == "ko") return {};
  auto sibilant = [](std::string_view w) {
    return w.ends_with("s") || w.ends_with("x") || w.ends_with("z") || w.ends_with("ch") ||
           w.ends_with("sh");
  };
  std::vector<std::vector<std::string>> out;
  for (const PlainWord& w : PlainWords(text, analyzer, stopwords)) {
    if (out.size() >= kMaxBonusPairs) break;
    if (w.stop) continue;
    const std::string& t = w.term;
    std::vector<std::string> forms{t};
    // Its regular plural or singular (English and the Romance languages alike: -s, and -es
    // after a sibilant): "offensive" / "offensives", "process" / "processes".
    if (t.size() > 4 && t.ends_with("es") && sibilant(std::string_view(t).substr(0, t.size() - 2))) {
      forms.push_back(t.substr(0, t.size() - 2));
    } else if (t.size() > 3 && t.ends_with("s") && !t.ends_with("ss")) {
      forms.push_back(t.substr(0, t.size() - 1));
    } else if (sibilant(t)) {
      forms.push_back(t + "es");
    } else {
      forms.push_back(t + "s");
    }
    if (std::find(out.begin(), out.end(), forms) == out.end()) out.push_back(std::move(forms));
  }
  return out;
}

Xapian::Query AdaptParsedQuery(const Xapian::Query& query, Analyzer& analyzer,
                               const Xapian::Database& db) {
  return ExpandStems(StemFieldTerms(PhrasesToAnd(query), analyzer), db);
}

Xapian::Query AdaptParsedQuery(const Xapian::Query& query, Analyzer& analyzer,
                               const SynonymLookup& synonyms) {
  return ExpandStems(StemFieldTerms(PhrasesToAnd(query), analyzer), synonyms);
}

}  // namespace pillar
