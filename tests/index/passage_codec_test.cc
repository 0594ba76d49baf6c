#include "indexer/index/passage_codec.h"

#include <catch2/catch.hpp>

namespace pillar {
namespace {

Passage Sample() {
  Passage p;
  p.id = "dpo-poc-policy-2023#para-12.3";
  p.doc_id = "dpo-poc-policy-2023";
  p.ordinal = 41;
  p.section = {"III. Principles", "C. Tier 2: physical protection"};
  p.locator = "12.3";
  p.page = 7;
  p.text = "Missions use patrols \xE2\x80\x94 and \"quotes\", tabs\t, newlines\n and a NUL \0 byte.";
  p.text += std::string(1, '\0') + std::string(300, 'x');  // long enough for 2-byte varints
  p.begin = 123456;
  p.end = 123456 + p.text.size();
  p.footnote = true;
  p.language = "en";
  Tag rule;
  rule.concept_id = "un-tier-2";
  rule.source = "rule";
  rule.score = 2.75;
  rule.evidence = {"patrol*", "\"physical protection\""};
  rule.rule_version = "3";
  Tag manual;
  manual.concept_id = "ucp-accompaniment";
  manual.source = "manual";
  manual.score = 1;
  manual.by = "analyst";
  manual.when = "2026-11-26T10:00:00Z";
  manual.note = "accompaniment of returnees";
  p.tags = {rule, manual};
  return p;
}

TEST_CASE("EncodePassage and DecodePassage round-trip every field", "[index][codec]") {
  Passage p = Sample();
  Result<Passage> back = DecodePassage(EncodePassage(p));
  REQUIRE(back.ok());
  CHECK(back->id == p.id);
  CHECK(back->doc_id == p.doc_id);
  CHECK(back->ordinal == p.ordinal);
  CHECK(back->section == p.section);
  CHECK(back->locator == p.locator);
  CHECK(back->page == p.page);
  CHECK(back->text == p.text);
  CHECK(back->begin == p.begin);
  CHECK(back->end == p.end);
  CHECK(back->footnote);
  CHECK(back->language == "en");
  REQUIRE(back->tags.size() == 2);
  CHECK(back->tags[0].concept_id == "un-tier-2");
  CHECK(back->tags[0].score == 2.75);
  CHECK(back->tags[0].evidence == p.tags[0].evidence);
  CHECK(back->tags[0].rule_version == "3");
  CHECK(back->tags[1].source == "manual");
  CHECK(back->tags[1].by == "analyst");
  CHECK(back->tags[1].when == "2026-11-26T10:00:00Z");
  CHECK(back->tags[1].note == "accompaniment of returnees");
  // Compact: no field names, only the field values and their lengths.
  std::string data = EncodePassage(p);
  CHECK(data.find("doc_id") == std::string::npos);
  size_t values = p.id.size() + p.doc_id.size() + p.locator.size() + p.text.size() +
                  p.language.size() + p.section[0].size() + p.section[1].size();
  for (const Tag& t : p.tags) {
    values += t.concept_id.size() + t.source.size() + 8 + t.rule_version.size() + t.by.size() +
              t.when.size() + t.note.size();
    for (const std::string& e : t.evidence) values += e.size();
  }
  CHECK(data.size() < values + 40);
}

TEST_CASE("The OCR mark round-trips apart from the footnote mark", "[index][codec][ocr]") {
  for (bool footnote : {false, true}) {
    for (bool ocr : {false, true}) {
      Passage p = Sample();
      p.footnote = footnote;
      p.ocr = ocr;
      Result<Passage> back = DecodePassage(EncodePassage(p));
      REQUIRE(back.ok());
      CHECK(back->footnote == footnote);
      CHECK(back->ocr == ocr);
      CHECK(back->language == "en");  // the fields after the flags are where they were
    }
  }
}

// `p` (without a speaker) as a record of an older version: version 3 added the speaker string
// after the language (one byte 0 when empty) and was otherwise version 2; version 1 had a
// footnote varint (0 or 1) where version 2 has its flags, and was otherwise the same.
std::string OlderRecord(const Passage& p, char version) {
  REQUIRE(p.speaker.empty());
  REQUIRE(p.language == "en");
  REQUIRE(p.tags.at(0).concept_id == "un-tier-2");
  std::string data = EncodePassage(p);
  REQUIRE(data[1] == 3);
  const std::string around("\x02" "en" "\x00" "\x02" "\x09" "un-tier-2", 15);
  size_t at = data.find(around);
  REQUIRE(at != std::string::npos);
  data.erase(at + 3, 1);
  data[1] = version;
  return data;
}

TEST_CASE("DecodePassage reads version-1 records, written before OCR", "[index][codec][ocr]") {
  Passage p = Sample();
  p.ocr = false;
  Result<Passage> back = DecodePassage(OlderRecord(p, 1));
  REQUIRE(back.ok());
  CHECK(back->footnote);
  CHECK_FALSE(back->ocr);
  CHECK(back->language == "en");
  CHECK(back->speaker.empty());
  CHECK(back->tags.size() == 2);
  std::string v4 = EncodePassage(p);
  v4[1] = 4;
  CHECK(DecodePassage(v4).status().code() == Status::Code::kCorruption);
}

TEST_CASE("DecodePassage reads version-2 records, written before speakers", "[index][codec]") {
  Passage p = Sample();
  p.ocr = true;
  Result<Passage> back = DecodePassage(OlderRecord(p, 2));
  REQUIRE(back.ok());
  CHECK(back->ocr);
  CHECK(back->speaker.empty());
  CHECK(back->language == "en");
  REQUIRE(back->tags.size() == 2);
  CHECK(back->tags[1].note == "accompaniment of returnees");
}

TEST_CASE("The speaker of a passage round-trips between the language and the tags",
          "[index][codec]") {
  for (const std::string& speaker :
       std::vector<std::string>{"", "Pere P\xC3\xA9rez", std::string(200, 'n')}) {
    Passage p = Sample();
    p.speaker = speaker;
    Result<Passage> back = DecodePassage(EncodePassage(p));
    REQUIRE(back.ok());
    CHECK(back->speaker == speaker);
    CHECK(back->language == "en");
    CHECK(back->text == p.text);
    REQUIRE(back->tags.size() == 2);
    CHECK(back->tags[1].note == "accompaniment of returnees");
  }
  // A record with a speaker is a different record from one without: the field is stored.
  Passage with = Sample();
  with.speaker = "Aina Serra";
  CHECK(EncodePassage(with).find("Aina Serra") != std::string::npos);
}

TEST_CASE("DecodePassage reports truncated, garbled and foreign data as corruption",
          "[index][codec]") {
  std::string data = EncodePassage(Sample());
  for (size_t cut : {size_t{0}, size_t{1}, size_t{2}, size_t{5}, data.size() / 2, data.size() - 1}) {
    INFO(cut);
    Result<Passage> p = DecodePassage(std::string_view(data).substr(0, cut));
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Status::Code::kCorruption);
  }
  CHECK_FALSE(DecodePassage(data + "extra").ok());
  CHECK_FALSE(DecodePassage("{\"id\": \"old-json-passage\"}").ok());
  std::string huge_length = data.substr(0, 2) + std::string(9, '\xff') + '\x01';
  CHECK_FALSE(DecodePassage(huge_length).ok());
}

TEST_CASE("Document records keep coverage and warning and read records made without them",
          "[index][codec][coverage]") {
  DocumentRecord r;
  r.meta.id = "talk";
  r.format = "tei";
  r.coverage = 0.0812;
  r.warning = "talk.tei.xml: passages hold 8% of the file's 5,184 words";
  Result<DocumentRecord> back = DecodeDocumentRecord(EncodeDocumentRecord(r));
  REQUIRE(back.ok());
  CHECK(back->coverage == Approx(0.08));  // stored to two decimals
  CHECK(back->warning == r.warning);

  // Not measured: neither key is written, so such records (and the fingerprints made of
  // them) are byte for byte what they were before the coverage check.
  DocumentRecord plain;
  plain.meta.id = "scan";
  std::string encoded = EncodeDocumentRecord(plain);
  CHECK(encoded.find("coverage") == std::string::npos);
  CHECK(encoded.find("warning") == std::string::npos);
  Result<DocumentRecord> old = DecodeDocumentRecord(R"({"id": "old", "passages": 3})");
  REQUIRE(old.ok());
  CHECK(old->coverage == -1);
  CHECK(old->warning.empty());
}

}  // namespace
}  // namespace pillar
