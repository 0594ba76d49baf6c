#include "indexer/segment/acronyms.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>

#include "indexer/base/text.h"
#include "indexer/segment/analyzer.h"

namespace pillar {
namespace {

// Words a long form may hold without a letter of its acronym ("Office for Democratic
// Institutions and Human Rights (ODIHR)", "Forces démocratiques de libération du Rwanda").
constexpr std::array<std::string_view, 22> kLinkWords = {
    "a",  "an",  "and", "at", "for", "in", "of",  "on",  "the", "to",  "with",
    "au", "aux", "d",   "de", "des", "du", "en",  "et",  "l",   "la",  "le"};

bool IsLinkWord(std::string_view lowered) {
  return std::find(kLinkWords.begin(), kLinkWords.end(), lowered) != kLinkWords.end();
}

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }

// The capitals (and digits) of a candidate acronym, or "" when it is not one: 2 to 10 ASCII
// letters and digits, starting with a capital, at least two capitals, not a Roman numeral.
std::string Capitals(std::string_view a) {
  if (a.size() < 2 || a.size() > 10 || !IsAsciiUpper(a[0])) return "";
  std::string caps;
  for (char c : a) {
    if (IsAsciiUpper(c)) {
      caps += c;
    } else if (!IsAsciiLower(c) && !IsAsciiDigit(c)) {
      return "";
    }
  }
  if (caps.size() < 2) return "";
  if (a.find_first_not_of("IVXLCDM") == std::string_view::npos) return "";
  return caps;
}

// A word of a long form: letters, digits, hyphens and apostrophes inside.
bool IsWordByte(unsigned char c) {
  return c >= 0x80 || IsAsciiUpper(static_cast<char>(c)) || IsAsciiLower(static_cast<char>(c)) ||
         IsAsciiDigit(static_cast<char>(c)) || c == '-' || c == '\'';
}

std::string Lowered(std::string_view word) {
  std::string out;
  for (size_t i = 0; i < word.size();) {
    char32_t cp = DecodeUtf8(word, i);
    AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), out);
  }
  return out;
}

// The first letter of `word`, upper-cased and without its accent, when it is then an ASCII
// letter or digit ("Élections" gives E, as in "Commission électorale nationale
// indépendante (CENI)"), else 0.
char Initial(std::string_view word) {
  if (word.empty()) return 0;
  char c = word[0];
  if (static_cast<unsigned char>(c) >= 0x80) {
    size_t end = 0;
    DecodeUtf8(word, end);
    const std::string folded = FoldMarks(word.substr(0, end));
    if (folded.size() != 1) return 0;
    c = folded[0];
  }
  if (IsAsciiLower(c)) return static_cast<char>(c - 'a' + 'A');
  if (IsAsciiUpper(c) || IsAsciiDigit(c)) return c;
  return 0;
}

// One word of a long form, or one part of a hyphenated word ("Counter-Terrorism" is
// "Counter" and "Terrorism"), which may then give a letter or go without one: "Counter-
// Terrorism Committee (CTC)", "Inter-Agency Youth Working Group (IAYWG)" and
// "Peace-building Commission (PBC)" take one from each part, "Non-State Actors (NSA)" too.
struct LongFormWord {
  std::string_view text;
  bool after_hyphen = false;  // a part that follows a hyphen in its word
};

// Whether the capitals caps[0, letters) are the initials of words[at...] (the words before
// the parenthesis, last first), link words allowed between them; `used` is then how many
// words the long form takes. Tries a link word as a letter first, then as skipped;
// `failed` remembers the (at, letters) that cannot match, so a run of link words stays
// linear rather than trying every subset.
bool MatchInitials(const std::vector<LongFormWord>& words, const std::string& caps,
                   size_t at, size_t letters, size_t* used, std::vector<bool>& failed) {
  if (letters == 0) {
    *used = at;
    return true;
  }
  const size_t memo = at * (caps.size() + 1) + letters;
  if (at == words.size() || failed[memo]) return false;
  if ((Initial(words[at].text) == caps[letters - 1] &&
       MatchInitials(words, caps, at + 1, letters - 1, used, failed)) ||
      ((words[at].after_hyphen || IsLinkWord(Lowered(words[at].text))) &&
       MatchInitials(words, caps, at + 1, letters, used, failed))) {
    return true;
  }
  failed[memo] = true;
  return false;
}

