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
      std::string_view word = text.substr(begin, end - begin);
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
      end = begin;
    }
    // Match capitals to initials from the last one back; link words may go without one
    // (or take one: "de" in "Forces démocratiques de libération" is skipped, its D is not).
    size_t used = 0;
    std::vector<bool> failed((words.size() + 1) * (caps.size() + 1), false);
    if (!MatchInitials(words, caps, 0, caps.size(), &used, failed) || used < 2) continue;
    AcronymDefinition d;
    d.acronym = std::string(acronym);
    // Parts of one hyphenated word join with their hyphen; a long form cannot start
    // inside a word ("Terrorism Committee" of "Counter-Terrorism Committee" is not one).
    if (words[used - 1].after_hyphen) continue;
    for (size_t k = used; k-- > 0;) {
      if (!d.long_form.empty()) d.long_form += words[k].after_hyphen ? '-' : ' ';
      d.long_form += Lowered(words[k].text);
    }
    found.push_back(std::move(d));
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
