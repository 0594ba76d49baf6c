#include "indexer/segment/locator.h"

#include "indexer/base/text.h"

namespace pillar {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool IsRoman(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (std::string_view("ivxlc").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// True when the marker is followed by white space or the end (so "12.5%" is no locator).
bool EndsMarker(std::string_view s, size_t i) { return i >= s.size() || s[i] == ' '; }

}  // namespace

DetectedLocator DetectLocator(std::string_view p, char previous_letter) {
  DetectedLocator none;
  if (p.empty()) return none;

  // "Article 5", "Article 5." "Art. 12", "Article premier" is left alone.
  for (std::string_view word : {"Article ", "ARTICLE ", "Art. "}) {
    if (StartsWith(p, word)) {
      size_t i = word.size();
      size_t start = i;
      while (i < p.size() && IsDigit(p[i])) ++i;
      if (i == start) break;
      if (i < p.size() && IsLower(p[i]) && EndsMarker(p, i + 1)) ++i;  // "Article 5a"
      if (i < p.size() && p[i] == '.') {
        if (!EndsMarker(p, i + 1)) break;
      } else if (!EndsMarker(p, i) && !(i < p.size() && p[i] == ':')) {
        break;
      }
      return {LocatorKind::kArticle, "Article " + std::string(p.substr(start, i - start))};
    }
  }

  // "12." / "12.3" / "12.3." / "2.1.4"
  if (IsDigit(p[0])) {
    size_t i = 0;
    int groups = 0;
    while (true) {
      size_t start = i;
      while (i < p.size() && IsDigit(p[i])) ++i;
      if (i == start || i - start > 4) return none;
      ++groups;
      if (i < p.size() && p[i] == '.' && i + 1 < p.size() && IsDigit(p[i + 1])) {
        ++i;
        continue;
      }
      break;
    }
    std::string label(p.substr(0, i));
    bool dot = i < p.size() && p[i] == '.';
    if (dot) ++i;
    if (!EndsMarker(p, i) || i >= p.size()) return none;
    if (groups == 1) {
      if (!dot) return none;  // "2023 was..." is no paragraph number
      return {LocatorKind::kNumber, label};
    }
    return {LocatorKind::kDecimal, label};
  }

  // "(a)" / "(iv)" / "a)"
  std::string_view inner;
  size_t after = 0;
  if (p[0] == '(') {
    size_t close = p.find(')');
    if (close == std::string_view::npos || close < 2 || close > 6) return none;
    inner = p.substr(1, close - 1);
    after = close + 1;
  } else if (IsLower(p[0]) && p.size() > 1 && p[1] == ')') {
    inner = p.substr(0, 1);
    after = 2;
  } else {
    return none;
  }
  if (!EndsMarker(p, after)) return none;
  for (char c : inner) {
    if (!IsLower(c)) {
      if (IsDigit(c) && inner.size() <= 3) {
        bool all_digits = true;
        for (char d : inner) all_digits = all_digits && IsDigit(d);
        if (all_digits) return {LocatorKind::kNumber, std::string(inner)};
      }
      return none;
    }
  }
  if (inner.size() == 1) {
    char c = inner[0];
    // "(i)", "(v)", "(x)" are letters only when they continue a letter sequence.
    bool roman_letter = c == 'i' || c == 'v' || c == 'x';
    if (roman_letter && previous_letter != c - 1) return {LocatorKind::kRoman, std::string(inner)};
    return {LocatorKind::kLetter, std::string(inner)};
  }
  if (IsRoman(inner)) return {LocatorKind::kRoman, std::string(inner)};
  return none;
}

std::string FragmentForLocator(std::string_view locator, bool resolution) {
  if (locator.empty()) return {};
  std::string body;
  std::string_view rest = locator;
  std::string prefix;
  if (StartsWith(rest, "Article ")) {
    prefix = "art-";
    rest.remove_prefix(8);
  } else if (StartsWith(rest, "Section ")) {
    prefix = "sec-";
    rest.remove_prefix(8);
  } else if (StartsWith(rest, "PP")) {
    prefix = "pp-";
    rest.remove_prefix(2);
  } else {
    prefix = resolution ? "op-" : "para-";
  }
  // Keep digits, letters and dots between digits; parentheses become separators.
  bool dash = false;
  for (char c : rest) {
    if (IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z') || c == '.') {
      if (dash && !body.empty()) body += '-';
      dash = false;
      body += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      dash = true;
    }
  }
  return prefix + body;
}

}  // namespace pillar
