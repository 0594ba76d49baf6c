#include "indexer/ingest/catalog.h"

#include <pugixml.hpp>

#include "indexer/base/encoding.h"
#include "indexer/base/text.h"
#include "indexer/ingest/reader.h"

namespace pillar {

Result<Catalog> Catalog::Load(const std::filesystem::path& file) {
  Result<std::string> raw = ReadFileBytes(file, 64ull << 20);
  if (!raw.ok()) return raw.status();
  // A catalog exported from an older system may declare ISO-8859-1 or windows-1252.
  Result<std::string> bytes = DecodeDeclared(std::move(raw.value()));
  if (!bytes.ok()) return bytes.status();
  if (size_t bad = FindInvalidUtf8(*bytes); bad != std::string::npos) {
    LineColumn lc = LineColumnAt(*bytes, bad);
    return Status::Corruption("line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) +
                              ": invalid UTF-8 (declare the file's encoding or convert it)");
  }
  pugi::xml_document xml;
  // No DTD processing in pugixml: entities beyond the predefined ones are never expanded.
  pugi::xml_parse_result parsed =
      xml.load_buffer(bytes->data(), bytes->size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    LineColumn lc = LineColumnAt(*bytes, static_cast<size_t>(parsed.offset));
    return Status::Corruption("line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) + ": " + parsed.description());
  }
  pugi::xml_node root = xml.child("catalog");
  if (!root) return Status::Corruption("no <catalog> root element");

  Catalog catalog;
  catalog.source_ = file;
  std::filesystem::path base = file.parent_path();
  std::map<std::string, bool> ids;
  for (pugi::xml_node node : root.children("document")) {
    auto where = [&] {
      LineColumn lc = LineColumnAt(*bytes, static_cast<size_t>(node.offset_debug()));
      return "line " + std::to_string(lc.line) + ": ";
    };
    DocumentMetadata meta;
    meta.id = node.attribute("id").as_string();
    std::string rel = node.attribute("file").as_string();
    if (meta.id.empty() || rel.empty()) {
      return Status::Corruption(where() + "<document> needs both id and file attributes");
    }
    if (ids[meta.id]) return Status::Corruption(where() + "duplicate document id '" + meta.id + "'");
    ids[meta.id] = true;
    auto text = [&](const char* name) {
      return CollapseWhitespace(node.child(name).text().as_string());
    };
    meta.title = text("title");
    meta.issuer = text("issuer");
    meta.symbol = text("symbol");
    meta.date = text("date");
    meta.language = text("language");
    meta.type = text("type");
    meta.url = text("url");
    meta.author = text("author");
    std::error_code ec;
    std::filesystem::path full = std::filesystem::weakly_canonical(base / rel, ec);
    catalog.entries_.push_back({meta.id, rel, ec ? base / rel : full});
    catalog.by_file_[(ec ? base / rel : full).string()] = std::move(meta);
  }
  return catalog;
}

const DocumentMetadata* Catalog::ForFile(const std::filesystem::path& path) const {
  std::error_code ec;
  std::filesystem::path full = std::filesystem::weakly_canonical(path, ec);
  auto it = by_file_.find((ec ? path : full).string());
  return it == by_file_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::EntriesWithoutFile() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    std::error_code ec;
    if (!std::filesystem::exists(e.full, ec)) out.push_back(e.id + " (" + e.file + ")");
  }
  return out;
}

std::optional<std::filesystem::path> FindCatalogFor(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::weakly_canonical(path, ec);
  if (ec) dir = std::filesystem::absolute(path, ec);
  if (!std::filesystem::is_directory(dir, ec)) dir = dir.parent_path();
  for (int up = 0; up <= 3 && !dir.empty(); ++up) {
    std::filesystem::path candidate = dir / "catalog.xml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

}  // namespace pillar
