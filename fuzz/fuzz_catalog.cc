// libFuzzer target: any bytes as a catalog.xml (Catalog::Load takes a file, so the bytes are
// written to one), then a look-up, as `pillar index` does for each file.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "indexer/base/text.h"
#include "indexer/ingest/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pillar::fuzz::Check;
  std::filesystem::path file = pillar::fuzz::WriteScratch("catalog.xml", data, size);
  pillar::Result<pillar::Catalog> catalog = pillar::Catalog::Load(file);
  if (!catalog.ok()) return 0;
  const pillar::DocumentMetadata* meta = catalog->ForFile(file.parent_path() / "a.txt");
  // A record's fields become index metadata and JSON output. A catalog that is not UTF-8 at
  // all is the UTF-8 policy's business (issue 14, case 1); from UTF-8 bytes, the fields must
  // come out UTF-8.
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (meta && pillar::FindInvalidUtf8(bytes) == std::string::npos) {
    for (const std::string* field : {&meta->id, &meta->title, &meta->issuer, &meta->symbol,
                                     &meta->date, &meta->language, &meta->url, &meta->author}) {
      Check(pillar::FindInvalidUtf8(*field) == std::string::npos, "a catalog field",
            "is not valid UTF-8");
    }
  }
  return 0;
}
