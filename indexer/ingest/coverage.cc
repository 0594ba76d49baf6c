#include "indexer/ingest/coverage.h"

#include <gumbo.h>
#include <unicode/unistr.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "indexer/base/text.h"
#include "indexer/ingest/docx_reader.h"
#include "indexer/ingest/html_depth.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace {

// Called with each piece of visible text and where it sits (an element or part name; "" when
// the format has none). Returns a message when the file cannot be walked, else "".
using PieceSink = std::function<void(std::string_view where, std::string_view text)>;

// --- XML: Akoma Ntoso, TEI ------------------------------------------------------------------

std::string WalkXmlText(std::string_view bytes, const PieceSink& sink) {
  pugi::xml_document doc;
  Status loaded = LoadXml(bytes, &doc);
  if (!loaded.ok()) return loaded.message();
  pugi::xml_node root = doc.document_element();
  // Metadata is not text a reader owes us: AKN keeps it in <meta>, TEI in <teiHeader>.
  std::string_view metadata = LocalName(root) == "akomaNtoso" ? "meta" : "teiHeader";
  WalkXml(doc, [&](const pugi::xml_node& n) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      sink(LocalName(n.parent()), n.value());
      return false;
    }
    return n.type() == pugi::node_element && LocalName(n) != metadata;
  });
  return {};
}

// --- HTML -----------------------------------------------------------------------------------

// gumbo_destroy_output() recurses once per nesting level, which a hostile page can make deep
// enough to exhaust the stack. Gumbo allocates here instead: every block carries a link in a
// list of live blocks, and whatever is still alive when the parse is done is freed in a loop.
class GumboArena {
 public:
  GumboArena() = default;
  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;
  ~GumboArena() {
    while (live_.next != &live_) Unlink(live_.next);
  }

  static void* Alloc(void* arena, size_t size) {
    auto* link = static_cast<Link*>(std::malloc(sizeof(Link) + size));
    if (link == nullptr) std::abort();  // gumbo would dereference it anyway
    Link& live = static_cast<GumboArena*>(arena)->live_;
    link->prev = &live;
    link->next = live.next;
    live.next->prev = link;
    live.next = link;
    return link + 1;
  }

  static void Free(void* /*arena*/, void* block) {
    if (block != nullptr) Unlink(static_cast<Link*>(block) - 1);
  }

 private:
  struct alignas(alignof(std::max_align_t)) Link {
    Link* prev;
    Link* next;
  };
  static void Unlink(Link* link) {
    link->prev->next = link->next;
    link->next->prev = link->prev;
    std::free(link);
  }
  Link live_{&live_, &live_};
};

bool HiddenFromReaders(const GumboNode* node) {
  switch (node->v.element.tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
      return true;
    default:
      return gumbo_get_attribute(&node->v.element.attributes, "hidden") != nullptr;
  }
}

std::string_view TagName(const GumboNode* element) {
  if (element == nullptr || element->type != GUMBO_NODE_ELEMENT) return {};
  if (element->v.element.tag != GUMBO_TAG_UNKNOWN) {
    return gumbo_normalized_tagname(element->v.element.tag);
  }
  GumboStringPiece original = element->v.element.original_tag;
  gumbo_tag_from_original_text(&original);  // "<x-note a=1>" -> "x-note"
  return std::string_view(original.data, original.length);
}

std::string WalkHtmlText(std::string_view bytes, const PieceSink& sink) {
  GumboArena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &GumboArena::Alloc;
  options.deallocator = &GumboArena::Free;
  options.userdata = &arena;
  options.max_errors = 0;  // recorded errors copy the open-element stack: quadratic memory
  std::string flattened;
  bytes = LimitHtmlNesting(bytes, &flattened);  // as the reader does: same text, linear time
  GumboOutput* output = gumbo_parse_with_options(&options, bytes.data(), bytes.size());
  if (output == nullptr) return "the HTML parser gave no output";
  std::vector<const GumboNode*> stack{output->document};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      sink(TagName(node->parent), node->v.text.text);
      continue;
    }
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      if (HiddenFromReaders(node)) continue;
      children = &node->v.element.children;
    }
    if (children == nullptr) continue;
    // Pushed last child first, so that pieces come in document order.
    for (unsigned k = children->length; k > 0; --k) {
      stack.push_back(static_cast<const GumboNode*>(children->data[k - 1]));
    }
  }
  return {};
}

// --- DOCX -----------------------------------------------------------------------------------

