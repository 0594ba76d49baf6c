#include "indexer/index/passage_codec.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/base/json.h"

namespace pillar {

using nlohmann::json;

namespace {

// Passage data is a compact binary record, not JSON: it is written once per passage and is
// the largest part of what Xapian stores and compresses per document, so its size is
// indexing time (docs/performance.md). Layout: the byte 'P', the format version, then each
// field in a fixed order; integers are LEB128 varints, strings a varint length and bytes,
// lists a varint count and their items, the score an IEEE double in 8 little-endian bytes.
// Version 2 (OCR) turned version 1's footnote varint (0 or 1) into a varint of flags
// (kFlagFootnote, kFlagOcr); the layout is otherwise the same, so version 1 records, which
// have no OCR passages, still decode. Older builds refuse version 2 records rather than
// misread the flags. Version 3 (speakers) adds one string after the language: who speaks the
// passage, "" outside debates. Version 1 and 2 records decode with no speaker; older builds
// refuse version 3 records rather than misread the field order.
constexpr char kMagic = 'P';
constexpr char kVersion = 3;
constexpr uint64_t kFlagFootnote = 1;
constexpr uint64_t kFlagOcr = 2;

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void PutString(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s);
}

void PutDouble(std::string& out, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  for (int i = 0; i < 8; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
}

// Reads fields back; any read past the end marks the record corrupt.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return Fail();
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    return Fail();
  }
  std::string String() {
    uint64_t n = Varint();
    if (!ok_ || n > data_.size() - pos_) return Fail(), std::string();
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> Strings() {
    std::vector<std::string> v;
    uint64_t n = Varint();
    for (uint64_t i = 0; ok_ && i < n; ++i) v.push_back(String());
    return v;
  }
  double Double() {
    if (data_.size() - pos_ < 8) return Fail();
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      bits |= static_cast<uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += 8;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    pos_ = data_.size();
    return 0;
  }
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string EncodePassage(const Passage& p) {
  std::string out;
  out.reserve(p.text.size() + 128);
  out += kMagic;
  out += kVersion;
  PutString(out, p.id);
  PutString(out, p.doc_id);
  PutVarint(out, static_cast<uint64_t>(p.ordinal));
  PutVarint(out, p.section.size());
  for (const std::string& s : p.section) PutString(out, s);
  PutString(out, p.locator);
  PutVarint(out, static_cast<uint64_t>(p.page));
  PutString(out, p.text);
  PutVarint(out, p.begin);
  PutVarint(out, p.end);
  PutVarint(out, (p.footnote ? kFlagFootnote : 0) | (p.ocr ? kFlagOcr : 0));
  PutString(out, p.language);
  PutString(out, p.speaker);
  PutVarint(out, p.tags.size());
  for (const Tag& t : p.tags) {
    PutString(out, t.concept_id);
    PutString(out, t.source);
    PutDouble(out, t.score);
    PutVarint(out, t.evidence.size());
    for (const std::string& e : t.evidence) PutString(out, e);
    PutString(out, t.rule_version);
    PutString(out, t.by);
    PutString(out, t.when);
    PutString(out, t.note);
  }
  return out;
}

Result<Passage> DecodePassage(std::string_view data) {
  if (data.size() < 2 || data[0] != kMagic || data[1] < 1 || data[1] > kVersion) {
    return Status::Corruption("passage data is not a version 1 to 3 passage record");
  }
  const int version = data[1];
  Reader in(data.substr(2));
  Passage p;
  p.id = in.String();
  p.doc_id = in.String();
  p.ordinal = static_cast<int>(in.Varint());
  p.section = in.Strings();
  p.locator = in.String();
  p.page = static_cast<int>(in.Varint());
  p.text = in.String();
  p.begin = in.Varint();
  p.end = in.Varint();
  uint64_t flags = in.Varint();
  p.footnote = (flags & kFlagFootnote) != 0;
  p.ocr = (flags & kFlagOcr) != 0;
  p.language = in.String();
  if (version >= 3) p.speaker = in.String();
  uint64_t tags = in.Varint();
  for (uint64_t i = 0; in.ok() && i < tags; ++i) {
    Tag t;
    t.concept_id = in.String();
    t.source = in.String();
    t.score = in.Double();
    t.evidence = in.Strings();
    t.rule_version = in.String();
    t.by = in.String();
    t.when = in.String();
    t.note = in.String();
    p.tags.push_back(std::move(t));
  }
  if (!in.ok() || !in.at_end()) return Status::Corruption("passage data is truncated or garbled");
  return p;
}

std::string EncodeDocumentRecord(const DocumentRecord& r) {
  const DocumentMetadata& m = r.meta;
  json j = {{"id", m.id},         {"title", m.title},   {"issuer", m.issuer},
            {"symbol", m.symbol}, {"date", m.date},     {"language", m.language},
            {"type", m.type},     {"url", m.url},       {"author", m.author},
            {"note", m.note},
            {"path", r.path},     {"format", r.format}, {"content_hash", r.content_hash},
            {"passages", r.passages}, {"indexed_at", r.indexed_at}};
  // Written only when known, so that records (and the fingerprints made of them) without a
  // measure are as before.
  if (r.coverage >= 0) j["coverage"] = std::round(r.coverage * 100) / 100;
  if (!r.warning.empty()) j["warning"] = r.warning;
  return DumpJson(j);
}

Result<DocumentRecord> DecodeDocumentRecord(std::string_view data) {
  json j = json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("document record is not JSON");
  // Fields are checked before they are read: json::value() throws on a field of another type
  // (a record garbled on disk, or written by a future build), which nothing here may do.
  std::string wrong;
  auto text = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (!it->is_string()) {
      if (wrong.empty()) wrong = key;
      return {};
    }
    return it->get<std::string>();
  };
  DocumentRecord r;
  DocumentMetadata& m = r.meta;
  m.id = text("id");
  m.title = text("title");
  m.issuer = text("issuer");
  m.symbol = text("symbol");
  m.date = text("date");
  m.language = text("language");
  m.type = text("type");
  m.url = text("url");
  m.author = text("author");
  m.note = text("note");
  r.path = text("path");
  r.format = text("format");
  r.content_hash = text("content_hash");
  r.indexed_at = text("indexed_at");
  r.warning = text("warning");
  if (auto it = j.find("passages"); it != j.end()) {
    // An integer in int's range: a float or a huge number would not convert safely.
    if (it->is_number_integer() && *it >= 0 && *it <= std::numeric_limits<int>::max()) {
      r.passages = it->get<int>();
    } else if (wrong.empty()) {
      wrong = "passages";
    }
  }
  if (auto it = j.find("coverage"); it != j.end() && it->is_number()) {
    r.coverage = it->get<double>();
  }
  if (!wrong.empty()) {
    return Status::Corruption("document record has a field '" + wrong + "' of the wrong type");
  }
  return r;
}

}  // namespace pillar
