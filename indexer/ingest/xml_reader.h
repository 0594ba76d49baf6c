#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// `.xml` files: looks at the root element (a cheap scan, before any parsing) and hands the
// file to the reader of that vocabulary: <akomaNtoso> -> AkomaNtosoReader, <TEI> ->
// TeiReader. Any other root is Unsupported("unknown XML vocabulary <root>"), so a stray
// XML file fails alone with a clear message.
class XmlReader : public Reader {
 public:
  std::string_view Name() const override { return "xml"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

}  // namespace pillar
