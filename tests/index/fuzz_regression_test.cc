// Inputs found by the libFuzzer targets (fuzz/, docs/reliability.md "Fuzzing") that crashed
// the stored-record decoders, kept as tests.
#include <catch2/catch.hpp>
#include <string>

#include "indexer/index/passage_codec.h"

namespace pillar {
namespace {

TEST_CASE("A document record with a field of the wrong type is corruption, not an exception",
          "[index][codec][fuzz]") {
  // fuzz_passage_codec, minimised: json::value("id", "") threw type_error.302 and aborted.
  Result<DocumentRecord> record = DecodeDocumentRecord(R"({"id":3})");
  REQUIRE_FALSE(record.ok());
  CHECK(record.status().code() == Status::Code::kCorruption);
  CHECK(record.status().message() == "document record has a field 'id' of the wrong type");

  // The first finding, as the fuzzer wrote it: "note" a number.
  CHECK_FALSE(
      DecodeDocumentRecord(R"({"id":"doc","title":"T","issuer":"SA","note":3,"passages":3})").ok());
  // A passage count that is not an integer in range would not convert safely.
  for (const char* passages : {R"("3")", "1e300", "-1", "3.5", "4294967296", "null"}) {
    INFO(passages);
    Result<DocumentRecord> r =
        DecodeDocumentRecord(std::string(R"({"id":"doc","passages":)") + passages + "}");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "document record has a field 'passages' of the wrong type");
  }
}

TEST_CASE("Document records with every field of the right type still decode",
          "[index][codec][fuzz]") {
  Result<DocumentRecord> r = DecodeDocumentRecord(
      R"({"id":"doc","title":"T","passages":7,"coverage":0.5,"warning":"w","extra":[1]})");
  REQUIRE(r.ok());
  CHECK(r->meta.id == "doc");
  CHECK(r->passages == 7);
  CHECK(r->coverage == 0.5);
  CHECK(r->warning == "w");
}

}  // namespace
}  // namespace pillar
