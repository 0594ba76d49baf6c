#include "query/search/question_words.h"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "query/search/query_rewrite.h"

namespace pillar {
namespace {

constexpr std::array<std::string_view, 9> kInterrogatives = {
    "what", "which", "who", "whom", "whose", "why", "where", "when", "how"};

// Words a question is made of that say nothing of its subject. Not "may" (the month) or
// "will" ("the will of the parties"): those are words of the texts searched too, taken out
// only right after an interrogative (kModalsAfterInterrogative).
// "about" marks the question's subject ("what did the Council decide about ..."): the
// passages that answer it rarely say it.
constexpr std::array<std::string_view, 36> kQuestionWords = {
    "what",  "which", "who",   "whom",   "whose",  "why",  "where", "when", "how",
    "is",    "are",   "was",   "were",   "do",     "does", "did",   "can",  "could",
    "should", "would", "has",  "have",   "had",    "i",    "we",    "you",  "they",
    "he",    "she",   "it",    "us",     "them",   "many", "much",  "there", "about"};

// Modal verbs, taken out only right after an interrogative ("when will the mission ...",
// "how may States ..."), where they can only be the question's verb.
constexpr std::array<std::string_view, 5> kModalsAfterInterrogative = {"will", "may", "might",
                                                                       "shall", "must"};

bool Contains(std::span<const std::string_view> list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// A word the question rule may take out: a plain word, not a phrase, field, exclusion,
// wildcard or operator, nor an acronym in capitals ("US", "WHO", "IT").
bool IsPlainWord(std::string_view token) {
  if (token.empty() || IsOperatorWord(token)) return false;
  size_t capitals = 0;
  for (char c : token) capitals += c >= 'A' && c <= 'Z';
  if (capitals >= 2) return false;
  if (token.front() == '-' || token.front() == '+') return false;
  for (char c : token) {
    if (c == '"' || c == ':' || c == '*' || c == '(' || c == ')') return false;
  }
  return true;
}

}  // namespace

QuestionStrip StripQuestionWords(std::string_view text) {
  QuestionStrip out{std::string(text), {}};
  // Split at spaces, keeping a quoted phrase as one token.
  std::vector<std::string_view> tokens;
  for (size_t at = 0; at < text.size();) {
    if (text[at] == ' ') {
      ++at;
      continue;
    }
    size_t end = at;
    while (end < text.size() && text[end] != ' ') {
      if (text[end] == '"') {
        size_t close = text.find('"', end + 1);
        end = close == std::string_view::npos ? text.size() : close + 1;
      } else {
        ++end;
      }
    }
    tokens.push_back(text.substr(at, end - at));
    at = end;
  }
  if (tokens.empty()) return out;
  for (std::string_view t : tokens) {
    // The query language, not a question.
    if (IsOperatorWord(t) || t.find('(') != std::string_view::npos ||
        t.find(')') != std::string_view::npos) {
      return out;
    }
  }
  auto bare = [](std::string_view t) {
    while (!t.empty() && (t.back() == '?' || t.back() == ',')) t.remove_suffix(1);
    return AsciiLower(t);
  };
  const bool asked = text.find_last_not_of(' ') != std::string_view::npos &&
                     text[text.find_last_not_of(' ')] == '?';
  if (!asked && !(IsPlainWord(tokens.front()) && Contains(kInterrogatives, bare(tokens.front())))) {
    return out;
  }
  std::vector<std::string> kept;
  std::vector<std::string> dropped;
  bool content = false;
  bool after_interrogative = false;
  for (std::string_view t : tokens) {
    std::string_view word = t;
    while (!word.empty() && word.back() == '?') word.remove_suffix(1);
    const std::string lower = bare(t);
    if (IsPlainWord(t) && (Contains(kQuestionWords, lower) ||
                           (after_interrogative && Contains(kModalsAfterInterrogative, lower)))) {
      after_interrogative = Contains(kInterrogatives, lower);
      dropped.emplace_back(word);
      continue;
    }
    after_interrogative = false;
    if (word.empty()) continue;  // a lone "?"
    content = true;
    kept.emplace_back(word);
  }
  if (!content) return out;
  out.text.clear();
  for (const std::string& w : kept) {
    if (!out.text.empty()) out.text += ' ';
    out.text += w;
  }
  out.dropped = std::move(dropped);
  return out;
}

}  // namespace pillar
