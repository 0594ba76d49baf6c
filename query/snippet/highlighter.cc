#include "query/snippet/highlighter.h"

#include <algorithm>
#include <map>

#include "indexer/base/text.h"

namespace pillar {

Highlighter::Highlighter(std::set<std::string> terms, std::set<std::string> stems,
                         Analyzer& analyzer)
    : terms_(std::move(terms)), stems_(std::move(stems)), analyzer_(analyzer) {}

std::vector<Span> Highlighter::Matches(std::string_view text) const {
  std::vector<Span> spans;
  if (terms_.empty() && stems_.empty()) return spans;
  auto matches = [&](const std::string& term) {
    if (terms_.count(term)) return true;
    if (stems_.empty()) return false;
    const std::string& stem = analyzer_.Stem(term);
    return stems_.count(stem.empty() ? term : stem) > 0;
  };
  for (const Token& t : analyzer_.Tokenize(text)) {
    if (t.position == 0) continue;  // CJK bigrams overlap their characters
    if (matches(t.term) || matches(analyzer_.Fold(t.term))) spans.push_back({t.begin, t.end});
  }
  return spans;
}

Snippet Highlighter::Best(std::string_view text, size_t max_bytes) const {
  std::vector<Span> spans = Matches(text);
  Snippet out;
  size_t begin = 0;
  if (text.size() > max_bytes && !spans.empty()) {
    // Slide a window over the matches; score = distinct matched words inside it.
    size_t best_score = 0;
    size_t best_begin = spans.front().begin;
    for (size_t i = 0; i < spans.size(); ++i) {
      std::set<std::string_view> distinct;
      for (size_t j = i; j < spans.size() && spans[j].end - spans[i].begin <= max_bytes; ++j) {
        distinct.insert(text.substr(spans[j].begin, spans[j].end - spans[j].begin));
      }
      if (distinct.size() > best_score) {
        best_score = distinct.size();
        best_begin = spans[i].begin;
      }
    }
    // Start a little before the first match, at a word boundary.
    size_t lead = std::min<size_t>(best_begin, max_bytes / 5);
    begin = best_begin - lead;
    if (begin > 0) {
      size_t space = text.rfind(' ', best_begin);
      begin = (space != std::string_view::npos && space >= begin) ? space + 1 : CharStart(text, begin);
      if (begin > best_begin) begin = best_begin;
    }
    if (text.size() - begin < max_bytes) {
      begin = CharStart(text, text.size() - max_bytes);
      size_t space = text.find(' ', begin);
      if (space != std::string_view::npos && space < text.size()) begin = space + 1;
    }
  }
  size_t end = text.size();
  if (end - begin > max_bytes) {
    end = CharStart(text, begin + max_bytes);
    size_t space = text.rfind(' ', end);
    if (space != std::string_view::npos && space > begin) end = space;
  }
  const std::string kEllipsis = "\xE2\x80\xA6";  // …
  size_t shift = 0;
  if (begin > 0) {
    out.text = kEllipsis;
    shift = kEllipsis.size();
  }
  out.text.append(text.substr(begin, end - begin));
  if (end < text.size()) out.text += kEllipsis;
  for (const Span& s : spans) {
    if (s.begin >= begin && s.end <= end) {
      out.spans.push_back({s.begin - begin + shift, s.end - begin + shift});
    }
  }
  return out;
}

}  // namespace pillar
