#include "indexer/tag/taxonomy.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "indexer/base/encoding.h"
#include "indexer/base/text.h"
#include "indexer/segment/analyzer.h"

namespace pillar {
namespace {

constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kSkosNs = "http://www.w3.org/2004/02/skos/core#";
constexpr std::string_view kRulesNs = "urn:pillar:rules#";

constexpr uintmax_t kMaxTaxonomyBytes = 32ull << 20;

// pugixml knows nothing of namespaces; we resolve prefixes ourselves from the xmlns
// declarations in scope, so that any prefix bound to the SKOS URI works. Undeclared
// conventional prefixes (rdf:, skos:, pr:) are accepted as a courtesy to hand-written files.
std::string_view NamespaceOf(pugi::xml_node node, std::string_view prefix) {
  std::string decl = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(decl.c_str())) return a.value();
  }
  if (prefix == "rdf") return kRdfNs;
  if (prefix == "skos") return kSkosNs;
  if (prefix == "pr") return kRulesNs;
  return {};
}

struct QName {
  std::string_view ns;
  std::string_view local;
};

QName ElementName(pugi::xml_node node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) return {NamespaceOf(node, ""), name};
  return {NamespaceOf(node, name.substr(0, colon)), name.substr(colon + 1)};
}

bool Is(pugi::xml_node node, std::string_view ns, std::string_view local) {
  QName q = ElementName(node);
  return q.ns == ns && q.local == local;
}

// A namespaced attribute (rdf:about, rdf:resource) whatever its prefix.
pugi::xml_attribute NsAttribute(pugi::xml_node node, std::string_view ns,
                                std::string_view local) {
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view name = a.name();
    size_t colon = name.find(':');
    if (colon == std::string_view::npos || name.substr(colon + 1) != local) continue;
    std::string_view prefix = name.substr(0, colon);
    if (prefix != "xmlns" && NamespaceOf(node, prefix) == ns) return a;
  }
  return {};
}

// xml:lang is inherited by the element's descendants.
std::string LangOf(pugi::xml_node node) {
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute("xml:lang")) return a.value();
  }
  return "";
}

std::string Text(pugi::xml_node node) { return CollapseWhitespace(node.child_value()); }

