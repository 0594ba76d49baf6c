// rankeval: Pillar's ranking against plain Xapian and SQLite FTS5 on judged query sets, on the
// same passages, in one run (issue 22; docs/query.md, "Search quality").
//
//   rankeval (--index DIR | --corpus DIR [--taxonomy FILE]) --set FILE [--set FILE]...
//            [--depth K] [--quiet] [--split NAME] [--pool N --out FILE] [--keep DIR]
//       Reads every passage of the Pillar index (or of an index of --corpus built in a temp
//       folder), writes the same passages into a plain Xapian database (TermGenerator and
//       QueryParser with Xapian's defaults: English stemmer, STEM_SOME, default flags, OR) and
//       an SQLite FTS5 table (porter over unicode61, bm25; all words, then any word when that
//       finds nothing), runs every judged query through Pillar's Searcher as `pillar search`
//       does (all words; and with --any) and through both baselines, and prints nDCG@K and
//       P@5 per query and system, the means per set and split, and Pillar minus Xapian.
//       --split NAME prints the per-query lines and the mean of that split only (--split dev
//       while tuning, so that the held-out queries' figures stay unseen); --quiet prints no
//       per-query lines.
//       With --pool N --out FILE it also writes the judging pool: per query, the union of the
//       top N of every system, ordered by a hash (no system, no rank), one JSON line each.
//   rankeval --index DIR --remap FILE --out FILE
//       Re-resolves a judged set's passage ids against DIR by the hashes of their normalised
//       text (the "hashes" field): an id whose passage moved to a new id takes the new one;
//       judged ids found unchanged get their hash added when it is missing. Names every id
//       it cannot resolve and exits 1 when there is one.
//
// Exit status: 0; 1 when a judged passage id is not in the index (stale judgments) or a
// remap leaves ids unresolved; 2 for bad arguments or unreadable input.

#include <sqlite3.h>
#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/index/index_writer.h"
#include "query/search/searcher.h"
#include "tests/support/judged_set.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------
// Passage text hashes: stable across changes of passage ids, not of wording.

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// ASCII letters lowered; every run of ASCII space, punctuation and control characters one
// space; bytes of other scripts kept. So a passage re-extracted with other line breaks,
// hyphen spacing or quotes keeps its hash, and a passage reworded does not.
std::string NormaliseForHash(std::string_view text) {
  std::string out;
  bool gap = false;
  for (unsigned char c : text) {
    const bool ascii_word =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c < 0x80 && !ascii_word) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  return out;
}

std::string Hex(uint64_t v, int digits) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 15];
  return out;
}

// 12 hex digits (48 bits): collisions within one corpus are improbable, and a remap that
// meets one says so rather than guessing.
std::string TextHash(std::string_view text) { return Hex(Fnv1a(NormaliseForHash(text)) >> 16, 12); }

// ---------------------------------------------------------------------------------------
// Judged sets: tests/support/judged_set.h, shared with tests/search/ndcg_real_test.cc.

using testing::JudgedQuery;
using testing::Ndcg;
using testing::PrecisionAt5;

bool LoadSet(const fs::path& path, std::vector<JudgedQuery>* out) {
  const std::string error = testing::LoadJudgedSet(path, out);
  if (!error.empty()) std::cerr << "rankeval: " << error << "\n";
  return error.empty();
}

// ---------------------------------------------------------------------------------------
// The passages, read back from the Pillar index.

struct PassageRow {
  std::string id, doc, locator, section, text;
  bool footnote = false;
};

