#include "query/cite/annotation_import.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "indexer/base/text.h"

namespace pillar {
namespace {

using json = nlohmann::json;

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void ReadSelectors(const json& selectors, ImportedAnnotation* a) {
  auto one = [&](const json& s) {
    if (!s.is_object()) return;
    std::string type = Str(s, "type");
    if (type == "TextQuoteSelector") {
      a->has_quote = true;
      a->exact = Str(s, "exact");
      a->prefix = Str(s, "prefix");
      a->suffix = Str(s, "suffix");
    } else if (type == "TextPositionSelector" && s.contains("start") && s.contains("end") &&
               s["start"].is_number_integer() && s["end"].is_number_integer()) {
      a->start = s["start"].get<int64_t>();
      a->end = s["end"].get<int64_t>();
    }
  };
  if (selectors.is_array()) {
    for (const json& s : selectors) one(s);
  } else {
    one(selectors);
  }
}

// One W3C Annotation.
ImportedAnnotation FromW3c(const json& j) {
  ImportedAnnotation a;
  a.id = Str(j, "id");
  json bodies = j.contains("body") ? j["body"] : json::array();
  if (!bodies.is_array()) bodies = json::array({bodies});
  for (const json& b : bodies) {
    if (b.is_string()) {
      a.concept_iris.push_back(b.get<std::string>());
      continue;
    }
    if (!b.is_object()) continue;
    std::string type = Str(b, "type"), purpose = Str(b, "purpose");
    if (type == "SpecificResource" || (!b.contains("value") && b.contains("source"))) {
      a.concept_iris.push_back(Str(b, "source"));
    } else if (purpose == "tagging") {
      a.tag_words.push_back(Str(b, "value"));
    } else if (purpose == "commenting" || (purpose.empty() && type == "TextualBody")) {
      a.note += (a.note.empty() ? "" : "\n") + Str(b, "value");
    }
  }
  if (j.contains("bodyValue")) a.note = Str(j, "bodyValue");
  if (j.contains("creator")) {
    const json& c = j["creator"];
    if (c.is_string()) {
      a.by = c.get<std::string>();
    } else if (c.is_object()) {
      a.by = Str(c, "name");
      if (a.by.empty()) a.by = Str(c, "nickname");
      a.software = Str(c, "type") == "Software";
    }
  }
  a.when = Str(j, "created");
  json target = j.contains("target") ? j["target"] : json();
  if (target.is_array() && !target.empty()) target = target[0];
  if (target.is_string()) {
    a.source = target.get<std::string>();
  } else if (target.is_object()) {
    a.source = Str(target, "source");
    if (target.contains("selector")) ReadSelectors(target["selector"], &a);
  }
  return a;
}

// One Hypothesis API annotation (its own JSON, not W3C).
ImportedAnnotation FromHypothesis(const json& j) {
  ImportedAnnotation a;
  a.id = Str(j, "id");
  a.source = Str(j, "uri");
  if (j.contains("tags") && j["tags"].is_array()) {
    for (const json& t : j["tags"]) {
      if (t.is_string()) a.tag_words.push_back(t.get<std::string>());
    }
  }
  a.note = Str(j, "text");
  a.by = Str(j, "user");
  if (StartsWith(a.by, "acct:")) a.by = a.by.substr(5, a.by.find('@') - 5);
  if (j.contains("user_info") && j["user_info"].is_object()) {
    std::string display = Str(j["user_info"], "display_name");
    if (!display.empty()) a.by = display;
  }
  a.when = Str(j, "created");
  if (j.contains("target") && j["target"].is_array() && !j["target"].empty()) {
    const json& t = j["target"][0];
    if (t.is_object()) {
      if (a.source.empty()) a.source = Str(t, "source");
      if (t.contains("selector")) ReadSelectors(t["selector"], &a);
    }
  }
  return a;
}

}  // namespace

Result<std::vector<ImportedAnnotation>> ParseAnnotations(std::string_view json_text) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    LineColumn lc =
        LineColumnAt(json_text, std::min<size_t>(e.byte ? e.byte - 1 : 0, json_text.size()));
    return Status::Corruption("line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) + ": malformed JSON");
  }
  json list;
  if (doc.is_array()) {
    list = doc;
  } else if (doc.is_object() && doc.contains("rows")) {
    list = doc["rows"];
  } else if (doc.is_object() && doc.contains("first")) {
    const json& first = doc["first"];
    list = first.is_object() && first.contains("items") ? first["items"] : json::array();
  } else if (doc.is_object() && doc.contains("items")) {
    list = doc["items"];
  } else if (doc.is_object() && (doc.contains("target") || doc.contains("uri"))) {
    list = json::array({doc});
  }
  if (!list.is_array()) {
    return Status::InvalidArgument(
        "no annotations: expected a W3C AnnotationCollection, AnnotationPage, Annotation or "
        "array of them, or Hypothesis annotations");
  }
  std::vector<ImportedAnnotation> out;
  for (size_t k = 0; k < list.size(); ++k) {
    const json& j = list[k];
    if (!j.is_object()) continue;
    // Hypothesis's own format has "uri" and "tags"; W3C has "type": "Annotation".
    bool hypothesis = !j.contains("type") && (j.contains("uri") || j.contains("tags"));
    ImportedAnnotation a = hypothesis ? FromHypothesis(j) : FromW3c(j);
    a.where = "annotation " + std::to_string(k + 1) + (a.id.empty() ? "" : " (" + a.id + ")");
    if (StartsWith(a.source, "urn:pillar:doc:")) {
      a.doc_id = PercentDecode(a.source.substr(15));
    } else if (StartsWith(a.id, "urn:pillar:annotation:")) {
      // urn:pillar:annotation:<passage id>:<concept>, both percent-encoded.
      std::string rest = a.id.substr(22);
      std::string passage = PercentDecode(rest.substr(0, rest.find(':')));
      a.doc_id = passage.substr(0, passage.find('#'));
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> ResolveConcepts(const ImportedAnnotation& a, const Taxonomy& taxonomy) {
  std::vector<std::string> out;
  auto add = [&](const std::string& id) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  for (const std::string& iri : a.concept_iris) {
    for (const Concept& c : taxonomy.concepts()) {
      if (!iri.empty() && (c.iri == iri || "urn:pillar:concept:" + c.id == iri)) add(c.id);
    }
  }
  for (const std::string& word : a.tag_words) {
    std::string w = Lower(TrimAscii(word));
    for (const Concept& c : taxonomy.concepts()) {
      bool match = Lower(c.id) == w;
      for (const LangString& l : c.pref_labels) match = match || Lower(l.text) == w;
      for (const LangString& l : c.alt_labels) match = match || Lower(l.text) == w;
      if (match) add(c.id);
    }
  }
  return out;
}

Result<ByteRange> AnchorInText(const ImportedAnnotation& a, std::string_view text) {
  // Byte offset of code point `cp`, or npos past the end.
  auto byte_of = [&](int64_t cp) -> size_t {
    size_t i = 0;
    for (int64_t n = 0; n < cp; ++n) {
      if (i >= text.size()) return std::string_view::npos;
      DecodeUtf8(text, i);
    }
    return i;
  };
  size_t hint = std::string_view::npos;
  if (a.start >= 0 && a.end >= a.start) {
    size_t b = byte_of(a.start), e = byte_of(a.end);
    if (b != std::string_view::npos && e != std::string_view::npos) {
      if (!a.has_quote || text.substr(b, e - b) == a.exact) return ByteRange{b, e};
      hint = b;
    }
  }
  if (!a.has_quote || a.exact.empty()) {
    return Status::NotFound("no text quote, and the position is outside the text");
  }
  std::optional<ByteRange> best;
  int best_score = -1;
  size_t best_distance = 0;
  for (size_t at = text.find(a.exact); at != std::string_view::npos;
       at = text.find(a.exact, at + 1)) {
    int score = 0;
    if (!a.prefix.empty() && at >= a.prefix.size() &&
        text.substr(at - a.prefix.size(), a.prefix.size()) == a.prefix) {
      ++score;
    }
    size_t end = at + a.exact.size();
    if (!a.suffix.empty() && text.substr(end, a.suffix.size()) == a.suffix) ++score;
    size_t distance = hint == std::string_view::npos ? 0 : (at > hint ? at - hint : hint - at);
    if (score > best_score || (score == best_score && distance < best_distance)) {
      best = ByteRange{at, end};
      best_score = score;
      best_distance = distance;
    }
  }
  if (!best) return Status::NotFound("the quoted text is not in the document");
  return *best;
}

const Passage* PassageForRange(const std::vector<Passage>& passages, ByteRange range) {
  const Passage* best = nullptr;
  size_t best_overlap = 0;
  for (const Passage& p : passages) {
    size_t b = std::max(p.begin, range.begin), e = std::min(p.end, range.end);
    size_t overlap = e > b ? e - b : 0;
    if (overlap == 0 && range.begin == range.end && p.begin <= range.begin && range.begin < p.end) {
      overlap = 1;
    }
    if (overlap > best_overlap) {
      best = &p;
      best_overlap = overlap;
    }
  }
  return best;
}

}  // namespace pillar
