#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pillar {

// How the HTML and DOCX readers read tables: a data table becomes one paragraph per row, each
// cell after its column header ("Date: 3 January 2019; Meeting: S/PV.8436; Topic: ..."), so a
// row is found, cited and tagged whole; a layout table is read as the paragraphs it holds.
//
// A table is a layout table when no row has two cells with text (a column of boxes), or when
// a cell holds whole paragraphs: kMaxDataCellParagraphs text blocks or more, more than
// kMaxDataCellBytes of text, or a table of its own.
constexpr size_t kMaxDataCellBytes = 700;
constexpr int kMaxDataCellParagraphs = 3;

// What a reader measured of one cell while surveying a table.
struct CellSurvey {
  size_t text_bytes = 0;
  int paragraphs = 0;       // text blocks holding visible text
  bool has_table = false;   // a nested table
};

// True when a cell like `cell` makes its table a layout table.
inline bool CellHoldsParagraphs(const CellSurvey& cell) {
  return cell.has_table || cell.text_bytes > kMaxDataCellBytes ||
         cell.paragraphs >= kMaxDataCellParagraphs;
}

struct TableCell {
  std::string text;     // whitespace collapsed; "" for an empty cell
  bool header = false;  // a <th>
  bool bold = false;    // all its text is bold
  int span = 1;         // columns covered (colspan, gridSpan)
  int row_span = 1;     // rows covered, this one included (HTML rowspan)
  bool merged_up = false;  // continues the cell above (DOCX w:vMerge): takes its text
};

// Turns the rows of one data table, in order, into paragraphs.
//
// Header rows come before the first body row: a row marked as header by the format (<thead>,
// w:tblHeader), a row of <th> cells only, or a first row whose cells (two or more) are all
// bold. A header row with a single cell across a wider table is the table's title. Several
// header rows stack their texts per column. Rows without headers join their cells with "; ",
// except that a header cell opening the row names the rest ("Function: text"). A cell that
// spans several rows (rowspan, w:vMerge) counts in each of them, so every row reads whole;
// a second header row counts as one when it is all bold and follows a header row.
class TableRows {
 public:
  enum class Kind { kEmpty, kTitle, kHeader, kBody };

  // `columns`: the widest row of the table, counting spans.
  explicit TableRows(int columns) : columns_(columns) {}

  // Reads the next row. kTitle: *text is the table's title; kBody: *text is the row's
  // paragraph; kHeader and kEmpty: nothing to add (*text is left empty).
  Kind Add(const std::vector<TableCell>& cells, bool marked_header, std::string* text);

 private:
  // Places `cells` in their columns: cells spanning down from earlier rows are put back in,
  // merged cells take the text above.
  std::vector<TableCell> Place(const std::vector<TableCell>& cells);

  struct Carry {
    TableCell cell;
    int rows_left = 0;
  };
  int columns_;
  std::vector<Carry> carry_;          // by column: a cell spanning down into coming rows
  std::vector<TableCell> above_;      // by column: the cells of the previous row
  bool last_was_header_ = false;
  std::vector<std::string> headers_;  // by column
  bool body_started_ = false;
  int rows_seen_ = 0;
};

}  // namespace pillar