bool ReadPassages(Searcher& searcher, std::vector<PassageRow>* rows) {
  SearchRequest all;  // empty query: every passage, in document order
  all.facets = false;
  all.suggest = false;
  Status status = searcher.ForEachPassage(all, [&](const Passage& p, const DocumentRecord&) {
    PassageRow row{p.id, p.doc_id, p.locator, "", p.text, p.footnote};
    for (const std::string& heading : p.section) {
      if (!row.section.empty()) row.section += " > ";
      row.section += heading;
    }
    rows->push_back(std::move(row));
  });
  if (!status.ok()) {
    std::cerr << "rankeval: reading passages: " << status.message() << "\n";
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Baseline 1: plain Xapian with its defaults.

class XapianBaseline {
 public:
  XapianBaseline(const fs::path& dir, const std::vector<PassageRow>& rows) {
    {
      Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
      Xapian::TermGenerator generator;
      generator.set_stemmer(Xapian::Stem("english"));
      for (const PassageRow& row : rows) {
        Xapian::Document doc;
        generator.set_document(doc);
        generator.index_text(row.text);
        doc.set_data(row.id);
        db.add_document(doc);
      }
      db.commit();
    }
    db_ = Xapian::Database(dir.string());
    parser_.set_stemmer(Xapian::Stem("english"));
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser_.set_database(db_);
  }

  // Top `n` passage ids; a query the parser rejects finds nothing (and says why).
  std::vector<std::string> Search(const std::string& text, size_t n, std::string* error) {
    std::vector<std::string> ids;
    try {
      Xapian::Enquire enquire(db_);
      enquire.set_query(parser_.parse_query(text));
      Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(n));
      for (auto it = mset.begin(); it != mset.end(); ++it)
        ids.push_back(it.get_document().get_data());
    } catch (const Xapian::Error& e) {
      *error = e.get_description();
    }
    return ids;
  }

 private:
  Xapian::Database db_;
  Xapian::QueryParser parser_;
};

// ---------------------------------------------------------------------------------------
// Baseline 2: SQLite FTS5, porter stemmer, bm25.

// Pillar query text -> an FTS5 MATCH expression. Words and "phrases" are quoted (so no word
// is read as FTS5 syntax); the operators OR, AND and NOT are kept between terms when `any`
// is false; NEAR, NEAR/n, ADJ and -word exclusions are dropped (FTS5's NEAR takes another
// form); field:value keeps the value. Terms are joined by a space (FTS5's implicit AND) or,
// with `any`, by OR.
std::string ToFts5(const std::string& q, bool any) {
  struct Part {
    std::string text;
    bool op = false;
  };
  std::vector<Part> parts;
  size_t i = 0;
  while (i < q.size()) {
    if (q[i] == ' ' || q[i] == '\t' || q[i] == '(' || q[i] == ')') {
      ++i;
      continue;
    }
    std::string term;
    if (q[i] == '"') {
      size_t end = q.find('"', i + 1);
      if (end == std::string::npos) end = q.size();
      term = q.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      size_t end = q.find_first_of(" \t()", i);
      if (end == std::string::npos) end = q.size();
      std::string word = q.substr(i, end - i);
      i = end;
      if (word == "OR" || word == "AND" || word == "NOT") {
        if (!any) parts.push_back({word, true});
        continue;
      }
      if (word.rfind("NEAR", 0) == 0 || word.rfind("ADJ", 0) == 0 || word[0] == '-') continue;
      const size_t colon = word.find(':');
      if (colon != std::string::npos) {
        word = word.substr(colon + 1);
        if (!word.empty() && word[0] == '"') {  // field:"a phrase": the rest is read next
          size_t close = q.find('"', i);
          word =
              word.substr(1) + (close == std::string::npos ? q.substr(i) : q.substr(i, close - i));
          i = close == std::string::npos ? q.size() : close + 1;
        }
      }
      term = word;
    }
    std::string clean;
    for (char c : term) {
      if (c != '"' && c != '*') clean += c;
    }
    if (clean.find_first_not_of(" \t") != std::string::npos) parts.push_back({clean, false});
  }
  // Operators only between two terms.
  std::string out;
  bool want_term = true;
  std::string pending_op;
  for (const Part& p : parts) {
    if (p.op) {
      if (!want_term) pending_op = p.text;
      continue;
    }
    if (!out.empty()) out += any ? " OR " : (pending_op.empty() ? " " : " " + pending_op + " ");
    out += "\"" + p.text + "\"";
    pending_op.clear();
    want_term = false;
  }
  return out;
}

class Fts5Baseline {
 public:
  explicit Fts5Baseline(const fs::path& file) : file_(file) {}
  ~Fts5Baseline() {
    if (stmt_) sqlite3_finalize(stmt_);
    if (db_) sqlite3_close(db_);
  }

  bool Build(const std::vector<PassageRow>& rows) {
    if (sqlite3_open(file_.string().c_str(), &db_) != SQLITE_OK) return Fail("open");
    if (!Exec("CREATE VIRTUAL TABLE p USING fts5(body, pid UNINDEXED, "
              "tokenize='porter unicode61')") ||
        !Exec("BEGIN")) {
      return false;
    }
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v2(db_, "INSERT INTO p(body, pid) VALUES (?, ?)", -1, &insert, nullptr) !=
        SQLITE_OK) {
      return Fail("prepare insert");
    }
    for (const PassageRow& row : rows) {
      sqlite3_bind_text(insert, 1, row.text.data(), static_cast<int>(row.text.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, row.id.data(), static_cast<int>(row.id.size()), SQLITE_STATIC);
      const int rc = sqlite3_step(insert);
      sqlite3_reset(insert);
      if (rc != SQLITE_DONE) {
        sqlite3_finalize(insert);
        return Fail("insert");
      }
    }
    sqlite3_finalize(insert);
    if (!Exec("COMMIT")) return false;
    if (sqlite3_prepare_v2(db_, "SELECT pid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?", -1,
                           &stmt_, nullptr) != SQLITE_OK) {
      return Fail("prepare query");
    }
    return true;
  }

  // All words first; any word when all find nothing.
  std::vector<std::string> Search(const std::string& text, size_t n, std::string* error) {
    std::vector<std::string> ids = Run(ToFts5(text, false), n, error);
    if (ids.empty()) ids = Run(ToFts5(text, true), n, error);
    return ids;
  }

 private:
  std::vector<std::string> Run(const std::string& match, size_t n, std::string* error) {
    std::vector<std::string> ids;
    if (match.empty()) return ids;
    sqlite3_bind_text(stmt_, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt_, 2, static_cast<int>(n));
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
      ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt_, 0)));
    }
    if (rc != SQLITE_DONE) *error = std::string(sqlite3_errmsg(db_)) + " (" + match + ")";
    sqlite3_reset(stmt_);
    return ids;
  }
  bool Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::cerr << "rankeval: sqlite: " << (err ? err : "?") << "\n";
      sqlite3_free(err);
      return false;
    }
    return true;
  }
  bool Fail(const char* what) {
    std::cerr << "rankeval: sqlite " << what << ": " << sqlite3_errmsg(db_) << "\n";
    return false;
  }

  fs::path file_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// ---------------------------------------------------------------------------------------
