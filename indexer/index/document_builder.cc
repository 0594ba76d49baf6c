#include "indexer/index/document_builder.h"

#include "indexer/base/text.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"

namespace pillar {
namespace {

using schema::SlotNo;
using schema::Slot;

void AddText(Xapian::Document& doc, std::string_view prefix, std::string_view text,
             Analyzer& analyzer) {
  std::string stem_prefix = std::string(schema::kPrefixStem) + std::string(prefix);
  for (const Token& t : analyzer.Tokenize(text)) {
    doc.add_posting(std::string(prefix) + t.term, t.position);
    const std::string& stem = analyzer.Stem(t.term);
    if (!stem.empty()) doc.add_term(stem_prefix + stem);
  }
}

std::string PillarValue(const Passage& p) {
  std::string v;
  for (const Tag& t : p.tags) {
    if (!v.empty()) v += '\n';
    v += t.concept_id;
  }
  return v;
}

}  // namespace

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

Xapian::Document BuildPassageDocument(const Passage& p, const DocumentMetadata& meta,
                                      const std::vector<Token>& tokens, Analyzer& analyzer) {
  Xapian::Document doc;
  for (const Token& t : tokens) {
    doc.add_posting(t.term, t.position);
    const std::string& stem = analyzer.Stem(t.term);
    if (!stem.empty()) doc.add_term(std::string(schema::kPrefixStem) + stem);
  }
  if (!meta.title.empty()) AddText(doc, schema::kPrefixTitle, meta.title, analyzer);
  for (const std::string& heading : p.section) AddText(doc, schema::kPrefixSection, heading, analyzer);

  auto boolean = [&](std::string_view prefix, const std::string& value) {
    if (!value.empty()) doc.add_boolean_term(std::string(prefix) + value);
  };
  boolean(schema::kPrefixId, p.id);
  boolean(schema::kPrefixDoc, meta.id);
  boolean(schema::kPrefixOrg, OrgKey(meta.issuer));
  boolean(schema::kPrefixType, meta.type);
  boolean(schema::kPrefixLang, meta.language);
  boolean(schema::kPrefixYear, meta.Year());
  boolean(schema::kPrefixSymbol, NormalizeSymbol(meta.symbol));
  for (const Tag& t : p.tags) boolean(schema::kPrefixPillar, t.concept_id);

  doc.add_value(SlotNo(Slot::kDocId), meta.id);
  if (!meta.Year().empty()) {
    doc.add_value(SlotNo(Slot::kYear), Xapian::sortable_serialise(std::stod(meta.Year())));
  }
  doc.add_value(SlotNo(Slot::kOrdinal), Xapian::sortable_serialise(p.ordinal));
  if (!p.tags.empty()) doc.add_value(SlotNo(Slot::kPillars), PillarValue(p));
  if (p.page > 0) doc.add_value(SlotNo(Slot::kPage), Xapian::sortable_serialise(p.page));
  doc.set_data(EncodePassage(p));
  return doc;
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
    doc.add_value(SlotNo(Slot::kPillars), PillarValue(p));
  }
  doc.set_data(EncodePassage(p));
}

}  // namespace pillar
