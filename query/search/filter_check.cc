#include "query/search/filter_check.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/spelling.h"

namespace pillar {
namespace {

struct FilterField {
  std::string_view name;
  std::string_view prefix;
  std::string_view noun;  // what a value is, for messages
};

// The fields whose values are codes the index holds exactly (boolean terms).
constexpr FilterField kFilterFields[] = {
    {"doc", schema::kPrefixDoc, "document"},      {"org", schema::kPrefixOrg, "issuing body"},
    {"type", schema::kPrefixType, "type"},        {"lang", schema::kPrefixLang, "language"},
    {"pillar", schema::kPrefixPillar, "concept"}, {"year", schema::kPrefixYear, "year"},
};

const FilterField* FindFilterField(std::string_view name) {
  for (const FilterField& f : kFilterFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsOperatorWord(std::string_view t) {
  return t == "AND" || t == "OR" || t == "NOT" || t == "XOR" || t == "NEAR" || t == "ADJ" ||
         StartsWith(t, "NEAR/") || StartsWith(t, "ADJ/");
}

// The length of the quote character at s[i] ('"' or a typographic one), or 0.
size_t QuoteAt(std::string_view s, size_t i) {
  if (s[i] == '"') return 1;
  // “ ” „ (E2 80 9C/9D/9E) and « » (C2 AB/BB), as PrepareQuery reads them.
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 &&
      static_cast<unsigned char>(s[i + 1]) == 0x80) {
    unsigned char c = static_cast<unsigned char>(s[i + 2]);
    if (c == 0x9C || c == 0x9D || c == 0x9E) return 3;
  }
  if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2) {
    unsigned char c = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xAB || c == 0xBB) return 2;
  }
  return 0;
}

bool IsSeparator(char c) {
  return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '(' || c == ')';
}

// One piece of a query outside quotes: from a separator to the next, a quoted value glued to
// it included (`org:"African Union"`). Returns its end.
size_t PieceEnd(std::string_view s, size_t i) {
  while (i < s.size() && !IsSeparator(s[i])) {
    size_t q = QuoteAt(s, i);
    if (q == 0) {
      ++i;
      continue;
    }
    // Skip to the closing quote (or the end: PrepareQuery reports unclosed quotes).
    i += q;
    while (i < s.size() && QuoteAt(s, i) == 0) ++i;
    if (i < s.size()) i += QuoteAt(s, i);
  }
  return i;
}

// `name:value` with a field-like name: ASCII letters only, the value not empty and not
// starting with '/' (a URL, `https://...`). Times (`10:30`) and symbols have other names.
bool SplitField(std::string_view piece, std::string_view* name, std::string_view* value) {
  size_t colon = piece.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= piece.size()) return false;
  for (size_t k = 0; k < colon; ++k) {
    if (!IsAsciiLetter(piece[k]) && piece[k] != '_') return false;
  }
  if (piece[colon + 1] == '/') return false;
  *name = piece.substr(0, colon);
  *value = piece.substr(colon + 1);
  return true;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& QueryFieldNames() {
  static const std::vector<std::string_view> kNames = {
      "doc", "org", "type", "lang", "pillar", "year", "title", "section", "speaker", "symbol"};
  return kNames;
}

std::vector<std::pair<size_t, size_t>> BodyRanges(std::string_view query) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = 0;
  while (i < query.size()) {
    if (IsSeparator(query[i])) {
      ++i;
      continue;
    }
    if (size_t q = QuoteAt(query, i); q > 0) {
      // A phrase of its own: its words are body words.
      size_t begin = i + q;
      size_t end = begin;
      while (end < query.size() && QuoteAt(query, end) == 0) ++end;
      out.emplace_back(begin, end);
      i = end < query.size() ? end + QuoteAt(query, end) : end;
      continue;
    }
    size_t end = PieceEnd(query, i);
    std::string_view piece = query.substr(i, end - i);
    size_t sign = (piece[0] == '-' || piece[0] == '+') ? 1 : 0;
    std::string_view rest = piece.substr(sign);
    std::string_view name, value;
    bool body = !rest.empty() && !IsOperatorWord(rest) && !SplitField(rest, &name, &value) &&
                rest.find('/') == std::string_view::npos &&
                rest.find(':') == std::string_view::npos;
    if (body) out.emplace_back(i + sign, end);
    i = end;
  }
  return out;
}

FilterCheck::FilterCheck(const Xapian::Database& db, std::filesystem::path taxonomy_path)
    : db_(db), taxonomy_path_(std::move(taxonomy_path)) {}

