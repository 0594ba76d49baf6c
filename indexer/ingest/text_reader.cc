#include "indexer/ingest/text_reader.h"

#include <cctype>
#include <string>
#include <vector>

#include "indexer/base/text.h"

namespace pillar {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool IsRomanNumeral(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (std::string_view("IVXLC").find(c) == std::string_view::npos) return false;
  }
  return true;
}

size_t CountWords(std::string_view s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\t';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

std::string_view FirstWord(std::string_view s) {
  size_t e = s.find(' ');
  return e == std::string_view::npos ? s : s.substr(0, e);
}

}  // namespace

bool StartsWithListMarker(std::string_view line) {
  line = TrimAscii(line);
  if (line.size() < 2) return false;
  if ((line[0] == '-' || line[0] == '*') && line[1] == ' ') return true;
  if (StartsWith(line, "\xE2\x80\xA2")) return true;  // bullet U+2022
  size_t i = 0;
  if (line[0] == '(') {
    i = 1;
    size_t start = i;
    while (i < line.size() && (IsLower(line[i]) || IsDigit(line[i]))) ++i;
    return i > start && i - start <= 5 && i < line.size() && line[i] == ')';
  }
  if (IsDigit(line[0])) {
    while (i < line.size() && (IsDigit(line[i]) || line[i] == '.')) ++i;
    return i < line.size() && line[i] == ' ' && (line[i - 1] == '.' || i > 1) &&
           line.substr(0, i).find('.') != std::string_view::npos;
  }
  if (IsLower(line[0]) && line.size() > 2 && line[1] == ')' && line[2] == ' ') return true;
  return false;
}

int HeadingLevelOfLine(std::string_view line) {
  line = TrimAscii(line);
  if (line.empty() || line.size() > 120 || CountWords(line) > 12) return 0;
  char last = line.back();
  if (std::string_view(".;:,!?").find(last) != std::string_view::npos) return 0;
  if (line[0] == '(' || line[0] == '-' || line[0] == '*') return 0;
  if (StartsWith(line, "\xE2\x80\xA2")) return 0;
  // A heading starts with a capital letter, a digit or a non-ASCII letter (É, À).
  auto c0 = static_cast<unsigned char>(line[0]);
  if (!(IsUpper(line[0]) || IsDigit(line[0]) || c0 >= 0x80)) return 0;

  std::string_view first = FirstWord(line);
  std::string_view bare = first;
  if (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
  if (first == "PART" || first == "Part" || first == "CHAPTER" || first == "Chapter" ||
      first == "ANNEX" || first == "Annex" || first == "TITLE" || first == "TITRE" ||
      first == "Titre" || first == "CHAPITRE" || first == "Chapitre") {
    return 1;
  }
  if (first.size() >= 2 && first.back() == '.' && IsRomanNumeral(bare)) return 1;
  bool all_caps = true;
  for (char c : line) {
    if (IsLower(c)) all_caps = false;
  }
  if (all_caps && CountWords(line) >= 2) return 1;
  return 2;
}

Status TextReader::Read(const std::filesystem::path&, std::string_view bytes,
                        ExtractedDocument* out) const {
  int page = bytes.find('\f') != std::string_view::npos ? 1 : 0;
  std::vector<std::string_view> lines;  // the current blank-line separated block

  auto flush = [&] {
    if (lines.empty()) return;
    if (lines.size() == 1) {
      int level = HeadingLevelOfLine(lines[0]);
      if (level > 0) {
        out->AddBlock(BlockKind::kHeading, lines[0], level, page);
        lines.clear();
        return;
      }
    }
    std::string para;
    for (std::string_view line : lines) {
      if (!para.empty() && StartsWithListMarker(line)) {
        out->AddBlock(BlockKind::kParagraph, para, 0, page);
        para.clear();
      }
      if (!para.empty()) para += ' ';
      para.append(line);
    }
    out->AddBlock(BlockKind::kParagraph, para, 0, page);
    lines.clear();
  };

  size_t pos = 0;
  while (pos <= bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    std::string_view line =
        bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    // A form feed may sit alone on its line or at the start of the next page's first line.
    while (!line.empty() && line.find('\f') != std::string_view::npos) {
      size_t ff = line.find('\f');
      std::string_view before = TrimAscii(line.substr(0, ff));
      if (!before.empty()) lines.push_back(before);
      flush();
      ++page;
      line = line.substr(ff + 1);
    }
    std::string_view trimmed = TrimAscii(line);
    if (trimmed.empty()) {
      flush();
    } else {
      lines.push_back(trimmed);
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  flush();
  return Status::Ok();
}

}  // namespace pillar
