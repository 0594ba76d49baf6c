#pragma once

#include <string>
#include <string_view>

#include "indexer/base/status.h"
#include "indexer/ingest/extracted_document.h"
#include "indexer/segment/passage.h"

namespace pillar {

// What the index remembers about one document (metadata key "doc:<id>").
struct DocumentRecord {
  DocumentMetadata meta;
  std::string path;          // canonical path of the source file
  std::string format;        // reader name ("text", "html", ...)
  std::string content_hash;  // of the file bytes and its catalog record
  int passages = 0;
  std::string indexed_at;    // ISO 8601 UTC
  // Share of the file's visible words that its extracted text holds (MeasureCoverage in
  // indexer/ingest/coverage.h), 0..1; -1 when not measured (PDF, records made before).
  double coverage = -1;
  std::string warning;       // the coverage warning when too little was kept, else ""
};

// Passage <-> the compact binary record stored as Xapian document data (layout in
// passage_codec.cc). Decoding fails with Corruption on anything else or a truncated record.
std::string EncodePassage(const Passage& passage);
Result<Passage> DecodePassage(std::string_view data);

std::string EncodeDocumentRecord(const DocumentRecord& record);
Result<DocumentRecord> DecodeDocumentRecord(std::string_view data);


}  // namespace pillar
