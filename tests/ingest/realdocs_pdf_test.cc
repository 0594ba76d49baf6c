// The PDF reader on published UN documents (../shared/realdocs, not part of the repository):
// paragraphs, locators and metadata exactly as printed. Skipped when the folder is absent.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/reader.h"
#include "indexer/ingest/un/un_conventions.h"
#include "indexer/segment/passage_splitter.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;

bool RealDocsPresent() {
  if (fs::is_directory(testing::RealDocsDir())) return true;
  WARN(
      "skipped: ../shared/realdocs beside the repository is absent (published documents "
      "for testing, see its README)");
  return false;
}

struct ReadPdf {
  ExtractedDocument doc;
  std::vector<Passage> passages;

  const Passage* ByLocator(std::string_view locator) const {
    for (const Passage& p : passages) {
      if (p.locator == locator) return &p;
    }
    return nullptr;
  }
  const Passage* StartingWith(std::string_view prefix) const {
    for (const Passage& p : passages) {
      if (StartsWith(p.text, prefix)) return &p;
    }
    return nullptr;
  }
};

ReadPdf Read(const fs::path& path) {
  Result<ExtractedDocument> doc = ReadDocument(path);
  INFO(path.string() << ": " << (doc.ok() ? "" : doc.status().message()));
  REQUIRE(doc.ok());
  ReadPdf out;
  out.doc = std::move(doc.value());
  out.doc.meta.id = Slugify(path.stem().string());
  if (out.doc.meta.language.empty()) out.doc.meta.language = "en";
  out.passages = SplitPassages(out.doc);
  return out;
}

