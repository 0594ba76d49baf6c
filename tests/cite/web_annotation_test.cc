#include "query/cite/web_annotation.h"

#include <catch2/catch.hpp>
#include <map>

#include <nlohmann/json.hpp>

#include "indexer/base/text.h"
#include "query/search/searcher.h"
#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using testing::Pillar;
using testing::ShellQuote;
using testing::SourceDir;
using testing::TempDir;

// The code points [start, end) of `text`, re-encoded as UTF-8.
std::string SliceCodePoints(const std::string& text, int64_t start, int64_t end) {
  std::string out;
  size_t i = 0;
  for (int64_t cp = 0; i < text.size() && cp < end; ++cp) {
    char32_t c = DecodeUtf8(text, i);
    if (cp >= start) AppendUtf8(c, out);
  }
  return out;
}

// Checks every annotation of a W3C export against the document texts in `searcher`;
// returns the number of annotations per document id.
std::map<std::string, int> CheckCollection(const json& collection, Searcher& searcher) {
  CHECK(collection["@context"] == "http://www.w3.org/ns/anno.jsonld");
  CHECK(collection["type"] == "AnnotationCollection");
  const json& page = collection["first"];
  CHECK(page["type"] == "AnnotationPage");
  CHECK(page["startIndex"] == 0);
  CHECK(collection["total"] == page["items"].size());
  std::map<std::string, std::string> texts;
  std::map<std::string, int> per_doc;
  for (const json& a : page["items"]) {
    INFO(a.dump(2));
    CHECK(a["type"] == "Annotation");
    CHECK(a["motivation"] == "classifying");
    REQUIRE(a["body"].size() >= 2);
    CHECK(a["body"][0]["type"] == "SpecificResource");
    CHECK(a["body"][0]["purpose"] == "classifying");
    CHECK(a["body"][1]["type"] == "TextualBody");
    CHECK(a["body"][1]["purpose"] == "tagging");
    // The document: from the id (urn:pillar:annotation:<passage id>:<concept>); the source
    // is its URL when the catalog gives one, else its Pillar IRI.
    std::string id = a["id"];
    REQUIRE(StartsWith(id, "urn:pillar:annotation:"));
    std::string passage_id = id.substr(22, id.rfind(':') - 22);
    std::string doc_id = passage_id.substr(0, passage_id.find("%23"));
    std::string source = a["target"]["source"];
    Result<DocumentRecord> record = searcher.GetDocument(doc_id);
    REQUIRE(record.ok());
    CHECK(source == (record->meta.url.empty() ? "urn:pillar:doc:" + doc_id : record->meta.url));
    if (!texts.count(doc_id)) {
      Result<std::string> text = searcher.GetDocumentText(doc_id);
      REQUIRE(text.ok());
      texts[doc_id] = *text;
    }
    const json& selectors = a["target"]["selector"];
    REQUIRE(selectors.size() == 2);
    const json& quote = selectors[0];
    const json& position = selectors[1];
    CHECK(quote["type"] == "TextQuoteSelector");
    CHECK(position["type"] == "TextPositionSelector");
    int64_t start = position["start"], end = position["end"];
    const std::string& text = texts[doc_id];
    CHECK(SliceCodePoints(text, start, end) == quote["exact"].get<std::string>());
    CHECK(SliceCodePoints(text, std::max<int64_t>(0, start - 32), start) ==
          quote["prefix"].get<std::string>());
    CHECK(SliceCodePoints(text, end, end + 32) == quote["suffix"].get<std::string>());
    ++per_doc[doc_id];
  }
  return per_doc;
}

TEST_CASE("Text selectors count code points, not bytes or UTF-16 units", "[cite]") {
  // "é" is 2 bytes, "سي" 4 bytes, the dove U+1F54A 4 bytes (2 UTF-16 units): 1 code point each.
  std::string text = "\xC3\xA9 \xD8\xB3\xD9\x8A \xF0\x9F\x95\x8A target text after";
  CodePointIndex index(text);
  size_t begin = text.find("target");
  Result<TextSelectors> s = SelectorsFor(text, index, begin, begin + 11);
  REQUIRE(s.ok());
  CHECK(s->start == 7);
  CHECK(s->end == 18);
  CHECK(s->exact == "target text");
  CHECK(s->prefix == text.substr(0, begin));
  CHECK(s->suffix == " after");
  CHECK(!SelectorsFor(text, index, 1, 4).ok());  // inside "é"
  CHECK(!SelectorsFor(text, index, 5, 2).ok());

  std::string long_text;
  for (int k = 0; k < 300; ++k) long_text += "\xC3\xA9\xF0\x9F\x95\x8A" "a";  // 3 cp, 7 bytes
  CodePointIndex long_index(long_text);
  for (size_t cp = 0; cp <= 900; cp += 3) CHECK(long_index.At(cp / 3 * 7) == static_cast<int64_t>(cp));
  Result<TextSelectors> mid = SelectorsFor(long_text, long_index, 700, 707);
  REQUIRE(mid.ok());
  CHECK(CountCodePoints(mid->prefix) == 32);
  CHECK(CountCodePoints(mid->suffix) == 32);
}

