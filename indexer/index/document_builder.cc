#include "indexer/index/document_builder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/segment/acronyms.h"

namespace pillar {
namespace {

using schema::SlotNo;
using schema::Slot;

// Adds one token: the exact term (with its position, if any), and when the term has accents or
// harakat the folded term too. No stem terms: a stem is looked up as the words that have it,
// which the index writer records in Xapian's synonym table (`Z` + stem -> word, see
// BuildPassages in index_writer.cc) and the query side expands to (ExpandStems). A stem term
// beside each such word was 10.3 of the 77.6 postings of a passage of the bench corpus.
void AddToken(Xapian::Document& doc, const Token& t, Analyzer& analyzer) {
  auto add = [&](const std::string& term) {
    if (t.position > 0) {
      doc.add_posting(term, t.position);
    } else {
      doc.add_term(term);
    }
  };
  add(t.term);
  if (const std::string* folded = analyzer.FoldedForm(t.term)) add(*folded);
}

// Adds the words of a title, heading or speaker's name: without positions, and each word as
// its stem alone (`XSwarn` for "Warning", "warnings" and "warned"; the word itself where the
// language has no stemmer or the word is a number), plus the stem of its accent-folded form
// where that differs. These words repeat on every passage of the document, section or speech:
// positions for them were 15% of all positions written, and a stem term beside the word term
// was 4.5 of the 82 postings of a passage (bench corpus). The query side turns title:,
// section: and speaker: words into the same stems (StemFieldTerms) and a phrase of them into
// all of its words (PhrasesToAnd). The same few texts come for passage after passage, so
// their terms are kept per thread.
void AddText(Xapian::Document& doc, std::string_view prefix, const std::string& text,
             Analyzer& analyzer) {
  thread_local std::map<std::tuple<std::string, std::string, std::string>,
                        std::vector<std::string>>
      cache;
  auto key = std::make_tuple(std::string(prefix), analyzer.language(), text);
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() > 256) cache.clear();
    std::vector<std::string> terms;
    for (const Token& t : analyzer.Tokenize(text)) {
      terms.push_back(std::string(prefix) + analyzer.StemOrWord(t.term));
      if (const std::string* folded = analyzer.FoldedForm(t.term)) {
        std::string folded_term = std::string(prefix) + analyzer.StemOrWord(*folded);
        if (folded_term != terms.back()) terms.push_back(std::move(folded_term));
      }
    }
    it = cache.emplace(std::move(key), std::move(terms)).first;
  }
  for (const std::string& term : it->second) doc.add_term(term);
}

// Words that open a figure or table caption or a source note rather than a heading, in the
// languages with stemmers that such documents come in (compared lowercase, accents folded).
constexpr std::string_view kCaptionWords[] = {
    "figure", "fig",    "table",   "chart",  "graph",  "map",    "box",    "source",  "sources",
    "note",   "notes",  "diagram", "infographic",     "graphique", "tableau", "carte", "encadre",
    "cuadro", "grafico", "figura", "mapa",   "recuadro", "fuente", "fuentes", "quadro", "tabela",
    "fonte",  "fontes"};

// Month names: a heading of only numbers and months is a date.
constexpr std::string_view kMonths[] = {
    "january", "february", "march",     "april",   "may",      "june",     "july",
    "august",  "september", "october",  "november", "december", "jan",     "feb",
    "mar",     "apr",      "jun",       "jul",     "aug",      "sep",      "sept",
    "oct",     "nov",      "dec",       "janvier", "fevrier",  "mars",     "avril",
    "mai",     "juin",     "juillet",   "aout",    "septembre", "octobre", "novembre",
    "decembre", "enero",   "febrero",   "marzo",   "abril",    "mayo",     "junio",
    "julio",   "agosto",   "septiembre", "octubre", "noviembre", "diciembre", "janeiro",
    "fevereiro", "marco",  "maio",      "junho",   "julho",    "setembro", "outubro",
    "novembro", "dezembro", "de",       "of",      "del"};

bool In(std::string_view word, const std::string_view* begin, const std::string_view* end) {
  return std::find(begin, end, word) != end;
}

}  // namespace

bool IsRankingHeading(std::string_view heading, const Analyzer& analyzer) {
  std::vector<Token> tokens = analyzer.Tokenize(heading);
  if (tokens.empty()) return false;
  const std::string first = FoldMarks(tokens.front().term);
  if (In(first, std::begin(kCaptionWords), std::end(kCaptionWords))) return false;
  // A heading names a topic in words; a date, job number, barcode or symbol
  // ("3 March 2025", "25-02079 (E)", "*2502079*", "S/2025/102") has none beyond months.
  for (const Token& t : tokens) {
    const unsigned char c = static_cast<unsigned char>(t.term[0]);
    const bool word = c >= 0x80 || (std::isalpha(c) && t.term.size() >= 2);
    if (word && !In(FoldMarks(t.term), std::begin(kMonths), std::end(kMonths))) return true;
  }
  return false;
}

