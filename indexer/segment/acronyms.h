#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pillar {

// An acronym as a document defines it: "Rapid Support Forces (RSF)", "internally displaced
// persons (IDPs)", "Forces démocratiques de libération du Rwanda (FDLR)".
struct AcronymDefinition {
  std::string acronym;    // as written: "RSF", "IDPs"
  std::string long_form;  // its words as written, lowercased, one space apart (a hyphenated
                          // word keeps its hyphen: "counter-terrorism committee")
};

// Every definition in `text`, in order, repeats included: a parenthesised run of 2 to 10
// letters and digits holding at least two capitals (a trailing "s" allowed, Roman numerals
// and "(a)" list markers not), whose capitals are, in order, the initials of the words just
// before the parenthesis; short function words of English and French ("of", "and", "de",
// "du"...) may sit between them without a letter. Nothing else is guessed: a long form needs
// a word for every capital, and at least two words.
std::vector<AcronymDefinition> FindAcronymDefinitions(std::string_view text);

// Whether `text` is a list of abbreviations as a PDF's text layer gives it, each acronym
// followed by its long form ("AFPs Agencies, Funds and Programmes ATMIS African Union
// Transition Mission in Somalia DDR Disarmament, ..."): kAbbreviationEntries or more
// acronyms directly followed by a capitalised word with the acronym's first letter, one in
// kWordsPerAbbreviation words or denser. Such a list holds the words of every name a query
// may ask for, and answers none of them (a fragment for ranking: IsFragment).
inline constexpr size_t kAbbreviationEntries = 5;
inline constexpr size_t kWordsPerAbbreviation = 15;
bool IsAbbreviationList(std::string_view text);

// The definitions a list of abbreviations gives: in a run of kAbbreviationEntries or more
// entries (as IsAbbreviationList counts them, each within kMaxEntryWords words of the one
// before), each entry whose acronym's capitals are the initials of all the words up to the
// next entry, link words allowed between ("DDR Disarmament, Demobilization and
// Reintegration", "YPS Youth, Peace and Security"); the run's last entry takes as few words
// as match. "ATMIS African Union Transition Mission in Somalia" gives nothing ("Union" has no
// letter), as it would in parentheses.
inline constexpr size_t kMaxEntryWords = 14;
std::vector<AcronymDefinition> FindListedAcronyms(std::string_view text);

// The key an acronym is looked up by: as written, without a plural "s" after capitals
// ("IDPs" and "IDP" are one key). Case is kept: "SEA" is an acronym, "sea" a word.
std::string AcronymKey(std::string_view acronym);

// The key a long form is looked up by: its words lowercased, one space apart, the last
// without a plural "s" ("internally displaced persons" and "... person" are one key).
std::string LongFormKey(const std::vector<std::string>& words);

}  // namespace pillar