// Parses a whole-string decimal number ("1.5", "-2").
bool ParseNumber(std::string_view s, double* out) {
  std::string str(TrimAscii(s));
  if (str.empty()) return false;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(str.c_str(), &end);
  if (errno != 0 || end != str.c_str() + str.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

std::string LabelIn(const std::vector<LangString>& labels, std::string_view lang,
                    const std::string& fallback) {
  for (const LangString& l : labels) {
    if (l.lang == lang) return l.text;
  }
  for (const LangString& l : labels) {
    if (l.lang == "en") return l.text;
  }
  return fallback;
}

void AddUnique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// A reference by IRI, resolved once every file is read (a user file may point into ours).
struct PendingRef {
  enum class Kind { kScheme, kBroader, kNarrower, kClose, kExact, kRelated };
  Kind kind;
  size_t concept_index;
  std::string iri;
  std::string where;  // "FILE: line L"
};

// Reads files one after another into shared tables; Taxonomy::Load then resolves the IRI
// references between them.
class Loader {
 public:
  Status LoadFile(const std::filesystem::path& file);

  std::vector<ConceptScheme> schemes;
  std::vector<Concept> concepts;
  std::vector<std::string> concept_where;  // parallel to concepts: "FILE: line L"
  std::vector<PendingRef> refs;
  std::map<std::string, size_t> scheme_by_iri;
  std::map<std::string, size_t> concept_by_iri;
  struct TopConcept {
    size_t scheme_index;
    std::string iri;
    std::string where;
  };
  std::vector<TopConcept> top_concepts;  // skos:hasTopConcept, the inverse of topConceptOf

 private:
  std::string Where(pugi::xml_node node) const {
    ptrdiff_t offset = node.offset_debug();
    if (offset < 0) return file_;
    LineColumn lc = LineColumnAt(bytes_, static_cast<size_t>(offset));
    return file_ + ": line " + std::to_string(lc.line);
  }
  Status Error(pugi::xml_node node, const std::string& what) const {
    return Status::Corruption(Where(node) + ": " + what);
  }
  Status ReadScheme(pugi::xml_node node);
  Status ReadConcept(pugi::xml_node node);
  Status ReadRules(pugi::xml_node node, Concept& c);
  Status ReadRule(pugi::xml_node node, Rule::Kind kind, Rule& rule);

  std::string file_;
  std::string bytes_;
  std::map<std::string, std::string> concept_where_;  // id -> where first defined
  std::map<std::string, std::string> scheme_where_;
};

Status ReadWholeFile(const std::filesystem::path& file, std::string* out) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return Status::NotFound(file.string() + ": no such taxonomy file");
  }
  uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) return Status::IOError(file.string() + ": " + ec.message());
  if (size > kMaxTaxonomyBytes) {
    return Status::Corruption(file.string() + ": taxonomy file larger than 32 MiB");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IOError(file.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError(file.string() + ": read failed");
  *out = std::move(buf).str();
  return Status::Ok();
}

Status Loader::LoadFile(const std::filesystem::path& file) {
  file_ = file.string();
  if (Status s = ReadWholeFile(file, &bytes_); !s.ok()) return s;
  Result<std::string> decoded = DecodeDeclared(std::move(bytes_));
  if (!decoded.ok()) return Status::Corruption(file_ + ": " + decoded.status().message());
  bytes_ = std::move(decoded.value());
  if (size_t bad = FindInvalidUtf8(bytes_); bad != std::string::npos) {
    LineColumn lc = LineColumnAt(bytes_, bad);
    return Status::Corruption(file_ + ": line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) + ": invalid UTF-8");
  }
  pugi::xml_document xml;
  // pugixml does no DTD processing: entities beyond the predefined ones are never expanded.
  pugi::xml_parse_result parsed =
      xml.load_buffer(bytes_.data(), bytes_.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    LineColumn lc = LineColumnAt(bytes_, static_cast<size_t>(parsed.offset));
    return Status::Corruption(file_ + ": line " + std::to_string(lc.line) + ", column " +
                              std::to_string(lc.column) + ": " + parsed.description());
  }
  pugi::xml_node root = xml.document_element();
  if (!Is(root, kRdfNs, "RDF")) {
    return Error(root, "the root element must be rdf:RDF, not <" + std::string(root.name()) + ">");
  }
  // Schemes first, so that a concept may precede its scheme in the file.
  for (pugi::xml_node node : root.children()) {
    if (node.type() == pugi::node_element && Is(node, kSkosNs, "ConceptScheme")) {
      if (Status s = ReadScheme(node); !s.ok()) return s;
    }
  }
  for (pugi::xml_node node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    if (Is(node, kSkosNs, "Concept")) {
      if (Status s = ReadConcept(node); !s.ok()) return s;
    } else if (ElementName(node).ns == kRulesNs) {
      return Error(node, "unknown element <" + std::string(node.name()) + ">");
    }
    // Other top-level resources (ontology headers, collections) are not ours to judge.
  }
  return Status::Ok();
}

Status Loader::ReadScheme(pugi::xml_node node) {
  ConceptScheme scheme;
  scheme.iri = NsAttribute(node, kRdfNs, "about").value();
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (Is(child, kSkosNs, "notation")) {
      scheme.id = Text(child);
    } else if (Is(child, kSkosNs, "prefLabel")) {
      scheme.pref_labels.push_back({LangOf(child), Text(child)});
    } else if (Is(child, kSkosNs, "hasTopConcept")) {
      std::string iri = NsAttribute(child, kRdfNs, "resource").value();
      if (iri.empty()) return Error(child, "<skos:hasTopConcept> needs an rdf:resource");
      top_concepts.push_back({schemes.size(), std::move(iri), Where(child)});
    }
  }
  if (scheme.id.empty()) return Error(node, "skos:ConceptScheme without skos:notation");
  if (auto [it, fresh] = scheme_where_.emplace(scheme.id, Where(node)); !fresh) {
    return Error(node, "duplicate scheme id '" + scheme.id + "' (first at " + it->second + ")");
  }
  if (!scheme.iri.empty()) {
    if (!scheme_by_iri.emplace(scheme.iri, schemes.size()).second) {
      return Error(node, "duplicate scheme IRI '" + scheme.iri + "'");
    }
  }
  schemes.push_back(std::move(scheme));
  return Status::Ok();
}

Status Loader::ReadConcept(pugi::xml_node node) {
  Concept c;
  c.iri = NsAttribute(node, kRdfNs, "about").value();
  const size_t index = concepts.size();
  bool has_rules = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    QName q = ElementName(child);
    if (q.ns == kRulesNs) {
      if (q.local != "rules") {
        return Error(child, "unknown element <" + std::string(child.name()) + ">");
      }
      if (has_rules) return Error(child, "a concept has at most one pr:rules element");
      has_rules = true;
      if (Status s = ReadRules(child, c); !s.ok()) return s;
      continue;
    }
    if (q.ns != kSkosNs) continue;
    auto ref = [&](PendingRef::Kind kind) -> Status {
      std::string iri = NsAttribute(child, kRdfNs, "resource").value();
      if (iri.empty()) {
        return Error(child, "<" + std::string(child.name()) + "> needs an rdf:resource");
      }
      refs.push_back({kind, index, std::move(iri), Where(child)});
      return Status::Ok();
    };
    Status s;
    if (q.local == "notation") {
      c.id = Text(child);
    } else if (q.local == "prefLabel") {
      c.pref_labels.push_back({LangOf(child), Text(child)});
    } else if (q.local == "altLabel") {
      c.alt_labels.push_back({LangOf(child), Text(child)});
    } else if (q.local == "hiddenLabel") {
      c.hidden_labels.push_back({LangOf(child), Text(child)});
    } else if (q.local == "definition") {
      c.definitions.push_back({LangOf(child), Text(child)});
    } else if (q.local == "inScheme" || q.local == "topConceptOf") {
      s = ref(PendingRef::Kind::kScheme);
    } else if (q.local == "broader") {
      s = ref(PendingRef::Kind::kBroader);
    } else if (q.local == "narrower") {
      s = ref(PendingRef::Kind::kNarrower);
    } else if (q.local == "closeMatch") {
      s = ref(PendingRef::Kind::kClose);
    } else if (q.local == "exactMatch") {
      s = ref(PendingRef::Kind::kExact);
    } else if (q.local == "relatedMatch") {
      s = ref(PendingRef::Kind::kRelated);
    }
    if (!s.ok()) return s;
  }
  if (c.id.empty()) return Error(node, "skos:Concept without skos:notation");
  if (c.id.find_first_of(" \t\r\n") != std::string::npos) {
    return Error(node, "concept id '" + c.id + "' contains white space");
  }
  if (auto [it, fresh] = concept_where_.emplace(c.id, Where(node)); !fresh) {
    return Error(node, "duplicate concept id '" + c.id + "' (first at " + it->second + ")");
  }
  if (!c.iri.empty() && !concept_by_iri.emplace(c.iri, index).second) {
    return Error(node, "duplicate concept IRI '" + c.iri + "'");
  }
  concept_where.push_back(Where(node));
  concepts.push_back(std::move(c));
  return Status::Ok();
}

