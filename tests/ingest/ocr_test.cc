// OCR of scanned PDF pages: real Tesseract on pages rasterised at test time from real PDFs
// (our own sample, and a published resolution when ../shared/realdocs is there).

#include "indexer/ingest/ocr.h"

#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using testing::SourceDir;
using testing::TempDir;

const char* kSamplePdf = "corpus/sample/unsme-poc-strategy-draft.pdf";

struct PlacedWord {
  std::string text;
  double x0, top, size;
};

// Letters only, lowercased: the form in which OCR and text-layer words are compared.
std::string Plain(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// The words of page `index` (0-based) of the text layer of `pdf`, as poppler places them.
std::vector<PlacedWord> TextLayerWords(const fs::path& pdf, int index) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
  REQUIRE(doc);
  std::unique_ptr<poppler::page> page(doc->create_page(index));
  REQUIRE(page);
  std::vector<PlacedWord> out;
  for (const poppler::text_box& box : page->text_list(poppler::page::text_list_include_font)) {
    poppler::byte_array utf8 = box.text().to_utf8();
    poppler::rectf r = box.bbox();
    out.push_back({std::string(utf8.begin(), utf8.end()), r.x(), r.y(), box.get_font_size()});
  }
  return out;
}

Result<std::vector<OcrWord>> OcrFirstPage(const fs::path& pdf, const OcrOptions& options) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
  REQUIRE(doc);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  REQUIRE(page);
  return OcrPage(*page, options);
}

fs::path Scan(const TempDir& dir, const fs::path& source, int page, const std::string& name) {
  fs::path out = dir.path() / name;
  std::string error = testing::MakeScannedPdf(source, page, out);
  INFO(error);
  REQUIRE(error.empty());
  return out;
}

OcrOptions OcrOn(std::string languages = "eng") {
  OcrOptions options;
  options.enabled = true;
  options.languages = std::move(languages);
  return options;
}

TEST_CASE("OcrPage reads a scanned page with each word where the text layer had it",
          "[ingest][ocr]") {
  TempDir dir;
  fs::path original = SourceDir() / kSamplePdf;
  fs::path scanned = Scan(dir, original, 1, "scan.pdf");
  std::vector<PlacedWord> truth = TextLayerWords(original, 0);
  Result<std::vector<OcrWord>> read = OcrFirstPage(scanned, OcrOn());
  INFO(read.status().message());
  REQUIRE(read.ok());

  // Each OCR word by its plain form; a text-layer word of 5+ letters counts as read when an
  // OCR word of the same form sits within 2 points of it.
  std::multimap<std::string, const OcrWord*> by_form;
  for (const OcrWord& w : *read) by_form.emplace(Plain(w.text), &w);
  size_t long_words = 0, found = 0, size_ok = 0;
  for (const PlacedWord& t : truth) {
    std::string form = Plain(t.text);
    if (form.size() < 5 || form.size() != t.text.size()) continue;  // letters only
    ++long_words;
    auto [lo, hi] = by_form.equal_range(form);
    for (auto it = lo; it != hi; ++it) {
      const OcrWord& w = *it->second;
      if (std::fabs(w.x0 - t.x0) < 2 && std::fabs(w.top - t.top) < 2.5) {
        ++found;
        // The size estimate from the line height is within a tenth of the font size.
        if (std::fabs(w.size - t.size) <= 0.1 * t.size) ++size_ok;
        break;
      }
    }
  }
  INFO(found << " of " << long_words << " words of 5+ letters read in place, " << size_ok
             << " with the size within 10%");
  REQUIRE(long_words > 100);
  CHECK(found >= long_words * 95 / 100);
  CHECK(size_ok >= found * 90 / 100);
  // Words of a line are separated; the last word of a line is not followed by a space.
  CHECK(read->front().space_after);
  size_t line_ends = 0;
  for (const OcrWord& w : *read) line_ends += w.space_after ? 0 : 1;
  CHECK(line_ends >= 36);  // of the 39 lines pdftotext -layout shows
  CHECK(line_ends <= 39);
}

TEST_CASE("PdfReader refuses a scanned PDF without OCR, saying how to read it",
          "[ingest][ocr][bad-input]") {
  TempDir dir;
  fs::path scanned = Scan(dir, SourceDir() / kSamplePdf, 1, "scan.pdf");
  Status st = ReadDocument(scanned).status();
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message() ==
        "no text layer (a scanned PDF): re-run with `pillar index --ocr` to read it with "
        "Tesseract");
}

