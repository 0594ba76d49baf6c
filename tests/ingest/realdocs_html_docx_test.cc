// The HTML and DOCX readers on published documents (../shared/realdocs, not part of the
// repository): a UN table of meetings, guidelines exported from Word to HTML, a parliament
// transcript in DOCX. What counts is that every row and every word reaches a passage.
// Skipped when the folder is absent.
#include <gumbo.h>
#include <zip.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "indexer/ingest/reader.h"
#include "indexer/segment/passage_splitter.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

fs::path RealFile(const std::string& relative) {
  fs::path dir = testing::RealDocsDir();
  if (dir.empty() || !fs::exists(dir / relative)) {
    WARN("skipped: " << relative << " is absent from ../shared/realdocs beside the repository");
    return {};
  }
  return dir / relative;
}

struct Read {
  ExtractedDocument doc;
  std::vector<Passage> passages;
};

Read ReadReal(const fs::path& path) {
  Result<ExtractedDocument> doc = ReadDocument(path);
  INFO(doc.status().message());
  REQUIRE(doc.ok());
  Read out;
  out.doc = std::move(*doc);
  out.doc.meta.id = "real";
  out.passages = SplitPassages(out.doc);
  return out;
}

// Lowercase words: runs of ASCII letters and digits and of non-ASCII bytes (UTF-8 letters).
std::map<std::string, int> Words(const std::string& text) {
  std::map<std::string, int> words;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) ++words[word];
    word.clear();
  };
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      word += static_cast<char>(std::tolower(u));
    } else {
      end_word();
    }
  }
  end_word();
  return words;
}

// The share of the words of `source` (counted with repeats) found in the passages.
double Coverage(const std::string& source, const std::vector<Passage>& passages) {
  std::string all;
  for (const Passage& p : passages) all += p.text + "\n";
  std::map<std::string, int> have = Words(all);
  long total = 0, found = 0;
  for (const auto& [word, count] : Words(source)) {
    total += count;
    auto it = have.find(word);
    found += it == have.end() ? 0 : std::min(count, it->second);
  }
  return total == 0 ? 0.0 : static_cast<double>(found) / static_cast<double>(total);
}

std::string FileBytes(const fs::path& path) {
  Result<std::string> bytes = ReadFileBytes(path, 64 << 20);
  REQUIRE(bytes.ok());
  return *bytes;
}