Status Loader::ReadRules(pugi::xml_node node, Concept& c) {
  c.rules_version = node.attribute("version").value();
  if (pugi::xml_attribute t = node.attribute("threshold")) {
    if (!ParseNumber(t.value(), &c.threshold)) {
      return Error(node, "threshold '" + std::string(t.value()) + "' is not a number");
    }
  }
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    QName q = ElementName(child);
    Rule::Kind kind;
    if (q.ns == kRulesNs && q.local == "term") {
      kind = Rule::Kind::kTerm;
    } else if (q.ns == kRulesNs && q.local == "phrase") {
      kind = Rule::Kind::kPhrase;
    } else if (q.ns == kRulesNs && q.local == "near") {
      kind = Rule::Kind::kNear;
    } else if (q.ns == kRulesNs && q.local == "mask") {
      kind = Rule::Kind::kMask;
    } else {
      return Error(child, "unknown rule element <" + std::string(child.name()) +
                              "> (expected pr:term, pr:phrase, pr:near or pr:mask)");
    }
    Rule rule;
    if (Status s = ReadRule(child, kind, rule); !s.ok()) return s;
    c.rules.push_back(std::move(rule));
  }
  return Status::Ok();
}

Status Loader::ReadRule(pugi::xml_node node, Rule::Kind kind, Rule& rule) {
  rule.kind = kind;
  rule.text = NormalizeNfc(Text(node));
  // Only the rule's own xml:lang restricts it; a language inherited from an ancestor is the
  // language of labels, not a restriction the author asked for.
  rule.language = node.attribute("xml:lang").value();
  for (const Token& t : Analyzer("").Tokenize(rule.text)) rule.words.push_back(t.term);
  if (rule.words.empty()) {
    return Error(node, "<" + std::string(node.name()) + "> rule has no words");
  }
  if (pugi::xml_attribute f = node.attribute("form")) {
    std::string_view form = f.value();
    if (form != "exact" && form != "stem") {
      return Error(node, "form '" + std::string(form) + "' is neither 'exact' nor 'stem'");
    }
    rule.exact = form == "exact";
  }
  if (kind == Rule::Kind::kMask) {
    // A mask scores nothing: it only hides words from the concept's other rules.
    if (node.attribute("weight")) return Error(node, "pr:mask takes no weight");
    rule.weight = 0;
    if (pugi::xml_attribute sp = node.attribute("span")) {
      double span = -1;
      if (!ParseNumber(sp.value(), &span) || span != std::floor(span) || span < 0 ||
          span > 100) {
        return Error(node, "pr:mask span '" + std::string(sp.value()) +
                               "' is not a whole number from 0 to 100");
      }
      rule.span = static_cast<int>(span);
    }
    return Status::Ok();
  }
  if (pugi::xml_attribute w = node.attribute("weight")) {
    if (!ParseNumber(w.value(), &rule.weight)) {
      return Error(node, "weight '" + std::string(w.value()) + "' is not a number");
    }
  }
  if (kind == Rule::Kind::kNear) {
    pugi::xml_attribute w = node.attribute("window");
    double window = 0;
    if (!w || !ParseNumber(w.value(), &window) || window != std::floor(window) || window < 1 ||
        window > 1000) {
      return Error(node, "pr:near needs a window attribute, a whole number from 1 to 1000");
    }
    rule.window = static_cast<int>(window);
    if (static_cast<size_t>(rule.window) + 1 < rule.words.size()) {
      return Error(node, "pr:near window " + std::to_string(rule.window) +
                             " is too small for its " + std::to_string(rule.words.size()) +
                             " words");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string Concept::Label(std::string_view lang) const { return LabelIn(pref_labels, lang, id); }

std::string ConceptScheme::Label(std::string_view lang) const {
  return LabelIn(pref_labels, lang, id);
}

Result<Taxonomy> Taxonomy::Load(const std::vector<std::filesystem::path>& files) {
  Loader loader;
  for (const std::filesystem::path& file : files) {
    if (Status s = loader.LoadFile(file); !s.ok()) return s;
  }
  constexpr size_t kNoScheme = static_cast<size_t>(-1);
  std::vector<size_t> scheme_of(loader.concepts.size(), kNoScheme);
  auto concept_at = [&](const PendingRef& ref) -> Result<size_t> {
    auto it = loader.concept_by_iri.find(ref.iri);
    if (it == loader.concept_by_iri.end()) {
      return Status::Corruption(ref.where + ": concept '" +
                                loader.concepts[ref.concept_index].id +
                                "' refers to unknown concept <" + ref.iri + ">");
    }
    return it->second;
  };
  for (const PendingRef& ref : loader.refs) {
    Concept& c = loader.concepts[ref.concept_index];
    if (ref.kind == PendingRef::Kind::kScheme) {
      auto it = loader.scheme_by_iri.find(ref.iri);
      if (it == loader.scheme_by_iri.end()) {
        return Status::Corruption(ref.where + ": concept '" + c.id + "' is in unknown scheme <" +
                                  ref.iri + ">");
      }
      // A concept has one scheme in Pillar: the first one it names.
      if (scheme_of[ref.concept_index] == kNoScheme) scheme_of[ref.concept_index] = it->second;
      continue;
    }
    Result<size_t> target = concept_at(ref);
    if (!target.ok()) return target.status();
    Concept& t = loader.concepts[*target];
    switch (ref.kind) {
      case PendingRef::Kind::kBroader:
        AddUnique(c.broader, t.id);
        break;
      case PendingRef::Kind::kNarrower:
        AddUnique(t.broader, c.id);
        break;
      case PendingRef::Kind::kClose:
        AddUnique(c.close_matches, t.id);
        AddUnique(t.close_matches, c.id);
        break;
      case PendingRef::Kind::kExact:
        AddUnique(c.exact_matches, t.id);
        AddUnique(t.exact_matches, c.id);
        break;
      case PendingRef::Kind::kRelated:
        AddUnique(c.related_matches, t.id);
        AddUnique(t.related_matches, c.id);
        break;
      case PendingRef::Kind::kScheme:
        break;
    }
  }
  for (const Loader::TopConcept& top : loader.top_concepts) {
    auto it = loader.concept_by_iri.find(top.iri);
    if (it == loader.concept_by_iri.end()) {
      return Status::Corruption(top.where + ": scheme '" + loader.schemes[top.scheme_index].id +
                                "' has unknown top concept <" + top.iri + ">");
    }
    if (scheme_of[it->second] == kNoScheme) scheme_of[it->second] = top.scheme_index;
  }
  for (size_t i = 0; i < loader.concepts.size(); ++i) {
    if (scheme_of[i] == kNoScheme) {
      return Status::Corruption(loader.concept_where[i] + ": concept '" +
                                loader.concepts[i].id + "' belongs to no scheme (skos:inScheme)");
    }
    ConceptScheme& scheme = loader.schemes[scheme_of[i]];
    loader.concepts[i].scheme = scheme.id;
    scheme.concepts.push_back(loader.concepts[i].id);
  }
  Taxonomy taxonomy;
  taxonomy.schemes_ = std::move(loader.schemes);
  taxonomy.concepts_ = std::move(loader.concepts);
  for (size_t i = 0; i < taxonomy.concepts_.size(); ++i) {
    taxonomy.by_id_.emplace(taxonomy.concepts_[i].id, i);
  }
  return taxonomy;
}

const Concept* Taxonomy::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &concepts_[it->second];
}

std::vector<std::string> Taxonomy::Crosswalk(std::string_view id) const {
  std::vector<std::string> out{std::string(id)};
  if (const Concept* c = Find(id)) {
    for (const std::string& m : c->exact_matches) AddUnique(out, m);
    for (const std::string& m : c->close_matches) AddUnique(out, m);
  }
  return out;
}

std::filesystem::path DefaultTaxonomyPath() {
  namespace fs = std::filesystem;
  const fs::path rel = fs::path("corpus") / "taxonomy" / "poc.skos.xml";
  if (const char* env = std::getenv("PILLAR_TAXONOMY"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (int up = 0; up <= 4 && !dir.empty(); ++up) {
      if (fs::is_regular_file(dir / rel, ec)) return dir / rel;
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }
  if (fs::is_regular_file(rel, ec)) return fs::absolute(rel, ec);
  return {};
}

}  // namespace pillar