std::vector<fs::path> UnPdfs(std::string_view prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(testing::RealDocsDir() / "un")) {
    if (StartsWith(e.path().filename().string(), prefix)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "S_RES_2769 (2025).en.pdf" -> "S/RES/2769 (2025)"; "S_2025_176.en.pdf" -> "S/2025/176".
std::string SymbolOfFileName(const fs::path& path) {
  std::string name = path.filename().string();
  name = name.substr(0, name.find(".en.pdf"));
  for (char& c : name) {
    if (c == '_') c = '/';
  }
  return name;
}

TEST_CASE(
    "Real UN PDFs: the printed symbol, organ and date, and no job number, barcode or reissue "
    "note as text or heading",
    "[ingest][pdf][realdocs]") {
  if (!RealDocsPresent()) return;
  const std::regex junk(R"(\d\d-\d{5}( \([A-Z]\))?|\*\d{7}\*|Reissued for technical reasons.*)");
  std::vector<fs::path> files = UnPdfs("");
  REQUIRE(files.size() >= 20);
  for (const fs::path& path : files) {
    INFO(path.filename().string());
    ReadPdf r = Read(path);
    CHECK(r.doc.meta.symbol == SymbolOfFileName(path));
    CHECK(StartsWith(r.doc.meta.issuer, "United Nations "));
    CHECK(r.doc.meta.author.empty());  // not the typist of the information dictionary
    CHECK(r.doc.meta.title != path.stem().string());
    CHECK(r.doc.meta.Year() == "2025");
    for (const Passage& p : r.passages) {
      INFO(p.id << ": " << p.text.substr(0, 80));
      CHECK_FALSE(std::regex_match(p.text, junk));
      for (const std::string& heading : p.section) CHECK_FALSE(std::regex_match(heading, junk));
    }
  }
}

TEST_CASE(
    "Real resolutions: preambular paragraphs PP1..PPn, operative paragraphs whole, the "
    "last one included",
    "[ingest][pdf][realdocs]") {
  if (!RealDocsPresent()) return;
  for (const fs::path& path : UnPdfs("S_RES_")) {
    INFO(path.filename().string());
    ReadPdf r = Read(path);
    CHECK(r.doc.meta.type == "resolution");
    int pp = 0, last_op = 0;
    for (const Passage& p : r.passages) {
      if (StartsWith(p.locator, "PP")) {
        CHECK(p.locator == "PP" + std::to_string(++pp));
        CHECK(p.text.back() == ',');
      }
      if (!p.locator.empty() && std::isdigit(static_cast<unsigned char>(p.locator[0]))) {
        int op = std::stoi(p.locator);
        // The number is printed at the start of its own passage, never alone.
        if (p.locator == std::to_string(op)) {
          CHECK(StartsWith(p.text, p.locator + ". "));
          CHECK(p.text.size() > p.locator.size() + 10);
          CHECK(op == last_op + 1);
          last_op = op;
        }
      }
    }
    CHECK(pp >= 2);
  }
}

TEST_CASE(
    "S/RES/2769 (2025) is read as printed: title, date, PP1..PP18, 2(a), paragraphs "
    "across pages and the last paragraph",
    "[ingest][pdf][realdocs]") {
  if (!RealDocsPresent()) return;
  ReadPdf r = Read(testing::RealDocsDir() / "un" / "S_RES_2769 (2025).en.pdf");
  CHECK(r.doc.meta.title == "Resolution 2769 (2025)");
  CHECK(r.doc.meta.date == "2025-01-16");
  CHECK(r.doc.meta.issuer == "United Nations Security Council");
  const Passage* pp1 = r.ByLocator("PP1");
  REQUIRE(pp1);
  CHECK(StartsWith(pp1->text, "Recalling the arms embargo, travel ban, assets freeze"));
  CHECK(pp1->text.find("and also recalling resolution 2616 (2021),") != std::string::npos);
  const Passage* pp18 = r.ByLocator("PP18");
  REQUIRE(pp18);
  CHECK(pp18->text == "Acting under Chapter VII of the Charter of the United Nations,");
  CHECK_FALSE(r.ByLocator("PP19"));
  const Passage* sub = r.ByLocator("2(a)");
  REQUIRE(sub);
  CHECK(StartsWith(sub->text, "(a) protective clothing, including flak jackets"));
  CHECK(sub->text.find("for their personal use only;") != std::string::npos);
  CHECK(sub->id == "s-res-2769-2025-en#op-2-a");
  // Paragraph 13 runs from page 4 to page 5 (after a wrapped "(2011)"): one passage.
  const Passage* op13 = r.ByLocator("13");
  REQUIRE(op13);
  CHECK(op13->text.find("resolution 1970 (2011) shall at a later stage be made available") !=
        std::string::npos);
  const Passage* last = r.ByLocator("27");
  REQUIRE(last);
  CHECK(last->text == "27. Decides to remain actively seized of the matter.");
  CHECK(last->page == 7);
}

TEST_CASE("A report's lettered sub-paragraph (i) after (h) is one passage with its whole text",
          "[ingest][pdf][realdocs]") {
  if (!RealDocsPresent()) return;
  ReadPdf r = Read(testing::RealDocsDir() / "un" / "S_2025_22.en.pdf");
  const Passage* p = r.StartingWith("(i) Taking steps to ensure that financial institutions");
  REQUIRE(p);
  CHECK(p->text.find("as outlined in Financial Action Task Force recommendation 15.") !=
        std::string::npos);
  CHECK(p->locator.size() > 3);
  CHECK(p->locator.substr(p->locator.size() - 3) == "(i)");
}

TEST_CASE(
    "A two-column brief reads column by column, paragraphs run on across columns and "
    "pages, chart labels are no passages",
    "[ingest][pdf][realdocs]") {
  if (!RealDocsPresent()) return;
  ReadPdf r = Read(testing::RealDocsDir() / "pdf" /
                   "quarterly_brief_on_violence_affecting_civilians_july-september_2025.pdf");
  const Passage* across_columns = r.StartingWith("UNMISS HRD developed an incident-based");
  REQUIRE(across_columns);
  CHECK(across_columns->text.find("identified during field missions conducted by UNMISS HRD.") !=
        std::string::npos);
  const Passage* across_pages =
      r.StartingWith("The data presented in this brief is non-exhaustive");
  REQUIRE(across_pages);
  CHECK(across_pages->text.find("further exacerbated underreporting of human rights violations") !=
        std::string::npos);
  size_t fragments = 0, body = 0;
  for (const Passage& p : r.passages) {
    INFO(p.id << ": " << p.text);
    CHECK_FALSE(std::regex_match(p.text, std::regex(R"([\d\s.,%/()-]+)")));
    if (p.footnote) continue;
    ++body;
    if (std::islower(static_cast<unsigned char>(p.text[0]))) ++fragments;
  }
  CHECK(fragments * 20 <= body);  // at most 5%
}

}  // namespace
}  // namespace pillar