namespace {

// A bare figure: digits with "." or "," between them and an optional "%" ("600", "1.5",
// "13,4", "48%"); not "(2016)," nor "2/3" nor "Q3-24".
bool IsBareNumber(std::string_view token) {
  if (token.ends_with('%')) token.remove_suffix(1);
  if (token.empty() || !std::isdigit(static_cast<unsigned char>(token.front())) ||
      !std::isdigit(static_cast<unsigned char>(token.back()))) {
    return false;
  }
  return std::all_of(token.begin(), token.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',';
  });
}

// Whether a sentence ends inside `text`: a full stop, question or exclamation mark followed
// by a space and a capital.
bool HasSentenceBreak(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i + 1] == ' ' &&
        std::isupper(static_cast<unsigned char>(text[i + 2]))) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsContentsLine(std::string_view text) {
  // Five dots in a row, spaced or not: a table of contents' leader ("Introduction . . . . 3")
  // or a table's ("Stabilizer wiring change ........ $3,790"). An ellipsis has three.
  size_t dots = 0;
  for (char c : text) {
    if (c == '.') {
      if (++dots >= kLeaderDots) return true;
    } else if (c != ' ') {
      dots = 0;
    }
  }
  return false;
}

bool IsChartText(std::string_view text) {
  // A chart's axis ("140 120 100 80 60 40 20 0") or a table's row of figures, as the PDF's
  // text layer gives them: kChartNumbers bare numbers in a row. Prose puts words between
  // its figures ("from 12 to 14 February"); a list of resolutions has years in brackets.
  const std::vector<std::string_view> tokens = SplitAtSpaces(text);
  size_t run = 0;
  size_t percentages = 0;
  bool axis = false;
  for (std::string_view token : tokens) {
    const bool number = IsBareNumber(token);
    if (number && token.ends_with('%')) ++percentages;
    run = number ? run + 1 : 0;
    if (run >= kChartNumbers) axis = true;
  }
  if (axis) return true;
  // A legend: labels and percentages ("Killing 10% Rape 26% Abduction 18%"). Prose with
  // as many percentages separates them with commas or sentences.
  return percentages >= kLegendPercentages &&
         percentages * kLegendWordsPerPercentage >= tokens.size() &&
         text.find_first_of(",;") == std::string_view::npos && !HasSentenceBreak(text);
}

