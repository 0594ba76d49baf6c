#include "indexer/ingest/extracted_document.h"

#include <cctype>

#include "indexer/base/text.h"

namespace pillar {

std::string DocumentMetadata::Year() const {
  if (date.size() >= 4 && std::isdigit(static_cast<unsigned char>(date[0])) &&
      std::isdigit(static_cast<unsigned char>(date[1])) &&
      std::isdigit(static_cast<unsigned char>(date[2])) &&
      std::isdigit(static_cast<unsigned char>(date[3]))) {
    return date.substr(0, 4);
  }
  return {};
}

void DocumentMetadata::FillFrom(const DocumentMetadata& fallback) {
  auto fill = [](std::string& field, const std::string& value) {
    if (field.empty()) field = value;
  };
  fill(id, fallback.id);
  fill(title, fallback.title);
  fill(issuer, fallback.issuer);
  fill(symbol, fallback.symbol);
  fill(date, fallback.date);
  fill(language, fallback.language);
  fill(type, fallback.type);
  fill(url, fallback.url);
  fill(author, fallback.author);
  fill(note, fallback.note);
}

Block* ExtractedDocument::AddBlock(BlockKind kind, std::string_view block_text, int level,
                                   int page, std::string locator, std::string anchor) {
  std::string clean = CollapseWhitespace(block_text);
  if (clean.empty()) return nullptr;
  if (!text.empty()) text += "\n\n";
  Block block;
  block.kind = kind;
  block.level = level;
  block.begin = text.size();
  text += clean;
  block.end = text.size();
  block.page = page;
  block.locator = std::move(locator);
  block.anchor = std::move(anchor);
  blocks.push_back(std::move(block));
  return &blocks.back();
}

}  // namespace pillar
