#include "indexer/ingest/table_rows.h"

namespace pillar {

TableRows::Kind TableRows::Add(const std::vector<TableCell>& cells, bool marked_header,
                               std::string* text) {
  text->clear();
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
    bool header = marked_header || all_header || (rows_seen_ == 0 && all_bold && filled >= 2);
    ++rows_seen_;
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
