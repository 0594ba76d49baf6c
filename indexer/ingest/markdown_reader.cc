#include "indexer/ingest/markdown_reader.h"

#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/text_reader.h"

namespace pillar {
namespace {

// Removes <!-- ... --> comments, keeping newlines so line numbers stay meaningful.
std::string DropHtmlComments(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    size_t open = s.find("<!--", pos);
    if (open == std::string_view::npos) {
      out.append(s.substr(pos));
      break;
    }
    out.append(s.substr(pos, open - pos));
    size_t close = s.find("-->", open + 4);
    size_t stop = close == std::string_view::npos ? s.size() : close + 3;
    for (size_t i = open; i < stop; ++i) {
      if (s[i] == '\n') out += '\n';
    }
    pos = stop;
  }
  return out;
}

bool IsRule(std::string_view line) {
  if (line.size() < 3) return false;
  char c = line[0];
  if (c != '-' && c != '*' && c != '_') return false;
  for (char ch : line) {
    if (ch != c && ch != ' ') return false;
  }
  return true;
}

bool IsSetextUnderline(std::string_view line, char c) {
  if (line.empty()) return false;
  for (char ch : line) {
    if (ch != c) return false;
  }
  return true;
}

// Strips a bullet marker ("- ", "* ", "+ "); ordered markers stay (they are locators).
std::string_view StripBullet(std::string_view line) {
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
      line[1] == ' ') {
    return TrimAscii(line.substr(2));
  }
  return line;
}

bool IsBullet(std::string_view line) {
  return line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
         line[1] == ' ' && !IsRule(line);
}