// Output.

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string Signed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.3f", v);
  return buf;
}

const std::vector<std::string> kSystems = {"pillar", "pillar-any", "xapian", "fts5"};

struct QueryFigures {
  const JudgedQuery* query;
  std::map<std::string, std::vector<std::string>> ranked;  // system -> passage ids
  std::map<std::string, std::string> errors;
  std::map<std::string, double> ndcg, p5;
};

void PrintMeans(const std::string& label, const std::vector<const QueryFigures*>& rows) {
  if (rows.empty()) return;
  std::map<std::string, double> ndcg, p5;
  for (const QueryFigures* r : rows) {
    for (const std::string& s : kSystems) {
      ndcg[s] += r->ndcg.at(s);
      p5[s] += r->p5.at(s);
    }
  }
  const double n = static_cast<double>(rows.size());
  std::printf("  %-6s %3zu queries ", label.c_str(), rows.size());
  for (const std::string& s : kSystems) {
    std::printf("  %s %s/%s", s.c_str(), Fixed(ndcg[s] / n).c_str(), Fixed(p5[s] / n).c_str());
  }
  std::printf("  pillar-xapian %s\n", Signed((ndcg["pillar"] - ndcg["xapian"]) / n).c_str());
}

// A JSON value in the style of the judged files: ", " and ": " between items.
std::string Spaced(const OrderedJson& j) {
  if (j.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : j.items()) {
      if (!first) out += ", ";
      first = false;
      out += OrderedJson(k).dump() + ": " + Spaced(v);
    }
    return out + "}";
  }
  if (j.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + Spaced(j[i]);
    return out + "]";
  }
  return j.dump();
}

// ---------------------------------------------------------------------------------------
// Remap.

