#include "query/cite/web_annotation.h"

#include <cstdio>

#include "indexer/base/json.h"
#include "indexer/base/text.h"

namespace pillar {
namespace {

using ojson = nlohmann::ordered_json;

constexpr size_t kCheckpointBytes = 256;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    }
  }
  return out;
}

std::string FormatScore(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", score);
  return buf;
}

}  // namespace

CodePointIndex::CodePointIndex(std::string_view text) : text_(text) {
  checkpoints_.reserve(text.size() / kCheckpointBytes + 1);
  int64_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % kCheckpointBytes == 0) checkpoints_.push_back(count);
    if (!IsContinuation(text[i])) ++count;
  }
  if (text.size() % kCheckpointBytes == 0) checkpoints_.push_back(count);
}

int64_t CodePointIndex::At(size_t byte_offset) const {
  size_t block = byte_offset / kCheckpointBytes;
  int64_t count = checkpoints_[block];
  for (size_t i = block * kCheckpointBytes; i < byte_offset; ++i) {
    if (!IsContinuation(text_[i])) ++count;
  }
  return count;
}

Result<TextSelectors> SelectorsFor(std::string_view doc_text, const CodePointIndex& index,
                                   size_t begin, size_t end) {
  auto on_boundary = [&](size_t at) { return at == doc_text.size() || !IsContinuation(doc_text[at]); };
  if (begin > end || end > doc_text.size() || !on_boundary(begin) || !on_boundary(end)) {
    return Status::InvalidArgument("byte range " + std::to_string(begin) + "-" +
                                   std::to_string(end) + " does not fit a text of " +
                                   std::to_string(doc_text.size()) + " bytes");
  }
  TextSelectors s;
  s.exact = std::string(doc_text.substr(begin, end - begin));
  s.start = index.At(begin);
  s.end = index.At(end);
  size_t from = begin;
  for (size_t n = 0; n < kContextCodePoints && from > 0; ++n) {
    do {
      --from;
    } while (from > 0 && IsContinuation(doc_text[from]));
  }
  s.prefix = std::string(doc_text.substr(from, begin - from));
  size_t to = end;
  for (size_t n = 0; n < kContextCodePoints && to < doc_text.size(); ++n) {
    do {
      ++to;
    } while (to < doc_text.size() && IsContinuation(doc_text[to]));
  }
  s.suffix = std::string(doc_text.substr(end, to - end));
  return s;
}

std::string DocumentIri(std::string_view doc_id) {
  return "urn:pillar:doc:" + PercentEncode(doc_id);
}

WebAnnotationCollection::WebAnnotationCollection(const Taxonomy* taxonomy)
    : taxonomy_(taxonomy) {}

Status WebAnnotationCollection::Add(const Passage& passage, const DocumentRecord& document,
                                    std::string_view doc_text) {
  if (passage.tags.empty()) return Status::Ok();
  if (!index_ || doc_id_ != passage.doc_id || doc_text_.size() != doc_text.size()) {
    doc_id_ = passage.doc_id;
    doc_text_ = std::string(doc_text);
    index_ = std::make_unique<CodePointIndex>(doc_text_);
  }
  Result<TextSelectors> sel = SelectorsFor(doc_text_, *index_, passage.begin, passage.end);
  if (!sel.ok()) return sel.status().WithContext(passage.id);

  ojson target = {
      {"source", DocumentIri(passage.doc_id)},
      {"selector",
       ojson::array({ojson{{"type", "TextQuoteSelector"},
                           {"exact", sel->exact},
                           {"prefix", sel->prefix},
                           {"suffix", sel->suffix}},
                     ojson{{"type", "TextPositionSelector"}, {"start", sel->start},
                           {"end", sel->end}}})}};
  // The web page the document was published at, when known: the context of the text the
  // selectors count over (positions hold for Pillar's extracted text, not for that page).
  if (!document.meta.url.empty()) target["scope"] = document.meta.url;

  for (const Tag& tag : passage.tags) {
    const Concept* concept_ptr = taxonomy_ ? taxonomy_->Find(tag.concept_id) : nullptr;
    std::string iri = concept_ptr ? concept_ptr->iri : "urn:pillar:concept:" + PercentEncode(tag.concept_id);
    std::string label = concept_ptr ? concept_ptr->Label("en") : tag.concept_id;
    std::string id = "urn:pillar:annotation:" + PercentEncode(passage.id) + ":" +
                     PercentEncode(tag.concept_id);
    ids_ += id + "\n";
    ojson body = ojson::array();
    body.push_back({{"type", "SpecificResource"}, {"purpose", "classifying"}, {"source", iri}});
    body.push_back({{"type", "TextualBody"},
                    {"purpose", "tagging"},
                    {"value", label},
                    {"language", "en"},
                    {"format", "text/plain"}});
    ojson a = {{"id", id}, {"type", "Annotation"}, {"motivation", "classifying"}};
    if (tag.source == kTagSourceManual) {
      if (!tag.note.empty()) {
        body.push_back({{"type", "TextualBody"},
                        {"purpose", "commenting"},
                        {"value", tag.note},
                        {"format", "text/plain"}});
      }
      if (!tag.by.empty()) a["creator"] = {{"type", "Person"}, {"name", tag.by}};
      if (!tag.when.empty()) a["created"] = tag.when;
    } else {
      std::string how = tag.source + " tagger";
      if (!tag.rule_version.empty()) how += " (rules v" + tag.rule_version + ")";
      how += ", score " + FormatScore(tag.score);
      if (!tag.evidence.empty()) {
        how += "; evidence: ";
        for (size_t k = 0; k < tag.evidence.size(); ++k) {
          how += (k ? "; " : "") + tag.evidence[k];
        }
      }
      body.push_back({{"type", "TextualBody"},
                      {"purpose", "describing"},
                      {"value", how},
                      {"format", "text/plain"}});
      a["creator"] = {{"type", "Software"}, {"name", "Pillar " + tag.source + " tagger"}};
    }
    a["body"] = std::move(body);
    a["target"] = target;
    items_.push_back(std::move(a));
  }
  return Status::Ok();
}

std::string WebAnnotationCollection::ToJson() const {
  std::string id = "urn:pillar:collection:" + ContentHash(ids_);
  ojson out = {{"@context", "http://www.w3.org/ns/anno.jsonld"},
               {"id", id},
               {"type", "AnnotationCollection"},
               {"label", "Pillar passage tags"},
               {"total", items_.size()},
               {"first",
                {{"id", id + ":page:0"},
                 {"type", "AnnotationPage"},
                 {"startIndex", 0},
                 {"items", items_}}}};
  return DumpJson(out, 2) + "\n";
}

}  // namespace pillar
