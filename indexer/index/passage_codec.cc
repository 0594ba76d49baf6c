#include "indexer/index/passage_codec.h"


#include <nlohmann/json.hpp>

namespace pillar {

using nlohmann::json;

static json TagToJson(const Tag& t) {
  json j = {{"id", t.concept_id}, {"source", t.source}, {"score", t.score},
            {"evidence", t.evidence}};
  if (!t.rule_version.empty()) j["rule_version"] = t.rule_version;
  if (!t.by.empty()) j["by"] = t.by;
  if (!t.when.empty()) j["when"] = t.when;
  if (!t.note.empty()) j["note"] = t.note;
  return j;
}

static Tag TagFromJson(const json& j) {
  Tag t;
  t.concept_id = j.value("id", "");
  t.source = j.value("source", "");
  t.score = j.value("score", 0.0);
  t.evidence = j.value("evidence", std::vector<std::string>{});
  t.rule_version = j.value("rule_version", "");
  t.by = j.value("by", "");
  t.when = j.value("when", "");
  t.note = j.value("note", "");
  return t;
}

std::string EncodePassage(const Passage& p) {
  json tags = json::array();
  for (const Tag& t : p.tags) tags.push_back(TagToJson(t));
  json j = {{"id", p.id},         {"doc_id", p.doc_id}, {"ordinal", p.ordinal},
            {"section", p.section}, {"locator", p.locator}, {"page", p.page},
            {"text", p.text},     {"begin", p.begin},   {"end", p.end},
            {"footnote", p.footnote}, {"language", p.language}, {"pillars", tags}};
  return j.dump();
}

Result<Passage> DecodePassage(std::string_view data) {
  json j = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("passage data is not JSON");
  Passage p;
  p.id = j.value("id", "");
  p.doc_id = j.value("doc_id", "");
  p.ordinal = j.value("ordinal", 0);
  p.section = j.value("section", std::vector<std::string>{});
  p.locator = j.value("locator", "");
  p.page = j.value("page", 0);
  p.text = j.value("text", "");
  p.begin = j.value("begin", size_t{0});
  p.end = j.value("end", size_t{0});
  p.footnote = j.value("footnote", false);
  p.language = j.value("language", "");
  if (j.contains("pillars") && j["pillars"].is_array()) {
    for (const json& t : j["pillars"]) p.tags.push_back(TagFromJson(t));
  }
  return p;
}

std::string EncodeDocumentRecord(const DocumentRecord& r) {
  const DocumentMetadata& m = r.meta;
  json j = {{"id", m.id},         {"title", m.title},   {"issuer", m.issuer},
            {"symbol", m.symbol}, {"date", m.date},     {"language", m.language},
            {"type", m.type},     {"url", m.url},       {"author", m.author},
            {"path", r.path},     {"format", r.format}, {"content_hash", r.content_hash},
            {"passages", r.passages}, {"indexed_at", r.indexed_at}};
  return j.dump();
}

Result<DocumentRecord> DecodeDocumentRecord(std::string_view data) {
  json j = json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("document record is not JSON");
  DocumentRecord r;
  DocumentMetadata& m = r.meta;
  m.id = j.value("id", "");
  m.title = j.value("title", "");
  m.issuer = j.value("issuer", "");
  m.symbol = j.value("symbol", "");
  m.date = j.value("date", "");
  m.language = j.value("language", "");
  m.type = j.value("type", "");
  m.url = j.value("url", "");
  m.author = j.value("author", "");
  r.path = j.value("path", "");
  r.format = j.value("format", "");
  r.content_hash = j.value("content_hash", "");
  r.passages = j.value("passages", 0);
  r.indexed_at = j.value("indexed_at", "");
  return r;
}

}  // namespace pillar
