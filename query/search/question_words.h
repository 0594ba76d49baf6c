#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pillar {

// A query typed as an English question ("how does the mission protect displaced people in
// camps", "what is the mandate of UNMISS?"): the question's own words are not what the
// researcher looks for, and with all words required they would ask every passage to say
// "how" and "does". When the query reads as a question — its first word is an interrogative
// (what, which, who, whom, whose, why, where, when, how), or it ends with "?" — the plain
// words (outside quotes, fields, groups and operators; not -excluded, no wildcard) that are
// interrogatives, auxiliary verbs (is, does, can, should...), personal pronouns (we, they...),
// "many"/"much" or "there" are taken out (never a word in capitals: "US", "WHO"); a trailing
// "?" goes too. Quoted, a word is always
// searched (`"how" displaced`). A query with an operator (AND, OR, NOT, NEAR, ADJ) or a group
// is the query language, not a question: kept as typed. So is a question all of whose plain
// words are question words ("what is it?"): nothing would be left to search.
struct QuestionStrip {
  std::string text;                  // the query without the question words
  std::vector<std::string> dropped;  // as typed, in order ("how", "does")
};
QuestionStrip StripQuestionWords(std::string_view text);

}  // namespace pillar