int Remap(Searcher& searcher, const fs::path& in_path, const fs::path& out_path) {
  std::vector<PassageRow> rows;
  if (!ReadPassages(searcher, &rows)) return 2;
  std::map<std::string, std::string> hash_of;              // id -> hash
  std::map<std::string, std::vector<std::string>> ids_of;  // hash -> ids
  for (const PassageRow& r : rows) {
    const std::string h = TextHash(r.text);
    hash_of[r.id] = h;
    ids_of[h].push_back(r.id);
  }
  std::ifstream in(in_path);
  if (!in) {
    std::cerr << "rankeval: cannot read " << in_path.string() << "\n";
    return 2;
  }
  std::ostringstream out;
  std::string line;
  int line_no = 0;
  size_t moved = 0, unresolved = 0, hashed = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    OrderedJson j;
    try {
      j = OrderedJson::parse(line);
    } catch (const nlohmann::json::exception& e) {
      std::cerr << "rankeval: " << in_path.string() << ":" << line_no << ": " << e.what() << "\n";
      return 2;
    }
    OrderedJson hashes = j.contains("hashes") ? j["hashes"] : OrderedJson::object();
    std::map<std::string, std::string> rename;
    auto resolve = [&](const std::string& pid) {
      const auto here = hash_of.find(pid);
      const std::string want = hashes.contains(pid) ? hashes[pid].get<std::string>() : "";
      if (here != hash_of.end() && (want.empty() || here->second == want)) {
        if (want.empty()) ++hashed;
        rename[pid] = pid;
        return;
      }
      std::vector<std::string> candidates;
      if (!want.empty() && ids_of.count(want)) candidates = ids_of[want];
      // Prefer the same document when the text occurs in several.
      const std::string doc = pid.substr(0, pid.find('#'));
      std::vector<std::string> same_doc;
      for (const std::string& c : candidates) {
        if (c.substr(0, c.find('#')) == doc) same_doc.push_back(c);
      }
      if (same_doc.size() == 1) candidates = same_doc;
      if (candidates.size() == 1) {
        std::cerr << in_path.string() << ":" << line_no << ": " << pid << " -> " << candidates[0]
                  << "\n";
        rename[pid] = candidates[0];
        ++moved;
      } else {
        std::cerr << in_path.string() << ":" << line_no << ": cannot resolve " << pid << " ("
                  << (want.empty()         ? "no hash recorded"
                      : candidates.empty() ? "no passage has its text"
                                           : "several passages have its text")
                  << ")\n";
        rename[pid] = pid;
        ++unresolved;
      }
    };
    OrderedJson relevant = OrderedJson::object();
    for (const auto& [pid, grade] : j["relevant"].items()) {
      resolve(pid);
      relevant[rename[pid]] = grade;
    }
    j["relevant"] = relevant;
    if (j.contains("nonrelevant")) {
      OrderedJson non = OrderedJson::array();
      for (const auto& pid : j["nonrelevant"]) {
        resolve(pid.get<std::string>());
        non.push_back(rename[pid.get<std::string>()]);
      }
      j["nonrelevant"] = non;
    }
    OrderedJson new_hashes = OrderedJson::object();
    for (const auto& [old_id, new_id] : rename) {
      auto h = hash_of.find(new_id);
      if (h != hash_of.end()) {
        new_hashes[new_id] = h->second;
      } else if (hashes.contains(old_id)) {
        new_hashes[new_id] = hashes[old_id];
      }
    }
    j["hashes"] = new_hashes;
    out << Spaced(j) << "\n";
  }
  std::ofstream file(out_path);
  file << out.str();
  if (!file.flush()) {
    std::cerr << "rankeval: cannot write " << out_path.string() << "\n";
    return 2;
  }
  std::printf("remap: %zu ids moved, %zu hashes added, %zu unresolved; wrote %s\n", moved, hashed,
              unresolved, out_path.string().c_str());
  return unresolved == 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------

struct Args {
  fs::path index, corpus, taxonomy, remap, out, keep;
  std::vector<fs::path> sets;
  size_t depth = 10;
  size_t pool = 0;
  bool quiet = false;
  std::string split;  // per-query lines of this split only (empty: all)
};

int Usage() {
  std::fprintf(stderr,
               "usage: rankeval (--index DIR | --corpus DIR [--taxonomy FILE]) --set FILE...\n"
               "                [--depth K] [--quiet] [--split NAME] [--pool N --out FILE]\n"
               "                [--keep DIR]\n"
               "       rankeval --index DIR --remap FILE --out FILE\n");
  return 2;
}

