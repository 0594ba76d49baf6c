#include "indexer/ingest/table_rows.h"

#include <algorithm>

namespace pillar {

std::vector<TableCell> TableRows::Place(const std::vector<TableCell>& cells) {
  std::vector<TableCell> placed;
  size_t column = 0, next = 0;
  auto carry_from = [&](size_t col) {
    for (size_t k = col; k < carry_.size(); ++k) {
      if (carry_[k].rows_left > 0) return true;
    }
    return false;
  };
  while (next < cells.size() || carry_from(column)) {
    if (column < carry_.size() && carry_[column].rows_left > 0) {
      --carry_[column].rows_left;
      placed.push_back(carry_[column].cell);
      column += static_cast<size_t>(std::max(1, carry_[column].cell.span));
      continue;
    }
    if (next >= cells.size()) {
      ++column;
      continue;
    }
    TableCell cell = cells[next++];
    cell.span = std::clamp(cell.span, 1, 1000);
    if (cell.merged_up && column < above_.size()) {
      cell.text = above_[column].text;
      cell.header = above_[column].header;
      cell.bold = above_[column].bold;
    }
    if (cell.row_span > 1) {
      if (carry_.size() <= column) carry_.resize(column + 1);
      carry_[column] = Carry{cell, std::min(cell.row_span, 1000) - 1};
      carry_[column].cell.row_span = 1;
    }
    placed.push_back(cell);
    column += static_cast<size_t>(cell.span);
  }
  above_.clear();
  size_t at = 0;
  for (const TableCell& c : placed) {
    above_.resize(at + static_cast<size_t>(c.span), c);
    at += static_cast<size_t>(c.span);
  }
  return placed;
}

TableRows::Kind TableRows::Add(const std::vector<TableCell>& row, bool marked_header,
                               std::string* text) {
  text->clear();
  std::vector<TableCell> cells = Place(row);
  int filled = 0;
  bool all_header = true, all_bold = true;
  for (const TableCell& c : cells) {
    if (c.text.empty()) continue;
    ++filled;
    all_header = all_header && c.header;
    all_bold = all_bold && c.bold;
  }
  if (filled == 0) return Kind::kEmpty;
  if (!body_started_) {
    bool header = marked_header || all_header ||
                  (all_bold && (rows_seen_ == 0 ? filled >= 2 : last_was_header_));
    ++rows_seen_;
    last_was_header_ = header;
    if (header) {
      if (filled == 1 && cells.size() == 1 && columns_ > 1) {
        *text = cells[0].text;
        return Kind::kTitle;
      }
      size_t column = 0;
      for (const TableCell& c : cells) {
        for (int k = 0; k < c.span; ++k, ++column) {
          if (headers_.size() <= column) headers_.resize(column + 1);
          std::string& h = headers_[column];
          if (c.text.empty() || h == c.text) continue;
          h = h.empty() ? c.text : h + " " + c.text;
        }
      }
      return Kind::kHeader;
    }
    body_started_ = true;
  }
  bool row_header = headers_.empty() && cells.size() >= 2 && cells[0].header &&
                    !cells[0].text.empty();
  size_t column = 0;
  for (const TableCell& c : cells) {
    size_t at = column;
    column += static_cast<size_t>(c.span < 1 ? 1 : c.span);
    if (c.text.empty()) continue;
    if (!text->empty()) *text += row_header && *text == cells[0].text ? ": " : "; ";
    if (at < headers_.size() && !headers_[at].empty() && headers_[at] != c.text) {
      *text += headers_[at] + ": ";
    }
    *text += c.text;
  }
  return Kind::kBody;
}

}  // namespace pillar
