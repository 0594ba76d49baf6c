#pragma once

#include <xapian.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pillar {

// What a query's words were also searched as: "Rapid Support Forces" also as "RSF", "IDPs"
// also as "internally displaced persons".
struct AcronymExpansion {
  std::string words;              // as the query has them
  std::vector<std::string> also;  // the acronyms, or the long forms
  bool acronym_typed = false;     // `words` is an acronym and `also` its long forms
};

// The field AcronymTable::Expand writes in the query text where it took words out
// ("pillaracronym:0" for the first expansion), and the term prefix the parser gives it
// (AddAcronymField). ResolveAcronyms puts the words back, with their other forms.
inline constexpr std::string_view kAcronymField = "pillaracronym";
inline constexpr std::string_view kAcronymPrefix = "XAQ";

// Lets `parser` read the expansions' places in Expand's text.
void AddAcronymField(Xapian::QueryParser& parser);

// `parsed` (Expand's text as a parser read it) with each expansion's place replaced by an
// OP_SYNONYM of the words typed and their other forms, each as `parse` reads it (the same
// parser; `all_words` asks for the words joined by AND whatever its default): a passage that
// says "RSF" weighs as if it said one word for "Rapid Support Forces", by the statistics of
// all the forms together, so a rare acronym does not outweigh the long form. The long forms
// of an acronym are phrases; an acronym is searched as written, unstemmed, singular and
// plural ("IDP" also finds "IDPs"). With `any_word` a long form typed is also ORed in word by
// word, as without the table: a passage with some of its words still matches and ranks by
// them, one with the whole long form or its acronym has the synonym's weight besides.
using ParseForm = std::function<Xapian::Query(const std::string& text, bool all_words)>;
Xapian::Query ResolveAcronyms(const Xapian::Query& parsed,
                              const std::vector<AcronymExpansion>& expansions,
                              const ParseForm& parse, bool any_word);

class AcronymTable {
 public:
  // Empty for an index without the table (made before it, or remote shards, whose protocol
  // carries no synonyms).
  static AcronymTable Load(const Xapian::Database& db);
  // `definitions` as the index stores them: "RSF=rapid support forces".
  static AcronymTable FromDefinitions(const std::vector<std::string>& definitions);

  bool empty() const { return long_forms_.empty(); }

  // `text` with each long form among its plain words (outside quotes, fields, groups and
  // NEAR/ADJ operands) ORed with its acronyms, `((Rapid Support Forces) OR rsf)`, and each
  // acronym typed in capitals ORed with its long forms as phrases, `(rsf OR "rapid support
  // forces")` (lowercased, so that "IDP" also finds "IDPs"); the longest long form first. What was expanded is appended to `expansions`.
  // A long form's acronym of two capitals ("UN", "AU") is not added: lowercased, it is a
  // common word in some language ("un", "au"); typing the acronym still finds the long form.
  std::string Expand(std::string_view text, std::vector<AcronymExpansion>* expansions) const;

 private:
  std::map<std::string, std::vector<std::string>> long_forms_;  // AcronymKey -> long forms
  std::map<std::string, std::vector<std::string>> acronyms_;    // LongFormKey -> acronyms
  size_t max_words_ = 0;  // the most words of a long form
};

}  // namespace pillar