// The bytes of one part within the DOCX reader's limits (a hostile container can lie about
// sizes, so the reading itself is bounded). Empty with *error unset when the part is absent.
std::string ReadZipPart(zip_t* zip, const char* name, const DocxLimits& limits,
                        uint64_t* budget, std::string* error) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, name, 0, &st) != 0) return {};
  uint64_t cap = std::min(limits.max_entry_bytes, *budget);
  bool sized = (st.valid & ZIP_STAT_SIZE) != 0;
  if (sized && st.size > cap) {
    *error = std::string(name) + " is over the size limit";
    return {};
  }
  if (sized && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
      st.size > limits.max_ratio * std::max<uint64_t>(st.comp_size, 1)) {
    *error = std::string(name) + " is compressed beyond the ratio limit";
    return {};
  }
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(zip, name, 0), zip_fclose);
  if (!file) {
    *error = std::string(name) + ": " + zip_strerror(zip);
    return {};
  }
  std::string data;
  char chunk[1 << 16];
  for (;;) {
    zip_int64_t n = zip_fread(file.get(), chunk, sizeof chunk);
    if (n < 0) {
      *error = std::string(name) + ": " + zip_file_strerror(file.get());
      return {};
    }
    if (n == 0) break;
    if (data.size() + static_cast<uint64_t>(n) > cap) {
      *error = std::string(name) + " expands past the size limit";
      return {};
    }
    data.append(chunk, static_cast<size_t>(n));
  }
  *budget -= data.size();
  return data;
}

std::string WalkDocxText(std::string_view bytes, const PieceSink& sink) {
  const DocxLimits limits;
  zip_error_t zerror;
  zip_error_init(&zerror);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerror);
  zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY, &zerror) : nullptr;
  if (zip == nullptr) {
    std::string why = zip_error_strerror(&zerror);
    if (source) zip_source_free(source);
    zip_error_fini(&zerror);
    return why;
  }
  zip_error_fini(&zerror);
  std::unique_ptr<zip_t, void (*)(zip_t*)> closer(zip, zip_discard);
  zip_int64_t entries = zip_get_num_entries(zip, 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > limits.max_entries) {
    return "too many entries";
  }
  uint64_t budget = limits.max_total_bytes;
  for (const char* part : {"word/document.xml", "word/footnotes.xml", "word/endnotes.xml"}) {
    std::string error;
    std::string xml = ReadZipPart(zip, part, limits, &budget, &error);
    if (!error.empty()) return error;
    if (xml.empty()) {
      if (part == std::string_view("word/document.xml")) return "word/document.xml is missing";
      continue;
    }
    pugi::xml_document doc;
    Status loaded = LoadXml(xml, &doc, part);
    if (!loaded.ok()) return loaded.message();
    bool body = part == std::string_view("word/document.xml");
    WalkXml(doc, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view name = n.name();
      // Markup compatibility: a drawing's text box is there twice, once for old Word.
      if (name == "mc:Fallback") return false;
      if (name != "w:t") return true;
      // Where the run sits: "w:p" for plain text, else its wrapper (w:hyperlink, w:ins,
      // w:sdtContent, w:smartTag...); the notes parts by their name.
      std::string_view where = part;
      if (body) where = n.parent().parent().name();
      sink(where, n.child_value());
      return false;
    });
  }
  return {};
}

// --- Text and Markdown ----------------------------------------------------------------------

