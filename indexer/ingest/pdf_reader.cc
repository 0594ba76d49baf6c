#include "indexer/ingest/pdf_reader.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/layout/bidi.h"
#include "indexer/ingest/layout/pdf_layout.h"
#include "indexer/ingest/ocr.h"
#include "indexer/ingest/un/un_conventions.h"

namespace pillar {

namespace {

void Silence(const std::string&, void*) {}

std::string FixLigatures(std::string s) {
  static const std::pair<std::string_view, std::string_view> kLigatures[] = {
      {"\xEF\xAC\x80", "ff"},
      {"\xEF\xAC\x81", "fi"},
      {"\xEF\xAC\x82", "fl"},
      {"\xEF\xAC\x83", "ffi"},
      {"\xEF\xAC\x84", "ffl"}};
  if (s.find("\xEF\xAC") == std::string::npos) return s;
  for (const auto& [from, to] : kLigatures) {
    size_t at;
    while ((at = s.find(from)) != std::string::npos) s.replace(at, from.size(), to);
  }
  return s;
}

// Reads the UN masthead of the first page, if any, into `meta`, and marks UN furniture (the
// masthead, the job number, the barcode, a reissue note) on every page as dropped.
void ApplyUnConventions(std::vector<layout::Page>& pages, DocumentMetadata* meta) {
  if (pages.empty()) return;
  double body = layout::BodySize(pages);
  std::vector<un::MastheadLine> first;
  for (const layout::Line& l : pages[0].lines) first.push_back({l.text, l.top, l.size, l.bold});
  un::Masthead masthead = un::ReadMasthead(first, body, pages[0].height);
  for (size_t i : masthead.consumed) pages[0].lines[i].dropped = true;
  un::ApplyMasthead(masthead, meta);
  for (size_t p = 0; p < pages.size(); ++p) {
    layout::Page& page = pages[p];
    for (layout::Line& l : page.lines) {
      // An inner title page (after the cover of an Official Records volume) repeats them.
      if (masthead.found && p > 0 && p < 3 &&
          std::find(masthead.printed_lines.begin(), masthead.printed_lines.end(), l.text) !=
              masthead.printed_lines.end()) {
        l.dropped = true;
      }
      bool band = l.top < 0.15 * page.height || l.bottom > 0.85 * page.height;
      if (band && (un::IsJobNumber(l.text) || un::IsBarcode(l.text))) l.dropped = true;
      if (masthead.found && un::IsReissueNote(l.text)) l.dropped = true;
      // The symbol as a running header, even on the one later page of a short document.
      std::string symbol = masthead.found && band ? un::NormalizeSymbol(l.text) : "";
      if (!symbol.empty() && symbol.back() == '*') symbol.pop_back();
      if (!symbol.empty() && symbol == masthead.symbol) {
        l.dropped = true;
      }
    }
  }
}

std::string Utf8(const poppler::ustring& s) {
  poppler::byte_array bytes = s.to_utf8();
  std::string out(bytes.begin(), bytes.end());
  while (!out.empty() && out.back() == '\0') out.pop_back();
  if (FindInvalidUtf8(out) != std::string::npos) return {};
  return CollapseWhitespace(out);
}

}  // namespace

Status PdfReader::Read(const std::filesystem::path& path, std::string_view bytes,
                       ExtractedDocument* out) const {
  return ReadWithOptions(path, bytes, ReadOptions(), out);
}

std::string PdfReader::OptionsKey(const ReadOptions& options) const {
  return options.ocr.enabled ? "ocr:" + options.ocr.languages : std::string();
}

Status PdfReader::ReadWithOptions(const std::filesystem::path&, std::string_view bytes,
                                  const ReadOptions& options, ExtractedDocument* out) const {
  if (!StartsWith(bytes, "%PDF-")) {
    size_t head = bytes.substr(0, 1024).find("%PDF-");
    if (head == std::string_view::npos) {
      return Status::Corruption("not a PDF file (no %PDF- header)");
    }
  }
  if (bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0).find("%%EOF") ==
      std::string_view::npos) {
    return Status::Corruption("truncated PDF (no %%EOF marker at the end of the file)");
  }
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::Unsupported("PDF over 2 GiB");
  }
  static std::once_flag silence;
  std::call_once(silence, [] { poppler::set_debug_error_function(Silence, nullptr); });

  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Status::Corruption("damaged PDF: poppler could not load it");
  if (doc->is_locked()) {
    return Status::Unsupported(
        "encrypted PDF (a password is required); decrypt it first, e.g. "
        "with qpdf --decrypt");
  }
  int pages = doc->pages();
  if (pages <= 0) return Status::Corruption("damaged PDF: no pages");
  if (pages > limits_.max_pages) {
    return Status::Unsupported("PDF has " + std::to_string(pages) + " pages, over the limit of " +
                               std::to_string(limits_.max_pages));
  }

  std::vector<layout::Page> layout_pages;
  std::set<int> ocr_pages;  // 1-based pages whose words came from OCR
  size_t text_bytes = 0;
  bool any_text = false;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) return Status::Corruption("damaged PDF: page " + std::to_string(i + 1));
    std::vector<layout::Word> words;
    for (const poppler::text_box& box : page->text_list(poppler::page::text_list_include_font)) {
      if (box.rotation() != 0 || box.get_wmode() == poppler::text_box::vertical_wmode) continue;
      std::string text = FixLigatures(Utf8(box.text()));
      if (text.empty()) continue;
      text_bytes += text.size() + 1;
      if (text_bytes > limits_.max_text_bytes) {
        return Status::Unsupported("PDF text is over the limit of " +
                                   std::to_string(limits_.max_text_bytes >> 20) + " MiB");
      }
      poppler::rectf r = box.bbox();
      std::string font = box.has_font_info() ? box.get_font_name() : std::string();
      bool bold =
          font.find("Bold") != std::string::npos || font.find("bold") != std::string::npos ||
          font.find("Black") != std::string::npos || font.find("Heavy") != std::string::npos;
      bool italic = font.find("Italic") != std::string::npos ||
                    font.find("italic") != std::string::npos ||
                    font.find("Oblique") != std::string::npos;
      double size = box.has_font_info() ? box.get_font_size() : r.height();
      words.push_back({NormalizeNfc(text), r.x(), r.y(), r.x() + r.width(), r.y() + r.height(),
                       size, bold, box.has_space_after(), italic});
    }
    if (words.empty() && options.ocr.enabled) {
      // A page with no text layer: its words from Tesseract, placed the same way.
      Result<std::vector<OcrWord>> read = OcrPage(*page, options.ocr);
      if (!read.ok()) return read.status().WithContext("page " + std::to_string(i + 1));
      for (OcrWord& w : *read) {
        text_bytes += w.text.size() + 1;
        words.push_back(
            {std::move(w.text), w.x0, w.top, w.x1, w.bottom, w.size, false, w.space_after});
      }
      if (text_bytes > limits_.max_text_bytes) {
        return Status::Unsupported("PDF text is over the limit of " +
                                   std::to_string(limits_.max_text_bytes >> 20) + " MiB");
      }
      if (!words.empty()) ocr_pages.insert(i + 1);
    }
    layout::Page lp;
    poppler::rectf rect = page->page_rect();
    lp.width = rect.width();
    lp.height = rect.height();
    lp.lines = layout::BuildLines(words, i + 1, &VisualToLogical);
    any_text = any_text || !lp.lines.empty();
    layout_pages.push_back(std::move(lp));
  }
  if (!any_text && options.ocr.enabled) {
    return Status::Corruption("no text found, not even by OCR (Tesseract, languages " +
                              options.ocr.languages + ")");
  }
  if (!any_text) {
    return Status::Corruption(
        "no text layer (a scanned PDF): re-run with `pillar index --ocr` "
        "to read it with Tesseract");
  }

  out->meta.title = Utf8(doc->get_title());
  out->meta.author = Utf8(doc->get_author());
  time_t created = doc->get_creation_date_t();
  if (created > 0) {
    std::tm tm{};
    gmtime_r(&created, &tm);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    out->meta.date = date;
  }
  ApplyUnConventions(layout_pages, &out->meta);
  layout::AssembleBlocks(layout_pages, out);
  for (Block& b : out->blocks) b.ocr = ocr_pages.count(b.page) > 0;
  return Status::Ok();
}

}  // namespace pillar