bool IsListItem(std::string_view text) {
  for (std::string_view bullet : {"\xE2\x80\xA2", "\xE2\x96\xAA", "\xE2\x97\xA6", "\xC2\xB7", "- ",
                                  "\xE2\x80\x93 ", "* "}) {
    if (text.starts_with(bullet)) return true;
  }
  // "(a)", "(iv)", "(viii)", "(12)": up to four letters, or one or two digits, in brackets
  // ("(2016)" is a year).
  const size_t close = text.find(')');
  if (text.empty() || text[0] != '(' || close == std::string_view::npos || close < 2) return false;
  const std::string_view inside = text.substr(1, close - 1);
  const bool letters = std::all_of(inside.begin(), inside.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
  const bool digits = std::all_of(inside.begin(), inside.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  return (letters && inside.size() <= 4) || (digits && inside.size() <= 2);
}

bool IsLeadIn(std::string_view text) {
  text = TrimAscii(text);
  return !text.empty() && text.back() == ':';
}

std::string LeadInWords(std::string_view text) {
  const std::vector<std::string_view> words = SplitAtSpaces(text);
  if (words.size() <= kLeadInWords) return std::string(text);
  const std::string_view last = words[kLeadInWords - 1];
  return std::string(text.substr(0, static_cast<size_t>(last.data() + last.size() - text.data())));
}

bool IsFragment(std::string_view text, size_t words, const Analyzer& analyzer) {
  return words < kFragmentWords ||
         (words < kCaptionMaxWords && !IsRankingHeading(text, analyzer)) ||
         IsContentsLine(text) || IsChartText(text) || IsAbbreviationList(text);
}

std::string NormalizeSymbol(std::string_view symbol) {
  std::string out;
  size_t i = 0;
  while (i < symbol.size()) {
    size_t start = i;
    char32_t cp = DecodeUtf8(symbol, i);
    if (cp == ' ' || cp == '\t' || cp == 0xA0) continue;
    if (cp == 0x2013 || cp == 0x2014 || cp == 0x2010 || cp == 0x2011) {
      out += '-';
    } else if (cp < 0x80) {
      out += static_cast<char>(std::tolower(static_cast<int>(cp)));
    } else {
      out.append(symbol.substr(start, i - start));
    }
  }
  return out;
}

std::string OrgKey(std::string_view issuer) { return Slugify(issuer); }

std::vector<std::string> SymbolKeys(std::string_view symbol) {
  std::vector<std::string> keys;
  auto push = [&](std::string k) {
    while (!k.empty() && (k.back() == '.' || k.back() == ',')) k.pop_back();
    if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  std::string full = NormalizeSymbol(symbol);
  if (full.empty()) return keys;
  push(full);
  // Each part of a double symbol ("a/70/95-s/2015/446"): a dash followed by a letter and a
  // slash-separated symbol starts a new part.
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 1; i + 1 < full.size(); ++i) {
    if (full[i] == '-' && std::isalpha(static_cast<unsigned char>(full[i + 1])) &&
        full.find('/', i) != std::string::npos && full.substr(start, i - start).find('/') != std::string::npos) {
      parts.push_back(full.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(full.substr(start));
  for (const std::string& part : parts) {
    push(part);
    // Without the year in parentheses: "s/res/2719(2023)" -> "s/res/2719".
    size_t paren = part.find('(');
    if (paren != std::string::npos && paren > 0) push(part.substr(0, paren));
  }
  return keys;
}

Xapian::Document BuildPassageDocument(const Passage& p, const DocumentMetadata& meta,
                                      const std::vector<Token>& tokens, Analyzer& analyzer) {
  Xapian::Document doc;
  for (const Token& t : tokens) AddToken(doc, t, analyzer);
  if (!meta.title.empty()) AddText(doc, schema::kPrefixTitle, meta.title, analyzer);
  // Every heading of the trail is searchable with section:, but only real headings rank
  // (IsRankingHeading): in real PDFs many "headings" are chart captions, dates or job numbers,
  // and the heading clause of the ranking rewarded every passage under them (issue 22).
  for (const std::string& heading : p.section) {
    AddText(doc, IsRankingHeading(heading, analyzer) ? schema::kPrefixSection
                                                     : schema::kPrefixSectionOther,
            heading, analyzer);
  }
  // A list item's lead-in, the paragraph that introduces its list, is its nearest heading.
  if (!p.lead_in.empty()) AddText(doc, schema::kPrefixSection, p.lead_in, analyzer);
  if (!p.speaker.empty()) AddText(doc, schema::kPrefixSpeaker, p.speaker, analyzer);

  auto boolean = [&](std::string_view prefix, const std::string& value) {
    if (!value.empty()) doc.add_boolean_term(std::string(prefix) + value);
  };
  boolean(schema::kPrefixId, p.id);
  if (p.footnote) {
    doc.add_boolean_term(std::string(schema::kKindFootnote));
  } else if (IsFragment(p.text, tokens.size(), analyzer)) {
    doc.add_boolean_term(std::string(schema::kKindFragment));
  }
  boolean(schema::kPrefixDoc, meta.id);
  boolean(schema::kPrefixOrg, OrgKey(meta.issuer));
  boolean(schema::kPrefixType, meta.type);
  boolean(schema::kPrefixLang, p.language.empty() ? meta.language : p.language);
  boolean(schema::kPrefixYear, meta.Year());
  for (const std::string& key : SymbolKeys(meta.symbol)) boolean(schema::kPrefixSymbol, key);
  for (const Tag& t : p.tags) boolean(schema::kPrefixPillar, t.concept_id);

  doc.add_value(SlotNo(Slot::kDocId), meta.id);
  if (!meta.Year().empty()) {
    doc.add_value(SlotNo(Slot::kYear), Xapian::sortable_serialise(std::stod(meta.Year())));
  }
  doc.add_value(SlotNo(Slot::kOrdinal), Xapian::sortable_serialise(p.ordinal));
  if (!p.tags.empty()) doc.add_value(SlotNo(Slot::kPillars), PillarSetValue(p.tags));
  doc.set_data(EncodePassage(p));
  return doc;
}

std::string PillarSetValue(const std::vector<Tag>& tags) {
  std::vector<std::string> ids;
  for (const Tag& t : tags) ids.push_back(t.concept_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

void UpdatePassageTags(Xapian::Document& doc, const Passage& p) {
  std::vector<std::string> old;
  const std::string prefix(schema::kPrefixPillar);
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    it.skip_to(prefix);
    if (it == doc.termlist_end()) break;
    if (!StartsWith(*it, prefix)) break;
    old.push_back(*it);
  }
  for (const std::string& term : old) doc.remove_term(term);
  for (const Tag& t : p.tags) doc.add_boolean_term(prefix + t.concept_id);
  if (p.tags.empty()) {
    doc.remove_value(SlotNo(Slot::kPillars));
  } else {
    doc.add_value(SlotNo(Slot::kPillars), PillarSetValue(p.tags));
  }
  doc.set_data(EncodePassage(p));
}

}  // namespace pillar
