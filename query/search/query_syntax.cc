#include "query/search/query_syntax.h"

#include <cctype>

#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"

namespace pillar {
namespace {

// One whitespace-separated piece of the query outside quotes, or a quoted phrase.
struct Piece {
  std::string text;
  size_t column = 0;  // 1-based character column of its first character
  bool quoted = false;
  bool open_paren = false;   // a lone "("
  bool close_paren = false;  // a lone ")"
};

Status ErrorAt(size_t column, const std::string& what) {
  return Status::InvalidArgument("query syntax error at column " + std::to_string(column) + ": " +
                                 what);
}

bool IsBinaryOperator(std::string_view t) {
  return t == "AND" || t == "OR" || t == "XOR" || t == "NEAR" || t == "ADJ" ||
         StartsWith(t, "NEAR/") || StartsWith(t, "ADJ/");
}

bool IsOperator(std::string_view t) { return t == "NOT" || IsBinaryOperator(t); }

// ASCII white space and the other control characters: all separate words.
bool IsQuerySpace(char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; }

bool IsFourDigits(std::string_view s) {
  if (s.size() != 4) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "S/RES/2719", "A/70/95-S/2015/446", "S/2015/446": an upper-case series letter group, then
// slash-separated parts.
bool LooksLikeSymbol(std::string_view t) {
  size_t slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 5) return false;
  for (size_t i = 0; i < slash; ++i) {
    if (!std::isupper(static_cast<unsigned char>(t[i]))) return false;
  }
  if (slash + 1 >= t.size()) return false;
  for (char c : t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '-' ||
          c == '(' || c == ')')) {
      return false;
    }
  }
  return true;
}

bool IsProximity(const Piece& p) {
  return !p.quoted && (p.text == "NEAR" || p.text == "ADJ" || StartsWith(p.text, "NEAR/") ||
                       StartsWith(p.text, "ADJ/"));
}

// A phrase of its own (not a field's, `title:"..."`) of more than one word.
bool IsBarePhrase(const Piece& p) {
  return p.quoted && StartsWith(p.text, "\"") && p.text.find(' ') != std::string::npos;
}

// Xapian's parser takes only words around NEAR and ADJ: `"use of force" NEAR civilians` is a
// syntax error to it, and it then silently reads the query again as plain words ("near"
// among them). Each chain of NEAR/ADJ operands holding a phrase becomes
// `(use NEAR of NEAR force NEAR civilians AND "use of force")`: all the words near each other
// and the phrase as a phrase. (Not stricter: the phrase may also occur apart from the words
// that are near; the window of NEAR keeps that rare.)
std::vector<Piece> KeepPhrasesExact(std::vector<Piece> pieces) {
  std::vector<Piece> out;
  for (size_t k = 0; k < pieces.size();) {
    size_t end = k + 1;
    while (end + 1 < pieces.size() && IsProximity(pieces[end]) && !IsProximity(pieces[end + 1]) &&
           !pieces[end + 1].open_paren && !pieces[end + 1].close_paren) {
      end += 2;
    }
    std::vector<const Piece*> phrases;
    for (size_t j = k; j < end; j += 2) {
      if (IsBarePhrase(pieces[j])) phrases.push_back(&pieces[j]);
    }
    if (end == k + 1 || phrases.empty() || pieces[k].open_paren || pieces[k].close_paren) {
      out.push_back(std::move(pieces[k]));
      ++k;
      continue;
    }
    Piece open, close, conj;
    open.text = "(";
    open.open_paren = true;
    close.text = ")";
    close.close_paren = true;
    conj.text = "AND";
    out.push_back(open);
    for (size_t j = k; j < end; ++j) {
      if (!IsBarePhrase(pieces[j])) {
        out.push_back(pieces[j]);
        continue;
      }
      // The phrase's words join the chain with the operator next to the phrase.
      const Piece& op = pieces[j + 1 < end ? j + 1 : j - 1];
      std::string body = pieces[j].text.substr(1, pieces[j].text.size() - 2);
      bool first = true;
      for (size_t at = 0; at < body.size();) {
        size_t space = body.find(' ', at);
        if (space == std::string::npos) space = body.size();
        if (space > at) {
          if (!first) out.push_back(op);
          Piece word;
          word.text = body.substr(at, space - at);
          out.push_back(word);
          first = false;
        }
        at = space + 1;
      }
    }
    for (const Piece* phrase : phrases) {
      out.push_back(conj);
      out.push_back(*phrase);
    }
    out.push_back(close);
    k = end;
  }
  return out;
}

}  // namespace