TEST_CASE("The W3C export's positions slice each document's text to exactly the quoted passage, "
          "French accents included",
          "[cite]") {
  std::string out;
  REQUIRE(Pillar("export --format w3c --index " + ShellQuote(testing::SampleIndex().string()),
                 &out) == 0);
  json collection = json::parse(out);
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(testing::SampleIndex());
  REQUIRE(searcher.ok());
  std::map<std::string, int> per_doc = CheckCollection(collection, **searcher);
  CHECK(per_doc["dpo-poc-policy-2023-fr"] > 0);
  CHECK(per_doc["s-res-2719-2023"] > 0);
  // The concept IRI and label come from the taxonomy.
  const json& first = collection["first"]["items"][0];
  CHECK(!StartsWith(first["body"][0]["source"].get<std::string>(), "urn:pillar:concept:"));
  CHECK(!first["body"][1]["value"].get<std::string>().empty());
}

TEST_CASE("The W3C export anchors Arabic and astral-plane text by code points and names the "
          "creator of manual tags",
          "[cite]") {
  TempDir dir;
  std::vector<testing::InlineDoc> docs = {
      {"ar-note", "ar-note.md",
       "# \xD8\xAD\xD9\x85\xD8\xA7\xD9\x8A\xD8\xA9 \xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xD9\x86\xD9"
       "\x8A\xD9\x8A\xD9\x86\n\n"
       // 1. تحمي البعثة المدنيين 🕊 من العنف الجسدي.
       "1. \xD8\xAA\xD8\xAD\xD9\x85\xD9\x8A \xD8\xA7\xD9\x84\xD8\xA8\xD8\xB9\xD8\xAB\xD8\xA9 "
       "\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xD9\x86\xD9\x8A\xD9\x8A\xD9\x86 \xF0\x9F\x95\x8A "
       "\xD9\x85\xD9\x86 \xD8\xA7\xD9\x84\xD8\xB9\xD9\x86\xD9\x81 \xD8\xA7\xD9\x84\xD8\xAC\xD8"
       "\xB3\xD8\xAF\xD9\x8A.\n\n"
       // 2. يعمل الفريق مع المجتمعات المحلية.
       "2. \xD9\x8A\xD8\xB9\xD9\x85\xD9\x84 \xD8\xA7\xD9\x84\xD9\x81\xD8\xB1\xD9\x8A\xD9\x82 "
       "\xD9\x85\xD8\xB9 \xD8\xA7\xD9\x84\xD9\x85\xD8\xAC\xD8\xAA\xD9\x85\xD8\xB9\xD8\xA7\xD8"
       "\xAA \xD8\xA7\xD9\x84\xD9\x85\xD8\xAD\xD9\x84\xD9\x8A\xD8\xA9.\n",
       "\xD9\x85\xD8\xB0\xD9\x83\xD8\xB1\xD8\xA9", "Example Mission", "", "2024", "ar", "policy", ""},
      {"fr-note", "fr-note.txt",
       "Note d\xE2\x80\x99orientation \xF0\x9F\x95\x8A\n\n"
       "1. Les patrouilles \xC3\xA0 pied et la pr\xC3\xA9sence visible de la force dissuadent les "
       "attaques contre les civils ; la protection physique reste n\xC3\xA9" "cessaire.\n\n"
       "2. Le dialogue avec les communaut\xC3\xA9s \xC3\xA9" "clair\xC3\xA9" "es pr\xC3\xA9vient "
       "les violences.\n",
       "Note d\xE2\x80\x99orientation", "Example Mission", "", "2024-01-05", "fr", "guidelines",
       ""}};
  std::filesystem::path corpus = testing::WriteCorpus(dir, docs);
  std::string index = ShellQuote((dir.path() / "idx").string()), out;
  REQUIRE(Pillar("index " + ShellQuote(corpus.string()) + " --quiet --index " + index, &out,
                 true) == 0);
  REQUIRE(Pillar("tag 'ar-note#para-1' --add un-tier-2 --by 'Amina' --note 'protection, \"physical\"' "
                 "--index " + index, &out, true) == 0);
  REQUIRE(Pillar("tag 'fr-note#para-2' --add un-tier-1 --by Luc --index " + index, &out, true) ==
          0);
  REQUIRE(Pillar("export --format w3c --index " + index, &out) == 0);
  json collection = json::parse(out);
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(dir.path() / "idx");
  REQUIRE(searcher.ok());
  std::map<std::string, int> per_doc = CheckCollection(collection, **searcher);
  CHECK(per_doc["ar-note"] >= 1);
  CHECK(per_doc["fr-note"] >= 1);

  bool found_manual = false;
  for (const json& a : collection["first"]["items"]) {
    if (a["id"] != "urn:pillar:annotation:ar-note%23para-1:un-tier-2") continue;
    found_manual = true;
    CHECK(a["creator"]["type"] == "Person");
    CHECK(a["creator"]["name"] == "Amina");
    CHECK(a.contains("created"));
    CHECK(a["body"][2]["purpose"] == "commenting");
    CHECK(a["body"][2]["value"] == "protection, \"physical\"");
    // The byte range is not the code point range: Arabic letters take two bytes each.
    std::string exact = a["target"]["selector"][0]["exact"];
    int64_t start = a["target"]["selector"][1]["start"], end = a["target"]["selector"][1]["end"];
    CHECK(end - start == static_cast<int64_t>(CountCodePoints(exact)));
    CHECK(end - start < static_cast<int64_t>(exact.size()));
  }
  CHECK(found_manual);
}

}  // namespace
}  // namespace pillar
