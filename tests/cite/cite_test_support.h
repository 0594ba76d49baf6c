#pragma once

// Helpers shared by the citation/export tests: shell quoting, pandoc, an RFC 4180 reader and
// a tiny index built from inline documents.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace pillar::testing {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `pillar ARGS`; returns the exit code, stdout in *out.
inline int Pillar(const std::string& args, std::string* out, bool merge_stderr = false) {
  return RunCommand(PillarBinary() + " " + args, out, merge_stderr);
}

// Runs `pandoc -f FROM -t csljson` on `input` (written to a file in `dir`); returns the exit
// code and pandoc's output (stderr merged) in *out.
inline int Pandoc(const TempDir& dir, const std::string& from, const std::string& input,
                  std::string* out) {
  std::filesystem::path in = dir.Write("pandoc-input." + from, input);
  return RunCommand("pandoc -f " + from + " -t csljson " + ShellQuote(in.string()), out, true);
}

// RFC 4180: records end with CRLF, quoted fields may hold commas, quotes (doubled) and line
// breaks. Returns false (and the byte offset in *error_at) on anything else: a bare LF or CR
// outside quotes, a quote inside an unquoted field, text after a closing quote, an
// unterminated quoted field, a last record without CRLF.
inline bool ParseCsv(const std::string& text, std::vector<std::vector<std::string>>* records,
                     size_t* error_at) {
  records->clear();
  std::vector<std::string> record;
  std::string field;
  size_t i = 0;
  const size_t n = text.size();
  auto fail = [&](size_t at) {
    *error_at = at;
    return false;
  };
  while (i < n) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= n) return fail(i);
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < n && text[i] != ',' && text[i] != '\r') return fail(i);
    } else {
      while (i < n && text[i] != ',' && text[i] != '\r') {
        if (text[i] == '"' || text[i] == '\n') return fail(i);
        field += text[i++];
      }
    }
    if (i >= n) return fail(i);  // the last record must end with CRLF
    if (text[i] == ',') {
      record.push_back(std::move(field));
      field.clear();
      ++i;
      continue;
    }
    // CR: must be CRLF.
    if (i + 1 >= n || text[i + 1] != '\n') return fail(i);
    record.push_back(std::move(field));
    field.clear();
    records->push_back(std::move(record));
    record.clear();
    i += 2;
  }
  return true;
}

// A tiny index: `files` (name -> content) plus a catalog.xml written into a corpus folder
// of `dir`, indexed with the shipped taxonomy by the `pillar` binary. Returns the index
// folder; REQUIRE()s that indexing succeeded.
struct InlineDoc {
  std::string id, file, content;
  std::string title, issuer, symbol, date, language, type, url;
};

inline std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

inline std::filesystem::path WriteCorpus(const TempDir& dir, const std::vector<InlineDoc>& docs) {
  std::string catalog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog>\n";
  for (const InlineDoc& d : docs) {
    dir.Write("corpus/" + d.file, d.content);
    catalog += "  <document id=\"" + XmlEscape(d.id) + "\" file=\"" + XmlEscape(d.file) + "\">\n";
    auto field = [&](const char* name, const std::string& value) {
      if (!value.empty()) {
        catalog += std::string("    <") + name + ">" + XmlEscape(value) + "</" + name + ">\n";
      }
    };
    field("title", d.title);
    field("issuer", d.issuer);
    field("symbol", d.symbol);
    field("date", d.date);
    field("language", d.language);
    field("type", d.type);
    field("url", d.url);
    catalog += "  </document>\n";
  }
  catalog += "</catalog>\n";
  dir.Write("corpus/catalog.xml", catalog);
  return dir.path() / "corpus";
}

}  // namespace pillar::testing