// Visible text of an HTML page as a browser shows it: the body's text nodes, outside
// script, style and templates. Each text node is kept apart, so words never run together.
std::string VisibleText(const std::string& html, std::vector<std::vector<std::string>>* rows) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  std::string text;
  std::vector<std::pair<const GumboNode*, bool>> stack{{output->root, false}};
  std::vector<std::string>* row = nullptr;
  while (!stack.empty()) {
    auto [node, in_cell] = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT) {
      text += std::string(node->v.text.text) + " ";
      if (in_cell && row != nullptr) row->back() += std::string(node->v.text.text) + " ";
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT) continue;
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_HEAD ||
        tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_NOSCRIPT) {
      continue;
    }
    if (rows != nullptr && tag == GUMBO_TAG_TR) {
      rows->emplace_back();
      row = &rows->back();
    }
    if (rows != nullptr && (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && row != nullptr) {
      row->emplace_back(tag == GUMBO_TAG_TH ? "TH " : "");
      in_cell = true;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i-- > 0;) {
      stack.emplace_back(static_cast<const GumboNode*>(children.data[i]), in_cell);
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return text;
}

TEST_CASE("The UN table of 2019 meetings gives one passage per meeting row and loses none",
          "[ingest][html][realdocs]") {
  fs::path path = RealFile("html/scact2019_table_en.html");
  if (path.empty()) return;
  std::vector<std::vector<std::string>> rows;
  std::string visible = VisibleText(FileBytes(path), &rows);
  // Meeting rows: rows whose cells are <td>s; count them, and those naming the Middle East.
  size_t meetings = 0, middle_east = 0;
  for (const auto& row : rows) {
    if (row.empty() || row[0].rfind("TH ", 0) == 0) continue;
    ++meetings;
    for (const std::string& cell : row) {
      if (cell.find("The situation in the Middle East") != std::string::npos) {
        ++middle_east;
        break;
      }
    }
  }
  REQUIRE(meetings > 200);
  REQUIRE(middle_east > 20);
  Read read = ReadReal(path);
  size_t passages_with_topic = 0;
  for (const Passage& p : read.passages) {
    if (p.text.find("The situation in the Middle East") != std::string::npos) ++passages_with_topic;
  }
  double coverage = Coverage(visible, read.passages);
  INFO("rows " << meetings << ", passages " << read.passages.size() << ", coverage "
               << coverage);
  CHECK(read.passages.size() == meetings);
  CHECK(passages_with_topic == middle_east);
  CHECK(coverage >= 0.95);
  // Rows carry their column headers, and the table's title row is their section.
  REQUIRE_FALSE(read.passages.empty());
  const Passage& first = read.passages.front();
  CHECK(first.text.find("Date: ") != std::string::npos);
  CHECK(first.text.find("Topic: ") != std::string::npos);
  REQUIRE_FALSE(first.section.empty());
  CHECK(first.section.back().find("Meetings conducted") != std::string::npos);
}

TEST_CASE("The Word-exported AKN4UN guidelines read headings as headings and cover the text",
          "[ingest][html][realdocs]") {
  fs::path path = RealFile("html/akn4un-part3_ga-index-1.html");
  if (path.empty()) return;
  std::string visible = VisibleText(FileBytes(path), nullptr);
  Read read = ReadReal(path);
  int headings = 0;
  for (const Block& b : read.doc.blocks) {
    if (b.kind == BlockKind::kHeading) ++headings;
  }
  double coverage = Coverage(visible, read.passages);
  INFO("headings " << headings << ", passages " << read.passages.size() << ", coverage "
                   << coverage);
  // The file has 30 paragraphs in Word heading styles; none of them may be a passage.
  CHECK(headings >= 30);
  for (const Passage& p : read.passages) {
    INFO(p.text);
    CHECK(p.text != "Document and logical component");
    CHECK(p.text != "Modelling of GA Resolutions");
  }
  bool in_section = false;
  for (const Passage& p : read.passages) {
    for (const std::string& s : p.section) {
      if (s == "Document and logical component") in_section = true;
    }
  }
  CHECK(in_section);
  CHECK(coverage >= 0.95);
}

// The words of word/document.xml's <w:t> runs, runs of one paragraph joined as Word shows them.
std::string DocxBodyText(const fs::path& path) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
  REQUIRE(zip != nullptr);
  zip_stat_t st;
  REQUIRE(zip_stat(zip, "word/document.xml", 0, &st) == 0);
  std::string xml(st.size, '\0');
  zip_file_t* file = zip_fopen(zip, "word/document.xml", 0);
  REQUIRE(file != nullptr);
  REQUIRE(zip_fread(file, xml.data(), xml.size()) == static_cast<zip_int64_t>(xml.size()));
  zip_fclose(file);
  zip_discard(zip);
  pugi::xml_document doc;
  REQUIRE(doc.load_buffer(xml.data(), xml.size()));
  std::string text;
  for (pugi::xpath_node p : doc.select_nodes("//w:p")) {
    for (pugi::xpath_node t : p.node().select_nodes(".//w:t")) text += t.node().text().get();
    text += "\n";
  }
  return text;
}

TEST_CASE("The Catalan parliament transcript in DOCX reaches passages almost word for word",
          "[ingest][docx][realdocs]") {
  fs::path path = RealFile("docx/PCAT-0101-26102015.docx");
  if (path.empty()) return;
  std::string source = DocxBodyText(path);
  Read read = ReadReal(path);
  double coverage = Coverage(source, read.passages);
  INFO("passages " << read.passages.size() << ", coverage " << coverage);
  CHECK(coverage >= 0.95);
  // Speakers are named in short bold paragraphs: the speech after a name is in its section.
  bool speaker_section = false;
  for (const Passage& p : read.passages) {
    for (const std::string& s : p.section) {
      if (s.rfind("El president de la Mesa d", 0) == 0) speaker_section = true;
    }
  }
  CHECK(speaker_section);
}

}  // namespace
}  // namespace pillar