class TempFolder {
 public:
  TempFolder() {
    std::string tmpl = (fs::temp_directory_path() / "rankeval-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int Run(const Args& args) {
  TempFolder temp;
  if (temp.path().empty()) {
    std::cerr << "rankeval: cannot make a temp folder\n";
    return 2;
  }
  const fs::path work = args.keep.empty() ? temp.path() : args.keep;
  std::error_code ec;
  fs::create_directories(work, ec);

  fs::path index_dir = args.index;
  if (!args.corpus.empty()) {
    IndexOptions options;
    options.index_dir = work / "pillar-index";
    if (!args.taxonomy.empty()) options.taxonomy = args.taxonomy;
    auto summary = IndexPaths({args.corpus}, options);
    if (!summary.ok()) {
      std::cerr << "rankeval: indexing " << args.corpus.string() << ": "
                << summary.status().message() << "\n";
      return 2;
    }
    if (summary->failed > 0) {
      std::cerr << "rankeval: " << summary->failed << " files of " << args.corpus.string()
                << " failed to index\n";
    }
    index_dir = options.index_dir;
  }
  auto opened = Searcher::Open(index_dir);
  if (!opened.ok()) {
    std::cerr << "rankeval: " << index_dir.string() << ": " << opened.status().message() << "\n";
    return 2;
  }
  Searcher& searcher = *opened.value();
  if (!args.remap.empty()) return Remap(searcher, args.remap, args.out);

  std::vector<JudgedQuery> judged;
  for (const fs::path& set : args.sets) {
    if (!LoadSet(set, &judged)) return 2;
  }
  std::vector<PassageRow> rows;
  if (!ReadPassages(searcher, &rows)) return 2;
  std::map<std::string, const PassageRow*> by_id;
  for (const PassageRow& r : rows) by_id[r.id] = &r;

  int exit_code = 0;
  for (const JudgedQuery& q : judged) {
    for (const auto& [pid, grade] : q.grades) {
      if (!by_id.count(pid)) {
        std::cerr << q.set << " " << q.id << ": judged passage " << pid
                  << " is not in the index (stale id: see rankeval --remap)\n";
        exit_code = 1;
      }
    }
  }

  XapianBaseline xapian(work / "xapian", rows);
  Fts5Baseline fts5(work / "fts5.sqlite");
  if (!fts5.Build(rows)) return 2;

  const size_t n = std::max(args.depth, args.pool);
  std::vector<QueryFigures> figures;
  for (const JudgedQuery& q : judged) {
    QueryFigures f;
    f.query = &q;
    for (bool any : {false, true}) {
      const std::string system = any ? "pillar-any" : "pillar";
      SearchRequest request;  // as `pillar search` sends it, less facets and suggestions
      request.query = q.query;
      request.limit = n;
      request.facets = false;
      request.suggest = false;
      request.any_word = any;
      auto result = searcher.Search(request);
      std::vector<std::string>& ids = f.ranked[system];
      if (!result.ok()) {
        f.errors[system] = result.status().message();
      } else {
        for (const Hit& hit : result->hits) ids.push_back(hit.passage.id);
      }
    }
    f.ranked["xapian"] = xapian.Search(q.query, n, &f.errors["xapian"]);
    f.ranked["fts5"] = fts5.Search(q.query, n, &f.errors["fts5"]);
    for (const std::string& s : kSystems) {
      f.ndcg[s] = Ndcg(f.ranked[s], q.grades, args.depth);
      f.p5[s] = PrecisionAt5(f.ranked[s], q.grades);
    }
    figures.push_back(std::move(f));
  }

  std::printf(
      "nDCG@%zu/P@5 per query: pillar (all words, as `pillar search`), pillar-any "
      "(--any), xapian (QueryParser defaults), fts5 (porter, bm25, AND then OR); "
      "%zu passages\n",
      args.depth, rows.size());
  std::string current_set;
  std::vector<std::string> set_names;
  for (const QueryFigures& f : figures) {
    if (f.query->set != current_set) {
      current_set = f.query->set;
      set_names.push_back(current_set);
      if (!args.quiet) std::printf("\n%s\n", current_set.c_str());
    }
    if (args.quiet || (!args.split.empty() && f.query->split != args.split)) continue;
    std::printf("  %-5s %-4s", f.query->id.c_str(), f.query->split.c_str());
    for (const std::string& s : kSystems) {
      std::printf("  %s/%s", Fixed(f.ndcg.at(s)).c_str(), Fixed(f.p5.at(s)).c_str());
    }
    std::printf("  %s", f.query->query.c_str());
    for (const auto& [s, e] : f.errors) {
      if (!e.empty()) std::printf("  [%s: %s]", s.c_str(), e.c_str());
    }
    std::printf("\n");
  }
  std::printf("\nmeans (nDCG@%zu/P@5)\n", args.depth);
  for (const std::string& set : set_names) {
    std::printf("%s\n", set.c_str());
    std::map<std::string, std::vector<const QueryFigures*>> by_split;
    std::vector<const QueryFigures*> all;
    for (const QueryFigures& f : figures) {
      if (f.query->set != set) continue;
      all.push_back(&f);
      by_split[f.query->split].push_back(&f);
    }
    if (!args.split.empty()) {
      // The named split's mean only: "all" or another split's mean would give the held-out
      // queries' figure away while tuning.
      if (by_split.count(args.split)) PrintMeans(args.split, by_split[args.split]);
      continue;
    }
    PrintMeans("all", all);
    if (by_split.size() > 1 || !by_split.count("all")) {
      for (const auto& [split, list] : by_split) PrintMeans(split, list);
    }
  }

  if (args.pool > 0) {
    std::ofstream out(args.out);
    size_t lines = 0, judged_lines = 0;
    for (const QueryFigures& f : figures) {
      std::set<std::string> pooled;
      for (const std::string& s : kSystems) {
        const auto& ids = f.ranked.at(s);
        for (size_t i = 0; i < ids.size() && i < args.pool; ++i) pooled.insert(ids[i]);
      }
      // Ordered by a hash of query and passage: neither the system nor the rank shows.
      std::vector<std::pair<std::string, std::string>> keyed;
      for (const std::string& pid : pooled) {
        keyed.emplace_back(Hex(Fnv1a(f.query->id + "\n" + pid), 16), pid);
      }
      std::sort(keyed.begin(), keyed.end());
      for (const auto& [key, pid] : keyed) {
        const PassageRow& r = *by_id.at(pid);
        OrderedJson j;
        j["set"] = f.query->set;
        j["query_id"] = f.query->id;
        j["query"] = f.query->query;
        j["key"] = key;
        j["passage"] = pid;
        j["hash"] = TextHash(r.text);
        j["doc"] = r.doc;
        j["locator"] = r.locator;
        j["section"] = r.section;
        j["footnote"] = r.footnote;
        auto g = f.query->grades.find(pid);
        j["judged"] = g == f.query->grades.end() ? OrderedJson() : OrderedJson(g->second);
        if (g != f.query->grades.end()) ++judged_lines;
        j["text"] = r.text;
        out << j.dump() << "\n";
        ++lines;
      }
    }
    if (!out.flush()) {
      std::cerr << "rankeval: cannot write " << args.out.string() << "\n";
      return 2;
    }
    std::printf("\npool: %zu passages for %zu queries (%zu already judged) in %s\n", lines,
                figures.size(), judged_lines, args.out.string().c_str());
  }
  return exit_code;
}

}  // namespace
}  // namespace pillar