bool IsOrderedItem(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

void ParseFrontMatter(std::string_view block, DocumentMetadata* meta) {
  size_t pos = 0;
  while (pos < block.size()) {
    size_t nl = block.find('\n', pos);
    std::string_view line = block.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string key(TrimAscii(line.substr(0, colon)));
      std::string value(TrimAscii(line.substr(colon + 1)));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      if (key == "title") meta->title = value;
      else if (key == "author") meta->author = value;
      else if (key == "date") meta->date = value;
      else if (key == "lang" || key == "language") meta->language = value;
      else if (key == "symbol") meta->symbol = value;
      else if (key == "issuer") meta->issuer = value;
      else if (key == "type") meta->type = value;
      else if (key == "url") meta->url = value;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

}  // namespace

std::string StripMarkdownInline(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {  // escaped character
      out += s[i + 1];
      i += 2;
    } else if (c == '`') {  // code span: keep content verbatim
      size_t ticks = 0;
      while (i + ticks < s.size() && s[i + ticks] == '`') ++ticks;
      std::string fence(ticks, '`');
      size_t close = s.find(fence, i + ticks);
      if (close == std::string_view::npos) {
        out.append(fence);
        i += ticks;
      } else {
        out.append(TrimAscii(s.substr(i + ticks, close - i - ticks)));
        i = close + ticks;
      }
    } else if ((c == '!' && i + 1 < s.size() && s[i + 1] == '[') || c == '[') {
      bool image = c == '!';
      size_t open = i + (image ? 1 : 0);
      size_t close = s.find(']', open + 1);
      if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') {
        size_t paren = s.find(')', close + 2);
        if (paren != std::string_view::npos) {
          if (!image) out.append(StripMarkdownInline(s.substr(open + 1, close - open - 1)));
          i = paren + 1;
          continue;
        }
      }
      out += c;
      ++i;
    } else if (c == '*' || (c == '_' && (i == 0 || !std::isalnum(static_cast<unsigned char>(
                                                       s[i - 1]))))) {
      // Emphasis markers vanish; a lone '*' between spaces is kept ("a * b").
      bool lone = (i == 0 || s[i - 1] == ' ') && (i + 1 >= s.size() || s[i + 1] == ' ');
      if (lone) out += c;
      ++i;
    } else if (c == '<') {  // inline HTML tag or autolink
      size_t close = s.find('>', i);
      std::string_view inner =
          close == std::string_view::npos ? std::string_view() : s.substr(i + 1, close - i - 1);
      if (!inner.empty() && (std::isalpha(static_cast<unsigned char>(inner[0])) ||
                             inner[0] == '/')) {
        if (inner.find("://") != std::string_view::npos || inner.find('@') != std::string_view::npos) {
          out.append(inner);  // autolink
        }
        i = close + 1;
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Status MarkdownReader::Read(const std::filesystem::path&, std::string_view bytes,
                            ExtractedDocument* out) const {
  std::string source = DropHtmlComments(bytes);
  std::string_view text(source);

  // Front matter: "---" on the first line up to the next "---".
  if (StartsWith(text, "---\n") || StartsWith(text, "---\r\n")) {
    size_t end = text.find("\n---", 3);
    if (end != std::string_view::npos) {
      ParseFrontMatter(text.substr(4, end - 4), &out->meta);
      size_t after = text.find('\n', end + 4);
      text = after == std::string_view::npos ? std::string_view() : text.substr(after + 1);
    }
  }

  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos <= text.size();) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }

  int page = text.find('\f') != std::string_view::npos ? 1 : 0;
  std::string para;
  auto flush = [&] {
    if (!para.empty()) out->AddBlock(BlockKind::kParagraph, StripMarkdownInline(para), 0, page);
    para.clear();
  };

  bool in_fence = false;
  std::string fence_text;
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string_view raw = lines[n];
    if (raw.find('\f') != std::string_view::npos) {
      flush();
      ++page;
      continue;
    }
    std::string_view line = TrimAscii(raw);
    if (StartsWith(line, "```") || StartsWith(line, "~~~")) {
      if (in_fence) {
        out->AddBlock(BlockKind::kParagraph, fence_text, 0, page);
        fence_text.clear();
      } else {
        flush();
      }
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) {
      fence_text.append(line).append(" ");
      continue;
    }
    while (StartsWith(line, ">")) line = TrimAscii(line.substr(1));  // block quote
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#') {
      size_t level = 0;
      while (level < line.size() && line[level] == '#') ++level;
      if (level <= 6 && (level == line.size() || line[level] == ' ')) {
        flush();
        std::string_view title = TrimAscii(line.substr(level));
        while (!title.empty() && title.back() == '#') title.remove_suffix(1);
        out->AddBlock(BlockKind::kHeading, StripMarkdownInline(TrimAscii(title)),
                      static_cast<int>(level), page);
        continue;
      }
    }
    // Setext heading: a paragraph line followed by === or ---.
    if (para.empty() && n + 1 < lines.size()) {
      std::string_view next = TrimAscii(lines[n + 1]);
      if (IsSetextUnderline(next, '=') || (IsSetextUnderline(next, '-') && next.size() >= 2)) {
        out->AddBlock(BlockKind::kHeading, StripMarkdownInline(line), next[0] == '=' ? 1 : 2,
                      page);
        ++n;
        continue;
      }
    }
    if (IsRule(line)) {
      flush();
      continue;
    }
    if (line[0] == '|') {  // table row; the |---| separator row carries no text
      flush();
      if (line.find_first_not_of("|-: ") == std::string_view::npos) continue;
      std::string row;
      for (char c : line) row += c == '|' ? ' ' : c;
      out->AddBlock(BlockKind::kParagraph, StripMarkdownInline(row), 0, page);
      continue;
    }
    if (IsBullet(line) || IsOrderedItem(line) || (!para.empty() && StartsWithListMarker(line))) {
      flush();
      para.append(StripBullet(line));
      continue;
    }
    if (!para.empty()) para += ' ';
    para.append(line);
  }
  if (in_fence) out->AddBlock(BlockKind::kParagraph, fence_text, 0, page);
  flush();
  return Status::Ok();
}

}  // namespace pillar
