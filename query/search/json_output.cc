#include "query/search/json_output.h"

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"

namespace pillar {
namespace {

using nlohmann::json;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string SectionString(const std::vector<std::string>& section) {
  std::string out;
  for (const auto& h : section) {
    if (!out.empty()) out += " > ";
    out += h;
  }
  return out;
}

json PassageObject(const Passage& p, const DocumentRecord& d) {
  json pillars = json::array();
  for (const Tag& t : p.tags) {
    json tag = {{"id", t.concept_id}, {"source", t.source}, {"score", t.score},
                {"evidence", t.evidence}};
    if (!t.rule_version.empty()) {
      tag[t.source == kTagSourceModel ? "model_version" : "rule_version"] = t.rule_version;
    }
    if (!t.by.empty()) tag["by"] = t.by;
    if (!t.when.empty()) tag["when"] = t.when;
    if (!t.note.empty()) tag["note"] = t.note;
    pillars.push_back(std::move(tag));
  }
  json o{{"passage_id", p.id},
         {"doc_id", p.doc_id},
         {"title", OrNull(d.meta.title)},
         {"symbol", OrNull(d.meta.symbol)},
         {"issuer", OrNull(d.meta.issuer)},
         {"date", OrNull(d.meta.date)},
         {"language", OrNull(p.language.empty() ? d.meta.language : p.language)},
         {"type", OrNull(d.meta.type)},
         {"url", OrNull(d.meta.url)},
         {"locator", OrNull(p.locator)},
         {"page", p.page > 0 ? json(p.page) : json(nullptr)},
         {"section", OrNull(SectionString(p.section))},
         {"section_path", p.section},
         {"ordinal", p.ordinal},
         {"footnote", p.footnote},
         {"ocr", p.ocr},
         {"begin", p.begin},
         {"end", p.end},
         {"pillars", pillars},
         {"text", p.text}};
  if (!p.speaker.empty()) o["speaker"] = p.speaker;
  return o;
}

json Spans(const std::vector<Span>& spans) {
  json out = json::array();
  for (const Span& s : spans) out.push_back({s.begin, s.end});
  return out;
}

}  // namespace

std::string PassageObjectJson(const Passage& passage, const DocumentRecord& document) {
  return DumpJson(PassageObject(passage, document));
}

std::string SearchResultJson(const SearchResult& result, size_t offset) {
  json hits = json::array();
  for (const Hit& h : result.hits) {
    json o = PassageObject(h.passage, h.document);
    o["rank"] = h.rank;
    o["score"] = h.score;
    o["snippet"] = h.snippet.text;
    o["snippet_highlights"] = Spans(h.snippet.spans);
    o["highlights"] = Spans(h.highlights);
    if (h.text_truncated) o["text_truncated"] = true;
    hits.push_back(std::move(o));
  }
  json facets = json::object();
  for (const auto& [name, counts] : result.Facets()) {
    json f = json::object();
    for (const auto& [k, v] : *counts) f[k] = v;
    facets[name] = std::move(f);
  }
  json out = {{"query", result.query},
              {"total", result.total},
              {"offset", offset},
              {"did_you_mean", OrNull(result.did_you_mean)},
              {"any_word_total", result.any_word_total},
              {"hits", hits},
              {"facets", facets}};
  return DumpJson(out, 2);
}

}  // namespace pillar
