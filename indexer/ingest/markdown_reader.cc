#include "indexer/ingest/markdown_reader.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <memory>
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
      if (key == "title")
        meta->title = value;
      else if (key == "author")
        meta->author = value;
      else if (key == "date")
        meta->date = value;
      else if (key == "lang" || key == "language")
        meta->language = value;
      else if (key == "symbol")
        meta->symbol = value;
      else if (key == "issuer")
        meta->issuer = value;
      else if (key == "type")
        meta->type = value;
      else if (key == "url")
        meta->url = value;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

}  // namespace

namespace {

// cmark-gfm's parser and tree, freed on every path.
struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
using Tree = std::unique_ptr<cmark_node, NodeDeleter>;

// Parses `text` as GitHub-flavoured Markdown: CommonMark plus tables and strikethrough. No
// "smart" punctuation: the text keeps the quotes and dashes it was written with.
Tree Parse(std::string_view text) {
  static const bool registered = [] {
    cmark_gfm_core_extensions_ensure_registered();
    return true;
  }();
  (void)registered;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  for (const char* name : {"table", "strikethrough"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), text.data(), text.size());
  return Tree(cmark_parser_finish(parser.get()));
}

bool IsType(cmark_node* node, std::string_view name) {
  const char* type = cmark_node_get_type_string(node);
  return type && name == type;
}

std::string_view Literal(cmark_node* node) {
  const char* s = cmark_node_get_literal(node);
  return s ? std::string_view(s) : std::string_view();
}

// Removes tags from raw HTML, keeping the text between them ("<b>x</b>" -> "x").
std::string StripTags(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>' && in_tag) {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  return out;
}

// The text of an inline subtree, one string per source line (soft and hard breaks end a
// line): emphasis, strikethrough and links give their text, code spans their content,
// images nothing, inline HTML nothing.
void InlineLines(cmark_node* node, std::vector<std::string>* lines) {
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    switch (cmark_node_get_type(child)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        lines->back().append(Literal(child));
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        lines->emplace_back();
        break;
      case CMARK_NODE_IMAGE:
      case CMARK_NODE_HTML_INLINE:
        break;
      default:
        InlineLines(child, lines);
    }
  }
}

std::string InlineText(cmark_node* node) {
  std::vector<std::string> lines(1);
  InlineLines(node, &lines);
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += ' ';
    out += line;
  }
  return out;
}

// Walks the block tree in document order and adds its blocks to the document.
class Walker {
 public:
  Walker(ExtractedDocument* out, int page) : out_(out), page_(page) {}

  void Blocks(cmark_node* parent) {
    for (cmark_node* node = cmark_node_first_child(parent); node; node = cmark_node_next(node)) {
      Block(node);
    }
  }

 private:
  void Block(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_HEADING:
        out_->AddBlock(BlockKind::kHeading, InlineText(node), cmark_node_get_heading_level(node),
                       page_);
        return;
      case CMARK_NODE_PARAGRAPH:
        Paragraph(node);
        return;
      case CMARK_NODE_CODE_BLOCK:
        out_->AddBlock(BlockKind::kParagraph, std::string(Literal(node)), 0, page_);
        return;
      case CMARK_NODE_HTML_BLOCK:
        out_->AddBlock(BlockKind::kParagraph, StripTags(Literal(node)), 0, page_);
        return;
      case CMARK_NODE_THEMATIC_BREAK:
        return;
      default:
        break;
    }
    if (IsType(node, "table")) {
      // One paragraph per row, the header row too, its cells in order.
      for (cmark_node* row = cmark_node_first_child(node); row; row = cmark_node_next(row)) {
        std::string text;
        for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
          std::string cell_text = InlineText(cell);
          if (cell_text.empty()) continue;
          if (!text.empty()) text += ' ';
          text += cell_text;
        }
        out_->AddBlock(BlockKind::kParagraph, text, 0, page_);
      }
      return;
    }
    Blocks(node);  // document, block quote, list, item: their blocks in order
  }

  // A paragraph; in an ordered list, its item's first paragraph starts with the item's
  // number ("12. "), which is its locator. Inside a paragraph, a line that starts with a
  // list marker ("(a)", "2.") starts a paragraph of its own, as in plain text: policy texts
  // write sub-paragraphs without blank lines.
  void Paragraph(cmark_node* node) {
    std::vector<std::string> lines(1);
    InlineLines(node, &lines);
    cmark_node* item = cmark_node_parent(node);
    if (item && cmark_node_get_type(item) == CMARK_NODE_ITEM &&
        cmark_node_first_child(item) == node) {
      cmark_node* list = cmark_node_parent(item);
      if (list && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
        int number = cmark_node_get_list_start(list);
        for (cmark_node* n = cmark_node_first_child(list); n && n != item; n = cmark_node_next(n)) {
          ++number;
        }
        bool paren = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM;
        lines.front().insert(0, std::to_string(number) + (paren ? ") " : ". "));
      }
    }
    // A paragraph of a bullet list's item is a list item whose marker the text lost.
    bool bullet = false;
    for (cmark_node* up = item; up != nullptr; up = cmark_node_parent(up)) {
      if (cmark_node_get_type(up) == CMARK_NODE_LIST) {
        bullet = cmark_node_get_list_type(up) == CMARK_BULLET_LIST;
        break;
      }
    }
    auto add = [&](const std::string& text) {
      pillar::Block* block = out_->AddBlock(BlockKind::kParagraph, text, 0, page_);
      if (block != nullptr) block->list_item = bullet;
    };
    std::string para;
    for (const std::string& line : lines) {
      if (!para.empty() && StartsWithListMarker(line)) {
        add(para);
        para.clear();
      }
      if (!para.empty()) para += ' ';
      para += line;
    }
    add(para);
  }

  ExtractedDocument* out_;
  int page_;
};

}  // namespace

std::string StripMarkdownInline(std::string_view s) {
  Tree tree = Parse(s);
  std::string out;
  for (cmark_node* block = cmark_node_first_child(tree.get()); block;
       block = cmark_node_next(block)) {
    if (!out.empty()) out += ' ';
    out += InlineText(block);
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

  // A form feed starts a new page: each page is parsed on its own (Markdown has no pages,
  // so nothing spans one).
  int page = text.find('\f') != std::string_view::npos ? 1 : 0;
  for (size_t pos = 0; pos <= text.size();) {
    size_t ff = text.find('\f', pos);
    std::string_view chunk = text.substr(pos, ff == std::string_view::npos ? ff : ff - pos);
    Tree tree = Parse(chunk);
    if (!tree) return Status::Internal("cmark-gfm could not parse the file");
    Walker(out, page).Blocks(tree.get());
    if (ff == std::string_view::npos) break;
    pos = ff + 1;
    ++page;
  }
  return Status::Ok();
}

}  // namespace pillar
