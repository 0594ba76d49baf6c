#include "query/report/coverage_report.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "indexer/base/text.h"
#include "indexer/ingest/html_reader.h"
#include "query/cite/citation.h"
#include "query/cite/csv_export.h"

namespace pillar {
namespace {

// Heat map geometry, in SVG user units (pixels).
constexpr int kLabelWidth = 400;    // row labels on the left
constexpr int kCellWidth = 54;
constexpr int kCellHeight = 22;
constexpr int kGroupHeight = 22;    // the issuer line above each group of rows
constexpr int kSchemeHeight = 46;   // scheme headers (up to three lines)
constexpr int kConceptHeight = 165; // rotated concept labels
constexpr int kLegendWidth = 190;
constexpr int kTop = kSchemeHeight + kConceptHeight;

// The first `max_cp` code points of `s` (whole words when it is cut), with "…" when cut.
std::string Truncate(std::string_view s, size_t max_cp) {
  std::string out;
  size_t i = 0, n = 0, last_space = std::string::npos;
  while (i < s.size() && n < max_cp) {
    size_t start = i;
    char32_t cp = DecodeUtf8(s, i);
    if (cp == U' ') last_space = start;
    ++n;
  }
  if (i >= s.size()) return std::string(s);
  size_t cut = last_space != std::string::npos && last_space > i / 2 ? last_space : i;
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string Percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
  return buf;
}

std::string Fixed(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

struct Rgb {
  double r, g, b;
};

// ColorBrewer "Blues", light to dark.
constexpr Rgb kStops[] = {{247, 251, 255}, {198, 219, 239}, {107, 174, 214},
                          {33, 113, 181},  {8, 48, 107}};
constexpr int kStopCount = sizeof kStops / sizeof kStops[0];

// Colour of `t` in [0, 1] on the scale, as "#rrggbb".
std::string Colour(double t) {
  t = std::clamp(t, 0.0, 1.0);
  double pos = t * (kStopCount - 1);
  int k = std::min(static_cast<int>(pos), kStopCount - 2);
  double f = pos - k;
  auto mix = [&](double a, double b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(kStops[k].r, kStops[k + 1].r),
                mix(kStops[k].g, kStops[k + 1].g), mix(kStops[k].b, kStops[k + 1].b));
  return buf;
}

// Splits `text` into lines of at most `max_chars` characters at spaces (at most `max_lines`,
// the last one truncated).
std::vector<std::string> Wrap(const std::string& text, size_t max_chars, size_t max_lines) {
  std::vector<std::string> lines;
  std::string line;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t space = text.find(' ', pos);
    std::string word = text.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
    if (!line.empty() && CountCodePoints(line) + 1 + CountCodePoints(word) > max_chars) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    if (space == std::string::npos) break;
    pos = space + 1;
  }
  if (!line.empty()) lines.push_back(line);
  if (lines.size() > max_lines) {
    std::string rest;
    for (size_t k = max_lines - 1; k < lines.size(); ++k) rest += (rest.empty() ? "" : " ") + lines[k];
    lines.resize(max_lines);
    lines.back() = Truncate(rest, max_chars);
  }
  return lines;
}

std::string ShortSnippet(std::string_view text, size_t max_cp) {
  return Truncate(CollapseWhitespace(text), max_cp);
}

std::string DocLabel(const DocumentRecord& d) {
  std::string year = d.meta.Year();
  std::string title = d.meta.title.empty() ? d.meta.id : d.meta.title;
  return (year.empty() ? std::string() : year + " \xC2\xB7 ") + title;
}

std::string IssuerOf(const DocumentRecord& d) {
  return d.meta.issuer.empty() ? std::string("(no issuing body)") : d.meta.issuer;
}

// Cells of row R link to #cell-R-C.
std::string RowAnchor(size_t row) { return "cell-" + std::to_string(row); }
std::string CellAnchor(size_t row, size_t column) {
  return RowAnchor(row) + "-" + std::to_string(column);
}

// Contiguous runs of columns that share a scheme.
struct SchemeSpan {
  size_t first = 0, count = 0;
  std::string label;
};

std::vector<SchemeSpan> SchemeSpans(const std::vector<CoverageColumn>& columns) {
  std::vector<SchemeSpan> spans;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (spans.empty() || columns[spans.back().first].scheme_id != columns[c].scheme_id) {
      spans.push_back({c, 0, columns[c].scheme_label});
    }
    ++spans.back().count;
  }
  return spans;
}

// One row of a heat map: a document, or every document of an issuing body summed.
struct SvgRow {
  std::string group;      // the bold line above each run of rows with the same group
  std::string label;      // left of the row (truncated)
  std::string tip;        // the label's tooltip, and the first line of each cell's
  size_t passages = 0;
  const std::vector<size_t>* counts = nullptr;  // per column
  std::string anchor;     // cells link to "#<anchor>-<column>"; "" for no links
  std::string css = "doc";  // class of the label: "doc", or "issuer-sum" for a sum
  std::string no_rules;     // "no rules for Spanish (es)" when the row's language has none
  double Share(size_t c) const {
    return passages == 0 ? 0.0 : static_cast<double>((*counts)[c]) / passages;
  }
};

std::string Svg(const std::vector<CoverageColumn>& columns, const std::vector<SvgRow>& rows) {
  const size_t ncols = columns.size();
  const int grid_width = static_cast<int>(ncols) * kCellWidth;
  // The colour scale runs from 0 to the largest share rounded up to a tenth, so that sparse
  // coverage is still visible; the legend states the range.
  double max_share = 0;
  for (const SvgRow& r : rows) {
    for (size_t c = 0; c < ncols; ++c) max_share = std::max(max_share, r.Share(c));
  }
  double scale_max = std::max(0.1, std::ceil(max_share * 10 - 1e-9) / 10);

  // Row positions: a group line before each new group.
  std::vector<int> row_y(rows.size());
  std::vector<std::pair<int, std::string>> groups;  // y, group
  int y = kTop;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r == 0 || rows[r].group != rows[r - 1].group) {
      groups.emplace_back(y, rows[r].group);
      y += kGroupHeight;
    }
    row_y[r] = y;
    y += kCellHeight;
  }
  const int height = std::max(y + 16, kTop + 140);
  const int width = kLabelWidth + grid_width + 40 + kLegendWidth;

  std::string s;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
       "class=\"heatmap\" role=\"img\" width=\"" + std::to_string(width) + "\" height=\"" +
       std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
       std::to_string(height) + "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
  s += "<title>Share of each document's passages tagged with each concept</title>\n";
  s += "<defs><linearGradient id=\"scale\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">";
  for (int k = 0; k < kStopCount; ++k) {
    s += "<stop offset=\"" + Fixed(static_cast<double>(k) / (kStopCount - 1), 2) +
         "\" stop-color=\"" + Colour(static_cast<double>(k) / (kStopCount - 1)) + "\"/>";
  }
  s += "</linearGradient></defs>\n";

  // Scheme headers, each over its columns with a bracket line.
  for (const SchemeSpan& span : SchemeSpans(columns)) {
    int x0 = kLabelWidth + static_cast<int>(span.first) * kCellWidth;
    int w = static_cast<int>(span.count) * kCellWidth;
    size_t max_chars = std::max<size_t>(6, static_cast<size_t>(w / 6.6));
    std::vector<std::string> lines = Wrap(span.label, max_chars, 3);
    s += "<g class=\"scheme\"><text x=\"" + std::to_string(x0 + w / 2) +
         "\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" fill=\"#222\">";
    int line_y = kSchemeHeight - 8 - static_cast<int>(lines.size() - 1) * 12;
    for (const std::string& line : lines) {
      s += "<tspan x=\"" + std::to_string(x0 + w / 2) + "\" y=\"" + std::to_string(line_y) +
           "\">" + HtmlEscape(line) + "</tspan>";
      line_y += 12;
    }
    s += "</text><line x1=\"" + std::to_string(x0 + 3) + "\" x2=\"" + std::to_string(x0 + w - 3) +
         "\" y1=\"" + std::to_string(kSchemeHeight - 2) + "\" y2=\"" +
         std::to_string(kSchemeHeight - 2) + "\" stroke=\"#555\"/></g>\n";
  }
  // Concept labels, rotated, anchored at the bottom of each column.
  for (size_t c = 0; c < ncols; ++c) {
    int x = kLabelWidth + static_cast<int>(c) * kCellWidth + kCellWidth / 2;
    int ly = kTop - 6;
    s += "<text class=\"concept\" font-size=\"11\" fill=\"#222\" transform=\"translate(" +
         std::to_string(x) + "," + std::to_string(ly) + ") rotate(-55)\"><title>" +
         HtmlEscape(columns[c].concept_id + ": " + columns[c].label + " (" +
                    columns[c].scheme_label + ")") +
         "</title>" + HtmlEscape(ColumnHeader(columns[c])) + "</text>\n";
  }
  // Issuer lines and row labels.
  for (const auto& [gy, issuer] : groups) {
    s += "<text class=\"issuer\" x=\"4\" y=\"" + std::to_string(gy + 16) +
         "\" font-size=\"12\" font-weight=\"bold\" fill=\"#111\">" +
         HtmlEscape(Truncate(issuer, 60)) + "</text>";
    s += "<line x1=\"0\" x2=\"" + std::to_string(kLabelWidth + grid_width) + "\" y1=\"" +
         std::to_string(gy + kGroupHeight - 1) + "\" y2=\"" + std::to_string(gy + kGroupHeight - 1) +
         "\" stroke=\"#bbb\"/>\n";
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const SvgRow& row = rows[r];
    const bool no_rules = !row.no_rules.empty();
    s += "<text class=\"" + row.css + (no_rules ? " no-rules" : "") + "\" x=\"16\" y=\"" +
         std::to_string(row_y[r] + 15) + "\" font-size=\"11\" fill=\"" +
         (no_rules ? "#888" : "#222") + "\"><title>" +
         HtmlEscape(row.tip + (no_rules ? " \u2014 " + row.no_rules : "")) + "</title>" +
         HtmlEscape(Truncate(row.label, 58)) + "</text>\n";
    // A row in a language without rules: one grey band that says so, unless some passage is
    // tagged anyway (a manual tag, a rule without a language), whose cells are then shown.
    bool any_tag = false;
    for (size_t c = 0; c < ncols; ++c) any_tag = any_tag || (*row.counts)[c] > 0;
    if (no_rules && !any_tag) {
      s += "<g class=\"no-rules\"><rect x=\"" + std::to_string(kLabelWidth + 1) + "\" y=\"" +
           std::to_string(row_y[r] + 1) + "\" width=\"" + std::to_string(grid_width - 2) +
           "\" height=\"" + std::to_string(kCellHeight - 2) +
           "\" fill=\"#e4e4e4\"><title>" +
           HtmlEscape(row.label + "\n" + row.no_rules +
                      ": the taxonomy has no tagging rules in this document's language, so "
                      "its passages were not looked at") +
           "</title></rect><text x=\"" + std::to_string(kLabelWidth + grid_width / 2) +
           "\" y=\"" + std::to_string(row_y[r] + 15) +
           "\" text-anchor=\"middle\" font-size=\"10\" font-style=\"italic\" fill=\"#666\" "
           "pointer-events=\"none\">" + HtmlEscape(row.no_rules) + "</text></g>\n";
      continue;
    }
    for (size_t c = 0; c < ncols; ++c) {
      double share = row.Share(c);
      size_t count = (*row.counts)[c];
      int cx = kLabelWidth + static_cast<int>(c) * kCellWidth;
      std::string tip = row.label + "\n" + columns[c].label + " (" + columns[c].concept_id +
                        ")\n" + std::to_string(count) + " of " + std::to_string(row.passages) +
                        " passages (" + Percent(share) + ")" +
                        (no_rules ? "\n" + row.no_rules : "");
      std::string rect = "<rect class=\"cell\" x=\"" + std::to_string(cx + 1) + "\" y=\"" +
                         std::to_string(row_y[r] + 1) + "\" width=\"" +
                         std::to_string(kCellWidth - 2) + "\" height=\"" +
                         std::to_string(kCellHeight - 2) + "\" fill=\"" +
                         (count == 0 ? std::string(no_rules ? "#e4e4e4" : "#f3f3f3")
                                     : Colour(share / scale_max)) +
                         "\" data-count=\"" + std::to_string(count) + "\"><title>" +
                         HtmlEscape(tip) + "</title></rect>";
      if (count == 0) {
        s += rect + "\n";
        continue;
      }
      std::string text = "<text x=\"" + std::to_string(cx + kCellWidth / 2) + "\" y=\"" +
                         std::to_string(row_y[r] + 15) +
                         "\" text-anchor=\"middle\" font-size=\"10\" fill=\"" +
                         (share / scale_max > 0.55 ? "#fff" : "#123") +
                         "\" pointer-events=\"none\">" + Percent(share) + "</text>";
      if (row.anchor.empty()) {
        s += rect + text + "\n";
        continue;
      }
      std::string anchor = "#" + row.anchor + "-" + std::to_string(c);
      s += "<a href=\"" + anchor + "\" xlink:href=\"" + anchor + "\">" + rect + text + "</a>\n";
    }
  }
  // Legend.
  int lx = kLabelWidth + grid_width + 40;
  int ly = kTop + 24;
  s += "<g class=\"legend\"><text x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(ly) +
       "\" font-size=\"11\" font-weight=\"bold\" fill=\"#222\">document's passages</text><text x=\"" +
       std::to_string(lx) + "\" y=\"" + std::to_string(ly - 13) +
       "\" font-size=\"11\" font-weight=\"bold\" fill=\"#222\">Share of the</text>";
  s += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(ly + 8) + "\" width=\"" +
       std::to_string(kLegendWidth - 20) + "\" height=\"14\" fill=\"url(#scale)\" stroke=\"#888\"/>";
  for (int k = 0; k <= 2; ++k) {
    int tx = lx + k * (kLegendWidth - 20) / 2;
    s += "<text x=\"" + std::to_string(tx) + "\" y=\"" + std::to_string(ly + 36) +
         "\" font-size=\"10\" text-anchor=\"" + (k == 0 ? "start" : k == 1 ? "middle" : "end") +
         "\" fill=\"#222\">" + Percent(scale_max * k / 2) + "</text>";
  }
  s += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(ly + 48) +
       "\" width=\"14\" height=\"14\" fill=\"#f3f3f3\" stroke=\"#888\"/><text x=\"" +
       std::to_string(lx + 20) + "\" y=\"" + std::to_string(ly + 59) +
       "\" font-size=\"10\" fill=\"#222\">no passage tagged</text>";
  s += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(ly + 68) +
       "\" width=\"14\" height=\"14\" fill=\"#e4e4e4\" stroke=\"#888\"/><text x=\"" +
       std::to_string(lx + 20) + "\" y=\"" + std::to_string(ly + 79) +
       "\" font-size=\"10\" fill=\"#222\">no rules for the language</text>";
  s += "<text x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(ly + 102) +
       "\" font-size=\"10\" fill=\"#555\">Hover a cell for counts;</text><text x=\"" +
       std::to_string(lx) + "\" y=\"" + std::to_string(ly + 116) +
       "\" font-size=\"10\" fill=\"#555\">click it for its passages.</text></g>\n";
  s += "</svg>\n";
  return s;
}

}  // namespace

