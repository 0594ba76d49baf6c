// libFuzzer target: the index's stored records (indexer/index/passage_codec.h). Any bytes
// decode to a passage or document record or to a Corruption status; what decodes encodes and
// decodes again to the same value; and a passage made of arbitrary fields survives the round
// trip.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz/fuzz_support.h"
#include "indexer/index/passage_codec.h"

namespace {

using pillar::fuzz::Check;

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool SamePassage(const pillar::Passage& a, const pillar::Passage& b) {
  if (a.id != b.id || a.doc_id != b.doc_id || a.ordinal != b.ordinal || a.section != b.section ||
      a.locator != b.locator || a.page != b.page || a.text != b.text || a.begin != b.begin ||
      a.end != b.end || a.footnote != b.footnote || a.ocr != b.ocr || a.speaker != b.speaker ||
      a.language != b.language || a.tags.size() != b.tags.size()) {
    return false;
  }
  for (size_t i = 0; i < a.tags.size(); ++i) {
    const pillar::Tag& x = a.tags[i];
    const pillar::Tag& y = b.tags[i];
    if (x.concept_id != y.concept_id || x.source != y.source || !SameBits(x.score, y.score) ||
        x.evidence != y.evidence || x.rule_version != y.rule_version || x.by != y.by ||
        x.when != y.when || x.note != y.note) {
      return false;
    }
  }
  return true;
}

void RoundTrip(const pillar::Passage& p) {
  pillar::Result<pillar::Passage> again = pillar::DecodePassage(pillar::EncodePassage(p));
  Check(again.ok(), "decoding an encoded passage", again.ok() ? "" : again.status().message());
  Check(SamePassage(p, *again), "the passage round trip");
}

pillar::Passage MadeUp(FuzzedDataProvider& in) {
  pillar::Passage p;
  p.id = in.ConsumeRandomLengthString(64);
  p.doc_id = in.ConsumeRandomLengthString(64);
  p.ordinal = in.ConsumeIntegralInRange<int>(0, 1 << 30);
  for (int n = in.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
    p.section.push_back(in.ConsumeRandomLengthString(32));
  }
  p.locator = in.ConsumeRandomLengthString(16);
  p.page = in.ConsumeIntegralInRange<int>(0, 1 << 20);
  p.text = in.ConsumeRandomLengthString(512);
  p.begin = in.ConsumeIntegral<uint32_t>();
  p.end = p.begin + p.text.size();
  p.footnote = in.ConsumeBool();
  p.ocr = in.ConsumeBool();
  p.speaker = in.ConsumeRandomLengthString(32);
  p.language = in.ConsumeRandomLengthString(4);
  for (int n = in.ConsumeIntegralInRange<int>(0, 3); n > 0; --n) {
    pillar::Tag t;
    t.concept_id = in.ConsumeRandomLengthString(16);
    t.source = in.ConsumeRandomLengthString(8);
    t.score = in.ConsumeFloatingPoint<double>();
    t.evidence.push_back(in.ConsumeRandomLengthString(32));
    t.rule_version = in.ConsumeRandomLengthString(8);
    t.by = in.ConsumeRandomLengthString(8);
    t.when = in.ConsumeRandomLengthString(24);
    t.note = in.ConsumeRandomLengthString(32);
    p.tags.push_back(std::move(t));
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  pillar::Result<pillar::Passage> passage = pillar::DecodePassage(bytes);
  if (passage.ok()) RoundTrip(*passage);

  pillar::Result<pillar::DocumentRecord> record = pillar::DecodeDocumentRecord(bytes);
  if (record.ok()) {
    pillar::Result<pillar::DocumentRecord> again =
        pillar::DecodeDocumentRecord(pillar::EncodeDocumentRecord(*record));
    Check(again.ok(), "decoding an encoded document record");
    Check(again->meta.id == record->meta.id && again->path == record->path &&
              again->passages == record->passages && again->warning == record->warning,
          "the document record round trip");
  }

  FuzzedDataProvider in(data, size);
  RoundTrip(MadeUp(in));
  return 0;
}