int main(int argc, char** argv) {
  pillar::Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "rankeval: %s needs a value\n", a.c_str());
        std::exit(pillar::Usage());
      }
      return argv[++i];
    };
    if (a == "--index")
      args.index = value();
    else if (a == "--corpus")
      args.corpus = value();
    else if (a == "--taxonomy")
      args.taxonomy = value();
    else if (a == "--set")
      args.sets.push_back(value());
    else if (a == "--depth")
      args.depth = std::strtoul(value().c_str(), nullptr, 10);
    else if (a == "--pool")
      args.pool = std::strtoul(value().c_str(), nullptr, 10);
    else if (a == "--out")
      args.out = value();
    else if (a == "--remap")
      args.remap = value();
    else if (a == "--keep")
      args.keep = value();
    else if (a == "--quiet")
      args.quiet = true;
    else if (a == "--split")
      args.split = value();
    else
      return pillar::Usage();
  }
  if (args.index.empty() == args.corpus.empty()) return pillar::Usage();
  if (args.remap.empty() ? args.sets.empty() : (!args.sets.empty() || args.out.empty())) {
    return pillar::Usage();
  }
  if ((args.pool > 0) != !args.out.empty() && args.remap.empty()) return pillar::Usage();
  if (args.depth == 0) return pillar::Usage();
  try {
    return pillar::Run(args);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "rankeval: %s\n", e.get_description().c_str());
    return 2;
  }
}