FilterCheck::~FilterCheck() = default;

const std::vector<std::string>& FilterCheck::Values(std::string_view field) {
  auto it = values_.find(field);
  if (it != values_.end()) return it->second;
  std::vector<std::string> values;
  const FilterField* f = FindFilterField(field);
  if (f != nullptr) {
    const std::string prefix(f->prefix);
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
      std::string value = (*t).substr(prefix.size());
      // Another prefix that starts with this one (none today) would hold an upper-case letter
      // next: not a value of this field.
      if (!value.empty() && value[0] >= 'A' && value[0] <= 'Z') continue;
      values.push_back(std::move(value));
    }
  }
  return values_.emplace(std::string(field), std::move(values)).first->second;
}

const Taxonomy* FilterCheck::LoadedTaxonomy() {
  if (!taxonomy_tried_) {
    taxonomy_tried_ = true;
    Result<Taxonomy> loaded = Taxonomy::Load({taxonomy_path_});
    if (loaded.ok()) taxonomy_ = std::make_unique<Taxonomy>(std::move(loaded.value()));
  }
  return taxonomy_.get();
}

std::optional<std::string> FilterCheck::DocBySymbolOrTitle(const std::string& value) {
  const std::string symbol_prefix(schema::kPrefixSymbol);
  for (const std::string& key : SymbolKeys(value)) {
    Xapian::PostingIterator p = db_.postlist_begin(symbol_prefix + key);
    if (p != db_.postlist_end(symbol_prefix + key)) {
      return db_.get_document(*p).get_value(schema::SlotNo(schema::Slot::kDocId));
    }
  }
  // A title: only when one document has it (translations may share one).
  const std::string wanted = AsciiLower(TrimAscii(value));
  std::optional<std::string> found;
  const std::string prefix(schema::kMetaDocPrefix);
  std::vector<Xapian::Database> sources = sources_;
  if (sources.empty()) sources.push_back(db_);
  for (const Xapian::Database& db : sources) {
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
      Result<DocumentRecord> r = DecodeDocumentRecord(db.get_metadata(*it));
      if (!r.ok() || AsciiLower(r->meta.title) != wanted) continue;
      if (found) return std::nullopt;
      found = (*it).substr(prefix.size());
    }
  }
  return found;
}

// Value sets this small are listed whole in an error (languages, types, years of a corpus).
constexpr size_t kListAll = 8;

