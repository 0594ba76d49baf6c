// Acronyms as documents define them: read at index time, searched with the words typed
// ("Rapid Support Forces" also finds "RSF", "IDPs" also finds "internally displaced persons").

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "indexer/segment/acronyms.h"
#include "query/search/acronym_expansion.h"

namespace pillar {
namespace {

// Definitions as "ACRONYM=long form", in order.
std::vector<std::string> Joined(const std::vector<AcronymDefinition>& definitions) {
  std::vector<std::string> out;
  for (const AcronymDefinition& d : definitions) out.push_back(d.acronym + "=" + d.long_form);
  return out;
}

std::vector<std::string> Found(std::string_view text) {
  return Joined(FindAcronymDefinitions(text));
}

TEST_CASE("Acronym definitions are read where capitals match the initials before them",
          "[search][acronyms]") {
  CHECK(Found("In 2024, the Rapid Support Forces (RSF) held most of Darfur.") ==
        std::vector<std::string>{"RSF=rapid support forces"});
  CHECK(Found("attacks on internally displaced persons (IDPs) in camps") ==
        std::vector<std::string>{"IDPs=internally displaced persons"});
  // Link words take no letter; accented words and curly apostrophes stay in the long form.
  CHECK(Found("the Office for Democratic Institutions and Human Rights (ODIHR) said") ==
        std::vector<std::string>{"ODIHR=office for democratic institutions and human rights"});
  CHECK(Found("les Forces démocratiques de libération du Rwanda (FDLR) ont") ==
        std::vector<std::string>{"FDLR=forces démocratiques de libération du rwanda"});
  CHECK(Found("the South Sudan People\xE2\x80\x99s Defence Forces (SSPDF)") ==
        std::vector<std::string>{"SSPDF=south sudan people\xE2\x80\x99s defence forces"});
  // Lower-case letters inside the acronym are not initials.
  CHECK(Found("the European Court of Human Rights (ECtHR)") ==
        std::vector<std::string>{"ECtHR=european court of human rights"});
  // Each part of a hyphenated word may give a letter, or only its first part; the long form
  // keeps the hyphen. An accented initial counts as its letter.
  CHECK(Found("the Counter-Terrorism Committee (CTC) met") ==
        std::vector<std::string>{"CTC=counter-terrorism committee"});
  CHECK(Found("the Inter-Agency Youth Working Group (IAYWG)") ==
        std::vector<std::string>{"IAYWG=inter-agency youth working group"});
  CHECK(Found("documented by non-governmental organizations (NGOs)") ==
        std::vector<std::string>{"NGOs=non-governmental organizations"});
  CHECK(Found("the Peace-building Commission (PC)") ==
        std::vector<std::string>{"PC=peace-building commission"});
  CHECK(Found("la Commission électorale nationale indépendante (CENI) a") ==
        std::vector<std::string>{"CENI=commission électorale nationale indépendante"});
  // A long form does not start inside a word: "building Commission" is not one.
  CHECK(Found("the Peace-building Commission (BC)").empty());
  // Not definitions: list markers, Roman numerals, a capital without a word, words that
  // do not give the capitals, a parenthesis after punctuation, one capital.
  CHECK(Found("as follows: (a) patrols; (b) escorts").empty());
  CHECK(Found("see chapter (IV) and annex (II)").empty());
  CHECK(Found("the mission (MONUSCO) reported").empty());
  CHECK(Found("the Security Council (UNSC)").empty());
  CHECK(Found("displaced persons, (IDPs)").empty());
  CHECK(Found("a resolution (Res) adopted").empty());
  CHECK(Found("(RSF) at the start").empty());
  // A run of link words whose initials are the capitals cannot make the scan try every
  // subset of them (it would take minutes); none of these is a definition.
  std::string links;
  for (int i = 0; i < 2000; ++i) {
    links += "a an and at a an and at a an and at a an and at a an and at a an (BAAAAAAAAA) ";
  }
  CHECK(Found(links).empty());
  // Unclosed or long parentheses end the scan without reading past the text.
  CHECK(Found("the Rapid Support Forces (RSF").empty());
  CHECK(Found("Rapid Support Forces (RSF and others in a long aside)").empty());
}

std::vector<std::string> Listed(std::string_view text) { return Joined(FindListedAcronyms(text)); }

TEST_CASE("A list of abbreviations gives the definitions whose capitals match every word",
          "[search][acronyms]") {
  const std::string list =
      "Acronyms AFPs Agencies, Funds and Programmes ATMIS African Union Transition Mission in "
      "Somalia C-IED Counter Improvised Explosive Devices DDR Disarmament, Demobilization and "
      "Reintegration MoECC Ministry of Environment and Climate Change ToT Training of Trainers "
      "YPS Youth, Peace and Security 25-04512 3/52";
  CHECK(IsAbbreviationList(list));
  // ATMIS: "Union" has no letter; C-IED: not a key queries read. The last entry takes as few
  // words as its capitals need, not the job number after it.
  CHECK(Listed(list) == std::vector<std::string>{
                            "AFPs=agencies funds and programmes",
                            "DDR=disarmament demobilization and reintegration",
                            "MoECC=ministry of environment and climate change",
                            "ToT=training of trainers", "YPS=youth peace and security"});
  // Lines of a list as the PDF's text layer gives them: one entry a line.
  CHECK(Listed("DDR Disarmament, Demobilization and Reintegration\nFGS Federal Government of "
               "Somalia\nIED Improvised Explosive Device\nSJF Somalia Joint Fund\nUN United "
               "Nations\n")
            .size() == 5);
  // Fewer than five entries, or acronyms in prose, define nothing here (parentheses do).
  CHECK(Listed("DDR Disarmament, Demobilization and Reintegration FGS Federal Government of "
               "Somalia UN United Nations").empty());
  const std::string prose =
      "Key partners include UNEP, UNDP, FAO, WFP, IOM, UNHCR and UNFPA, which support the "
      "FGS in the federal member states.";
  CHECK(!IsAbbreviationList(prose));
  CHECK(Listed(prose).empty());
  CHECK(!IsAbbreviationList("The UNCT and the FGS met in Mogadishu; UNTMIS Staff attended."));
  CHECK(!IsAbbreviationList(""));
  CHECK(Listed("").empty());
}

TEST_CASE("Keys join an acronym's plural and a long form's plural to the singular",
          "[search][acronyms]") {
  CHECK(AcronymKey("IDPs") == "IDP");
  CHECK(AcronymKey("IDP") == "IDP");
  CHECK(AcronymKey("ECtHR") == "ECtHR");
  CHECK(LongFormKey({"Internally", "Displaced", "Persons"}) == "internally displaced person");
  CHECK(LongFormKey({"rapid", "support", "forces"}) == "rapid support force");
  CHECK(LongFormKey({"armed", "forces", "class"}) == "armed forces class");
}

// Expand's text and what each of its places stands for: "words -> also, also".
std::pair<std::string, std::vector<std::string>> Expanded(const AcronymTable& table,
                                                          const std::string& text) {
  std::vector<AcronymExpansion> said;
  std::string out = table.Expand(text, &said);
  std::vector<std::string> places;
  for (const AcronymExpansion& e : said) {
    std::string p = e.words + (e.acronym_typed ? " => " : " -> ");
    for (size_t i = 0; i < e.also.size(); ++i) p += (i ? ", " : "") + e.also[i];
    places.push_back(p);
  }
  return {out, places};
}

using Places = std::vector<std::string>;

TEST_CASE("A query's long forms and acronyms are marked for their other form",
          "[search][acronyms]") {
  const AcronymTable table = AcronymTable::FromDefinitions(
      {"RSF=rapid support forces", "IDPs=internally displaced persons", "UN=united nations",
       "ODIHR=office for democratic institutions and human rights", "AS=armed services",
       "ECOWAS=economic community of west african states",
       "ECOWAS=economic community of west african states"});
  auto [text, places] = Expanded(table, "Rapid Support Forces El Fasher");
  CHECK(text == "pillaracronym:0 El Fasher");
  CHECK(places == Places{"Rapid Support Forces -> RSF"});
  // The singular finds the plural's acronym; the acronym typed in capitals, its long form.
  CHECK(Expanded(table, "internally displaced person").second ==
        Places{"internally displaced person -> IDPs"});
  CHECK(Expanded(table, "IDP camps") ==
        std::make_pair(std::string("pillaracronym:0 camps"),
                       Places{"IDP => internally displaced persons"}));
  CHECK(Expanded(table, "attacks by RSF").first == "attacks by pillaracronym:0");
  // A hyphenated long form, typed with its hyphen.
  CHECK(Expanded(AcronymTable::FromDefinitions({"CTC=counter-terrorism committee"}),
                 "Counter-Terrorism Committee reports")
            .second == Places{"Counter-Terrorism Committee -> CTC"});
  // Lower case is a word, not an acronym; quotes, fields, groups, exclusions and NEAR
  // operands are left as typed.
  for (const char* kept :
       {"rsf attacks", "\"Rapid Support Forces\" attacks", "RSF NEAR civilians",
        "(RSF OR militia)", "-RSF militia", "title:RSF", "Rapid Support NEAR/3 Forces"}) {
    CHECK(Expanded(table, kept) == std::make_pair(std::string(kept), Places{}));
  }
  CHECK(Expanded(table, "doc:s-2025-239-en RSF").first == "doc:s-2025-239-en pillaracronym:0");
  CHECK(Expanded(table, "RSF OR SAF").first == "pillaracronym:0 OR SAF");
  // Two capitals: typed, the long form is searched; the long form never adds "un" or "as",
  // common words in some language, and "AS" typed is a stop word, not an acronym.
  CHECK(Expanded(table, "UN police").second == Places{"UN => united nations"});
  CHECK(Expanded(table, "united nations police").second.empty());
  CHECK(Expanded(table, "armed services").second.empty());
  CHECK(Expanded(table, "AS armed").second.empty());
  // The longest long form wins, several may be in one query, a definition repeated counts
  // once.
  CHECK(Expanded(table, "Office for Democratic Institutions and Human Rights RSF ECOWAS") ==
        std::make_pair(
            std::string("pillaracronym:0 pillaracronym:1 pillaracronym:2"),
            Places{"Office for Democratic Institutions and Human Rights -> ODIHR",
                   "RSF => rapid support forces",
                   "ECOWAS => economic community of west african states"}));
  CHECK(Expanded(AcronymTable(), "Rapid Support Forces").first == "Rapid Support Forces");
}

TEST_CASE("An acronym's place becomes one synonym of the words typed and their other forms",
          "[search][acronyms]") {
  Xapian::QueryParser parser;
  parser.set_default_op(Xapian::Query::OP_AND);
  AddAcronymField(parser);
  const std::vector<AcronymExpansion> expansions = {
      {"Rapid Support Forces", {"RSF"}, false}, {"IDP", {"internally displaced persons"}, true}};
  auto parse = [&](const std::string& t) {
    return parser.parse_query(t, Xapian::QueryParser::FLAG_DEFAULT);
  };
  auto form = [&](const std::string& t, bool) { return parse(t); };
  Xapian::Query q = ResolveAcronyms(parse("pillaracronym:0 pillaracronym:1 camps"), expansions,
                                    form, false);
  const std::string d = q.get_description();
  INFO(d);
  CHECK(d.find("SYNONYM") != std::string::npos);
  CHECK(d.find("pillaracronym") == std::string::npos);
  CHECK(d.find(std::string(kAcronymPrefix)) == std::string::npos);
  // Both directions: the long form's words and the acronym, the acronym and the phrase.
  CHECK(d.find("(rapid@1 AND support@2 AND forces@3) SYNONYM rsf@1 SYNONYM rsfs@1") != std::string::npos);
  CHECK(d.find("idp@1 SYNONYM idps@1 SYNONYM (internally@1 PHRASE 3 displaced@2 PHRASE 3 persons@3)") !=
        std::string::npos);
  CHECK(d.find("camps") != std::string::npos);
  // An index number past the expansions is left as parsed, never a crash.
  CHECK(ResolveAcronyms(parse("pillaracronym:7"), expansions, form, false).get_description() ==
        parse("pillaracronym:7").get_description());
  // Any word: the long form's words also count one by one, as they would without it.
  parser.set_default_op(Xapian::Query::OP_OR);
  auto any_form = [&](const std::string& t, bool all_words) {
    parser.set_default_op(all_words ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    Xapian::Query parsed = parse(t);
    parser.set_default_op(Xapian::Query::OP_OR);
    return parsed;
  };
  const std::string any =
      ResolveAcronyms(parse("pillaracronym:0 camps"), expansions, any_form, true)
          .get_description();
  INFO(any);
  CHECK(any.find("((rapid@1 AND support@2 AND forces@3) SYNONYM rsf@1 SYNONYM rsfs@1) OR "
                 "(rapid@1 OR support@2 OR forces@3)") != std::string::npos);
}

}  // namespace
}  // namespace pillar
