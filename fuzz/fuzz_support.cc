#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "indexer/base/text.h"
#include "indexer/ingest/coverage.h"
#include "indexer/ingest/reader.h"
#include "indexer/segment/passage_splitter.h"

namespace pillar::fuzz {

void Check(bool ok, std::string_view what, std::string_view detail) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %.*s %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

namespace {

struct Scratch {
  std::filesystem::path path;
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    path = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") /
           ("pillar-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void CheckUtf8(std::string_view s, std::string_view what) {
  size_t bad = FindInvalidUtf8(s);
  Check(bad == std::string_view::npos, what, "is not valid UTF-8");
}

bool IsContinuationByte(const std::string& text, size_t at) {
  return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
}

}  // namespace

const std::filesystem::path& ScratchDir() {
  static Scratch scratch;
  return scratch.path;
}

std::filesystem::path WriteScratch(std::string_view name, const uint8_t* data, size_t size) {
  std::filesystem::path file = ScratchDir() / name;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  Check(static_cast<bool>(out), "writing the scratch file", file.string());
  return file;
}

void ReadAsFile(std::string_view file_name, const uint8_t* data, size_t size) {
  std::filesystem::path path = ScratchDir() / file_name;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  Result<ExtractedDocument> parsed = ParseDocumentBytes(path, bytes);
  if (!parsed.ok()) {
    CheckUtf8(parsed.status().message(), "the error message");
    return;
  }
  ExtractedDocument& doc = parsed.value();
  CheckUtf8(doc.text, "the extracted text");
  for (const std::string* field :
       {&doc.meta.id, &doc.meta.title, &doc.meta.issuer, &doc.meta.symbol, &doc.meta.date,
        &doc.meta.language, &doc.meta.type, &doc.meta.url, &doc.meta.author, &doc.meta.note}) {
    CheckUtf8(*field, "a metadata field");
  }
  for (const Block& b : doc.blocks) {
    Check(b.begin < b.end && b.end <= doc.text.size(), "a block's byte range",
          std::to_string(b.begin) + ".." + std::to_string(b.end));
    Check(!IsContinuationByte(doc.text, b.begin) && !IsContinuationByte(doc.text, b.end),
          "a block's byte range", "cuts a UTF-8 sequence");
    CheckUtf8(b.locator, "a block locator");
    CheckUtf8(b.anchor, "a block anchor");
    CheckUtf8(b.speaker, "a block speaker");
  }
  // What the indexer does next with the same document (PrepareFile in index_writer.cc).
  std::string_view format = ReaderRegistry::Default().ForPath(path)->Name();
  if (CoverageMeasures(format)) {
    Coverage coverage = MeasureCoverage(format, bytes, doc.text);
    Check(coverage.Share() <= 1.0, "the coverage share");
  }
  if (doc.meta.id.empty()) doc.meta.id = "fuzz";
  for (const Passage& p : SplitPassages(doc)) {
    Check(p.begin <= p.end && p.end <= doc.text.size(), "a passage's byte range");
    CheckUtf8(p.text, "a passage's text");
    CheckUtf8(p.id, "a passage id");
    CheckUtf8(p.locator, "a passage locator");
    for (const std::string& s : p.section) CheckUtf8(s, "a passage's section path");
  }
}

}  // namespace pillar::fuzz