std::string LanguageName(const std::string& code) {
  icu::UnicodeString name;
  icu::Locale(code.c_str()).getDisplayLanguage(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  // ICU gives the code back for a language it does not know.
  if (out.empty() || out == code) return code;
  return out + " (" + code + ")";
}

std::string ColumnHeader(const CoverageColumn& column) {
  // About 32 characters fit the rotated header; the id always shows whole (ids are distinct,
  // labels need not be), the label takes what is left.
  constexpr size_t kFits = 32;
  size_t id_chars = CountCodePoints(column.concept_id);
  if (column.label == column.concept_id || id_chars + 6 > kFits) return column.concept_id;
  return column.concept_id + " \u00B7 " + Truncate(column.label, kFits - id_chars - 3);
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// Collects the passages listed on the page, at most `per_cell` under a cell.
class Lister {
 public:
  Lister(size_t snippet_chars, size_t per_cell)
      : snippet_chars_(snippet_chars), per_cell_(per_cell) {}
  void Add(CoverageRow& row, size_t column, size_t columns, const Passage& p) const {
    if (row.cells.size() < columns) row.cells.resize(columns);
    std::vector<CoveragePassage>& cell = row.cells[column];
    if (cell.size() >= per_cell_) return;
    cell.push_back({p.id, PinpointText(p), ShortSnippet(p.text, snippet_chars_)});
  }

 private:
  size_t snippet_chars_;
  size_t per_cell_;
};

// "fr-CA" -> "fr", lowercased, as the rule tagger compares languages.
std::string PrimaryLanguageOf(std::string_view tag) {
  std::string out(tag.substr(0, tag.find_first_of("-_")));
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// The distinct concept ids of a passage's tags, in order.
std::vector<std::string_view> DistinctConcepts(const Passage& p) {
  std::vector<std::string_view> seen;
  for (const Tag& t : p.tags) {
    if (std::find(seen.begin(), seen.end(), t.concept_id) == seen.end()) {
      seen.push_back(t.concept_id);
    }
  }
  return seen;
}

}  // namespace

Result<CoverageMatrix> BuildCoverage(Searcher& searcher, const Taxonomy& taxonomy,
                                     const CoverageOptions& options) {
  CoverageMatrix m;
  std::map<std::string, size_t, std::less<>> column_of;
  for (const ConceptScheme& scheme : taxonomy.schemes()) {
    for (const std::string& id : scheme.concepts) {
      const Concept* c = taxonomy.Find(id);
      if (!c || column_of.count(id)) continue;
      column_of[id] = m.columns.size();
      m.columns.push_back({id, c->Label("en"), scheme.id, scheme.Label("en")});
    }
  }
  // First pass: counts for every document; the listed passages too while the documents
  // seen so far would all be on the page (then no second pass is needed).
  std::unordered_map<std::string, size_t> row_of;
  bool listing = true;
  Lister lister(options.snippet_chars, kMaxListedPerCell);
  Status st = searcher.ForEachPassage(
      options.filter, [&](const Passage& p, const DocumentRecord& d) {
        auto [it, fresh] = row_of.emplace(p.doc_id, m.rows.size());
        if (fresh) {
          m.rows.push_back({d, false, 0, {}, {}});
          if (listing && m.rows.size() > kMaxPageRows) {
            listing = false;
            for (CoverageRow& r : m.rows) std::vector<std::vector<CoveragePassage>>().swap(r.cells);
          }
        }
        CoverageRow& row = m.rows[it->second];
        ++row.passages;
        ++m.passages;
        for (std::string_view concept_id : DistinctConcepts(p)) {
          auto col = column_of.find(concept_id);
          if (col == column_of.end()) {
            col = column_of.emplace(std::string(concept_id), m.columns.size()).first;
            m.columns.push_back(
                {std::string(concept_id), std::string(concept_id), "other", "Other concepts"});
          }
          if (row.counts.size() < m.columns.size()) row.counts.resize(m.columns.size());
          ++row.counts[col->second];
          if (listing) lister.Add(row, col->second, m.columns.size(), p);
        }
      });
  if (!st.ok()) return st;
  for (CoverageRow& row : m.rows) row.counts.resize(m.columns.size());
  std::set<std::string> rule_languages;
  for (const Concept& c : taxonomy.concepts()) {
    for (const Rule& rule : c.rules) {
      if (!rule.language.empty()) rule_languages.insert(PrimaryLanguageOf(rule.language));
    }
  }
  m.rule_languages.assign(rule_languages.begin(), rule_languages.end());
  if (!rule_languages.empty()) {
    for (CoverageRow& row : m.rows) {
      row.no_rules = !rule_languages.count(PrimaryLanguageOf(row.document.meta.language));
    }
  }
  std::stable_sort(m.rows.begin(), m.rows.end(), [](const CoverageRow& a, const CoverageRow& b) {
    const DocumentMetadata &x = a.document.meta, &y = b.document.meta;
    if (x.issuer != y.issuer) {
      if (x.issuer.empty() || y.issuer.empty()) return y.issuer.empty();
      return x.issuer < y.issuer;
    }
    if (x.date != y.date) return x.date < y.date;
    return x.id < y.id;
  });

  m.page_rows.resize(m.rows.size());
  for (size_t r = 0; r < m.rows.size(); ++r) m.page_rows[r] = r;
  if (m.rows.size() > kMaxPageRows) {
    std::stable_sort(m.page_rows.begin(), m.page_rows.end(),
                     [&](size_t a, size_t b) { return m.rows[a].passages > m.rows[b].passages; });
    m.page_rows.resize(kMaxPageRows);
    std::sort(m.page_rows.begin(), m.page_rows.end());
  }
  // The page lists the same number of passages under every cell, as many as fit in
  // kMaxListedPassages (at least one, at most kMaxListedPerCell).
  size_t tagged_cells = 0;
  for (size_t r : m.page_rows) {
    for (size_t count : m.rows[r].counts) tagged_cells += count > 0;
  }
  const size_t per_cell = std::clamp<size_t>(
      kMaxListedPassages / std::max<size_t>(1, tagged_cells), 1, kMaxListedPerCell);
  if (listing) {
    for (CoverageRow& row : m.rows) {
      for (std::vector<CoveragePassage>& cell : row.cells) {
        if (cell.size() > per_cell) cell.resize(per_cell);
      }
    }
  } else {
    // Second pass: only the documents on the page.
    SearchRequest request = options.filter;
    request.docs.clear();
    std::unordered_map<std::string, size_t> page_row_of;
    for (size_t r : m.page_rows) {
      request.docs.push_back(m.rows[r].document.meta.id);
      page_row_of.emplace(m.rows[r].document.meta.id, r);
    }
    const Lister page_lister(options.snippet_chars, per_cell);
    st = searcher.ForEachPassage(request, [&](const Passage& p, const DocumentRecord&) {
      auto row = page_row_of.find(p.doc_id);
      if (row == page_row_of.end()) return;
      for (std::string_view concept_id : DistinctConcepts(p)) {
        auto col = column_of.find(concept_id);
        // A concept first seen now (the index changed between the passes) has no column.
        if (col == column_of.end()) continue;
        page_lister.Add(m.rows[row->second], col->second, m.columns.size(), p);
      }
    });
    if (!st.ok()) return st;
  }
  for (size_t r : m.page_rows) m.rows[r].cells.resize(m.columns.size());
  return m;
}

void WriteCoverageHtml(const CoverageMatrix& m, const std::string& title,
                       const std::string& csv_name, std::ostream& out) {
  const bool partial = m.page_rows.size() < m.rows.size();
  size_t tagged_cells = 0;
  for (size_t r : m.page_rows) {
    for (size_t count : m.rows[r].counts) tagged_cells += count > 0;
  }
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"generator\" content=\"" << kPillarReportGenerator << "\">\n<title>"
      << HtmlEscape(title)
      << "</title>\n<style>\n"
         "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;background:#fff}\n"
         "h1{font-size:22px;margin:0 0 4px}\n"
         "figure{margin:0;overflow-x:auto}\n"
         "p.summary{color:#555;margin:0 0 16px}\n"
         "p.notice{background:#fff7d6;border:1px solid #e6d48a;padding:8px 10px;margin:0 0 16px}\n"
         ".heatmap a rect.cell:hover{stroke:#d62728;stroke-width:2}\n"
         "section.cell{border-top:1px solid #ddd;padding:8px 0}\n"
         "section.cell:target{background:#fff7d6}\n"
         "h2{font-size:18px;margin:28px 0 6px}\n"
         "h3{font-size:14px;margin:4px 0}\n"
         "ol.passages{margin:4px 0 4px 20px;padding:0}\n"
         "ol.passages li{margin:3px 0;font-size:13px}\n"
         "p.more{font-size:13px;color:#555;margin:4px 0 4px 20px}\n"
         "code{font-size:12px;background:#f4f4f4;padding:0 3px}\n"
         ".pin{color:#555}\n"
         "table.columns{border-collapse:collapse;font-size:13px;margin:8px 0 16px}\n"
         "table.columns td,table.columns th{border-bottom:1px solid #ddd;padding:2px 10px 2px 0;"
         "text-align:left}\n"
         "</style>\n</head>\n<body>\n";
  out << "<h1>" << HtmlEscape(title) << "</h1>\n";
  out << "<p class=\"summary\">" << m.rows.size() << " documents, " << m.passages
      << " passages, " << m.columns.size()
      << " concepts. Each cell is the share of a document's passages tagged with a concept "
         "(rule, model and manual tags as stored in the index).</p>\n";
  std::map<std::string, size_t> without_rules;  // language -> documents
  for (const CoverageRow& row : m.rows) {
    if (row.no_rules) ++without_rules[row.document.meta.language];
  }
  if (!without_rules.empty()) {
    size_t documents = 0;
    std::string languages;
    for (const auto& [language, n] : without_rules) {
      documents += n;
      languages += (languages.empty() ? "" : ", ") + LanguageName(language);
    }
    std::string covered;
    for (const std::string& language : m.rule_languages) {
      covered += (covered.empty() ? "" : ", ") + LanguageName(language);
    }
    out << "<p class=\"notice\" id=\"no-rules\">" << documents
        << (documents == 1 ? " document is" : " documents are") << " in "
        << HtmlEscape(languages) << ", for which the taxonomy has no tagging rules (it has "
        << HtmlEscape(covered)
        << "): their rows say \"no rules\" in grey, since an empty cell there means the "
           "passages were not looked at, not that the concept is absent.</p>\n";
  }

  std::vector<SvgRow> rows;
  if (partial) {
    size_t more = m.rows.size() - m.page_rows.size();
    out << "<p class=\"notice\" id=\"more-documents\">" << more
        << " more documents: this page shows the " << m.page_rows.size()
        << " documents with the most passages, and every document summed by issuing body. "
        << (csv_name.empty()
                ? std::string("Write every document's row with <code>pillar report --csv "
                              "FILE</code>.")
                : "Every document's row is in the CSV, <code>" + HtmlEscape(csv_name) +
                      "</code>.")
        << "</p>\n";
    // Every document summed by issuing body (the largest kMaxIssuerRows, the rest as one).
    struct Sum {
      std::string issuer;
      size_t documents = 0, passages = 0;
      std::vector<size_t> counts;
    };
    std::vector<Sum> sums;
    for (const CoverageRow& row : m.rows) {
      std::string issuer = IssuerOf(row.document);
      if (sums.empty() || sums.back().issuer != issuer) {
        sums.push_back({issuer, 0, 0, std::vector<size_t>(m.columns.size())});
      }
      Sum& sum = sums.back();
      ++sum.documents;
      sum.passages += row.passages;
      for (size_t c = 0; c < m.columns.size(); ++c) sum.counts[c] += row.counts[c];
    }
    if (sums.size() > kMaxIssuerRows) {
      std::stable_sort(sums.begin(), sums.end(),
                       [](const Sum& a, const Sum& b) { return a.passages > b.passages; });
      Sum rest{"", 0, 0, std::vector<size_t>(m.columns.size())};
      size_t bodies = sums.size() - (kMaxIssuerRows - 1);
      for (size_t k = kMaxIssuerRows - 1; k < sums.size(); ++k) {
        rest.documents += sums[k].documents;
        rest.passages += sums[k].passages;
        for (size_t c = 0; c < m.columns.size(); ++c) rest.counts[c] += sums[k].counts[c];
      }
      rest.issuer = "(" + std::to_string(bodies) + " other issuing bodies)";
      sums.resize(kMaxIssuerRows - 1);
      sums.push_back(std::move(rest));
    }
    for (const Sum& sum : sums) {
      std::string label = sum.issuer + " (" + std::to_string(sum.documents) + " documents)";
      rows.push_back({"All documents, by issuing body", label, label, sum.passages, &sum.counts,
                      "", "issuer-sum", ""});
    }
    out << "<h2>All " << m.rows.size() << " documents, by issuing body</h2>\n<figure>\n"
        << Svg(m.columns, rows) << "</figure>\n";
    out << "<h2>The " << m.page_rows.size() << " documents with the most passages</h2>\n";
    rows.clear();
  }
  for (size_t r : m.page_rows) {
    const CoverageRow& row = m.rows[r];
    rows.push_back({IssuerOf(row.document), DocLabel(row.document),
                    row.document.meta.id + " \xE2\x80\x94 " + DocLabel(row.document),
                    row.passages, &row.counts, RowAnchor(r), "doc", ""});
    if (row.no_rules) {
      rows.back().no_rules = "no rules for " + LanguageName(row.document.meta.language);
    }
  }
  out << "<figure>\n" << Svg(m.columns, rows) << "</figure>\n";
  rows.clear();
  // The column key: the full labels the rotated headers shorten.
  out << "<table class=\"columns\" id=\"columns\">\n<tr><th>Column</th><th>Concept</th>"
         "<th>Scheme</th></tr>\n";
  for (const CoverageColumn& column : m.columns) {
    out << "<tr><td><code>" << HtmlEscape(column.concept_id) << "</code></td><td>"
        << HtmlEscape(column.label) << "</td><td>" << HtmlEscape(column.scheme_label)
        << "</td></tr>\n";
  }
  out << "</table>\n";

  out << "<h2 id=\"passages\">Passages by cell</h2>\n";
  for (size_t r : m.page_rows) {
    const CoverageRow& row = m.rows[r];
    for (size_t c = 0; c < m.columns.size(); ++c) {
      size_t count = row.counts[c];
      if (count == 0) continue;
      const std::vector<CoveragePassage>& cell = row.cells[c];
      out << "<section class=\"cell\" id=\"" << CellAnchor(r, c) << "\">\n<h3>"
          << HtmlEscape(m.columns[c].label) << " <span class=\"pin\">("
          << HtmlEscape(m.columns[c].concept_id) << ")</span> \xE2\x80\x94 "
          << HtmlEscape(DocLabel(row.document)) << " <span class=\"pin\">" << count << " of "
          << row.passages << " passages, " << Percent(row.Share(c)) << "</span></h3>\n";
      if (!cell.empty()) {
        out << "<ol class=\"passages\">\n";
        for (const CoveragePassage& p : cell) {
          out << "<li><code>" << HtmlEscape(p.passage_id) << "</code>";
          if (!p.pinpoint.empty()) out << " <span class=\"pin\">" << HtmlEscape(p.pinpoint) << "</span>";
          out << " \xE2\x80\x94 " << HtmlEscape(p.snippet) << "</li>\n";
        }
        out << "</ol>\n";
      }
      if (cell.size() < count) {
        out << "<p class=\"more\">" << (count - cell.size())
            << (cell.empty() ? " passages" : " more passages")
            << " not listed on this page: <code>pillar export --doc "
            << HtmlEscape(row.document.meta.id) << " --pillar "
            << HtmlEscape(m.columns[c].concept_id) << "</code> gives them.</p>\n";
      }
      out << "</section>\n";
    }
  }
  if (tagged_cells == 0) out << "<p>No passage is tagged with any concept.</p>\n";
  out << "</body>\n</html>\n";
}

std::string CoverageHtml(const CoverageMatrix& m, const std::string& title,
                         const std::string& csv_name) {
  std::ostringstream out;
  WriteCoverageHtml(m, title, csv_name, out);
  return std::move(out).str();
}

void WriteCoverageCsv(const CoverageMatrix& m, std::ostream& out) {
  std::vector<std::string> header = {"doc_id", "title", "issuer", "date", "passages"};
  for (const CoverageColumn& c : m.columns) header.push_back(c.concept_id);
  out << CsvRecord(header);
  for (const CoverageRow& row : m.rows) {
    // The text columns come from documents: defused, since this file is opened in
    // spreadsheets (the numbers never start with a formula character).
    std::vector<std::string> fields = {
        DefuseFormula(row.document.meta.id), DefuseFormula(row.document.meta.title),
        DefuseFormula(row.document.meta.issuer), DefuseFormula(row.document.meta.date),
        std::to_string(row.passages)};
    for (size_t c = 0; c < m.columns.size(); ++c) fields.push_back(Fixed(row.Share(c), 4));
    out << CsvRecord(fields);
  }
}

std::string CoverageCsv(const CoverageMatrix& m) {
  std::ostringstream out;
  WriteCoverageCsv(m, out);
  return std::move(out).str();
}

}  // namespace pillar
