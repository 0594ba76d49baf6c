// libFuzzer target: a .docx file, read as `pillar index` reads one. Mutated ZIP bytes rarely
// get past the container's CRCs to the XML, so an input that does not start with "PK" is a
// list of parts written out as text,
//   == word/document.xml
//   <w:document ...>...</w:document>
//   == word/styles.xml
//   ...
// which is zipped here (stored, in memory) before reading: mutations then reach DocxReader's
// XML handling. Inputs starting with "PK" are read as they are (the container itself).
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/fuzz_support.h"

namespace {

std::vector<std::pair<std::string, std::string>> SplitParts(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> parts;
  size_t at = 0;
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    std::string_view line = text.substr(at, eol == std::string_view::npos ? eol : eol - at);
    at = eol == std::string_view::npos ? text.size() : eol + 1;
    if (line.substr(0, 3) == "== ") {
      parts.emplace_back(std::string(line.substr(3)), std::string());
    } else if (!parts.empty()) {
      parts.back().second.append(line).append("\n");
    }
  }
  return parts;
}

// The parts as a ZIP archive; "" when libzip refuses (an empty or duplicate name).
std::string Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) return {};
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    return {};
  }
  zip_source_keep(buffer);
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_int64_t index = source ? zip_file_add(archive, name.c_str(), source, 0) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      continue;
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  std::string bytes;
  if (zip_close(archive) != 0) {
    zip_discard(archive);
  } else if (zip_source_open(buffer) == 0) {
    zip_source_seek(buffer, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    if (size > 0) {
      bytes.resize(static_cast<size_t>(size));
      zip_int64_t got = zip_source_read(buffer, bytes.data(), static_cast<zip_uint64_t>(size));
      bytes.resize(got > 0 ? static_cast<size_t>(got) : 0);
    }
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.substr(0, 2) == "PK") {
    pillar::fuzz::ReadAsFile("input.docx", data, size);
    return 0;
  }
  std::vector<std::pair<std::string, std::string>> parts = SplitParts(input);
  if (parts.empty()) return 0;
  std::string zipped = Zip(parts);
  if (zipped.empty()) return 0;
  pillar::fuzz::ReadAsFile("input.docx", reinterpret_cast<const uint8_t*>(zipped.data()),
                           zipped.size());
  return 0;
}
