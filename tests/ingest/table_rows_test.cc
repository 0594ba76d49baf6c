#include "indexer/ingest/table_rows.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace pillar {
namespace {

TableCell Cell(std::string text, bool header = false, bool bold = false, int span = 1) {
  return TableCell{std::move(text), header, bold, span};
}

TEST_CASE("TableRows puts each cell after its column header and stacks header rows",
          "[ingest][tables]") {
  TableRows rows(3);
  std::string text;
  CHECK(rows.Add({Cell("Visits", true, false, 3)}, false, &text) == TableRows::Kind::kTitle);
  CHECK(text == "Visits");
  CHECK(rows.Add({Cell("When", true), Cell("Where", true, false, 2)}, false, &text) ==
        TableRows::Kind::kHeader);
  CHECK(rows.Add({Cell(""), Cell("from", true), Cell("to", true)}, false, &text) ==
        TableRows::Kind::kHeader);
  CHECK(rows.Add({Cell("May"), Cell("Camp"), Cell("Ford")}, false, &text) ==
        TableRows::Kind::kBody);
  CHECK(text == "When: May; Where from: Camp; Where to: Ford");
  // Once the body has started, a row of header cells is a body row.
  CHECK(rows.Add({Cell("June", true), Cell(""), Cell("Hill", true)}, false, &text) ==
        TableRows::Kind::kBody);
  CHECK(text == "When: June; Where to: Hill");
  CHECK(rows.Add({Cell(""), Cell("")}, false, &text) == TableRows::Kind::kEmpty);
  CHECK(text.empty());
}

TEST_CASE("TableRows takes a first row of bold cells as headers but not a later one",
          "[ingest][tables]") {
  TableRows rows(2);
  std::string text;
  CHECK(rows.Add({Cell("Team", false, true), Cell("Size", false, true)}, false, &text) ==
        TableRows::Kind::kHeader);
  CHECK(rows.Add({Cell("North"), Cell("6")}, false, &text) == TableRows::Kind::kBody);
  CHECK(text == "Team: North; Size: 6");
  CHECK(rows.Add({Cell("Total", false, true), Cell("6", false, true)}, false, &text) ==
        TableRows::Kind::kBody);
  CHECK(text == "Team: Total; Size: 6");
}

TEST_CASE("TableRows joins cells with semicolons when the table has no headers",
          "[ingest][tables]") {
  TableRows rows(3);
  std::string text;
  CHECK(rows.Add({Cell("a"), Cell(""), Cell("c")}, false, &text) == TableRows::Kind::kBody);
  CHECK(text == "a; c");
  CHECK(rows.Add({Cell("Lead", true), Cell("Liaison team"), Cell("weekly")}, false, &text) ==
        TableRows::Kind::kBody);
  CHECK(text == "Lead: Liaison team; weekly");
}

TEST_CASE("TableRows treats a row marked as header by the format as headers",
          "[ingest][tables]") {
  TableRows rows(2);
  std::string text;
  CHECK(rows.Add({Cell("Village"), Cell("Visits")}, true, &text) == TableRows::Kind::kHeader);
  CHECK(rows.Add({Cell("Village"), Cell("3")}, false, &text) == TableRows::Kind::kBody);
  // A cell equal to its header is not repeated after it.
  CHECK(text == "Village; Visits: 3");
}

TEST_CASE("TableRows repeats a cell spanning rows in each row it covers", "[ingest][tables]") {
  TableRows rows(3);
  std::string text;
  // Two header rows: "Document" spans both, "Resolution" spans two columns.
  TableCell document = Cell("Document", false, true);
  document.row_span = 2;
  CHECK(rows.Add({document, Cell("Resolution", false, true, 2)}, false, &text) ==
        TableRows::Kind::kHeader);
  CHECK(rows.Add({Cell("status", false, true), Cell("form", false, true)}, false, &text) ==
        TableRows::Kind::kHeader);
  TableCell report = Cell("report");
  report.row_span = 2;
  CHECK(rows.Add({report, Cell("draft"), Cell("in the body")}, false, &text) ==
        TableRows::Kind::kBody);
  CHECK(text == "Document: report; Resolution status: draft; Resolution form: in the body");
  CHECK(rows.Add({Cell("final"), Cell("attached")}, false, &text) == TableRows::Kind::kBody);
  CHECK(text == "Document: report; Resolution status: final; Resolution form: attached");
  // A DOCX cell merged with the one above takes its text.
  TableCell merged;
  merged.merged_up = true;
  CHECK(rows.Add({merged, Cell("later"), Cell("annexed")}, false, &text) ==
        TableRows::Kind::kBody);
  CHECK(text == "Document: report; Resolution status: later; Resolution form: annexed");
}

TEST_CASE("CellHoldsParagraphs flags long, multi-paragraph and nested-table cells",
          "[ingest][tables]") {
  CHECK_FALSE(CellHoldsParagraphs(CellSurvey{40, 2, false}));
  CHECK(CellHoldsParagraphs(CellSurvey{40, kMaxDataCellParagraphs, false}));
  CHECK(CellHoldsParagraphs(CellSurvey{kMaxDataCellBytes + 1, 1, false}));
  CHECK(CellHoldsParagraphs(CellSurvey{10, 1, true}));
}

}  // namespace
}  // namespace pillar
