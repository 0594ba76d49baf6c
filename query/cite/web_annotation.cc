#include "query/cite/web_annotation.h"

#include <cstdio>
#include <sstream>

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

// ContentHash (FNV-1a, 64 bits) computed piece by piece: the same value for the same bytes.
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
void FnvAdd(uint64_t& h, std::string_view data) {
  for (char ch : data) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ULL;
  }
}

WebAnnotationCollection::WebAnnotationCollection(const Taxonomy* taxonomy)
    : taxonomy_(taxonomy), ids_hash_(kFnvOffset) {}

Status WebAnnotationCollection::Spill() {
  if (!spill_) {
    spill_.reset(std::tmpfile());
    if (!spill_) return Status::IOError("cannot create a temporary file for the annotations");
  }
  if (std::fwrite(items_.data(), 1, items_.size(), spill_.get()) != items_.size()) {
    return Status::IOError("cannot write the annotations to a temporary file (disk full?)");
  }
  items_.clear();
  return Status::Ok();
}

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

  // The source is the web page the document was published at, when known, so that
  // Hypothesis and other clients find the annotation on that page (they anchor by the quote,
  // with the position as a hint); else Pillar's IRI of the document. The positions count over
  // Pillar's extracted text, the text a page serving the document shows.
  ojson target = {
      {"source", document.meta.url.empty() ? DocumentIri(passage.doc_id) : document.meta.url},
      {"selector",
       ojson::array({ojson{{"type", "TextQuoteSelector"},
                           {"exact", sel->exact},
                           {"prefix", sel->prefix},
                           {"suffix", sel->suffix}},
                     ojson{{"type", "TextPositionSelector"}, {"start", sel->start},
                           {"end", sel->end}}})}};

  for (const Tag& tag : passage.tags) {
    const Concept* concept_ptr = taxonomy_ ? taxonomy_->Find(tag.concept_id) : nullptr;
    std::string iri = concept_ptr ? concept_ptr->iri : "urn:pillar:concept:" + PercentEncode(tag.concept_id);
    std::string label = concept_ptr ? concept_ptr->Label("en") : tag.concept_id;
    std::string id = "urn:pillar:annotation:" + PercentEncode(passage.id) + ":" +
                     PercentEncode(tag.concept_id);
    FnvAdd(ids_hash_, id);
    FnvAdd(ids_hash_, "\n");
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
      if (!tag.rule_version.empty()) {
        how += tag.source == kTagSourceModel ? " (model " + tag.rule_version + ")"
                                             : " (rules v" + tag.rule_version + ")";
      }
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
    // Serialised as it will stand in the collection: indented three levels (6 spaces).
    if (count_++ > 0) items_ += ",\n";
    std::string dumped = DumpJson(a, 2);
    items_ += "      ";
    for (char c : dumped) {
      items_ += c;
      if (c == '\n') items_ += "      ";
    }
  }
  if (items_.size() > kSpillBytes) {
    Status st = Spill();
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status WebAnnotationCollection::WriteJson(std::ostream& out) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(ids_hash_));
  std::string id = "urn:pillar:collection:" + std::string(hash);
  // The skeleton with a placeholder item, whose line the annotations replace: the same bytes
  // as dumping the whole collection at once.
  static constexpr std::string_view kPlaceholder = "@pillar-items@";
  ojson items = ojson::array();
  if (count_ > 0) items.push_back(kPlaceholder);
  ojson skeleton = {{"@context", "http://www.w3.org/ns/anno.jsonld"},
                    {"id", id},
                    {"type", "AnnotationCollection"},
                    {"label", "Pillar passage tags"},
                    {"total", count_},
                    {"first",
                     {{"id", id + ":page:0"},
                      {"type", "AnnotationPage"},
                      {"startIndex", 0},
                      {"items", items}}}};
  std::string text = DumpJson(skeleton, 2) + "\n";
  const std::string marker = "      \"" + std::string(kPlaceholder) + "\"";
  size_t at = count_ > 0 ? text.find(marker) : std::string::npos;
  if (at == std::string::npos) {
    out << text;
    return Status::Ok();
  }
  out << std::string_view(text).substr(0, at);
  if (spill_) {
    std::FILE* f = spill_.get();
    std::fflush(f);
    std::rewind(f);
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.write(buf, static_cast<std::streamsize>(n));
    if (std::ferror(f)) return Status::IOError("cannot read back the annotations' temporary file");
    std::fseek(f, 0, SEEK_END);
  }
  out << items_ << std::string_view(text).substr(at + marker.size());
  return Status::Ok();
}

std::string WebAnnotationCollection::ToJson() {
  std::ostringstream out;
  (void)WriteJson(out);
  return std::move(out).str();
}

}  // namespace pillar
