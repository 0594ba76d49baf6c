#include "indexer/tag/eval.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "indexer/base/text.h"

namespace pillar {
namespace {

double Ratio(int num, int den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

double F1(double p, double r) { return p + r == 0 ? 0.0 : 2 * p * r / (p + r); }

// One CSV record and the line it starts on.
struct Record {
  size_t line = 0;
  std::vector<std::string> fields;
};

// Splits RFC 4180 text into records. Lenient where the RFC leaves no doubt about intent: a
// quote inside an unquoted field is kept as it is, a lone CR ends a record like CRLF.
Status ParseCsv(std::string_view text, const std::string& file, std::vector<Record>* out) {
  size_t i = 0, line = 1;
  const size_t n = text.size();
  while (i < n) {
    Record rec;
    rec.line = line;
    for (;;) {  // one field per round
      std::string field;
      if (i < n && text[i] == '"') {
        size_t quote_line = line;
        ++i;
        for (;;) {
          if (i >= n) {
            return Status::Corruption(file + ": line " + std::to_string(quote_line) +
                                      ": unterminated quoted field");
          }
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field += c;
        }
        if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          return Status::Corruption(file + ": line " + std::to_string(line) +
                                    ": unexpected character after a closing quote");
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') field += text[i++];
      }
      rec.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      break;  // end of record or of text
    }
    if (i < n && text[i] == '\r') ++i;
    if (i < n && text[i] == '\n') ++i;
    ++line;
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) out->push_back(std::move(rec));
  }
  return Status::Ok();
}

}  // namespace

EvalReport Evaluate(
    const std::vector<std::pair<std::set<std::string>, std::set<std::string>>>& items,
    const std::vector<std::string>& concept_ids) {
  std::vector<std::string> ids = concept_ids;
  if (ids.empty()) {
    std::set<std::string> seen;
    for (const auto& [predicted, gold] : items) {
      seen.insert(predicted.begin(), predicted.end());
      seen.insert(gold.begin(), gold.end());
    }
    ids.assign(seen.begin(), seen.end());
  }
  EvalReport report;
  report.items = static_cast<int>(items.size());
  int tp = 0, fp = 0, fn = 0;
  for (const std::string& id : ids) {
    ConceptScores s;
    s.id = id;
    for (const auto& [predicted, gold] : items) {
      bool p = predicted.count(id) > 0, g = gold.count(id) > 0;
      s.tp += p && g;
      s.fp += p && !g;
      s.fn += !p && g;
    }
    s.precision = Ratio(s.tp, s.tp + s.fp);
    s.recall = Ratio(s.tp, s.tp + s.fn);
    s.f1 = F1(s.precision, s.recall);
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
    report.macro_p += s.precision;
    report.macro_r += s.recall;
    report.macro_f1 += s.f1;
    report.per_concept.push_back(std::move(s));
  }
  if (!ids.empty()) {
    report.macro_p /= static_cast<double>(ids.size());
    report.macro_r /= static_cast<double>(ids.size());
    report.macro_f1 /= static_cast<double>(ids.size());
  }
  report.micro_p = Ratio(tp, tp + fp);
  report.micro_r = Ratio(tp, tp + fn);
  report.micro_f1 = F1(report.micro_p, report.micro_r);
  return report;
}

Result<std::vector<GoldRow>> LoadGoldRows(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(file + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(file + ": cannot open: " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError(file + ": read failed");
  std::string text = std::move(buf).str();
  std::string_view body = text;
  if (StartsWith(body, "\xEF\xBB\xBF")) body.remove_prefix(3);

  std::vector<Record> records;
  if (Status s = ParseCsv(body, file, &records); !s.ok()) return s;
  if (records.empty()) return Status::Corruption(file + ": line 1: no header");
  const Record& header = records[0];
  size_t id_col = header.fields.size(), concepts_col = header.fields.size();
  std::vector<std::string> names;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    std::string_view name = TrimAscii(header.fields[c]);
    names.emplace_back(name);
    if (name == "passage_id") id_col = c;
    if (name == "concepts") concepts_col = c;
  }
  if (id_col == header.fields.size() || concepts_col == header.fields.size()) {
    return Status::Corruption(file + ": line " + std::to_string(header.line) +
                              ": the header must name the columns passage_id and concepts");
  }

  std::vector<GoldRow> out;
  std::map<std::string, size_t> first_line;
  for (size_t r = 1; r < records.size(); ++r) {
    const Record& rec = records[r];
    auto error = [&](const std::string& what) {
      return Status::Corruption(file + ": line " + std::to_string(rec.line) + ": " + what);
    };
    if (rec.fields.size() != header.fields.size()) {
      return error("expected " + std::to_string(header.fields.size()) + " fields, found " +
                   std::to_string(rec.fields.size()));
    }
    GoldRow row;
    row.line = rec.line;
    row.passage_id = std::string(TrimAscii(rec.fields[id_col]));
    if (row.passage_id.empty()) return error("empty passage_id");
    if (auto [it, fresh] = first_line.emplace(row.passage_id, rec.line); !fresh) {
      return error("duplicate passage_id '" + row.passage_id + "' (first on line " +
                   std::to_string(it->second) + ")");
    }
    std::string current;
    for (char c : rec.fields[concepts_col] + ";") {
      if (c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (!current.empty()) row.concepts.insert(std::move(current));
        current.clear();
      } else {
        current += c;
      }
    }
    for (size_t c = 0; c < names.size(); ++c) row.fields[names[c]] = rec.fields[c];
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::set<std::string>>>> LoadGoldCsv(
    const std::filesystem::path& path) {
  Result<std::vector<GoldRow>> rows = LoadGoldRows(path);
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, std::set<std::string>>> out;
  for (GoldRow& row : *rows) out.emplace_back(std::move(row.passage_id), std::move(row.concepts));
  return out;
}

std::string GoldTextHash(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  bool pending_space = false, started = false;
  for (char c : text) {
    if (space(c)) {
      pending_space = started;
      continue;
    }
    if (pending_space) feed(' ');
    pending_space = false;
    started = true;
    feed(static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

std::vector<KappaScores> CohenKappa(
    const std::vector<std::pair<std::set<std::string>, std::set<std::string>>>& items,
    const std::vector<std::string>& concept_ids) {
  std::vector<std::string> ids = concept_ids;
  if (ids.empty()) {
    std::set<std::string> seen;
    for (const auto& [first, second] : items) {
      seen.insert(first.begin(), first.end());
      seen.insert(second.begin(), second.end());
    }
    ids.assign(seen.begin(), seen.end());
  }
  std::vector<KappaScores> out;
  for (const std::string& id : ids) {
    KappaScores k;
    k.id = id;
    k.items = static_cast<int>(items.size());
    for (const auto& [first, second] : items) {
      bool a = first.count(id) > 0, b = second.count(id) > 0;
      k.both += a && b;
      k.first_only += a && !b;
      k.second_only += !a && b;
      k.neither += !a && !b;
    }
    if (k.items > 0) {
      double n = k.items;
      double p1 = (k.both + k.first_only) / n, p2 = (k.both + k.second_only) / n;
      k.observed = (k.both + k.neither) / n;
      k.expected = p1 * p2 + (1 - p1) * (1 - p2);
      k.defined = k.expected < 1.0 - 1e-12;
      k.kappa = k.defined ? (k.observed - k.expected) / (1 - k.expected) : 0;
    }
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace pillar