// Pushes the parts of `word` split at its hyphens onto `words`, last first ("Counter-
// Terrorism" gives "Terrorism", after a hyphen, then "Counter").
void PushPartsLastFirst(std::string_view word, std::vector<LongFormWord>& words) {
  for (size_t part_end = word.size(); part_end > 0;) {
    size_t hyphen = word.rfind('-', part_end - 1);
    size_t part_begin = hyphen == std::string_view::npos ? 0 : hyphen + 1;
    if (part_begin < part_end) {
      words.push_back({word.substr(part_begin, part_end - part_begin),
                       hyphen != std::string_view::npos});
    }
    if (hyphen == std::string_view::npos) break;
    part_end = hyphen;
  }
}

// The long form of the `used` words MatchInitials took (words[used - 1] is its first), or ""
// when it would start inside a word ("Terrorism Committee" of "Counter-Terrorism
// Committee"). Parts of one hyphenated word join with their hyphen.
std::string LongForm(const std::vector<LongFormWord>& words, size_t used) {
  if (used == 0 || words[used - 1].after_hyphen) return "";
  std::string long_form;
  for (size_t k = used; k-- > 0;) {
    if (!long_form.empty()) long_form += words[k].after_hyphen ? '-' : ' ';
    long_form += Lowered(words[k].text);
  }
  return long_form;
}

// An acronym as lists of abbreviations write it: ASCII letters and digits (and "-", "/",
// "&" inside: "C-IED", "P/CVE"), starting with a capital, at least two capitals ("UN",
// "AFPs", "MoECC", "ToT").
bool IsListAcronym(std::string_view token) {
  if (token.empty() || !IsAsciiUpper(token.front())) return false;
  size_t capitals = 0;
  for (char c : token) {
    if (IsAsciiUpper(c)) {
      ++capitals;
    } else if (!IsAsciiLower(c) && !IsAsciiDigit(c) && c != '-' && c != '/' && c != '&') {
      return false;
    }
  }
  return capitals >= 2;
}

// Where the entries of a list of abbreviations start: an acronym directly followed by a
// capitalised word (not an acronym) with the acronym's first letter ("DDR Disarmament").
std::vector<size_t> EntryStarts(const std::vector<std::string_view>& tokens) {
  std::vector<size_t> starts;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (IsListAcronym(tokens[i]) && !IsListAcronym(tokens[i + 1]) &&
        tokens[i + 1].front() == tokens[i].front()) {
      starts.push_back(i);
    }
  }
  return starts;
}

}  // namespace

std::vector<AcronymDefinition> FindAcronymDefinitions(std::string_view text) {
  std::vector<AcronymDefinition> found;
  for (size_t open = text.find('('); open != std::string_view::npos;
       open = text.find('(', open + 1)) {
    size_t close = text.find(')', open + 1);
    if (close == std::string_view::npos) break;
    if (close - open - 1 > 10) continue;
    std::string_view acronym = text.substr(open + 1, close - open - 1);
    std::string caps = Capitals(acronym);
    if (caps.empty()) continue;
    // The words before the parenthesis, last first (a hyphenated word as its parts, last
    // first), at most a few more than capitals.
    std::vector<LongFormWord> words;
    size_t end = open;
    while (words.size() < caps.size() * 2 + 2) {
      while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\t'))
        --end;
      size_t begin = end;
      while (begin > 0 && IsWordByte(static_cast<unsigned char>(text[begin - 1]))) --begin;
      if (begin == end) break;  // punctuation: the long form cannot reach past it
      PushPartsLastFirst(text.substr(begin, end - begin), words);
      end = begin;
    }
    // Match capitals to initials from the last one back; link words may go without one
    // (or take one: "de" in "Forces démocratiques de libération" is skipped, its D is not).
    size_t used = 0;
    std::vector<bool> failed((words.size() + 1) * (caps.size() + 1), false);
    if (!MatchInitials(words, caps, 0, caps.size(), &used, failed) || used < 2) continue;
    std::string long_form = LongForm(words, used);
    if (!long_form.empty()) found.push_back({std::string(acronym), std::move(long_form)});
  }
  return found;
}