Result<PreparedQuery> PrepareQuery(std::string_view raw) {
  if (raw.size() > kMaxQueryBytes) {
    return Status::InvalidArgument("the query is " + std::to_string(raw.size()) +
                                   " bytes long; at most " + std::to_string(kMaxQueryBytes) +
                                   " bytes are allowed");
  }
  size_t words = 0;
  for (size_t k = 0; k < raw.size(); ++k) {
    words += !IsQuerySpace(raw[k]) && (k == 0 || IsQuerySpace(raw[k - 1]));
  }
  if (words > kMaxQueryWords) {
    return Status::InvalidArgument("the query has " + std::to_string(words) + " words; at most " +
                                   std::to_string(kMaxQueryWords) + " are allowed");
  }
  // Typographic quotes to '"'.
  std::string q;
  q.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    size_t start = i;
    char32_t cp = DecodeUtf8(raw, i);
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB || cp == 0xBB) {
      q += '"';
    } else if (cp < 0x20 || cp == 0x7F) {
      // Control characters separate words for Xapian's parser: they must for the checks
      // below too, or "a\fXOR\fADJ/2" passes them as one word and reaches Xapian malformed.
      q += ' ';
    } else {
      q.append(raw.substr(start, i - start));
    }
  }

  // Split into pieces, tracking columns in characters.
  std::vector<Piece> pieces;
  int depth = 0;
  std::vector<size_t> open_columns;
  size_t column = 0;
  size_t i = 0;
  Piece current;
  auto flush = [&] {
    if (!current.text.empty() || current.quoted) pieces.push_back(current);
    current = Piece();
  };
  while (i < q.size()) {
    size_t start = i;
    char32_t cp = DecodeUtf8(q, i);
    ++column;
    if (cp == '"') {
      // A phrase runs to the next quote, possibly glued to a field ("title:" + phrase).
      size_t close = q.find('"', i);
      if (close == std::string::npos) return ErrorAt(column, "unclosed quote: add the closing \"");
      std::string_view body(q.data() + i, close - i);
      if (current.text.empty()) current.column = column;
      current.text += "\"" + std::string(body) + "\"";
      current.quoted = true;
      column += CountCodePoints(body) + 1;
      i = close + 1;
      continue;
    }
    if (cp == '(' || cp == ')') {
      flush();
      Piece p;
      p.column = column;
      p.text = cp == '(' ? "(" : ")";
      p.open_paren = cp == '(';
      p.close_paren = cp == ')';
      if (cp == '(') {
        ++depth;
        open_columns.push_back(column);
      } else {
        if (depth == 0) return ErrorAt(column, "')' without a matching '('");
        --depth;
        open_columns.pop_back();
      }
      pieces.push_back(p);
      continue;
    }
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      flush();
      continue;
    }
    if (current.text.empty()) current.column = column;
    current.text.append(q, start, i - start);
  }
  flush();
  if (depth > 0) return ErrorAt(open_columns.back(), "'(' is never closed: add ')'");

  PreparedQuery out;
  std::vector<Piece> kept;
  for (size_t k = 0; k < pieces.size(); ++k) {
    Piece p = pieces[k];
    if (p.quoted || p.open_paren || p.close_paren) {
      kept.push_back(p);
      continue;
    }
    std::string_view t = p.text;
    // Symbols, bare or as symbol:..., optionally followed by "(2023)".
    std::string_view symbol = StartsWith(t, "symbol:") ? t.substr(7) : t;
    bool proximity = StartsWith(t, "NEAR/") || StartsWith(t, "ADJ/");
    if (StartsWith(t, "symbol:") || (!proximity && LooksLikeSymbol(symbol))) {
      if (symbol.empty()) return ErrorAt(p.column, "symbol: needs a document symbol");
      std::string full(symbol);
      if (k + 3 < pieces.size() && pieces[k + 1].open_paren &&
          IsFourDigits(pieces[k + 2].text) && pieces[k + 3].close_paren) {
        full += "(" + pieces[k + 2].text + ")";
        k += 3;
      }
      for (const std::string& key : SymbolKeys(full)) out.symbol_keys.push_back(key);
      continue;
    }
    if (StartsWith(t, "year:")) {
      std::string_view range = t.substr(5);
      size_t dots = range.find("..");
      std::string_view from = dots == std::string_view::npos ? range : range.substr(0, dots);
      std::string_view to = dots == std::string_view::npos ? range : range.substr(dots + 2);
      if ((from.empty() && to.empty()) || (!from.empty() && !IsFourDigits(from)) ||
          (!to.empty() && !IsFourDigits(to))) {
        return ErrorAt(p.column, "year: needs four-digit years, as in year:2015, "
                                 "year:2012..2023, year:2012.. or year:..2015");
      }
      if (!from.empty() && !to.empty() && from > to) {
        // Not swapped silently: a reversed range is as likely a typo in one of the years.
        return ErrorAt(p.column, "year:" + std::string(range) + " runs backwards (" +
                                     std::string(from) + " is after " + std::string(to) +
                                     "): write year:" + std::string(to) + ".." + std::string(from));
      }
      p.text = "year:" + std::string(from) + ".." + std::string(to);
      kept.push_back(p);
      continue;
    }
    size_t colon = t.find(':');
    if (colon != std::string_view::npos && colon + 1 == t.size() && colon > 0) {
      return ErrorAt(p.column, "'" + std::string(t) + "' needs a value after the colon");
    }
    if (StartsWith(t, "NEAR/") || StartsWith(t, "ADJ/")) {
      std::string_view n = t.substr(t.find('/') + 1);
      bool digits = !n.empty();
      for (char c : n) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      if (!digits) return ErrorAt(p.column, std::string(t) + " needs a number, as in NEAR/5");
    }
    kept.push_back(p);
  }

  // Operators need operands.
  for (size_t k = 0; k < kept.size(); ++k) {
    const Piece& p = kept[k];
    if (p.quoted || !IsOperator(p.text)) continue;
    bool has_left = k > 0 && !kept[k - 1].open_paren &&
                    (kept[k - 1].quoted || !IsOperator(kept[k - 1].text));
    bool has_right = k + 1 < kept.size() && !kept[k + 1].close_paren &&
                     (kept[k + 1].quoted || !IsBinaryOperator(kept[k + 1].text));
    if (p.text == "NOT") {
      // NOT may start a query or follow AND/OR ("a AND NOT b").
      if (!has_right) return ErrorAt(p.column, "NOT needs a term after it");
      if (k + 1 < kept.size() && kept[k + 1].text == "NOT" && !kept[k + 1].quoted) {
        return ErrorAt(kept[k + 1].column, "NOT NOT is not a query");
      }
      continue;
    }
    if (!has_left) return ErrorAt(p.column, p.text + " needs a term before it");
    if (!has_right) return ErrorAt(p.column, p.text + " needs a term after it");
  }

  kept = KeepPhrasesExact(std::move(kept));
  for (const Piece& p : kept) {
    if (!out.text.empty() && !p.close_paren && out.text.back() != '(') out.text += ' ';
    out.text += p.text;
  }
  return out;
}

}  // namespace pillar