// The text of a text format (all but DOCX) as the readers see it: UTF-16 with a byte-order
// mark decoded into *storage, a UTF-8 byte-order mark dropped; otherwise `bytes` itself.
std::string_view DecodeText(std::string_view bytes, std::string* storage) {
  if (bytes.size() >= 2) {
    auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    const char* codepage = b0 == 0xFF && b1 == 0xFE   ? "UTF-16LE"
                           : b0 == 0xFE && b1 == 0xFF ? "UTF-16BE"
                                                      : nullptr;
    if (codepage != nullptr) {
      icu::UnicodeString u(bytes.data() + 2, static_cast<int32_t>(bytes.size() - 2), codepage);
      storage->clear();
      u.toUTF8String(*storage);
      return *storage;
    }
  }
  if (StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  return bytes;
}

// Markdown without what a reader of the rendered page never sees: a YAML front matter block
// (metadata), HTML comments and link targets ("[text](target)", "[ref]: target").
std::string StripMarkdown(std::string_view md) {
  if (StartsWith(md, "---\n") || StartsWith(md, "---\r\n")) {
    size_t end = md.find("\n---", 3);
    if (end != std::string_view::npos) {
      size_t line_end = md.find('\n', end + 1);
      md.remove_prefix(line_end == std::string_view::npos ? md.size() : line_end);
    }
  }
  std::string out;
  out.reserve(md.size());
  size_t i = 0;
  bool line_start = true;
  while (i < md.size()) {
    if (md.compare(i, 4, "<!--") == 0) {
      size_t end = md.find("-->", i + 4);
      i = end == std::string_view::npos ? md.size() : end + 3;
      continue;
    }
    if (md.compare(i, 2, "](") == 0) {
      size_t end = md.find_first_of(")\n", i + 2);
      out += ' ';
      i = end == std::string_view::npos ? md.size() : end + 1;
      continue;
    }
    if (line_start) {
      // "[ref]: https://..." defines a link target; the whole line is invisible.
      size_t j = i;
      while (j < md.size() && (md[j] == ' ' || md[j] == '\t')) ++j;
      if (j < md.size() && md[j] == '[') {
        size_t close = md.find("]:", j);
        size_t eol = md.find('\n', j);
        if (close != std::string_view::npos && (eol == std::string_view::npos || close < eol)) {
          i = eol == std::string_view::npos ? md.size() : eol;
          continue;
        }
      }
    }
    line_start = md[i] == '\n';
    out += md[i++];
  }
  return out;
}

// --- Measuring ------------------------------------------------------------------------------

enum class Kind { kNone, kXml, kHtml, kDocx, kText, kMarkdown };

Kind KindOf(std::string_view format) {
  if (format == "xml" || format == "akoma-ntoso" || format == "tei") return Kind::kXml;
  if (format == "html") return Kind::kHtml;
  if (format == "docx") return Kind::kDocx;
  if (format == "text") return Kind::kText;
  if (format == "markdown") return Kind::kMarkdown;
  return Kind::kNone;
}

std::string WalkVisible(Kind kind, std::string_view bytes, const PieceSink& sink) {
  std::string decoded;
  if (kind != Kind::kDocx) bytes = DecodeText(bytes, &decoded);
  switch (kind) {
    case Kind::kXml: return WalkXmlText(bytes, sink);
    case Kind::kHtml: return WalkHtmlText(bytes, sink);
    case Kind::kDocx: return WalkDocxText(bytes, sink);
    case Kind::kText: sink({}, bytes); return {};
    case Kind::kMarkdown: sink({}, StripMarkdown(bytes)); return {};
    case Kind::kNone: break;
  }
  return "format not measured";
}

// "4931" -> "4,931".
std::string WithThousands(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "a", "a and b", "a, b and c".
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

bool CoverageMeasures(std::string_view format) { return KindOf(format) != Kind::kNone; }

double Coverage::Share() const {
  if (!measured) return -1;
  if (visible_words == 0) return 1;
  return std::min(1.0, static_cast<double>(kept_words) / static_cast<double>(visible_words));
}

Coverage MeasureCoverage(std::string_view format, std::string_view bytes,
                         std::string_view extracted_text, const CoverageOptions& options) {
  Coverage c;
  Kind kind = KindOf(format);
  if (kind == Kind::kNone) {
    c.why_not = std::string(format) + ": not measured";
    return c;
  }
  size_t visible = 0;
  std::string error =
      WalkVisible(kind, bytes, [&](std::string_view, std::string_view text) {
        visible += WordCount(text);
      });
  if (!error.empty()) {
    c.why_not = error;
    return c;
  }
  c.measured = true;
  c.visible_words = visible;
  c.kept_words = WordCount(extracted_text);
  if (c.Share() >= options.warn_below) return c;

  // Where the missing words are: each visible word uses up one occurrence of itself in the
  // extracted text; a word with none left is unread, and counts against its element.
  std::unordered_map<std::string_view, uint32_t> kept;
  ForEachWord(extracted_text, [&](std::string_view w) { ++kept[w]; });
  std::map<std::string, size_t> missing;
  size_t missing_total = 0;
  WalkVisible(kind, bytes, [&](std::string_view where, std::string_view text) {
    ForEachWord(text, [&](std::string_view w) {
      auto it = kept.find(w);
      if (it != kept.end() && it->second > 0) {
        --it->second;
      } else {
        ++missing[std::string(where)];
        ++missing_total;
      }
    });
  });
  for (auto& [where, words] : missing) {
    // Names holding under a tenth of the unread words would only blur the message.
    if (!where.empty() && words * 10 >= missing_total) c.unread.emplace_back(where, words);
  }
  std::stable_sort(c.unread.begin(), c.unread.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (c.unread.size() > options.max_names) c.unread.resize(options.max_names);
  return c;
}

std::string CoverageWarning(std::string_view file, const Coverage& coverage,
                            const CoverageOptions& options) {
  if (!coverage.measured || coverage.Share() >= options.warn_below) return {};
  int percent = static_cast<int>(std::floor(coverage.Share() * 100));
  std::string out = std::string(file) + ": passages hold " + std::to_string(percent) +
                    "% of the file's " + WithThousands(coverage.visible_words) + " words";
  std::vector<std::string> elements, parts;
  for (const auto& [where, words] : coverage.unread) {
    if (where.find('/') != std::string::npos) {
      parts.push_back(where);
    } else {
      elements.push_back("<" + where + ">");
    }
  }
  if (!elements.empty()) {
    out += "; text in " + JoinNames(elements) + " elements may be unread";
  }
  if (!parts.empty()) out += "; text in " + JoinNames(parts) + " may be unread";
  return out;
}

}  // namespace pillar