bool IsAbbreviationList(std::string_view text) {
  const std::vector<std::string_view> tokens = SplitAtSpaces(text);
  const size_t entries = EntryStarts(tokens).size();
  return entries >= kAbbreviationEntries && entries * kWordsPerAbbreviation >= tokens.size();
}

std::vector<AcronymDefinition> FindListedAcronyms(std::string_view text) {
  std::vector<AcronymDefinition> found;
  const std::vector<std::string_view> tokens = SplitAtSpaces(text);
  const std::vector<size_t> starts = EntryStarts(tokens);
  // A run of entries: each next entry within kMaxEntryWords words of the one before.
  size_t run_begin = 0;
  for (size_t j = 0; j < starts.size(); ++j) {
    const bool run_ends =
        j + 1 == starts.size() || starts[j + 1] - starts[j] - 1 > kMaxEntryWords;
    if (!run_ends) continue;
    if (j + 1 - run_begin >= kAbbreviationEntries) {
      for (size_t e = run_begin; e <= j; ++e) {
        std::string_view acronym = tokens[starts[e]];
        const std::string caps = Capitals(acronym);
        if (caps.empty()) continue;  // "C-IED", "P/CVE": not a key the query side reads
        // The entry's words: up to the next entry; the run's last one, as few words as
        // its capitals need (the list may go on into a heading or a paragraph).
        const bool last = e == j;
        const size_t first = starts[e] + 1;
        const size_t limit = last ? std::min(tokens.size(), first + caps.size() * 2 + 2)
                                  : starts[e + 1];
        for (size_t end = last ? first + 2 : limit; end <= limit; ++end) {
          std::vector<LongFormWord> words;
          bool plain = true;
          for (size_t k = end; k-- > first;) {
            std::string_view word = tokens[k];
            while (!word.empty() && (word.back() == ',' || word.back() == ';')) {
              word.remove_suffix(1);
            }
            if (word.empty() || !std::all_of(word.begin(), word.end(), [](char c) {
                  return IsWordByte(static_cast<unsigned char>(c));
                })) {
              plain = false;
              break;
            }
            PushPartsLastFirst(word, words);
          }
          if (!plain) break;
          // Every word of the entry takes part: its capitals are the initials of all of
          // them, link words allowed between.
          size_t used = 0;
          std::vector<bool> failed((words.size() + 1) * (caps.size() + 1), false);
          if (!MatchInitials(words, caps, 0, caps.size(), &used, failed) ||
              used != words.size() || used < 2) {
            continue;
          }
          std::string long_form = LongForm(words, used);
          if (!long_form.empty()) found.push_back({std::string(acronym), std::move(long_form)});
          break;
        }
      }
    }
    run_begin = j + 1;
  }
  return found;
}

std::string AcronymKey(std::string_view acronym) {
  std::string key(acronym);
  if (key.size() > 2 && key.back() == 's' && IsAsciiUpper(key[key.size() - 2])) key.pop_back();
  return key;
}

std::string LongFormKey(const std::vector<std::string>& words) {
  std::string key;
  for (const std::string& w : words) {
    if (!key.empty()) key += ' ';
    key += Lowered(w);
  }
  if (key.size() > 3 && key.back() == 's' && key[key.size() - 2] != 's') key.pop_back();
  return key;
}

}  // namespace pillar