std::string FilterCheck::NearestList(std::string_view field, const std::string& value) {
  std::vector<std::string> candidates = Values(field);
  if (field == "pillar") {
    if (const Taxonomy* taxonomy = LoadedTaxonomy()) {
      for (const Concept& c : taxonomy->concepts()) candidates.push_back(c.id);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  if (candidates.empty()) return "the index has none";
  std::string lead;
  std::vector<std::string> shown;
  if (candidates.size() <= kListAll) {
    lead = "valid: ";
    shown = candidates;
  } else {
    // The three closest: by edit distance, a value that contains what was typed counting as
    // closest ("hippo" -> "hippo-2015"); years by distance in years.
    const std::string key = field == "org" ? Slugify(value) : AsciiLower(value);
    std::vector<std::tuple<size_t, std::string>> scored;
    for (const std::string& c : candidates) {
      size_t score;
      if (field == "year") {
        score = static_cast<size_t>(std::abs(std::atoi(c.c_str()) - std::atoi(key.c_str())));
      } else if (key.size() >= 3 && c.find(key) != std::string::npos) {
        score = 0;
      } else {
        score = EditDistance(key, AsciiLower(c), 64);
      }
      scored.emplace_back(score, c);
    }
    std::sort(scored.begin(), scored.end());
    // The closest, and up to two more about as close (not the least far of unrelated ones).
    for (size_t k = 0; k < 3 && k < scored.size(); ++k) {
      if (k > 0 && std::get<0>(scored[k]) > std::get<0>(scored[0]) + 2) break;
      shown.push_back(std::get<1>(scored[k]));
    }
    lead = "nearest: ";
  }
  std::string list = lead + Join(shown, ", ");
  if (field == "doc") list += " (every document id: pillar docs)";
  if (field == "pillar") list += " (every concept id: pillar taxonomy)";
  return list;
}

Result<std::string> FilterCheck::Resolve(std::string_view field, const std::string& value,
                                         std::string_view where) {
  const FilterField* f = FindFilterField(field);
  if (f == nullptr) return value;
  const std::string prefix(f->prefix);
  // The common case costs one lookup: the value as the index holds it.
  if (!value.empty() && db_.term_exists(prefix + value)) return value;
  const std::string lower = AsciiLower(value);
  if (!lower.empty() && db_.term_exists(prefix + lower)) return lower;
  for (const std::string& v : Values(field)) {
    if (AsciiLower(v) == lower) return v;
  }
  if (field == "org") {
    // The issuing body as the facets and documents print it.
    std::string slug = Slugify(value);
    if (!slug.empty() && db_.term_exists(prefix + slug)) return slug;
  } else if (field == "doc") {
    if (std::optional<std::string> id = DocBySymbolOrTitle(value)) return *id;
  } else if (field == "pillar") {
    if (const Taxonomy* taxonomy = LoadedTaxonomy()) {
      if (taxonomy->Find(lower) != nullptr) return lower;  // valid, though nothing carries it
      std::optional<std::string> by_label;
      int labelled = 0;
      for (const Concept& c : taxonomy->concepts()) {
        bool match = false;
        for (const auto* labels : {&c.pref_labels, &c.alt_labels}) {
          for (const LangString& l : *labels) match = match || AsciiLower(l.text) == lower;
        }
        if (match) {
          by_label = c.id;
          ++labelled;
        }
      }
      if (labelled == 1) return *by_label;
    }
  }
  return Status::InvalidArgument(
      std::string(where) + ": no " + std::string(f->noun) + " '" + value + "' in the index" +
      (field == "pillar" ? " or its taxonomy" : "") + "; " + NearestList(field, value));
}

Status FilterCheck::ResolveAll(std::string_view field, std::vector<std::string>* values,
                               std::string_view where) {
  for (std::string& v : *values) {
    Result<std::string> resolved = Resolve(field, v, std::string(where) + " " + v);
    if (!resolved.ok()) return resolved.status();
    v = std::move(resolved.value());
  }
  return Status::Ok();
}

Result<std::string> FilterCheck::CheckQuery(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (IsSeparator(text[i])) {
      out += text[i++];
      continue;
    }
    if (size_t q = QuoteAt(text, i); q > 0) {
      // A phrase of its own: text, never a field.
      size_t end = i + q;
      while (end < text.size() && QuoteAt(text, end) == 0) ++end;
      if (end < text.size()) end += QuoteAt(text, end);
      out.append(text, i, end - i);
      i = end;
      continue;
    }
    size_t end = PieceEnd(text, i);
    std::string_view piece(text.data() + i, end - i);
    i = end;
    size_t sign = (piece[0] == '-' || piece[0] == '+') ? 1 : 0;
    std::string_view name, value;
    if (!SplitField(piece.substr(sign), &name, &value)) {
      out += piece;
      continue;
    }
    const std::string field = AsciiLower(name);
    const auto& known = QueryFieldNames();
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : " ") + std::string(k) + ":";
      return Status::InvalidArgument("unknown field '" + std::string(name) + ":' in the query (" +
                                     std::string(piece) + "); the fields are " + list +
                                     " (to search for the words, quote them: \"" +
                                     std::string(piece.substr(sign)) + "\")");
    }
    out += piece.substr(0, sign);
    out += field + ":";
    const FilterField* f = FindFilterField(field);
    if (f == nullptr || value.back() == '*') {
      out += value;  // a text field, or a wildcard over the field's values
      continue;
    }
    if (field == "year") {
      // PrepareQuery made every year a range; a single year (2015..2015) must be one the
      // index has, as any other filter value.
      size_t dots = value.find("..");
      std::string_view from = value.substr(0, dots);
      if (dots != std::string_view::npos && !from.empty() && from == value.substr(dots + 2) &&
          !db_.term_exists(std::string(schema::kPrefixYear) + std::string(from))) {
        return Status::InvalidArgument("year:" + std::string(from) +
                                       " in the query: no document from " + std::string(from) +
                                       " in the index; " + NearestList("year", std::string(from)));
      }
      out += value;
      continue;
    }
    std::string raw(value);
    if (size_t q = QuoteAt(raw, 0); q > 0 && raw.size() > q) {
      raw = raw.substr(q);
      while (!raw.empty() && QuoteAt(raw, raw.size() - 1) == 1) raw.pop_back();
      // A closing typographic quote: PrepareQuery has already turned them into '"'.
    }
    Result<std::string> resolved =
        Resolve(field, raw, field + ":" + std::string(value) + " in the query");
    if (!resolved.ok()) return resolved.status();
    out += *resolved;
  }
  return out;
}

}  // namespace pillar
