// Reading Zotero exports (CSL-JSON and Better BibTeX) into catalog fields (issue 21).

#include "indexer/ingest/zotero_import.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::SourceDir;
using testing::TempDir;

const ZoteroItem* ByKeyEnd(const ZoteroExport& e, const std::string& end) {
  for (const ZoteroItem& item : e.items) {
    if (item.key.size() >= end.size() &&
        item.key.compare(item.key.size() - end.size(), end.size(), end) == 0) {
      return &item;
    }
  }
  return nullptr;
}

TEST_CASE("A Zotero CSL-JSON export maps to titles, issuers, authors, symbols, dates and types",
          "[ingest][zotero]") {
  Result<ZoteroExport> e = LoadZoteroExport(SourceDir() / "tests/fixtures/zotero/poc-library.json");
  REQUIRE(e.ok());
  CHECK(e->errors.empty());
  REQUIRE(e->items.size() == 7);

  const ZoteroItem* res = ByKeyEnd(*e, "8XKQ2M4P");
  REQUIRE(res);
  CHECK(res->meta.title == "Resolution 2719 (2023)");
  CHECK(res->meta.issuer == "United Nations Security Council");
  CHECK(res->meta.symbol == "S/RES/2719 (2023)");
  CHECK(res->meta.date == "2023-12-21");  // date-parts given as strings
  CHECK(res->meta.type == "resolution");
  CHECK(res->meta.language == "en");
  REQUIRE(res->files.size() == 1);
  CHECK(res->files[0] == "/home/researcher/Zotero/storage/8XKQ2M4P/s-res-2719-2023.txt");

  const ZoteroItem* guidelines = ByKeyEnd(*e, "J8PL2X6V");
  REQUIRE(guidelines);
  CHECK(guidelines->meta.type == "guidelines");
  CHECK(guidelines->meta.date == "2012");
  CHECK(guidelines->meta.language == "en");  // en-GB

  const ZoteroItem* policy = ByKeyEnd(*e, "T6ZB9M3H");
  REQUIRE(policy);
  CHECK(policy->meta.language == "en");  // "English"
  CHECK(policy->files.size() == 2);

  const ZoteroItem* brief = ByKeyEnd(*e, "R2HD5K8Q");
  REQUIRE(brief);
  CHECK(brief->meta.author == "Joseph Kariuki-Lind; Helena Baptiste");
  CHECK(brief->meta.issuer == "Northbridge Peace Operations Forum");  // the publisher
  CHECK(brief->meta.date == "2024-02");
  CHECK(brief->meta.type == "brief");

  const ZoteroItem* web = ByKeyEnd(*e, "F9VC4N1W");
  REQUIRE(web);
  CHECK(web->meta.date == "2024-05-14");  // from "raw"
  CHECK(web->meta.type == "article");
  CHECK(web->meta.issuer == "Tamarind Peace Teams, Lower Vell office");
  CHECK(web->meta.author == "Amara Oduya");

  const ZoteroItem* book = ByKeyEnd(*e, "B7MA3S5E");
  REQUIRE(book);
  CHECK(book->doi == "10.1093/law/9780198730286.001.0001");
}

TEST_CASE("A Better BibTeX export is read with its braces and TeX escapes undone",
          "[ingest][zotero]") {
  Result<ZoteroExport> e = LoadZoteroExport(SourceDir() / "tests/fixtures/zotero/poc-library.bib");
  REQUIRE(e.ok());
  REQUIRE(e->items.size() == 3);
  // The entry with a missing brace is reported with its line; the one after it is still read.
  REQUIRE(e->errors.size() == 1);
  CHECK(e->errors[0].where == "line 27");

  const ZoteroItem& hippo = e->items[0];
  CHECK(hippo.meta.title ==
        "Report of the High-Level Independent Panel on Peace Operations on Uniting Our Strengths "
        "for Peace: Politics, Partnership and People");
  CHECK(hippo.meta.issuer == "High-Level Independent Panel on Peace Operations");
  CHECK(hippo.meta.symbol == "A/70/95-S/2015/446");
  CHECK(hippo.meta.date == "2015-06");
  CHECK(hippo.meta.type == "report");
  CHECK(hippo.meta.language == "en");
  CHECK(hippo.files ==
        std::vector<std::string>{"/home/researcher/Zotero/storage/C4WN7R2D/hippo-2015.txt"});

  const ZoteroItem& brief = e->items[1];
  CHECK(brief.meta.author == "Joseph Kariuki-Lind; H\u00e9l\u00e8na Baptiste");
  CHECK(brief.meta.issuer == "Northbridge Peace Operations Forum");
  CHECK(brief.meta.type == "brief");
  // Zotero's own "description:path:mime" form.
  CHECK(brief.files ==
        std::vector<std::string>{"/home/researcher/Zotero/storage/R2HD5K8Q/think-tank-brief.html"});

  const ZoteroItem& res = e->items[2];
  CHECK(res.meta.type == "resolution");
  CHECK(res.meta.date == "2023-12-21");
  CHECK(res.meta.url == "https://undocs.org/S/RES/2719(2023)");
}

TEST_CASE("Malformed JSON in a Zotero export is reported with its line and column",
          "[ingest][zotero]") {
  Result<ZoteroExport> e = ParseCslJsonExport("[\n  {\"id\": \"a\",\n   \"title\": }\n]");
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message().find("line 3") != std::string::npos);
  Result<ZoteroExport> odd =
      ParseCslJsonExport("[1, {\"id\": \"x\"}, {\"id\": \"y\", \"title\": \"T\"}]");
  REQUIRE(odd.ok());
  CHECK(odd->items.size() == 1);
  CHECK(odd->errors.size() == 2);
}

TEST_CASE("Zotero import matches by DOI when the catalog names the file by its doi.org URL",
          "[ingest][zotero]") {
  TempDir dir;
  dir.Write("corpus/book.txt", "Protection of civilians: a chapter.\n");
  dir.Write("corpus/catalog.xml",
            "<catalog><document id=\"poc-book\" file=\"book.txt\"><url>https://doi.org/10.1093/"
            "LAW/9780198730286.001.0001</url></document></catalog>\n");
  Result<ZoteroExport> e = LoadZoteroExport(SourceDir() / "tests/fixtures/zotero/poc-library.json");
  REQUIRE(e.ok());
  ZoteroImportOptions options;
  options.corpus = dir.path() / "corpus";
  options.catalog = dir.path() / "corpus/catalog.xml";
  Result<ZoteroImportReport> r = ImportZotero(e->items, options);
  REQUIRE(r.ok());
  REQUIRE(r->matched.size() == 1);
  CHECK(r->matched[0].how == ZoteroMatch::kDoi);
  CHECK(r->matched[0].doc_id == "poc-book");
  CHECK(r->catalog_xml.find("<title>Protection of Civilians</title>") != std::string::npos);
  CHECK(r->unmatched_items.size() == 6);
}

TEST_CASE("Zotero import refuses a malformed catalog and names its line", "[ingest][zotero]") {
  TempDir dir;
  dir.Write("corpus/a.txt", "Text.\n");
  dir.Write("corpus/catalog.xml", "<catalog>\n<document id=\"a\" file=\"a.txt\">\n</catalog>\n");
  ZoteroImportOptions options;
  options.corpus = dir.path() / "corpus";
  options.catalog = dir.path() / "corpus/catalog.xml";
  Result<ZoteroImportReport> r = ImportZotero({}, options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("line 3") != std::string::npos);
}

}  // namespace
}  // namespace pillar
