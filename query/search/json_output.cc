#include "query/search/json_output.h"

#include <nlohmann/json.hpp>

#include <algorithm>

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

// `spans` (UTF-8 byte offsets into `text`) as code-point offsets, the unit jq, Python and R
// slice strings by. Spans are in order, so one pass over `text` serves them all.
json CodePointSpans(const std::string& text, const std::vector<Span>& spans) {
  json out = json::array();
  size_t byte = 0;
  size_t code_points = 0;
  auto advance_to = [&](size_t target) {
    target = std::min(target, text.size());
    if (target < byte) {  // out of order: count again from the start
      byte = 0;
      code_points = 0;
    }
    for (; byte < target; ++byte) {
      // Every byte but a continuation byte (10xxxxxx) starts a code point.
      if ((static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80) ++code_points;
    }
    return code_points;
  };
  for (const Span& s : spans) {
    size_t begin = advance_to(s.begin);
    size_t end = advance_to(s.end);
    out.push_back({begin, end});
  }
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
    o["snippet_highlights_cp"] = CodePointSpans(h.snippet.text, h.snippet.spans);
    o["highlights"] = Spans(h.highlights);
    o["highlights_cp"] = CodePointSpans(h.passage.text, h.highlights);
    if (h.text_truncated) o["text_truncated"] = true;
    if (h.some_words) o["some_words"] = true;
    if (!h.explanation.empty()) {
      json parts = json::array();
      for (const ScorePart& part : h.explanation) {
        parts.push_back({{"part", part.name}, {"detail", part.detail}, {"weight", part.weight}});
      }
      o["explain"] = std::move(parts);
    }
    hits.push_back(std::move(o));
  }
  json facets = json::object();
  for (const auto& [name, counts] : result.Facets()) {
    json f = json::object();
    for (const auto& [k, v] : *counts) f[k] = v;
    facets[name] = std::move(f);
  }
  json also = json::array();
  for (const AcronymExpansion& e : result.also_searched) {
    also.push_back({{"words", e.words}, {"also", e.also}});
  }
  json out = {{"query", result.query},
              {"total", result.total},
              {"offset", offset},
              {"did_you_mean", OrNull(result.did_you_mean)},
              {"any_word_total", result.any_word_total},
              {"offset_past_end", result.offset_past_end},
              {"any_word_hits", result.any_word_hits},
              {"near_relaxed", result.near_relaxed},
              {"also_searched", also},
              {"not_searched", result.not_searched},
              {"hits", hits},
              {"facets", facets}};
  return DumpJson(out, 2);
}

nlohmann::json DocumentObject(const DocumentRecord& d) {
  return {{"id", d.meta.id},
          {"title", d.meta.title},
          {"issuer", d.meta.issuer},
          {"symbol", d.meta.symbol},
          {"date", d.meta.date},
          {"language", d.meta.language},
          {"type", d.meta.type},
          {"url", d.meta.url},
          {"author", d.meta.author},
          {"note", d.meta.note},
          {"path", d.path},
          {"format", d.format},
          {"passages", d.passages},
          {"indexed_at", d.indexed_at},
          {"coverage", d.coverage >= 0 ? nlohmann::json(d.coverage) : nullptr},
          {"warning", d.warning}};
}

nlohmann::json PassageWithContextObject(const Passage& passage, const DocumentRecord& document,
                                        const std::vector<Passage>& all, int context) {
  nlohmann::json out = nlohmann::json::parse(PassageObjectJson(passage, document));
  nlohmann::json before = nlohmann::json::array(), after = nlohmann::json::array();
  for (const Passage& p : all) {
    int d = p.ordinal - passage.ordinal;
    if (d < 0 && d >= -context) {
      before.push_back(nlohmann::json::parse(PassageObjectJson(p, document)));
    }
    if (d > 0 && d <= context) {
      after.push_back(nlohmann::json::parse(PassageObjectJson(p, document)));
    }
  }
  out["context"] = {{"before", before}, {"after", after}};
  return out;
}

nlohmann::json DocumentWithPassagesObject(const DocumentRecord& document,
                                          const std::vector<Passage>& passages) {
  nlohmann::json out = {{"document", DocumentObject(document)},
                        {"passages", nlohmann::json::array()}};
  for (const Passage& p : passages) {
    out["passages"].push_back(nlohmann::json::parse(PassageObjectJson(p, document)));
  }
  return out;
}

nlohmann::json ConceptsObject(const Taxonomy& taxonomy, const std::string& lang) {
  nlohmann::json out = nlohmann::json::array();
  for (const Concept& c : taxonomy.concepts()) {
    out.push_back({{"id", c.id}, {"iri", c.iri}, {"scheme", c.scheme},
                   {"label", c.Label(lang)}, {"exact_matches", c.exact_matches},
                   {"close_matches", c.close_matches}, {"rules", c.rules.size()},
                   {"rules_version", c.rules_version}, {"threshold", c.threshold}});
  }
  return out;
}

nlohmann::json AnnotationObject(const Annotation& a) {
  const char* action = a.action == Annotation::Action::kAdd      ? "add"
                       : a.action == Annotation::Action::kRemove ? "remove"
                                                                 : "set";
  return {{"id", a.id}, {"action", action}, {"concepts", a.concepts},
          {"passage_id", a.anchor.passage_id}, {"doc_id", a.anchor.doc_id},
          {"exact", a.anchor.quote.exact}, {"prefix", a.anchor.quote.prefix},
          {"suffix", a.anchor.quote.suffix}, {"start", a.anchor.position.start},
          {"end", a.anchor.position.end}, {"by", a.by}, {"when", a.when},
          {"note", a.note}, {"orphan", a.orphan},
          {"unreadable", a.unreadable.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json(a.unreadable)}};
}

}  // namespace pillar
