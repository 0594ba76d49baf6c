#pragma once

#include "indexer/ingest/reader.h"

namespace pillar {

// HTML through gumbo (HTML5 parsing rules, so real-world tag soup parses as a browser would).
// Read() never fails on malformed markup: it returns Ok, with no blocks when the page has no
// readable text (ReadDocument then reports "no text found").
//
// Content root: the largest outermost <article> (unless <main> holds four times its text, which
// makes it a teaser card); else <main> or role="main"; else <body>. Only that subtree is read,
// except that a page-title <h1> placed just above the article is brought in when the article
// has none.
//
// Blocks: h1-h6 become headings; p, li, dt, dd, caption, figcaption, blockquote, pre and text
// lying loose in div/section/article become paragraphs. Word-exported paragraphs: classes
// MsoTitle/MsoHeadingN (p-Title/p-HeadingN from converters) are headings, and a short,
// entirely bold MsoNormal/p-Normal paragraph is a heading one level below the last one.
// Tables (rule in indexer/ingest/table_rows.h): a data table gives one paragraph per row,
// "Header: cell; Header: cell", its caption or title row a heading; a layout table (no row
// with two filled cells, or cells holding whole paragraphs) is read as its paragraphs.
// Each text node belongs to its innermost block, so nested blocks never repeat text; inline markup joins without changing
// spaces; <br> is a space and two <br>s in a row end a paragraph. Footnote sections (class or
// id naming footnotes/endnotes, role="doc-endnotes", Word's mso-element:footnote-list) become
// kFootnote blocks, and note markers in the text ("<sup><a href="#fn3">3</a></sup>") are
// dropped.
//
// Dropped: script, style, noscript, template, forms and their controls, iframe, svg, media,
// nav, aside, a site-level <header>/<footer> (inside an article only their headings are kept),
// hidden elements, chrome roles (navigation, banner, contentinfo, complementary, search...),
// and elements whose class/id words name menus, breadcrumbs, cookie banners, share and social
// widgets, related links, newsletters, comments, sidebars, adverts, pull quotes or bylines.
// Class words match whole parts of a token ("site-nav", "cookieBanner"), never substrings of
// other words ("research", "commentary"); they are not applied to <p> and headings (except
// bylines), nor to inline elements inside running text, nor to an element holding most of the
// page's text (a wrapper named "has-sidebar" is still the page). Afterwards, a blockquote or
// quote box whose words already appear in the body is dropped as a pull quote, and a paragraph
// repeating an earlier one verbatim (20 bytes or more) is kept once; table rows are exempt.
//
// Metadata (only what the page states; the catalog wins over all of it): title from <title>,
// minus a " | Site" part when og:title, citation_title or an <h1> confirms the rest, else
// og:title/citation_title/dc.title/<h1>; author from meta author, dc.creator or
// citation_author (several joined with "; "); date as YYYY[-MM[-DD]] from meta date,
// article:published_time, dc.date, citation_publication_date..., else a byline's <time
// datetime>; language from <html lang> ("en-GB" -> "en"), else content-language or og:locale.
//
// Depth and size: every walk uses an explicit stack and gumbo's tree is freed without
// recursion, so a page nested 100,000 deep is safe on a small thread stack; all passes are
// linear in the page size.
class HtmlReader : public Reader {
 public:
  std::string_view Name() const override { return "html"; }
  Status Read(const std::filesystem::path& path, std::string_view bytes,
              ExtractedDocument* out) const override;
};

// Pillar's own HTML output (pillar report) carries <meta name="generator" content=
// "Pillar report ...">: a report saved into a corpus folder is not a document to index.
inline constexpr std::string_view kPillarReportGenerator = "Pillar report";
// True when the head of `bytes` (the first 4 KB) holds that generator tag.
bool IsPillarReport(std::string_view bytes);

}  // namespace pillar