TEST_CASE("PdfReader with OCR reads a scanned page into the paragraphs of the original",
          "[ingest][ocr]") {
  TempDir dir;
  fs::path original = SourceDir() / kSamplePdf;
  fs::path page1 = dir.path() / "page1.pdf";
  REQUIRE(testing::ExtractPdfPage(original, 1, page1).empty());
  fs::path scanned = Scan(dir, original, 1, "scan.pdf");
  Result<ExtractedDocument> text_layer = ReadDocument(page1);
  REQUIRE(text_layer.ok());
  ReadOptions options;
  options.ocr = OcrOn();
  Result<ExtractedDocument> ocr = ReadDocument(scanned, options);
  INFO(ocr.status().message());
  REQUIRE(ocr.ok());
  for (const Block& b : ocr->blocks) CHECK(b.ocr);
  for (const Block& b : text_layer->blocks) CHECK_FALSE(b.ocr);

  // The same paragraph cuts: each paragraph of the text layer comes out of OCR as one block
  // with the same number of words, at least 95% of them the same word in the same place
  // (OCR misreads a letter here and there: "waming" for "warning").
  auto words = [](std::string_view text) {
    std::vector<std::string> out;
    for (size_t at = 0; at < text.size();) {
      size_t end = std::min(text.find(' ', at), text.size());
      out.emplace_back(text.substr(at, end - at));
      at = end + 1;
    }
    return out;
  };
  size_t paragraphs = 0, total_words = 0, same_words = 0;
  for (const Block& b : text_layer->blocks) {
    if (b.kind != BlockKind::kParagraph) continue;
    ++paragraphs;
    std::vector<std::string> want = words(text_layer->BlockText(b));
    size_t best = 0;
    for (const Block& o : ocr->blocks) {
      std::vector<std::string> got = words(ocr->BlockText(o));
      if (got.size() != want.size()) continue;
      size_t same = 0;
      for (size_t k = 0; k < want.size(); ++k) same += got[k] == want[k] ? 1 : 0;
      best = std::max(best, same);
    }
    INFO(text_layer->BlockText(b));
    CHECK(best >= want.size() * 9 / 10);
    total_words += want.size();
    same_words += best;
  }
  INFO(same_words << " of " << total_words << " words read alike");
  CHECK(paragraphs >= 7);
  CHECK(same_words >= total_words * 95 / 100);
  // Headings are told apart by size (OCR sees no bold): the two-line title is one heading.
  bool title = false;
  for (const Block& o : ocr->blocks) {
    title = title || (o.kind == BlockKind::kHeading &&
                      ocr->BlockText(o) == "Protection of Civilians Strategy of the United "
                                           "Nations Stabilization Mission in Eastmark");
  }
  CHECK(title);
  CHECK(ocr->text.find("Community-based protection mechanisms") != std::string::npos);
  CHECK(ocr->text.find("Page 1 of 3") == std::string::npos);  // footer dropped
}

TEST_CASE("PdfReader OCRs only the pages that have no text layer", "[ingest][ocr]") {
  TempDir dir;
  fs::path original = SourceDir() / kSamplePdf;
  fs::path page2 = dir.path() / "page2.pdf";
  fs::path mixed = dir.path() / "mixed.pdf";
  REQUIRE(testing::ExtractPdfPage(original, 2, page2).empty());
  fs::path scanned = Scan(dir, original, 1, "scan.pdf");
  REQUIRE(testing::JoinPdfs({scanned, page2}, mixed).empty());

  ReadOptions options;
  options.ocr = OcrOn();
  Result<ExtractedDocument> doc = ReadDocument(mixed, options);
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  Result<ExtractedDocument> text_only = ReadDocument(page2);
  REQUIRE(text_only.ok());
  size_t ocr_blocks = 0, text_blocks = 0;
  for (const Block& b : doc->blocks) {
    INFO(doc->BlockText(b));
    CHECK(b.page >= 1);
    CHECK(b.ocr == (b.page == 1));
    (b.ocr ? ocr_blocks : text_blocks) += 1;
  }
  CHECK(ocr_blocks >= 5);
  CHECK(text_blocks >= 5);
  // Page 2's paragraphs are its text layer's, untouched by OCR (a paragraph running on from
  // page 1 starts there and is left out of the comparison).
  std::vector<std::string> page2_texts;
  for (const Block& b : doc->blocks) {
    if (b.page == 2) page2_texts.emplace_back(doc->BlockText(b));
  }
  size_t matched = 0;
  for (const std::string& t : page2_texts) {
    matched += text_only->text.find(t) != std::string::npos ? 1 : 0;
  }
  CHECK(matched == page2_texts.size());
}

TEST_CASE("OCR names the package of a language that is not installed", "[ingest][ocr][bad-input]") {
  Status st = CheckOcrLanguages("eng+xyz");
  CHECK(st.code() == Status::Code::kUnsupported);
  CHECK(st.message() ==
        "OCR language 'xyz' is not installed (Debian: apt install tesseract-ocr-xyz)");
  CHECK(CheckOcrLanguages("chi_sim").ok());
  CHECK(CheckOcrLanguages("eng+fra").ok());
  CHECK(CheckOcrLanguages("").code() == Status::Code::kInvalidArgument);

  TempDir dir;
  fs::path scanned = Scan(dir, SourceDir() / kSamplePdf, 1, "scan.pdf");
  ReadOptions options;
  options.ocr = OcrOn("zzz");
  Status read = ReadDocument(scanned, options).status();
  CHECK(read.message() ==
        "page 1: OCR language 'zzz' is not installed (Debian: apt install tesseract-ocr-zzz)");
}

TEST_CASE("OCR reads page 1 of a real Security Council resolution, scanned",
          "[ingest][ocr][realdocs]") {
  fs::path realdocs = testing::RealDocsDir();
  if (realdocs.empty()) {
    WARN("skipped: ../shared/realdocs is absent");
    return;
  }
  TempDir dir;
  fs::path scanned = Scan(dir, realdocs / "un" / "S_RES_2770 (2025).en.pdf", 1, "scan.pdf");
  ReadOptions options;
  options.ocr = OcrOn();
  Result<ExtractedDocument> doc = ReadDocument(scanned, options);
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  INFO(doc->text);
  CHECK(doc->text.find("Resolution 2770 (2025)") != std::string::npos);
  CHECK(doc->text.find("The Security Council") != std::string::npos);
  for (const Block& b : doc->blocks) CHECK(b.ocr);
}

}  // namespace
}  // namespace pillar
