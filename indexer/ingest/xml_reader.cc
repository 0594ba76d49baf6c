#include "indexer/ingest/xml_reader.h"

#include "indexer/ingest/akoma_ntoso_reader.h"
#include "indexer/ingest/tei_reader.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {

Status XmlReader::Read(const std::filesystem::path& path, std::string_view bytes,
                       ExtractedDocument* out) const {
  Status safe = CheckXmlSafety(bytes);
  if (!safe.ok()) return safe;
  std::string root = RootElementName(bytes);
  if (root == "akomaNtoso") return AkomaNtosoReader().Read(path, bytes, out);
  if (root == "TEI" || root == "teiCorpus") return TeiReader().Read(path, bytes, out);
  if (root.empty()) return Status::Corruption("no root element found: not an XML document");
  return Status::Unsupported(
      "unknown XML vocabulary <" + root +
      "> (Pillar reads Akoma Ntoso <akomaNtoso> and TEI <TEI> or <teiCorpus>)");
}

}  // namespace pillar
