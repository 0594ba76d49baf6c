#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/ingest/extracted_document.h"
#include "indexer/ingest/ocr.h"

namespace pillar {

// How one run reads its files: limits on what one file may cost, and what a reader may do
// beyond reading the file as it is (OCR). The same options for every file of a run; readers
// stay stateless singletons and receive them with each call.
struct ReadOptions {
  // Files larger than this are refused before being read (a guard against a stray disk image).
  uint64_t max_file_bytes = 256ull << 20;  // 256 MiB
  // PDF pages without a text layer are read by Tesseract when `ocr.enabled` (off by default).
  OcrOptions ocr;
};

// One reader per format. A reader turns a file's bytes into an ExtractedDocument and never
// touches the index. Readers are stateless and may be called from several threads at once.
class Reader {
 public:
  virtual ~Reader() = default;

  // Short format name for messages and `pillar docs` ("text", "markdown", "html", ...).
  virtual std::string_view Name() const = 0;

  // True for text formats: the bytes are checked to be UTF-8 (and NFC-normalised) before
  // Read() sees them. Binary formats (PDF, DOCX) do their own decoding.
  virtual bool IsText() const { return true; }

  // Fills `out->text`, `out->blocks` and whatever metadata the file states about itself.
  // `path` is only for messages. Returns Corruption with a place ("line 12: ...") when the
  // content is malformed. REQUIRES: for text readers, `bytes` is valid NFC UTF-8 without BOM.
  virtual Status Read(const std::filesystem::path& path, std::string_view bytes,
                      ExtractedDocument* out) const = 0;

  // Read() with the run's options; ParseDocumentBytes() calls this one. Only readers whose
  // output depends on the options (PDF: OCR) override it; the default ignores them. (Not an
  // overload of Read(): a reader overriding one would hide the other.)
  virtual Status ReadWithOptions(const std::filesystem::path& path, std::string_view bytes,
                                 const ReadOptions& options, ExtractedDocument* out) const {
    (void)options;
    return Read(path, bytes, out);
  }

  // What of `options` changes this reader's output, as a short string for the file's
  // fingerprint ("" when nothing does): a file read without OCR is read again when OCR is
  // turned on, and the other way round. Files of other formats are not re-read.
  virtual std::string OptionsKey(const ReadOptions& options) const {
    (void)options;
    return {};
  }
};

// Maps file extensions (lowercase, without the dot) to readers.
class ReaderRegistry {
 public:
  // The registry with every built-in reader.
  static const ReaderRegistry& Default();

  void Register(std::vector<std::string> extensions, std::shared_ptr<const Reader> reader);

  // The reader for `path`'s extension, or nullptr when Pillar has none.
  const Reader* ForPath(const std::filesystem::path& path) const;

 private:
  std::vector<std::pair<std::string, std::shared_ptr<const Reader>>> readers_;
};

// Reads one file with the reader for its extension: checks that it is readable, not empty,
// not binary, and (for text formats) valid UTF-8 (a UTF-8 BOM is dropped; UTF-16 with a BOM is
// decoded), normalises text to NFC, and runs the reader. `content_hash` (optional) receives
// the hash of the raw bytes. Errors name no file: callers add it with WithContext().
Result<ExtractedDocument> ReadDocument(const std::filesystem::path& path,
                                       const ReadOptions& options = {},
                                       std::string* content_hash = nullptr);

// The checks and parsing of ReadDocument() on bytes already read.
Result<ExtractedDocument> ParseDocumentBytes(const std::filesystem::path& path, std::string bytes,
                                             const ReadOptions& options = {});

// Reads a whole file into memory. IOError carries strerror(errno).
Result<std::string> ReadFileBytes(const std::filesystem::path& path, uint64_t max_bytes);

}  // namespace pillar
