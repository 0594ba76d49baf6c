#include "query/cite/csv_export.h"

#include <cstdio>

namespace pillar {
namespace {

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += sep;
    out += parts[k];
  }
  return out;
}

std::string FormatScore(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", score);
  return buf;
}

}  // namespace

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string DefuseFormula(std::string_view value) {
  if (!value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos) {
    return "'" + std::string(value);
  }
  return std::string(value);
}

std::string CsvRecord(const std::vector<std::string>& fields, bool defuse) {
  std::string out;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (k) out += ',';
    out += CsvField(defuse ? DefuseFormula(fields[k]) : fields[k]);
  }
  out += "\r\n";
  return out;
}

const std::vector<std::string>& PassageTagCsvHeader() {
  static const std::vector<std::string> kHeader = {
      "passage_id", "doc_id", "title",   "symbol",  "issuer", "date",   "language",
      "locator",    "page",   "section", "concept", "scheme", "source", "score",
      "evidence",   "by",     "when",    "note",    "text"};
  return kHeader;
}

std::string PassageTagCsvRecords(const Passage& p, const DocumentRecord& d,
                                 const Taxonomy* taxonomy, bool defuse) {
  const DocumentMetadata& m = d.meta;
  std::vector<std::string> head = {p.id,
                                   p.doc_id,
                                   m.title,
                                   m.symbol,
                                   m.issuer,
                                   m.date,
                                   p.language.empty() ? m.language : p.language,
                                   p.locator,
                                   p.page > 0 ? std::to_string(p.page) : "",
                                   Join(p.section, " > ")};
  auto record = [&](const Tag* t) {
    std::vector<std::string> fields = head;
    if (t) {
      const Concept* c = taxonomy ? taxonomy->Find(t->concept_id) : nullptr;
      fields.insert(fields.end(),
                    {t->concept_id, c ? c->scheme : "", t->source, FormatScore(t->score),
                     Join(t->evidence, "; "), t->by, t->when, t->note});
    } else {
      fields.insert(fields.end(), 8, "");
    }
    fields.push_back(p.text);
    return CsvRecord(fields, defuse);
  };
  if (p.tags.empty()) return record(nullptr);
  std::string out;
  for (const Tag& t : p.tags) out += record(&t);
  return out;
}

}  // namespace pillar
