#include "indexer/ingest/reader.h"

#include <unicode/unistr.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "indexer/base/encoding.h"
#include "indexer/base/text.h"
#include "indexer/ingest/akoma_ntoso_reader.h"
#include "indexer/ingest/docx_reader.h"
#include "indexer/ingest/html_reader.h"
#include "indexer/ingest/markdown_reader.h"
#include "indexer/ingest/pdf_reader.h"
#include "indexer/ingest/tei_reader.h"
#include "indexer/ingest/text_reader.h"
#include "indexer/ingest/xml_reader.h"

namespace pillar {

const ReaderRegistry& ReaderRegistry::Default() {
  static const ReaderRegistry* registry = [] {
    auto* r = new ReaderRegistry;
    r->Register({"txt", "text"}, std::make_shared<TextReader>());
    r->Register({"md", "markdown"}, std::make_shared<MarkdownReader>());
    r->Register({"html", "htm", "xhtml"}, std::make_shared<HtmlReader>());
    r->Register({"pdf"}, std::make_shared<PdfReader>());
    r->Register({"docx"}, std::make_shared<DocxReader>());
    // ".akn.xml" and ".tei.xml" end in ".xml": the XML reader looks at the root element.
    r->Register({"xml"}, std::make_shared<XmlReader>());
    r->Register({"akn"}, std::make_shared<AkomaNtosoReader>());
    r->Register({"tei"}, std::make_shared<TeiReader>());
    return r;
  }();
  return *registry;
}

void ReaderRegistry::Register(std::vector<std::string> extensions,
                              std::shared_ptr<const Reader> reader) {
  for (auto& ext : extensions) readers_.emplace_back(std::move(ext), reader);
}

const Reader* ReaderRegistry::ForPath(const std::filesystem::path& path) const {
  std::string ext = path.extension().string();
  if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, reader] : readers_) {
    if (e == ext) return reader.get();
  }
  return nullptr;
}

Result<std::string> ReadFileBytes(const std::filesystem::path& path, uint64_t max_bytes) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec) return Status::IOError(ec.message());
  if (std::filesystem::is_directory(status)) return Status::InvalidArgument("is a directory");
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IOError(ec.message());
  if (size > max_bytes) {
    return Status::Unsupported("file is " + std::to_string(size) + " bytes, over the limit of " +
                               std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(std::strerror(errno));
  std::string bytes;
  bytes.resize(size);
  if (size > 0 && !in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::IOError(std::string("read failed: ") + std::strerror(errno));
  }
  return bytes;
}

// Decodes UTF-16 with a byte-order mark to UTF-8; returns false when `bytes` has no such BOM.
static bool DecodeUtf16WithBom(const std::string& bytes, std::string* out) {
  if (bytes.size() < 2) return false;
  auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
  const char* codepage = nullptr;
  if (b0 == 0xFF && b1 == 0xFE) codepage = "UTF-16LE";
  if (b0 == 0xFE && b1 == 0xFF) codepage = "UTF-16BE";
  if (!codepage) return false;
  icu::UnicodeString u(bytes.data() + 2, static_cast<int32_t>(bytes.size() - 2), codepage);
  out->clear();
  u.toUTF8String(*out);
  return true;
}

Result<ExtractedDocument> ReadDocument(const std::filesystem::path& path,
                                       const ReadOptions& options, std::string* content_hash) {
  if (!ReaderRegistry::Default().ForPath(path)) {
    return Status::Unsupported("no reader for files named '*" + path.extension().string() + "'");
  }
  Result<std::string> bytes = ReadFileBytes(path, options.max_file_bytes);
  if (!bytes.ok()) return bytes.status();
  if (content_hash) *content_hash = ContentHash(*bytes);
  return ParseDocumentBytes(path, std::move(bytes.value()), options);
}

Result<ExtractedDocument> ParseDocumentBytes(const std::filesystem::path& path, std::string bytes,
                                             const ReadOptions& options) {
  const Reader* reader = ReaderRegistry::Default().ForPath(path);
  if (!reader) {
    return Status::Unsupported("no reader for files named '*" + path.extension().string() + "'");
  }
  if (TrimAscii(bytes).empty()) return Status::Corruption("empty file");

  std::string text;
  std::string detected;  // the encoding a plain text file was read as, when it was a guess
  if (reader->IsText()) {
    if (DecodeUtf16WithBom(bytes, &text)) {
      // Decoded; ICU replaces unpaired surrogates with U+FFFD, which we refuse below.
      if (text.find("\xEF\xBF\xBD") != std::string::npos) {
        return Status::Corruption("malformed UTF-16");
      }
    } else {
      // XML and HTML may declare another encoding (ISO-8859-1, windows-1252...).
      Result<std::string> decoded = DecodeDeclared(std::move(bytes));
      if (!decoded.ok()) return decoded.status();
      text = std::move(decoded.value());
      if (StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);
    }
    if (text.find('\0') != std::string::npos) {
      size_t at = text.find('\0');
      return Status::Corruption("binary content (NUL byte at offset " + std::to_string(at) +
                                "), not a " + std::string(reader->Name()) + " file");
    }
    size_t bad = FindInvalidUtf8(text);
    // Plain text has nowhere to declare its encoding: Windows-1252 and Latin-1 files from
    // older tools are read as the encoding ICU detects, and the file report says so.
    std::string undetected;
    if (bad != std::string::npos && reader->Name() == "text") {
      DetectedEncoding found;
      Result<std::string> converted = DecodeUndeclared(text, &found);
      if (converted.ok()) {
        text = std::move(converted.value());
        detected = found.name + " (not UTF-8 and no encoding declared; detected by ICU with " +
                   "confidence " + std::to_string(found.confidence) + ")";
        bad = FindInvalidUtf8(text);
      } else {
        undetected = ", and " + converted.status().message();
      }
    }
    if (bad != std::string::npos) {
      LineColumn lc = LineColumnAt(text, bad);
      return Status::Corruption("invalid UTF-8 at byte offset " + std::to_string(bad) + " (line " +
                                std::to_string(lc.line) + ", column " + std::to_string(lc.column) +
                                ")" + undetected + "; convert the file to UTF-8");
    }
    text = NormalizeNfc(text);
  } else {
    text = std::move(bytes);
  }

  ExtractedDocument doc;
  Status st = reader->ReadWithOptions(path, text, options, &doc);
  if (!st.ok()) return st;
  if (doc.blocks.empty()) return Status::Corruption("no text found");
  doc.detected_encoding = std::move(detected);
  // Binary formats carry text in their own containers (DOCX's XML, a PDF's strings) that a
  // damaged file can fill with bytes that are not UTF-8. Each such byte becomes '?', one byte
  // for one, so that every block's offsets stay true; labels are escaped ("\xE9"). Text
  // formats were checked whole above: their documents need no second pass.
  if (!reader->IsText()) {
    for (size_t from = 0;;) {
      size_t bad = FindInvalidUtf8(std::string_view(doc.text).substr(from));
      if (bad == std::string_view::npos) break;
      doc.text[from + bad] = '?';
      from += bad + 1;
    }
    for (Block& block : doc.blocks) {
      block.locator = EscapeInvalidUtf8(block.locator);
      block.anchor = EscapeInvalidUtf8(block.anchor);
      block.speaker = EscapeInvalidUtf8(block.speaker);
    }
  }
  return doc;
}

}  // namespace pillar
