#include "indexer/ingest/ocr.h"

#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "indexer/base/text.h"

namespace pillar {
namespace {

// "eng+fra" -> {"eng", "fra"}; empty parts are dropped.
std::vector<std::string> SplitLanguages(const std::string& languages) {
  std::vector<std::string> out;
  std::string part;
  for (char c : languages + "+") {
    if (c != '+') {
      part += c;
    } else if (!part.empty()) {
      out.push_back(std::move(part));
      part.clear();
    }
  }
  return out;
}

// The Debian package of a Tesseract language pack: "chi_sim" -> "tesseract-ocr-chi-sim".
std::string PackageOf(std::string language) {
  std::replace(language.begin(), language.end(), '_', '-');
  for (char& c : language) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "tesseract-ocr-" + language;
}

// Initialises a Tesseract instance for `languages`, its chatter sent to /dev/null. Tesseract
// loads what it can of a partly missing set, so each language is checked to be loaded.
Status InitTesseract(tesseract::TessBaseAPI& api, const std::string& languages) {
  std::vector<std::string> wanted = SplitLanguages(languages);
  if (wanted.empty()) return Status::InvalidArgument("no OCR language given");
  // debug_file takes tprintf's messages ("Error opening data file ...") off stderr: the
  // error below says what is wrong in our words.
  api.SetVariable("debug_file", "/dev/null");
  int rc = api.Init(nullptr, languages.c_str(), tesseract::OEM_LSTM_ONLY);
  std::vector<std::string> loaded;
  if (rc == 0) api.GetLoadedLanguagesAsVector(&loaded);
  for (const std::string& lang : wanted) {
    if (std::find(loaded.begin(), loaded.end(), lang) == loaded.end()) {
      return Status::Unsupported("OCR language '" + lang + "' is not installed (Debian: apt " +
                                 "install " + PackageOf(lang) + ")");
    }
  }
  // Whole pages: automatic layout analysis, no orientation detection.
  api.SetPageSegMode(tesseract::PSM_AUTO);
  return Status::Ok();
}

// Tesseract's line heights jitter from line to line in one font, where the text-layer rules
// read a change of size as a new paragraph: mostly downwards, by up to a tenth (a line
// without descenders, a short line), rarely upwards by more than 5%. Each size is snapped to
// the prevalent size of the page when it lies kSmaller below to kLarger above it: the size
// carried by most characters first, then the next among the rest. The upper bound is kept
// well under the 15% by which a heading is larger than the body.
constexpr double kSmaller = 0.12;
constexpr double kLarger = 0.06;

void SnapSizes(std::vector<OcrWord>& words) {
  std::vector<bool> done(words.size(), false);
  for (;;) {
    std::map<long, size_t> chars_by_size;  // size in tenths of a point -> characters
    for (size_t k = 0; k < words.size(); ++k) {
      if (!done[k]) chars_by_size[std::lround(words[k].size * 10)] += words[k].text.size();
    }
    if (chars_by_size.empty()) return;
    auto mode = std::max_element(chars_by_size.begin(), chars_by_size.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    double size = mode->first / 10.0;
    for (size_t k = 0; k < words.size(); ++k) {
      double s = words[k].size;
      if (!done[k] && s >= size * (1 - kSmaller) && s <= size * (1 + kLarger)) {
        words[k].size = size;
        done[k] = true;
      }
    }
  }
}

// This thread's Tesseract for `languages`, initialised on first use.
Result<tesseract::TessBaseAPI*> ThreadTesseract(const std::string& languages) {
  thread_local std::map<std::string, std::unique_ptr<tesseract::TessBaseAPI>> instances;
  std::unique_ptr<tesseract::TessBaseAPI>& api = instances[languages];
  if (!api) {
    auto fresh = std::make_unique<tesseract::TessBaseAPI>();
    Status st = InitTesseract(*fresh, languages);
    if (!st.ok()) {
      instances.erase(languages);
      return st;
    }
    api = std::move(fresh);
  }
  return api.get();
}

}  // namespace

Status CheckOcrLanguages(const std::string& languages) {
  Result<tesseract::TessBaseAPI*> api = ThreadTesseract(languages);
  return api.ok() ? Status::Ok() : api.status();
}

Result<std::vector<OcrWord>> OcrPage(const poppler::page& page, const OcrOptions& options) {
  Result<tesseract::TessBaseAPI*> found = ThreadTesseract(options.languages);
  if (!found.ok()) return found.status();
  tesseract::TessBaseAPI& api = **found;

  poppler::rectf box = page.page_rect();
  double dpi = options.dpi > 0 ? options.dpi : 300;
  double pixels = box.width() * box.height() * (dpi / 72) * (dpi / 72);
  if (pixels > kMaxOcrPixels) dpi *= std::sqrt(kMaxOcrPixels / pixels);

  poppler::page_renderer renderer;
  renderer.set_render_hints(poppler::page_renderer::antialiasing |
                            poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_gray8);
  poppler::image image = renderer.render_page(&page, dpi, dpi);
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
    return Status::Corruption("poppler could not render the page for OCR");
  }

  api.SetImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(),
               image.height(), 1, image.bytes_per_row());
  api.SetSourceResolution(static_cast<int>(std::lround(dpi)));
  std::vector<OcrWord> words;
  if (api.Recognize(nullptr) != 0) {
    api.Clear();
    return Status::Internal("Tesseract failed on the page");
  }

  const double to_points = 72 / dpi;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (it) {
    double line_size = 0;
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
        // Ascender to descender of the line: close to the font size of most typefaces.
        float row_height = 0, descenders = 0, ascenders = 0;
        it->RowAttributes(&row_height, &descenders, &ascenders);
        line_size = (row_height > 0 ? row_height : 0) * to_points;
        int l, t, r, b;
        if (line_size <= 0 && it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b)) {
          line_size = (b - t) * to_points;
        }
      }
      std::unique_ptr<char[]> utf8(it->GetUTF8Text(tesseract::RIL_WORD));
      int left, top, right, bottom;
      bool placed = it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom);
      int confidence = static_cast<int>(it->Confidence(tesseract::RIL_WORD));
      bool last_in_line = it->IsAtFinalElement(tesseract::RIL_TEXTLINE, tesseract::RIL_WORD);
      if (!utf8 || !placed || confidence < 10) continue;
      std::string text = CollapseWhitespace(utf8.get());
      if (text.empty() || FindInvalidUtf8(text) != std::string::npos) continue;
      OcrWord w;
      w.text = NormalizeNfc(text);
      w.x0 = left * to_points;
      w.top = top * to_points;
      w.x1 = right * to_points;
      w.bottom = bottom * to_points;
      w.size = line_size > 0 ? line_size : w.bottom - w.top;
      w.space_after = !last_in_line;
      w.confidence = confidence;
      words.push_back(std::move(w));
    } while (it->Next(tesseract::RIL_WORD));
  }
  api.Clear();
  SnapSizes(words);
  return words;
}

}  // namespace pillar
