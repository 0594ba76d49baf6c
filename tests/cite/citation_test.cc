#include "query/cite/citation.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "query/search/searcher.h"
#include "tests/cite/cite_test_support.h"

namespace pillar {
namespace {

using nlohmann::json;
using testing::Pandoc;
using testing::TempDir;

DocumentRecord Resolution() {
  DocumentRecord d;
  d.meta.id = "s-res-2719-2023";
  d.meta.title = "Resolution 2719 (2023)";
  d.meta.issuer = "United Nations Security Council";
  d.meta.symbol = "S/RES/2719 (2023)";
  d.meta.date = "2023-12-21";
  d.meta.language = "en";
  d.meta.type = "resolution";
  d.meta.url = "https://undocs.org/S/RES/2719(2023)";
  return d;
}

DocumentRecord Hippo() {
  DocumentRecord d;
  d.meta.id = "hippo-2015";
  d.meta.title = "Report of the High-Level Independent Panel on Peace Operations";
  d.meta.issuer = "High-Level Independent Panel on Peace Operations";
  d.meta.symbol = "A/70/95-S/2015/446";
  d.meta.date = "2015-06-17";
  d.meta.language = "en";
  d.meta.type = "report";
  d.meta.url = "https://undocs.org/A/70/95";
  return d;
}

// Every character BibTeX treats specially, accents and Arabic, in a title and an issuer.
DocumentRecord Tricky() {
  DocumentRecord d;
  d.meta.id = "tricky-2024";
  d.meta.title = "Protection & safety: 100% of $5 for #1 a_b {x} ~y^ back\\slash \xC3\xA9t\xC3\xA9 "
                 "\xD8\xB3\xD9\x8A\xD8\xA7\xD8\xB3\xD8\xA9";  // été سياسة
  d.meta.issuer = "Civilians & Co {Relief} 100%";
  d.meta.symbol = "X/2024/1_a#2";
  d.meta.date = "2024-03";
  d.meta.language = "fr";
  d.meta.type = "policy";
  d.meta.url = "https://example.org/a_b%20c?x=1&y=2#frag";
  return d;
}

Passage MakePassage(const std::string& doc_id, const std::string& locator, int page = 0,
                    bool footnote = false) {
  Passage p;
  p.doc_id = doc_id;
  p.id = doc_id + "#x";
  p.locator = locator;
  p.page = page;
  p.footnote = footnote;
  p.text = "5. Stresses that operations shall protect civilians.";
  return p;
}

std::string Format(const std::vector<CiteItem>& items, CitationFormat f, bool quote = false) {
  CitationOptions o;
  o.format = f;
  o.quote = quote;
  return FormatCitations(items, o);
}

// pandoc writes typographic apostrophes for LaTeX input; compare with plain ones.
std::string Plain(std::string s) {
  for (size_t at = s.find("\xE2\x80\x99"); at != std::string::npos; at = s.find("\xE2\x80\x99")) {
    s.replace(at, 3, "'");
  }
  return s;
}

const json& ItemById(const json& items, const std::string& id) {
  for (const json& item : items) {
    if (item.value("id", "") == id) return item;
  }
  FAIL("no item " << id << " in " << items.dump());
  static json none;
  return none;
}

std::vector<int> DateParts(const json& item) {
  std::vector<int> out;
  for (const json& v : item["issued"]["date-parts"][0]) {
    out.push_back(v.is_string() ? std::stoi(v.get<std::string>()) : v.get<int>());
  }
  return out;
}

TEST_CASE("Citation keys come from the document id and stay unique", "[cite]") {
  CHECK(CitationKey("s-res-2719-2023") == "s_res_2719_2023");
  CHECK(CitationKey("hippo-2015") == "hippo_2015");
  CHECK(CitationKey("2015-report") == "doc_2015_report");
  CHECK(CitationKey("--") == "doc");
  CHECK(CitationKey("\xD8\xB3-policy") == "policy");
  std::vector<std::string> keys = CitationKeys({"a-b", "a_b", "a-b", "A.B"});
  CHECK(keys == std::vector<std::string>{"a_b", "a_b_2", "a_b", "a_b_3"});
}

TEST_CASE("Pinpoints read as printed: paragraphs, preambular paragraphs, articles, footnotes, pages",
          "[cite]") {
  CHECK(PinpointText(MakePassage("d", "5(a)")) == "para. 5(a)");
  CHECK(PinpointText(MakePassage("d", "PP3")) == "preambular para. 3");
  CHECK(PinpointText(MakePassage("d", "Article 5")) == "Article 5");
  CHECK(PinpointText(MakePassage("d", "fn2", 0, true)) == "footnote 2");
  CHECK(PinpointText(MakePassage("d", "", 12)) == "p. 12");
  CHECK(PinpointText(MakePassage("d", "7(b)", 2)) == "para. 7(b), p. 2");
  CHECK(PinpointText(MakePassage("d", "")) == "");

  CslLocator para = CslLocatorOf(MakePassage("d", "5(a)"));
  CHECK(para.locator == "5(a)");
  CHECK(para.label == "paragraph");
  CslLocator art = CslLocatorOf(MakePassage("d", "Article 5"));
  CHECK(art.locator == "5");
  CHECK(art.label == "article-locator");
  CslLocator page = CslLocatorOf(MakePassage("d", "", 12));
  CHECK(page.locator == "12");
  CHECK(page.label == "page");
  CHECK(CslLocatorOf(MakePassage("d", "fn2", 0, true)).label == "note");
}

TEST_CASE("The text style names an SC resolution by number and quotes without the paragraph number",
          "[cite]") {
  std::string line = Format({{Resolution(), MakePassage("s-res-2719-2023", "5")}},
                            CitationFormat::kText, true);
  CHECK(line ==
        "United Nations Security Council, resolution 2719 (2023), S/RES/2719 (2023), "
        "21 December 2023, para. 5: \xE2\x80\x9CStresses that operations shall protect "
        "civilians.\xE2\x80\x9D. https://undocs.org/S/RES/2719(2023)\n");
  std::string report = Format({{Hippo(), std::nullopt}}, CitationFormat::kText);
  CHECK(report ==
        "High-Level Independent Panel on Peace Operations, Report of the High-Level Independent "
        "Panel on Peace Operations, A/70/95-S/2015/446, 17 June 2015. https://undocs.org/A/70/95\n");
  CHECK(HumanDate("2024-02") == "February 2024");
  CHECK(HumanDate("2012") == "2012");
}

TEST_CASE("Citations of a passage read by OCR say so in every format", "[cite][ocr]") {
  Passage scanned = MakePassage("s-res-2719-2023", "5", 1);
  scanned.ocr = true;
  Passage typeset = MakePassage("s-res-2719-2023", "6", 2);
  std::string line = Format({{Resolution(), scanned}}, CitationFormat::kText, true);
  CHECK(line ==
        "United Nations Security Council, resolution 2719 (2023), S/RES/2719 (2023), "
        "21 December 2023, para. 5, p. 1 (text from OCR): \xE2\x80\x9CStresses that operations "
        "shall protect civilians.\xE2\x80\x9D. https://undocs.org/S/RES/2719(2023)\n");
  CHECK(Format({{Resolution(), typeset}}, CitationFormat::kText).find("OCR") ==
        std::string::npos);

  json csl = json::parse(Format({{Resolution(), scanned}}, CitationFormat::kCslJson));
  CHECK(csl[0]["note"] == std::string(kOcrCslNote));
  CHECK_FALSE(json::parse(Format({{Resolution(), typeset}}, CitationFormat::kCslJson))[0]
                  .contains("note"));
  json citation = json::parse(Format({{Resolution(), typeset}, {Resolution(), scanned}},
                                     CitationFormat::kCslCitation));
  CHECK_FALSE(citation["citationItems"][0]["itemData"].contains("note"));
  CHECK(citation["citationItems"][1]["itemData"]["note"] == std::string(kOcrCslNote));

  std::string ris =
      Format({{Resolution(), scanned}, {Resolution(), typeset}}, CitationFormat::kRis);
  CHECK(ris.find("N1  - Cited: para. 5, p. 1 (s-res-2719-2023#x) (text from OCR)\r\n") !=
        std::string::npos);
  CHECK(ris.find("N1  - Cited: para. 6, p. 2 (s-res-2719-2023#x)\r\n") != std::string::npos);
  std::string bib = Format({{Resolution(), scanned}}, CitationFormat::kBibtex);
  CHECK(bib.find("\\cite[para.~5, p.~1]{s_res_2719_2023} (text from OCR)\n") !=
        std::string::npos);
}

TEST_CASE("CSL-JSON uses legislation for resolutions, report for reports, literal institutional "
          "authors and the symbol as number",
          "[cite]") {
  json items = json::parse(Format({{Resolution(), MakePassage("s-res-2719-2023", "5")},
                                   {Hippo(), std::nullopt},
                                   {Resolution(), MakePassage("s-res-2719-2023", "PP3")}},
                                  CitationFormat::kCslJson));
  REQUIRE(items.size() == 2);  // one item per document
  const json& res = items[0];
  CHECK(res["id"] == "s_res_2719_2023");
  CHECK(res["type"] == "legislation");
  CHECK(res["author"] == json::parse(R"([{"literal": "United Nations Security Council"}])"));
  CHECK(res["number"] == "S/RES/2719 (2023)");
  CHECK(res["issued"] == json::parse(R"({"date-parts": [[2023, 12, 21]]})"));
  CHECK(res["URL"] == "https://undocs.org/S/RES/2719(2023)");
  CHECK(res["publisher"] == "United Nations");
  CHECK(items[1]["type"] == "report");
  CHECK(items[1]["genre"] == "Report");
  CHECK(items[1]["publisher"] == "United Nations");  // a UN symbol

  json citation = json::parse(Format({{Resolution(), MakePassage("s-res-2719-2023", "5(a)")},
                                      {Hippo(), MakePassage("hippo-2015", "", 12)}},
                                     CitationFormat::kCslCitation));
  REQUIRE(citation["citationItems"].size() == 2);
  CHECK(citation["citationItems"][0]["id"] == "s_res_2719_2023");
  CHECK(citation["citationItems"][0]["locator"] == "5(a)");
  CHECK(citation["citationItems"][0]["label"] == "paragraph");
  CHECK(citation["citationItems"][0]["itemData"]["type"] == "legislation");
  CHECK(citation["citationItems"][1]["locator"] == "12");
  CHECK(citation["citationItems"][1]["label"] == "page");
}

TEST_CASE("BibTeX escapes every special character and double-braces corporate authors", "[cite]") {
  CHECK(BibtexEscape("a & b % c $ d # e _ f { g } h ~ i ^ j \\ k") ==
        "a \\& b \\% c \\$ d \\# e \\_ f \\{ g \\} h \\textasciitilde{} i \\textasciicircum{} j "
        "\\textbackslash{} k");
  CHECK(BibtexEscape("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");  // UTF-8 kept
  std::string bib = Format({{Resolution(), MakePassage("s-res-2719-2023", "5")}},
                           CitationFormat::kBibtex);
  CHECK(bib.find("@techreport{s_res_2719_2023,") != std::string::npos);
  CHECK(bib.find("author      = {{United Nations Security Council}},") != std::string::npos);
  CHECK(bib.find("month       = dec,") != std::string::npos);
  CHECK(bib.find("note        = {\\url{https://undocs.org/S/RES/2719(2023)}},") !=
        std::string::npos);
  CHECK(bib.find("% s-res-2719-2023#x: \\cite[para.~5]{s_res_2719_2023}") != std::string::npos);
  std::string biblatex = Format({{Resolution(), std::nullopt}}, CitationFormat::kBiblatex);
  CHECK(biblatex.find("@report{s_res_2719_2023,") != std::string::npos);
  CHECK(biblatex.find("date        = {2023-12-21},") != std::string::npos);
  CHECK(biblatex.find("url         = {https://undocs.org/S/RES/2719(2023)},") != std::string::npos);
}

// pandoc's reading of one of our records, checked field by field.
void CheckPandocItem(const json& item, const DocumentRecord& d, const std::string& key,
                     bool url_in_note) {
  INFO(item.dump(2));
  CHECK(item["id"] == key);
  CHECK(Plain(item["title"].get<std::string>()) == d.meta.title);
  REQUIRE(item["author"].size() == 1);
  CHECK(item["author"][0]["literal"] == d.meta.issuer);
  CHECK(item["number"] == d.meta.symbol);
  if (url_in_note) {
    CHECK(item["note"] == d.meta.url);
  } else {
    CHECK(item["URL"] == d.meta.url);
  }
  std::vector<int> parts = DateParts(item);
  REQUIRE(!parts.empty());
  CHECK(parts[0] == std::stoi(d.meta.date.substr(0, 4)));
  if (d.meta.date.size() >= 7) {
    REQUIRE(parts.size() >= 2);
    CHECK(parts[1] == std::stoi(d.meta.date.substr(5, 2)));
  }
  // BibTeX has no day: only BibLaTeX and CSL-JSON carry it.
  if (d.meta.date.size() >= 10 && !url_in_note) {
    REQUIRE(parts.size() == 3);
    CHECK(parts[2] == std::stoi(d.meta.date.substr(8, 2)));
  }
}

TEST_CASE("pandoc reads BibTeX, BibLaTeX and CSL-JSON back with title, author, date, number and "
          "URL intact",
          "[cite][pandoc]") {
  TempDir dir;
  std::vector<DocumentRecord> docs = {Resolution(), Hippo(), Tricky()};
  std::vector<CiteItem> items;
  for (const DocumentRecord& d : docs) items.push_back({d, std::nullopt});
  items.push_back({Resolution(), MakePassage("s-res-2719-2023", "5")});
  std::vector<std::string> keys = {"s_res_2719_2023", "hippo_2015", "tricky_2024"};

  struct Case {
    const char* pandoc_format;
    CitationFormat format;
    bool url_in_note;
  };
  for (const Case& c : {Case{"bibtex", CitationFormat::kBibtex, true},
                        Case{"biblatex", CitationFormat::kBiblatex, false},
                        Case{"csljson", CitationFormat::kCslJson, false}}) {
    SECTION(c.pandoc_format) {
      std::string input = Format(items, c.format), out;
      INFO(input);
      REQUIRE(Pandoc(dir, c.pandoc_format, input, &out) == 0);
      json parsed = json::parse(out);
      REQUIRE(parsed.size() == docs.size());
      for (size_t k = 0; k < docs.size(); ++k) {
        CheckPandocItem(ItemById(parsed, keys[k]), docs[k], keys[k], c.url_in_note);
      }
      const json& res = ItemById(parsed, "s_res_2719_2023");
      if (c.format == CitationFormat::kCslJson) {
        CHECK(res["type"] == "legislation");
      } else {
        CHECK(res["type"] == "report");
        CHECK(res["genre"] == "Resolution");
        CHECK(res["publisher"] == "United Nations");
      }
    }
  }
}

TEST_CASE("pandoc reads the citations of every sample document", "[cite][pandoc]") {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(testing::SampleIndex());
  REQUIRE(searcher.ok());
  Result<std::vector<DocumentRecord>> docs = (*searcher)->Documents();
  REQUIRE(docs.ok());
  REQUIRE(docs->size() >= 10);
  std::vector<CiteItem> items;
  for (const DocumentRecord& d : *docs) items.push_back({d, std::nullopt});
  TempDir dir;
  for (auto [from, format] : {std::pair{"bibtex", CitationFormat::kBibtex},
                              std::pair{"biblatex", CitationFormat::kBiblatex},
                              std::pair{"csljson", CitationFormat::kCslJson}}) {
    std::string out;
    INFO(from);
    REQUIRE(Pandoc(dir, from, Format(items, format), &out) == 0);
    json parsed = json::parse(out);
    REQUIRE(parsed.size() == docs->size());
    for (const DocumentRecord& d : *docs) {
      const json& item = ItemById(parsed, CitationKey(d.meta.id));
      INFO(d.meta.id);
      if (!d.meta.title.empty()) CHECK(Plain(item["title"].get<std::string>()) == d.meta.title);
      if (!d.meta.symbol.empty()) CHECK(item["number"] == d.meta.symbol);
      CHECK(item.contains("author"));
      if (!d.meta.date.empty()) CHECK(DateParts(item)[0] == std::stoi(d.meta.date.substr(0, 4)));
    }
  }
}

// A reader for what we write: RIS lines "TAG  - value" with CRLF, TY first, ER last.
struct RisRecord {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string Get(const std::string& tag) const {
    for (const auto& [t, v] : fields) {
      if (t == tag) return v;
    }
    return "";
  }
  size_t Count(const std::string& tag) const {
    size_t n = 0;
    for (const auto& f : fields) n += f.first == tag;
    return n;
  }
};

std::vector<RisRecord> ParseRis(const std::string& text) {
  std::vector<RisRecord> records;
  bool open = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t crlf = text.find("\r\n", pos);
    REQUIRE(crlf != std::string::npos);  // every line ends with CRLF
    std::string line = text.substr(pos, crlf - pos);
    pos = crlf + 2;
    INFO("line: " << line);
    REQUIRE(line.find('\n') == std::string::npos);
    REQUIRE(line.find('\r') == std::string::npos);
    REQUIRE(line.size() >= 6);
    std::string tag = line.substr(0, 2);
    CHECK(std::isupper(static_cast<unsigned char>(tag[0])));
    CHECK(std::isalnum(static_cast<unsigned char>(tag[1])));
    REQUIRE(line.substr(2, 4) == "  - ");
    std::string value = line.substr(6);
    if (tag == "TY") {
      REQUIRE(!open);
      records.emplace_back();
      open = true;
    } else {
      REQUIRE(open);  // TY comes first
    }
    if (tag == "ER") {
      CHECK(value.empty());
      open = false;
      continue;
    }
    records.back().fields.emplace_back(tag, value);
  }
  REQUIRE(!open);  // ER comes last
  return records;
}

TEST_CASE("RIS round-trips through a parser and follows Zotero's mapping for reports and "
          "resolutions",
          "[cite]") {
  std::string ris = Format({{Resolution(), MakePassage("s-res-2719-2023", "5")},
                            {Hippo(), MakePassage("hippo-2015", "25")},
                            {Tricky(), std::nullopt}},
                           CitationFormat::kRis);
  CHECK(ris.substr(0, 8) == "TY  - ST");
  CHECK(ris.substr(ris.size() - 8) == "ER  - \r\n");
  std::vector<RisRecord> records = ParseRis(ris);
  REQUIRE(records.size() == 3);

  const RisRecord& res = records[0];
  CHECK(res.Get("TY") == "STAT");
  CHECK(res.Get("TI") == "Resolution 2719 (2023)");
  CHECK(res.Get("AU") == "United Nations Security Council");
  CHECK(res.Get("PY") == "2023");
  CHECK(res.Get("DA") == "2023/12/21");
  CHECK(res.Get("M1") == "S/RES/2719 (2023)");  // statute: Public Law Number
  CHECK(res.Count("SN") == 0);
  CHECK(res.Get("PB") == "United Nations");
  CHECK(res.Get("UR") == "https://undocs.org/S/RES/2719(2023)");
  CHECK(res.Get("LA") == "en");
  CHECK(res.Get("N1").find("para. 5") != std::string::npos);

  const RisRecord& report = records[1];
  CHECK(report.Get("TY") == "RPRT");
  CHECK(report.Get("SN") == "A/70/95-S/2015/446");  // report: Report Number
  CHECK(report.Count("M1") == 0);                   // M1 would land in Extra
  CHECK(report.Get("M3") == "Report");
  CHECK(report.Get("DA") == "2015/06/17");

  const RisRecord& tricky = records[2];
  CHECK(tricky.Get("TY") == "RPRT");
  CHECK(tricky.Get("TI") == Tricky().meta.title);  // UTF-8 kept as is
  CHECK(tricky.Get("DA") == "2024/03/");
  CHECK(tricky.Get("LA") == "fr");
}

TEST_CASE("Unknown citation formats are refused with the list of formats", "[cite]") {
  Result<CitationFormat> f = ParseCitationFormat("mla");
  REQUIRE(!f.ok());
  CHECK(f.status().code() == Status::Code::kInvalidArgument);
  CHECK(f.status().message().find("csl-json") != std::string::npos);
  CHECK(ParseCitationFormat("ris").ok());
}

}  // namespace
}  // namespace pillar
