#include "indexer/ingest/html_reader.h"

#include <gumbo.h>

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/html_depth.h"
#include "indexer/ingest/table_rows.h"

// How the reader works, in three passes over gumbo's tree (each linear, each with an explicit
// stack so that nesting depth costs heap, not call stack):
//
//  1. Survey: the whole document. Collects <title>, <meta>, <html lang>, the candidates for
//     the content root (<article>, <main>, role="main", <body>), and for every element whose
//     own attributes look like boilerplate, its class/id/role signals and how many bytes of
//     text it holds. Those sizes let pass 2 refuse to drop a "boilerplate" element that in
//     fact wraps most of the page (`<div class="content has-sidebar">`, an ASP.NET <form>).
//  2. Extraction: the content root only. Every text node lands in exactly one buffer, owned by
//     the innermost block element around it; entering or leaving a block flushes the buffer as
//     one block. So `<li>Item <ul><li>Sub</li></ul></li>` gives "Item" and "Sub", and nested
//     blocks never duplicate text. Headings and <pre> are atomic: blocks inside them only add
//     a space.
//  3. Clean-up: pull quotes that repeat body text and verbatim repeats are removed, then the
//     blocks go into the ExtractedDocument.

namespace pillar {
namespace {

// --- Memory ---------------------------------------------------------------------------------

// gumbo_destroy_output() frees the tree recursively, one call per nesting level, so a page of a
// few hundred thousand nested elements overflows the stack there (a 1 MiB thread stack already
// fails at 100,000). Gumbo therefore allocates through this heap, which links every live block
// into a list and frees what is left in one loop; gumbo_destroy_output() is never called.
class GumboHeap {
 public:
  GumboHeap() = default;
  GumboHeap(const GumboHeap&) = delete;
  GumboHeap& operator=(const GumboHeap&) = delete;
  ~GumboHeap() {
    Header* h = head_.next;
    while (h != &head_) {
      Header* next = h->next;
      std::free(h);
      h = next;
    }
  }

  static void* Allocate(void* userdata, size_t size) {
    auto* heap = static_cast<GumboHeap*>(userdata);
    auto* h = static_cast<Header*>(std::malloc(sizeof(Header) + size));
    // Gumbo does not check for null; crashing later inside it would be harder to diagnose.
    if (h == nullptr) std::abort();
    h->prev = &heap->head_;
    h->next = heap->head_.next;
    heap->head_.next->prev = h;
    heap->head_.next = h;
    return h + 1;
  }

  static void Deallocate(void*, void* ptr) {
    if (ptr == nullptr) return;
    Header* h = static_cast<Header*>(ptr) - 1;
    h->prev->next = h->next;
    h->next->prev = h->prev;
    std::free(h);
  }

 private:
  // Aligned like malloc's result, so the payload after it is too.
  struct alignas(alignof(std::max_align_t)) Header {
    Header* prev;
    Header* next;
  };
  Header head_{&head_, &head_};  // sentinel of a circular list
};

// --- Small helpers --------------------------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <size_t N>
bool IsOneOf(std::string_view s, const std::string_view (&words)[N]) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool HasNonSpace(std::string_view s) {
  for (char c : s) {
    if (!IsAsciiSpace(c)) return true;
  }
  return false;
}

const GumboVector* Children(const GumboNode* node) {
  switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      return &node->v.document.children;
    case GUMBO_NODE_ELEMENT:
      return &node->v.element.children;
    default:
      return nullptr;  // text, comments, and <template> contents (inert by definition)
  }
}

const GumboNode* ChildAt(const GumboVector& children, unsigned i) {
  return static_cast<const GumboNode*>(children.data[i]);
}

std::string_view Attr(const GumboNode* element, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&element->v.element.attributes, name);
  return a != nullptr ? std::string_view(a->value) : std::string_view();
}

bool HasAttr(const GumboNode* element, const char* name) {
  return gumbo_get_attribute(&element->v.element.attributes, name) != nullptr;
}

// The lowercase name of an element gumbo does not know (it reports GUMBO_TAG_UNKNOWN), read
// from the source text of its start tag; "" when the parser inserted it.
std::string UnknownTagName(const GumboNode* element) {
  GumboStringPiece piece = element->v.element.original_tag;
  if (piece.length == 0) return {};
  gumbo_tag_from_original_text(&piece);
  return Lower(std::string_view(piece.data, piece.length));
}

using TagSet = std::bitset<GUMBO_TAG_LAST + 1>;

TagSet MakeTagSet(std::initializer_list<GumboTag> tags) {
  TagSet set;
  for (GumboTag tag : tags) set.set(tag);
  return set;
}

bool IsHeadingTag(GumboTag tag) { return tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6; }

// Elements that start a new block of text (CSS display: block, list-item, table-*).
bool IsBlockTag(GumboTag tag) {
  static const TagSet kTags = MakeTagSet(
      {GUMBO_TAG_HTML,    GUMBO_TAG_BODY,       GUMBO_TAG_ADDRESS,    GUMBO_TAG_ARTICLE,
       GUMBO_TAG_ASIDE,   GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_CENTER,     GUMBO_TAG_DD,
       GUMBO_TAG_DETAILS, GUMBO_TAG_DIR,        GUMBO_TAG_DIV,        GUMBO_TAG_DL,
       GUMBO_TAG_DT,      GUMBO_TAG_FIELDSET,   GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,
       GUMBO_TAG_FOOTER,  GUMBO_TAG_FORM,       GUMBO_TAG_H1,         GUMBO_TAG_H2,
       GUMBO_TAG_H3,      GUMBO_TAG_H4,         GUMBO_TAG_H5,         GUMBO_TAG_H6,
       GUMBO_TAG_HEADER,  GUMBO_TAG_HGROUP,     GUMBO_TAG_HR,         GUMBO_TAG_LEGEND,
       GUMBO_TAG_LI,      GUMBO_TAG_LISTING,    GUMBO_TAG_MAIN,       GUMBO_TAG_MENU,
       GUMBO_TAG_NAV,     GUMBO_TAG_OL,         GUMBO_TAG_P,          GUMBO_TAG_PLAINTEXT,
       GUMBO_TAG_PRE,     GUMBO_TAG_SECTION,    GUMBO_TAG_SUMMARY,    GUMBO_TAG_TABLE,
       GUMBO_TAG_CAPTION, GUMBO_TAG_THEAD,      GUMBO_TAG_TBODY,      GUMBO_TAG_TFOOT,
       GUMBO_TAG_TR,      GUMBO_TAG_TD,         GUMBO_TAG_TH,         GUMBO_TAG_UL,
       GUMBO_TAG_XMP});
  return kTags[tag];
}

// Blocks that hold running text. Inline elements inside them are never dropped for their
// class names: `<p>Statement by <span class="author">the Secretary-General</span></p>` must
// keep its words.
bool IsTextBlockTag(GumboTag tag) {
  static const TagSet kTags =
      MakeTagSet({GUMBO_TAG_P, GUMBO_TAG_LI, GUMBO_TAG_DD, GUMBO_TAG_DT, GUMBO_TAG_TD, GUMBO_TAG_TH,
                  GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_CAPTION,
                  GUMBO_TAG_ADDRESS, GUMBO_TAG_SUMMARY, GUMBO_TAG_LEGEND, GUMBO_TAG_H1,
                  GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6});
  return kTags[tag];
}

// Within these, a <header>/<footer> belongs to a section (an article's title block), not to
// the site (HTML's rule for when <header> is a banner).
bool IsSectioningTag(GumboTag tag) {
  return tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_MAIN ||
         tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_BLOCKQUOTE ||
         tag == GUMBO_TAG_FIGURE || tag == GUMBO_TAG_DETAILS || tag == GUMBO_TAG_TD;
}

// Subtrees that never hold readable text: code, styles, embedded media and widgets, form
// controls, and navigation.
bool IsAlwaysDropped(const GumboNode* element) {
  static const TagSet kTags =
      MakeTagSet({GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,    GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE,
                  GUMBO_TAG_IFRAME,   GUMBO_TAG_FRAME,    GUMBO_TAG_FRAMESET, GUMBO_TAG_NOFRAMES,
                  GUMBO_TAG_OBJECT,   GUMBO_TAG_EMBED,    GUMBO_TAG_APPLET,   GUMBO_TAG_PARAM,
                  GUMBO_TAG_CANVAS,   GUMBO_TAG_SVG,      GUMBO_TAG_MATH,     GUMBO_TAG_VIDEO,
                  GUMBO_TAG_AUDIO,    GUMBO_TAG_SOURCE,   GUMBO_TAG_TRACK,    GUMBO_TAG_IMG,
                  GUMBO_TAG_IMAGE,    GUMBO_TAG_MAP,      GUMBO_TAG_AREA,     GUMBO_TAG_BUTTON,
                  GUMBO_TAG_SELECT,   GUMBO_TAG_TEXTAREA, GUMBO_TAG_INPUT,    GUMBO_TAG_OPTION,
                  GUMBO_TAG_OPTGROUP, GUMBO_TAG_DATALIST, GUMBO_TAG_KEYGEN,   GUMBO_TAG_OUTPUT,
                  GUMBO_TAG_PROGRESS, GUMBO_TAG_METER,    GUMBO_TAG_HEAD,     GUMBO_TAG_TITLE,
                  GUMBO_TAG_META,     GUMBO_TAG_LINK,     GUMBO_TAG_BASE,     GUMBO_TAG_NAV,
                  GUMBO_TAG_MENU,     GUMBO_TAG_MENUITEM, GUMBO_TAG_NOEMBED,  GUMBO_TAG_BGSOUND,
                  GUMBO_TAG_MARQUEE});
  GumboTag tag = element->v.element.tag;
  if (kTags[tag]) return true;
  if (tag == GUMBO_TAG_UNKNOWN) {
    std::string name = UnknownTagName(element);
    return name == "dialog" || name == "search";
  }
  return element->v.element.tag_namespace != GUMBO_NAMESPACE_HTML;
}

// --- Boilerplate signals from class, id, role, style ----------------------------------------

enum Signal : uint32_t {
  kSigDrop = 1u << 0,          // class/id names boilerplate: menus, share bars, cookie banners
  kSigHeadingsOnly = 1u << 1,  // class/id names a page/article header or byline: keep headings
  kSigPullQuote = 1u << 2,
  kSigQuoteLike = 1u << 3,  // a quote or call-out box: dropped later if it repeats the body
  kSigFootnotes = 1u << 4,  // a footnotes/endnotes container (class, id, role, Word styles)
  kSigNoteRef = 1u << 5,    // a footnote reference or back-link marker
  kSigHidden = 1u << 6,     // hidden, aria-hidden="true", display:none
  kSigRoleDrop = 1u << 7,   // role="navigation", "banner", "contentinfo", "complementary"...
  kSigRoleMain = 1u << 8,   // role="main"
  kSigByline = 1u << 9,     // class/id names a byline or dateline: metadata, even on a <p>
};

// Words matched against the parts of a class or id token ("site-nav__list" has the parts
// "site", "nav", "list"). Whole parts rather than substrings, so that "research" is not
// "search", "commentary" is not "comment", and "canvas" is not "nav".
constexpr std::string_view kDropParts[] = {
    "nav",          "navbar",     "navigation",    "menu",        "menus",       "submenu",
    "megamenu",     "breadcrumb", "breadcrumbs",   "cookie",      "cookies",     "consent",
    "gdpr",         "share",      "shares",        "sharebar",    "sharebox",    "sharing",
    "sharelinks",   "sharetools", "related",       "newsletter",  "newsletters", "subscribe",
    "subscription", "signup",     "comment",       "comments",    "commentlist", "disqus",
    "sidebar",      "advert",     "advertisement", "advertising", "ad",          "ads",
    "adslot",       "sponsor",    "sponsored",     "promo",       "footer",      "skip",
    "print",        "noprint",    "tags",          "tagcloud",    "popup",       "modal",
    "toolbar",      "cta",        "donate",        "pagination",  "pager",       "feedback",
    "search",       "popular",    "trending",      "outbrain",    "taboola",     "login",
};
// Parts that start with these ("cookiebanner", "relatedposts", "navbar-top").
constexpr std::string_view kDropPrefixes[] = {
    "breadcrumb", "cookie",  "consent", "gdpr",     "newsletter", "sidebar", "navbar",
    "navigation", "navmenu", "navlist", "navlink",  "menu",       "advert",  "sharing",
    "subscribe",  "signup",  "related", "outbrain", "taboola",    "footer",
};
// Parts that end with these ("mainnav", "topmenu", "sitefooter").
constexpr std::string_view kDropSuffixes[] = {
    "nav", "navbar", "navigation", "menu", "sidebar", "footer", "breadcrumb", "breadcrumbs",
};
// Substrings of a whole token, for names that only mean boilerplate as a compound.
constexpr std::string_view kDropCompounds[] = {
    "skip-link",      "skip-to",       "skiplink",    "sr-only",       "visually-hidden",
    "visuallyhidden", "screen-reader", "sign-up",     "author-bio",    "authorbio",
    "addtoany",       "addthis",       "sharethis",   "social-share",  "social-link",
    "social-icon",    "social-media",  "socialmedia", "social-button", "social-follow",
    "social-nav",     "follow-us",     "most-read",   "mostread",      "read-next",
    "you-may-also",   "more-stories",
};
// Whole tokens only: "social" alone is a share widget, "social-protection" is a topic.
constexpr std::string_view kDropTokens[] = {"social", "socials"};
constexpr std::string_view kHeadingsOnlyParts[] = {"header", "masthead", "banner", "hero"};
constexpr std::string_view kBylineParts[] = {
    "byline", "dateline", "meta", "author", "authors", "date", "posted", "published", "timestamp",
};
constexpr std::string_view kQuoteParts[] = {
    "quote", "quotes", "blockquote", "callout", "highlight", "highlights",
};
constexpr std::string_view kPullQuoteCompounds[] = {
    "pullquote", "pull-quote", "pull_quote", "pullout", "pull-out",
};

// Signals of one class or id attribute value.
uint32_t NameSignals(std::string_view value) {
  uint32_t sig = 0;
  std::string lower = Lower(value);
  std::string_view rest = lower;
  while (!rest.empty()) {
    size_t start = 0;
    while (start < rest.size() && IsAsciiSpace(rest[start])) ++start;
    size_t end = start;
    while (end < rest.size() && !IsAsciiSpace(rest[end])) ++end;
    std::string_view token = rest.substr(start, end - start);
    rest = rest.substr(end);
    if (token.empty()) continue;

    if (Contains(token, "footnote") || Contains(token, "endnote") || StartsWith(token, "fnref") ||
        Contains(token, "noteref") || Contains(token, "note-ref")) {
      bool marker = Contains(token, "ref") || Contains(token, "back") ||
                    Contains(token, "reverse") || Contains(token, "link");
      // "has-footnotes" describes a page that has notes, not the notes themselves.
      bool state = StartsWith(token, "has-") || StartsWith(token, "with-") ||
                   StartsWith(token, "no-") || StartsWith(token, "is-");
      if (marker) {
        sig |= kSigNoteRef;
      } else if (!state) {
        sig |= kSigFootnotes;
      }
      continue;
    }
    for (std::string_view c : kPullQuoteCompounds) {
      if (Contains(token, c)) sig |= kSigPullQuote;
    }
    for (std::string_view c : kDropCompounds) {
      if (Contains(token, c)) sig |= kSigDrop;
    }
    if (IsOneOf(token, kDropTokens)) sig |= kSigDrop;

    size_t p = 0;
    while (p <= token.size()) {
      size_t q = token.find_first_of("-_", p);
      if (q == std::string_view::npos) q = token.size();
      std::string_view part = token.substr(p, q - p);
      p = q + 1;
      if (part.empty()) continue;
      if (IsOneOf(part, kDropParts)) sig |= kSigDrop;
      for (std::string_view w : kDropPrefixes) {
        if (StartsWith(part, w)) sig |= kSigDrop;
      }
      for (std::string_view w : kDropSuffixes) {
        if (EndsWith(part, w)) sig |= kSigDrop;
      }
      if (IsOneOf(part, kHeadingsOnlyParts) || StartsWith(part, "header") ||
          EndsWith(part, "header")) {
        sig |= kSigHeadingsOnly;
      }
      if (IsOneOf(part, kBylineParts)) sig |= kSigByline;
      if (IsOneOf(part, kQuoteParts)) sig |= kSigQuoteLike;
    }
  }
  return sig;
}

uint32_t RoleSignals(std::string_view value) {
  static constexpr std::string_view kDropRoles[] = {
      "navigation", "banner",  "contentinfo", "complementary", "search",
      "menu",       "menubar", "toolbar",     "dialog",        "alertdialog",
  };
  uint32_t sig = 0;
  std::string lower = Lower(value);
  size_t p = 0;
  while (p < lower.size()) {
    size_t q = lower.find(' ', p);
    if (q == std::string::npos) q = lower.size();
    std::string_view role = std::string_view(lower).substr(p, q - p);
    p = q + 1;
    if (IsOneOf(role, kDropRoles)) sig |= kSigRoleDrop;
    if (role == "main") sig |= kSigRoleMain;
    if (role == "doc-endnotes" || role == "doc-footnote" || role == "doc-endnote") {
      sig |= kSigFootnotes;
    }
    if (role == "doc-noteref" || role == "doc-backlink") sig |= kSigNoteRef;
  }
  return sig;
}

// Everything an element's own attributes say about it.
uint32_t ElementSignals(const GumboNode* element) {
  uint32_t sig = 0;
  std::string_view cls = Attr(element, "class");
  if (!cls.empty()) sig |= NameSignals(cls);
  std::string_view id = Attr(element, "id");
  if (!id.empty()) sig |= NameSignals(id);
  std::string_view role = Attr(element, "role");
  if (!role.empty()) sig |= RoleSignals(role);
  if (HasAttr(element, "hidden") || Lower(Attr(element, "aria-hidden")) == "true") {
    sig |= kSigHidden;
  }
  std::string_view style = Attr(element, "style");
  if (!style.empty()) {
    std::string compact;
    for (char c : style) {
      if (!IsAsciiSpace(c)) compact += c;
    }
    compact = Lower(compact);
    if (Contains(compact, "display:none") || Contains(compact, "visibility:hidden")) {
      sig |= kSigHidden;
    }
    // Word's "Save as HTML" marks its notes with mso-element:footnote-list / endnote-list.
    if (Contains(compact, "mso-element:footnote") || Contains(compact, "mso-element:endnote")) {
      sig |= kSigFootnotes;
    }
  }
  return sig;
}

// --- Pass 1: survey -------------------------------------------------------------------------

struct NodeInfo {
  size_t text_bytes = 0;  // text below the element, outside script and page chrome
  size_t order = 0;       // position in document order
  uint32_t signals = 0;
};

struct Survey {
  // Elements with signals, plus root candidates and <h1>s; others have no entry.
  std::unordered_map<const GumboNode*, NodeInfo> info;
  const GumboNode* html = nullptr;
  const GumboNode* body = nullptr;
  const GumboNode* main = nullptr;         // first <main> or role="main"
  std::vector<const GumboNode*> articles;  // outermost <article>s outside page chrome
  std::vector<const GumboNode*> h1s;       // the first few, outside navigation/asides
  std::vector<bool> h1_in_header;          // parallel to h1s: inside a <header>
  const GumboNode* title = nullptr;
  std::vector<std::pair<std::string, std::string>> metas;  // lowercase key -> content

  const NodeInfo* Find(const GumboNode* node) const {
    auto it = info.find(node);
    return it == info.end() ? nullptr : &it->second;
  }
};

// Subtrees the survey need not enter: nothing in them is metadata or extractable text.
bool SurveySkips(const GumboNode* element) {
  static const TagSet kTags = MakeTagSet(
      {GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_SVG,
       GUMBO_TAG_MATH, GUMBO_TAG_IFRAME, GUMBO_TAG_OBJECT, GUMBO_TAG_SELECT, GUMBO_TAG_TEXTAREA});
  return kTags[element->v.element.tag] || element->v.element.tag_namespace != GUMBO_NAMESPACE_HTML;
}

Survey RunSurvey(const GumboNode* document) {
  Survey s;
  struct Frame {
    const GumboNode* node;
    unsigned next = 0;
    size_t text_bytes = 0;
    size_t order = 0;
    uint32_t signals = 0;
    bool record = false;
    bool counts_text = true;  // false inside nav/aside/header/footer
    bool in_chrome = false;   // inside nav/aside/header/footer or a chrome role
    bool in_side = false;     // inside nav/aside/footer or a chrome role
    bool in_header = false;   // inside a <header>
    bool in_article = false;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{document});
  size_t order = 0;
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* children = Children(top.node);
    if (children != nullptr && top.next < children->length) {
      const GumboNode* child = ChildAt(*children, top.next++);
      if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
        if (top.counts_text) top.text_bytes += child->v.text.original_text.length;
        continue;
      }
      if (child->type != GUMBO_NODE_ELEMENT || SurveySkips(child)) continue;

      GumboTag tag = child->v.element.tag;
      Frame f{child};
      f.order = order++;
      f.signals = ElementSignals(child);
      f.record = f.signals != 0 || tag == GUMBO_TAG_FORM;
      bool chrome = tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FOOTER ||
                    (f.signals & kSigRoleDrop) != 0;
      f.counts_text = top.counts_text && !chrome && tag != GUMBO_TAG_HEADER;
      f.in_side = top.in_side || chrome;
      f.in_chrome = top.in_chrome || chrome || tag == GUMBO_TAG_HEADER;
      f.in_article = top.in_article;
      f.in_header = top.in_header || tag == GUMBO_TAG_HEADER;
      switch (tag) {
        case GUMBO_TAG_HTML:
          if (s.html == nullptr) s.html = child;
          break;
        case GUMBO_TAG_BODY:
          if (s.body == nullptr) s.body = child;
          f.record = true;
          break;
        case GUMBO_TAG_TITLE:
          if (s.title == nullptr) s.title = child;
          break;
        case GUMBO_TAG_META: {
          std::string_view key = Attr(child, "name");
          if (key.empty()) key = Attr(child, "property");
          if (key.empty()) key = Attr(child, "itemprop");
          if (key.empty()) key = Attr(child, "http-equiv");
          std::string content = CollapseWhitespace(Attr(child, "content"));
          if (!key.empty() && !content.empty()) s.metas.emplace_back(Lower(key), content);
          break;
        }
        case GUMBO_TAG_MAIN:
          if (s.main == nullptr && !f.in_chrome) s.main = child;
          f.record = true;
          break;
        case GUMBO_TAG_ARTICLE:
          if (!top.in_article && !f.in_chrome) {
            s.articles.push_back(child);
            f.record = true;
          }
          f.in_article = true;
          break;
        case GUMBO_TAG_H1:
          if (!f.in_side && s.h1s.size() < 4) {
            s.h1s.push_back(child);
            s.h1_in_header.push_back(f.in_header);
            f.record = true;
          }
          break;
        default:
          break;
      }
      if ((f.signals & kSigRoleMain) != 0 && s.main == nullptr && !f.in_chrome) {
        s.main = child;
        f.record = true;
      }
      stack.push_back(f);  // invalidates `top`
      continue;
    }
    Frame done = top;
    stack.pop_back();
    if (done.record) s.info[done.node] = NodeInfo{done.text_bytes, done.order, done.signals};
    if (!stack.empty()) stack.back().text_bytes += done.text_bytes;
  }
  return s;
}

// Concatenated text of a subtree, or "" with *truncated set when it has more than `max_nodes`
// nodes (callers use it on small things: titles, headings, footnote markers).
std::string SubtreeText(const GumboNode* root, size_t max_nodes, bool* truncated = nullptr) {
  std::string out;
  std::vector<std::pair<const GumboNode*, unsigned>> stack{{root, 0}};
  size_t visited = 0;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const GumboVector* children = Children(node);
    if (children == nullptr || next >= children->length) {
      stack.pop_back();
      continue;
    }
    const GumboNode* child = ChildAt(*children, next++);
    if (++visited > max_nodes) {
      if (truncated != nullptr) *truncated = true;
      return {};
    }
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
        child->type == GUMBO_NODE_WHITESPACE) {
      out += child->v.text.text;
    } else if (child->type == GUMBO_NODE_ELEMENT && !IsAlwaysDropped(child)) {
      if (child->v.element.tag == GUMBO_TAG_BR) {
        out += ' ';
      } else {
        stack.emplace_back(child, 0);
      }
    }
  }
  if (truncated != nullptr) *truncated = false;
  return out;
}

// --- Footnote markers -----------------------------------------------------------------------

// "#fn3", "#_ftn3" (Word), "#footnote-3", "#cite_note-3" (MediaWiki), "#endnote3"...
bool IsNoteHref(std::string_view href) {
  if (href.empty() || href[0] != '#') return false;
  std::string target = Lower(href.substr(1));
  static constexpr std::string_view kPrefixes[] = {
      "fn", "_ftn", "ftn", "_edn", "edn", "footnote", "endnote", "note", "cite_note", "cite-note",
  };
  for (std::string_view p : kPrefixes) {
    if (StartsWith(target, p)) return true;
  }
  return false;
}

// "3", "[12]", "*", "†", "iv": what a note marker looks like, as opposed to a sentence that
// happens to link to the notes ("see the note on method").
bool LooksLikeMarker(std::string_view text) {
  std::string t = CollapseWhitespace(text);
  if (t.empty() || t.size() > 8) return false;
  bool digit = false, symbol = false, roman = true;
  for (char c : t) {
    if (c >= '0' && c <= '9') digit = true;
    if (c == '*' || static_cast<unsigned char>(c) >= 0x80) symbol = true;  // * † ‡ §
    if (std::string_view("ivxlc[]()").find(c) == std::string_view::npos) roman = false;
  }
  return digit || symbol || roman;
}

// A footnote reference in running text. Dropped so that "civilians.<sup>3</sup>" does not
// index as "civilians.3".
bool IsNoteReference(const GumboNode* element, uint32_t signals) {
  if ((signals & kSigNoteRef) != 0) return true;
  GumboTag tag = element->v.element.tag;
  bool links_to_note = false;
  if (tag == GUMBO_TAG_A) {
    links_to_note = IsNoteHref(Attr(element, "href"));
  } else if (tag == GUMBO_TAG_SUP) {
    // <sup><a href="#fn3">3</a></sup> or <sup>[<a href="#fn3">3</a>]</sup>
    const GumboVector& children = element->v.element.children;
    for (unsigned i = 0; i < children.length && !links_to_note; ++i) {
      const GumboNode* child = ChildAt(children, i);
      links_to_note = child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_A &&
                      IsNoteHref(Attr(child, "href"));
    }
  }
  if (!links_to_note) return false;
  bool truncated = false;
  std::string text = SubtreeText(element, 16, &truncated);
  return !truncated && LooksLikeMarker(text);
}

// --- Word-exported paragraphs and tables ---------------------------------------------------

// Whether an element's own markup makes its text bold (1), explicitly not bold (-1), or says
// nothing (0): <b>, <strong>, or a font-weight in its style attribute.
int BoldOf(const GumboNode* element) {
  GumboTag tag = element->v.element.tag;
  if (tag == GUMBO_TAG_B || tag == GUMBO_TAG_STRONG) return 1;
  std::string_view style = Attr(element, "style");
  if (style.empty()) return 0;
  std::string compact;
  for (char c : style) {
    if (!IsAsciiSpace(c)) compact += c;
  }
  compact = Lower(compact);
  size_t at = compact.find("font-weight:");
  if (at == std::string::npos) return 0;
  std::string_view value = std::string_view(compact).substr(at + 12);
  for (std::string_view bold : {"bold", "bolder", "600", "700", "800", "900"}) {
    if (StartsWith(value, bold)) return 1;
  }
  return -1;
}

// True when every visible character below `root` is bold and there is some; false as well when
// the subtree has more than `max_nodes` nodes (callers ask about short labels and cells).
bool IsEntirelyBold(const GumboNode* root, size_t max_nodes) {
  struct Item {
    const GumboNode* node;
    bool bold;
  };
  std::vector<Item> stack{{root, BoldOf(root) > 0}};
  size_t visited = 0;
  bool any = false;
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    if (++visited > max_nodes) return false;
    const GumboNode* node = item.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      if (!HasNonSpace(node->v.text.text)) continue;
      if (!item.bold) return false;
      any = true;
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT || IsAlwaysDropped(node)) continue;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const GumboNode* child = ChildAt(children, i);
      bool bold = item.bold;
      if (child->type == GUMBO_NODE_ELEMENT) {
        int own = BoldOf(child);
        if (own != 0) bold = own > 0;
      }
      stack.push_back(Item{child, bold});
    }
  }
  return any;
}

// How a Word-exported paragraph presents itself through its class: Word's "Save as HTML"
// writes class="MsoHeading2", "MsoTitle", "MsoNormal"; converters that keep style names write
// class="p-Heading2", "p-Normal".
struct WordClass {
  int heading = 0;           // 1-6 for a heading or title style, else 0
  bool plain = false;        // a body style (Normal, Body Text): may be a bold label
  bool caption = false;      // a caption style
};

WordClass ClassifyWordParagraph(const GumboNode* p) {
  WordClass out;
  std::string_view cls = Attr(p, "class");
  size_t pos = 0;
  while (pos < cls.size()) {
    size_t end = pos;
    while (end < cls.size() && !IsAsciiSpace(cls[end])) ++end;
    std::string_view token = cls.substr(pos, end - pos);
    pos = end + 1;
    std::string_view style;
    if (StartsWith(token, "Mso")) {
      style = token.substr(3);
    } else if (StartsWith(token, "p-")) {
      style = token.substr(2);
    } else {
      continue;
    }
    if (style == "Title") {
      out.heading = 1;
    } else if (StartsWith(style, "Heading") && style.size() == 8 && style[7] >= '1' &&
               style[7] <= '9') {
      out.heading = std::min(style[7] - '0', 6);
    } else if (style == "Normal" || style == "BodyText" || style == "NormalWeb" ||
               style == "PlainText") {
      out.plain = true;
    } else if (style == "Caption") {
      out.caption = true;
    }
  }
  return out;
}

// A label short enough to be a heading: at most this many bytes and words, no final period.
constexpr size_t kMaxLabelBytes = 160;
constexpr int kMaxLabelWords = 16;

bool IsShortLabel(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty() || text.size() > kMaxLabelBytes || text.back() == '.' ||
      text.back() == ';' || text.back() == ',') {
    return false;
  }
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = IsAsciiSpace(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words <= kMaxLabelWords;
}

// Tables: data or layout, by the rule of indexer/ingest/table_rows.h.
// Tables nested deeper than this are read as layout without being surveyed, so that a hostile
// page of tables nested in tables costs linear time.
constexpr int kMaxSurveyedTableDepth = 4;

struct TableShape {
  bool data = false;
  int columns = 0;  // the widest row, counting colspans
};

int ColSpan(const GumboNode* cell) {
  int span = std::atoi(std::string(Attr(cell, "colspan")).c_str());
  return span < 1 ? 1 : std::min(span, 1000);
}

TableShape SurveyTable(const GumboNode* table) {
  TableShape shape;
  int max_filled = 0;
  bool layout = false;
  // Walk this table's rows; a nested table is not entered.
  struct Item {
    const GumboNode* node;
    int cell_index;  // index into `cells` of the enclosing cell, -1 outside cells
    int block;       // id of the innermost text block, for counting paragraphs per cell
  };
  struct CellInfo {
    CellSurvey survey;
    int last_block = -1;
  };
  std::vector<CellInfo> cells;
  int row_filled = 0, row_width = 0;
  int blocks = 0;
  auto end_row = [&] {
    max_filled = std::max(max_filled, row_filled);
    shape.columns = std::max(shape.columns, row_width);
    row_filled = row_width = 0;
  };
  std::vector<Item> stack;
  const GumboVector& top = table->v.element.children;
  for (unsigned i = top.length; i-- > 0;) stack.push_back(Item{ChildAt(top, i), -1, 0});
  const GumboNode* current_row = nullptr;
  while (!stack.empty() && !layout) {
    Item item = stack.back();
    stack.pop_back();
    const GumboNode* node = item.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      if (item.cell_index < 0 || !HasNonSpace(node->v.text.text)) continue;
      CellInfo& cell = cells[static_cast<size_t>(item.cell_index)];
      if (cell.survey.text_bytes == 0) ++row_filled;
      cell.survey.text_bytes += node->v.text.original_text.length;
      if (cell.last_block != item.block) {
        cell.last_block = item.block;
        ++cell.survey.paragraphs;
      }
      if (CellHoldsParagraphs(cell.survey)) layout = true;
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT || IsAlwaysDropped(node)) continue;
    GumboTag tag = node->v.element.tag;
    int cell_index = item.cell_index;
    int block = item.block;
    if (tag == GUMBO_TAG_TABLE) {
      if (cell_index >= 0) layout = true;
      continue;
    }
    if (tag == GUMBO_TAG_TR && cell_index < 0) {
      if (current_row != nullptr) end_row();
      current_row = node;
    } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && cell_index < 0) {
      row_width += ColSpan(node);
      cells.emplace_back();
      cell_index = static_cast<int>(cells.size()) - 1;
      block = ++blocks;
    } else if (cell_index >= 0 && IsBlockTag(tag)) {
      block = ++blocks;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i-- > 0;) {
      stack.push_back(Item{ChildAt(children, i), cell_index, block});
    }
  }
  if (current_row != nullptr) end_row();
  shape.data = !layout && max_filled >= 2;
  return shape;
}

// --- Dates, languages, titles ---------------------------------------------------------------

// "2023-05-04T10:00:00Z", "2023/5/4", "20230504", "2023-05", "2023" -> ISO 8601 date prefix;
// "" for anything else ("May 4, 2023" is left alone: its day/month order is a guess).
std::string NormalizeDate(std::string_view s) {
  s = TrimAscii(s);
  auto digits = [&](size_t at, size_t max) {
    size_t n = 0;
    while (at + n < s.size() && n < max && s[at + n] >= '0' && s[at + n] <= '9') ++n;
    return n;
  };
  auto number = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t k = 0; k < n; ++k) v = v * 10 + (s[at + k] - '0');
    return v;
  };
  auto two = [](int v) {
    std::string out = std::to_string(v);
    return v < 10 ? "0" + out : out;
  };
  if (digits(0, 9) == 8 && (s.size() == 8 || s[8] == 'T')) {  // 20230504
    int month = number(4, 2), day = number(6, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31) return {};
    return std::string(s.substr(0, 4)) + "-" + two(month) + "-" + two(day);
  }
  if (digits(0, 5) != 4) return {};
  std::string out(s.substr(0, 4));
  size_t i = 4;
  if (i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.')) {
    return (i >= s.size() || s[i] == 'T' || IsAsciiSpace(s[i])) ? out : std::string();
  }
  size_t n = digits(i + 1, 3);
  if (n == 0 || n > 2) return out;
  int month = number(i + 1, n);
  if (month < 1 || month > 12) return out;
  out += "-" + two(month);
  i += 1 + n;
  if (i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return out;
  n = digits(i + 1, 3);
  if (n == 0 || n > 2) return out;
  int day = number(i + 1, n);
  if (day < 1 || day > 31) return out;
  return out + "-" + two(day);
}

// "en-GB", "en_GB", "EN" -> "en"; "" unless a 2- or 3-letter primary subtag.
std::string NormalizeLanguage(std::string_view s) {
  s = TrimAscii(s);
  size_t end = s.find_first_of("-_");
  std::string primary = Lower(s.substr(0, end));
  if (primary.size() < 2 || primary.size() > 3) return {};
  for (char c : primary) {
    if (c < 'a' || c > 'z') return {};
  }
  return primary;
}

// True when `title` is `part` with a site name before or after a separator:
// "Protecting civilians | ICRC", "ICRC - Protecting civilians". A colon is not a separator:
// "Title: subtitle" keeps its subtitle.
bool IsTitleWithSiteName(std::string_view title, std::string_view part) {
  if (part.empty() || title.size() <= part.size()) return false;
  static constexpr std::string_view kSeparators[] = {
      "|", "-", "\xE2\x80\x93", "\xE2\x80\x94", "\xC2\xB7", "\xE2\x80\xA2", "\xC2\xBB", "::",
  };
  for (std::string_view sep : kSeparators) {
    std::string spaced = " " + std::string(sep) + " ";
    if (StartsWith(title, part) && StartsWith(title.substr(part.size()), spaced)) return true;
    if (EndsWith(title, part) && EndsWith(title.substr(0, title.size() - part.size()), spaced)) {
      return true;
    }
  }
  return false;
}

// --- Pass 2: extraction ---------------------------------------------------------------------

struct PendingBlock {
  BlockKind kind;
  int level;
  std::string text;  // whitespace already collapsed
  bool from_quote;   // inside a <blockquote> or a quote-like box
  bool table_row;    // one row of a data table: may repeat another row legitimately
  bool list_item = false;  // inside an <li> (Block::list_item)
};

enum class Treatment { kKeep, kDrop, kHeadingsOnly, kFootnotes };

class Extractor {
 public:
  Extractor(const Survey& survey, const GumboNode* root) : survey_(survey), root_(root) {
    const NodeInfo* info = survey.Find(root);
    root_bytes_ = info != nullptr ? info->text_bytes : 0;
  }

  void Run() {
    Ctx ctx;
    GumboTag tag = root_->v.element.tag;
    ctx.sectioned = tag != GUMBO_TAG_BODY && tag != GUMBO_TAG_HTML;
    ctx_ = ctx;
    stack_.push_back(Frame{root_, 0, ctx, /*block=*/true, false});
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      const GumboVector& children = top.node->v.element.children;
      if (top.next < children.length) {
        Visit(ChildAt(children, top.next++));  // may push, invalidating `top`
        continue;
      }
      if (top.role == TableRole::kCell) {
        EndCell();
      } else if (top.role == TableRole::kRow) {
        EndRow();
      } else if (top.role == TableRole::kTable) {
        tables_.pop_back();
      } else if (top.block) {
        Flush();
      } else if (top.space_after) {
        buffer_ += ' ';
      }
      ctx_ = top.saved;
      stack_.pop_back();
    }
  }

  std::vector<PendingBlock>& blocks() { return blocks_; }
  // A <time datetime> marked as the publication date, or else the first one met before any
  // body paragraph (a byline); "" when neither.
  std::string TimeDate() const { return !published_time_.empty() ? published_time_ : early_time_; }

 private:
  // What the enclosing elements make of the text met now.
  struct Ctx {
    BlockKind kind = BlockKind::kParagraph;  // of the innermost block
    int level = 0;
    bool from_quote = false;
    bool footnotes = false;
    bool headings_only = false;  // in a header/byline area: only heading text counts
    bool atomic = false;         // in h1-h6 or <pre>: nested blocks do not split the text
    bool text_block = false;     // the innermost block is p-like
    bool sectioned = false;      // inside article/section/main/...: <header> is the article's
    bool pseudo = false;         // a heading made from a label, a caption or a table title
    bool in_data_table = false;  // among a data table's rows, outside its cells
    bool in_thead = false;
    bool list_item = false;      // inside an <li>
    int table_depth = 0;
  };
  enum class TableRole { kNone, kTable, kRow, kCell };
  struct Frame {
    const GumboNode* node;
    unsigned next;
    Ctx saved;         // restored on leaving the element
    bool block;        // flush on leaving
    bool space_after;  // a block inside an atomic one: keep words apart
    TableRole role = TableRole::kNone;
  };
  struct TableState {
    TableRows rows;
    bool from_quote = false;
    std::vector<TableCell> row;  // the row being read
    bool row_in_thead = false;
  };

  void Visit(const GumboNode* node) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        AppendText(node->v.text.text);
        break;
      case GUMBO_NODE_ELEMENT:
        Enter(node);
        break;
      default:
        break;
    }
  }

  void Enter(const GumboNode* element) {
    GumboTag tag = element->v.element.tag;
    if (tag == GUMBO_TAG_BR) return Break();
    if (tag == GUMBO_TAG_WBR) return;
    if (tag == GUMBO_TAG_TIME) NoteTime(element);
    const NodeInfo* info = survey_.Find(element);
    uint32_t signals = info != nullptr ? info->signals : 0;
    Treatment treatment = Classify(element, signals, info);
    if (treatment == Treatment::kDrop) return;

    Ctx next = ctx_;
    if (treatment == Treatment::kHeadingsOnly) next.headings_only = true;
    if (treatment == Treatment::kFootnotes) {
      next.footnotes = true;
      next.headings_only = false;  // notes kept in an article's <footer>
    }
    if (IsSectioningTag(tag)) next.sectioned = true;
    Frame frame{element, 0, ctx_, false, false};
    if (tag == GUMBO_TAG_TABLE) {
      next.table_depth = ctx_.table_depth + 1;
      next.in_data_table = false;
      if (!ctx_.atomic && !ctx_.footnotes && !ctx_.headings_only) {
        TableShape shape;
        if (ctx_.table_depth < kMaxSurveyedTableDepth) shape = SurveyTable(element);
        if (shape.data) {
          Flush();
          frame.role = TableRole::kTable;
          next.in_data_table = true;
          next.in_thead = false;
          tables_.push_back(TableState{TableRows(shape.columns), ctx_.from_quote, {}, false});
          ctx_ = next;
          stack_.push_back(frame);
          return;
        }
      }
    }
    if (ctx_.in_data_table && !ctx_.atomic) {
      if (tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT) {
        next.in_thead = tag == GUMBO_TAG_THEAD;
        ctx_ = next;
        stack_.push_back(frame);
        return;
      }
      if (tag == GUMBO_TAG_TR) {
        frame.role = TableRole::kRow;
        tables_.back().row.clear();
        tables_.back().row_in_thead = ctx_.in_thead;
        ctx_ = next;
        stack_.push_back(frame);
        return;
      }
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
        Flush();
        frame.role = TableRole::kCell;
        next.in_data_table = false;
        next.atomic = true;
        next.text_block = true;
        next.kind = BlockKind::kParagraph;
        next.level = 0;
        int row_span = std::atoi(std::string(Attr(element, "rowspan")).c_str());
        tables_.back().row.push_back(TableCell{{}, tag == GUMBO_TAG_TH,
                                               IsEntirelyBold(element, 256), ColSpan(element),
                                               std::max(row_span, 1), false});
        ctx_ = next;
        stack_.push_back(frame);
        return;
      }
    }
    if (IsBlockTag(tag)) {
      if (ctx_.atomic) {
        buffer_ += ' ';
        frame.space_after = true;
      } else {
        Flush();
        frame.block = true;
        next.kind = BlockKind::kParagraph;
        next.level = 0;
        next.text_block = IsTextBlockTag(tag);
        next.from_quote =
            ctx_.from_quote || tag == GUMBO_TAG_BLOCKQUOTE || (signals & kSigQuoteLike) != 0;
        next.pseudo = false;
        next.in_data_table = false;
        next.list_item = ctx_.list_item || tag == GUMBO_TAG_LI;
        if (IsHeadingTag(tag)) {
          next.kind = BlockKind::kHeading;
          next.level = tag - GUMBO_TAG_H1 + 1;
          next.atomic = true;
          next.headings_only = false;
        } else if (tag == GUMBO_TAG_CAPTION && ctx_.in_data_table) {
          // The caption names the table's rows: a heading below the current section.
          next.kind = BlockKind::kHeading;
          next.level = SubLevel();
          next.atomic = true;
          next.pseudo = true;
        } else if (tag == GUMBO_TAG_P && !ctx_.footnotes) {
          WordClass word = ClassifyWordParagraph(element);
          if (word.heading > 0) {
            next.kind = BlockKind::kHeading;
            next.level = word.heading;
            next.atomic = true;
          } else if ((word.plain && IsEntirelyBold(element, 64)) || word.caption) {
            bool truncated = false;
            std::string label = SubtreeText(element, 64, &truncated);
            if (!truncated && IsShortLabel(CollapseWhitespace(label))) {
              next.kind = BlockKind::kHeading;
              next.level = SubLevel();
              next.atomic = true;
              next.pseudo = true;
            }
          }
        } else if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_XMP) {
          next.atomic = true;
        }
      }
    }
    ctx_ = next;
    stack_.push_back(frame);
  }

  // Decides the fate of an element below the content root (the root itself is never judged:
  // an <article class="post has-sidebar"> is still the article).
  Treatment Classify(const GumboNode* element, uint32_t signals, const NodeInfo* info) const {
    GumboTag tag = element->v.element.tag;
    if (IsAlwaysDropped(element)) return Treatment::kDrop;
    bool block = IsBlockTag(tag);
    if (!block && !ctx_.footnotes && IsNoteReference(element, signals)) return Treatment::kDrop;
    if (!block && ctx_.footnotes && (signals & kSigNoteRef) != 0) return Treatment::kDrop;
    if (tag == GUMBO_TAG_ASIDE) {
      return (signals & kSigFootnotes) != 0 ? Treatment::kFootnotes : Treatment::kDrop;
    }
    // A signal read off a class name is a guess; an element holding most of the page's text is
    // a wrapper whatever it is called, and dropping it would lose the document.
    bool wrapper = info != nullptr && root_bytes_ > 0 && info->text_bytes * 5 >= root_bytes_ * 3;
    if ((signals & (kSigHidden | kSigRoleDrop)) != 0 && !wrapper) return Treatment::kDrop;
    if ((signals & kSigFootnotes) != 0 && (block || tag == GUMBO_TAG_UNKNOWN)) {
      return Treatment::kFootnotes;
    }
    if ((signals & kSigPullQuote) != 0 && !wrapper) return Treatment::kDrop;
    if (tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER) {
      return ctx_.sectioned ? Treatment::kHeadingsOnly : Treatment::kDrop;
    }
    if (tag == GUMBO_TAG_FORM) {
      // ASP.NET pages wrap the whole body in one <form>.
      bool holds_half = info != nullptr && info->text_bytes * 2 >= root_bytes_;
      return holds_half ? Treatment::kKeep : Treatment::kDrop;
    }
    // Headings and paragraphs are text whatever their class says ("subheader", "share-text"),
    // except a byline paragraph. Headings-only, not dropped, so that its <time> is still seen.
    if (IsHeadingTag(tag)) return Treatment::kKeep;
    if (tag == GUMBO_TAG_P) {
      return (signals & kSigByline) != 0 ? Treatment::kHeadingsOnly : Treatment::kKeep;
    }
    if (!block && ctx_.text_block) return Treatment::kKeep;
    if ((signals & kSigDrop) != 0 && !wrapper) return Treatment::kDrop;
    if ((signals & (kSigHeadingsOnly | kSigByline)) != 0 && !wrapper) {
      return Treatment::kHeadingsOnly;
    }
    return Treatment::kKeep;
  }

  void AppendText(const char* text) {
    if (ctx_.headings_only) return;
    std::string_view s(text);
    buffer_ += s;
    if (HasNonSpace(s)) {
      has_text_ = true;
      after_break_ = false;
    }
  }

  // <br> is a space, but two in a row separate paragraphs on pages built without <p>.
  void Break() {
    if (ctx_.headings_only) return;
    if (!ctx_.atomic && after_break_ && has_text_) return Flush();
    buffer_ += ' ';
    after_break_ = true;
  }

  void Flush() {
    if (has_text_) {
      std::string text = CollapseWhitespace(buffer_);
      if (!text.empty()) {
        BlockKind kind = ctx_.kind == BlockKind::kHeading ? BlockKind::kHeading
                         : ctx_.footnotes                 ? BlockKind::kFootnote
                                                          : BlockKind::kParagraph;
        if (kind == BlockKind::kParagraph) body_started_ = true;
        if (kind == BlockKind::kHeading && !ctx_.pseudo) section_level_ = ctx_.level;
        blocks_.push_back(PendingBlock{kind, kind == BlockKind::kHeading ? ctx_.level : 0,
                                       std::move(text),
                                       kind == BlockKind::kParagraph && ctx_.from_quote, false,
                                       kind == BlockKind::kParagraph && ctx_.list_item});
      }
    }
    buffer_.clear();
    has_text_ = false;
    after_break_ = false;
  }

  // The level of a heading made from a label or a caption: one below the current section.
  int SubLevel() const { return std::min(6, section_level_ + 1); }

  void EndCell() {
    TableState& table = tables_.back();
    if (!table.row.empty() && has_text_) table.row.back().text = CollapseWhitespace(buffer_);
    buffer_.clear();
    has_text_ = false;
    after_break_ = false;
  }

  void EndRow() {
    TableState& table = tables_.back();
    std::string text;
    TableRows::Kind kind = table.rows.Add(table.row, table.row_in_thead, &text);
    table.row.clear();
    if (kind == TableRows::Kind::kTitle) {
      blocks_.push_back(
          PendingBlock{BlockKind::kHeading, SubLevel(), std::move(text), false, false});
    } else if (kind == TableRows::Kind::kBody) {
      body_started_ = true;
      blocks_.push_back(
          PendingBlock{BlockKind::kParagraph, 0, std::move(text), table.from_quote, true});
    }
  }

  void NoteTime(const GumboNode* element) {
    std::string date = NormalizeDate(Attr(element, "datetime"));
    if (date.empty()) return;
    if (Lower(Attr(element, "itemprop")) == "datepublished" || HasAttr(element, "pubdate")) {
      if (published_time_.empty()) published_time_ = date;
    } else if (!body_started_ && early_time_.empty() && (ctx_.headings_only || !has_text_)) {
      // Before the body and not inside a sentence ("fighting began on <time>"): a byline.
      early_time_ = date;
    }
  }

  const Survey& survey_;
  const GumboNode* root_;
  size_t root_bytes_ = 0;
  std::vector<Frame> stack_;
  Ctx ctx_;
  std::string buffer_;        // text of the innermost block since the last flush
  bool has_text_ = false;     // buffer_ holds more than white space
  bool after_break_ = false;  // a <br> and nothing but white space since
  bool body_started_ = false;
  std::vector<PendingBlock> blocks_;
  std::vector<TableState> tables_;  // data tables being read, innermost last
  int section_level_ = 0;           // level of the last heading that was not made from a label
  std::string published_time_;
  std::string early_time_;
};

// --- Pass 3: clean-up -----------------------------------------------------------------------

// Removes quotation marks, ellipses and end punctuation around a pull quote, which decorate it
// but are not in the sentence it repeats.
std::string_view StripQuoteDecoration(std::string_view s) {
  static constexpr std::string_view kMarks[] = {
      " ",
      "\"",
      "'",
      ".",
      ",",
      "\xE2\x80\xA6" /* … */,
      "\xE2\x80\x9C" /* “ */,
      "\xE2\x80\x9D" /* ” */,
      "\xE2\x80\x98" /* ‘ */,
      "\xE2\x80\x99" /* ’ */,
      "\xC2\xAB" /* « */,
      "\xC2\xBB" /* » */,
      "\xE2\x80\x9E" /* „ */,
      "\xE2\x80\xB9" /* ‹ */,
      "\xE2\x80\xBA" /* › */,
  };
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    for (std::string_view m : kMarks) {
      if (StartsWith(s, m)) {
        s.remove_prefix(m.size());
        changed = true;
      }
      if (EndsWith(s, m)) {
        s.remove_suffix(m.size());
        changed = true;
      }
    }
  }
  return s;
}

// Paragraphs shorter than this may repeat legitimately (table cells such as "Yes" or "2023").
constexpr size_t kMinRepeatBytes = 20;
// A quoted fragment shorter than this may occur in the body by chance.
constexpr size_t kMinQuoteBytes = 12;
// Each pull-quote check scans the body text once; a hostile page with thousands of
// blockquotes must not make that quadratic.
constexpr size_t kMaxQuoteChecks = 256;

void RemoveRepeats(std::vector<PendingBlock>* blocks, std::vector<bool>* keep) {
  keep->assign(blocks->size(), true);
  // Quotes whose words are already in the body: pull quotes.
  std::string body;
  for (const PendingBlock& b : *blocks) {
    if (b.kind == BlockKind::kParagraph && !b.from_quote) {
      body += b.text;
      body += '\n';
    }
  }
  size_t checks = 0;
  for (size_t i = 0; i < blocks->size() && !body.empty(); ++i) {
    const PendingBlock& b = (*blocks)[i];
    if (b.kind != BlockKind::kParagraph || !b.from_quote) continue;
    if (++checks > kMaxQuoteChecks) break;
    std::string_view needle = StripQuoteDecoration(b.text);
    if (needle.size() < kMinQuoteBytes) continue;
    // memmem is linear in the worst case (two-way search), std::string::find is not.
    if (::memmem(body.data(), body.size(), needle.data(), needle.size()) != nullptr) {
      (*keep)[i] = false;
    }
  }
  // Verbatim repeats: the first occurrence stays.
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < blocks->size(); ++i) {
    const PendingBlock& b = (*blocks)[i];
    if (!(*keep)[i] || b.kind != BlockKind::kParagraph || b.table_row ||
        b.text.size() < kMinRepeatBytes) {
      continue;
    }
    if (!seen.insert(b.text).second) (*keep)[i] = false;
  }
}

// --- Metadata -------------------------------------------------------------------------------

// Every value of the first key in `keys` that the page has, joined with "; ".
std::string MetaValues(const Survey& s, std::initializer_list<std::string_view> keys,
                       bool skip_urls = false) {
  for (std::string_view key : keys) {
    std::string joined;
    std::unordered_set<std::string> seen;
    for (const auto& [k, v] : s.metas) {
      if (k != key) continue;
      if (skip_urls &&
          (StartsWith(v, "http://") || StartsWith(v, "https://") || StartsWith(v, "www."))) {
        continue;  // article:author is often a profile URL
      }
      if (!seen.insert(v).second) continue;
      if (!joined.empty()) joined += "; ";
      joined += v;
    }
    if (!joined.empty()) return joined;
  }
  return {};
}

std::string FirstMeta(const Survey& s, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    for (const auto& [k, v] : s.metas) {
      if (k == key) return v;
    }
  }
  return {};
}

// `h1_names`: the page's <h1> texts, most trustworthy first.
void FillMetadata(const Survey& s, const std::vector<std::string>& h1_names,
                  const std::string& time_date, DocumentMetadata* meta) {
  std::string title = s.title != nullptr ? CollapseWhitespace(SubtreeText(s.title, 64)) : "";
  std::vector<std::string> names = {FirstMeta(s, {"og:title"}), FirstMeta(s, {"twitter:title"}),
                                    FirstMeta(s, {"citation_title"}),
                                    FirstMeta(s, {"dc.title", "dcterms.title"})};
  names.insert(names.end(), h1_names.begin(), h1_names.end());
  // "Page | Site" has two parts; the one naming the site is not the title.
  std::string site = FirstMeta(s, {"og:site_name", "application-name"});
  if (!title.empty()) {
    for (const std::string& name : names) {
      if (name != site && IsTitleWithSiteName(title, name)) {
        title = name;
        break;
      }
    }
  } else {
    for (const std::string& name : names) {
      if (!name.empty()) {
        title = name;
        break;
      }
    }
  }
  meta->title = title;

  meta->author = MetaValues(s,
                            {"author", "dc.creator", "dcterms.creator", "citation_author",
                             "article:author", "parsely-author", "sailthru.author"},
                            /*skip_urls=*/true);

  for (std::string_view key :
       {"date", "article:published_time", "dc.date", "dcterms.date", "dc.date.issued",
        "dcterms.issued", "dcterms.created", "citation_publication_date", "citation_date",
        "datepublished", "publication_date", "pubdate"}) {
    if (!meta->date.empty()) break;
    for (const auto& [k, v] : s.metas) {
      if (k != key) continue;
      meta->date = NormalizeDate(v);
      if (!meta->date.empty()) break;
    }
  }
  if (meta->date.empty()) meta->date = time_date;

  if (s.html != nullptr) meta->language = NormalizeLanguage(Attr(s.html, "lang"));
  if (meta->language.empty() && s.html != nullptr) {
    meta->language = NormalizeLanguage(Attr(s.html, "xml:lang"));
  }
  if (meta->language.empty()) {
    meta->language = NormalizeLanguage(FirstMeta(
        s, {"content-language", "language", "dc.language", "dcterms.language", "og:locale"}));
  }
}

// The element whose text is the document: the largest outermost <article>, unless it is a
// teaser much smaller than <main>; else <main> or role="main"; else <body>.
const GumboNode* ChooseContentRoot(const Survey& s) {
  auto bytes = [&](const GumboNode* n) {
    const NodeInfo* info = s.Find(n);
    return info != nullptr ? info->text_bytes : 0;
  };
  const GumboNode* best = nullptr;
  for (const GumboNode* a : s.articles) {
    if (best == nullptr || bytes(a) > bytes(best)) best = a;
  }
  if (best != nullptr && s.main != nullptr && bytes(best) * 4 < bytes(s.main)) best = nullptr;
  if (best == nullptr) best = s.main;
  if (best == nullptr) best = s.body;
  if (best == nullptr) best = s.html;
  return best;
}

}  // namespace

Status HtmlReader::Read(const std::filesystem::path& /*path*/, std::string_view bytes,
                        ExtractedDocument* out) const {
  GumboHeap heap;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &GumboHeap::Allocate;
  options.deallocator = &GumboHeap::Deallocate;
  options.userdata = &heap;
  // Each recorded parse error copies the stack of open elements: quadratic memory on deeply
  // nested pages (20,000 unclosed <div>s took 3 GB). We never read the errors.
  options.max_errors = 0;
  // A byte-order mark that went through a Latin-1 editor and back to UTF-8 ("ï»¿") sits before
  // the markup of some pages; browsers show it, but it is not text of the document.
  if (StartsWith(bytes, "\xC3\xAF\xC2\xBB\xC2\xBF")) bytes.remove_prefix(6);
  std::string flattened;
  bytes = LimitHtmlNesting(bytes, &flattened);
  GumboOutput* output = gumbo_parse_with_options(&options, bytes.data(), bytes.size());
  if (output == nullptr) return Status::Internal("the HTML parser gave no output");

  Survey survey = RunSurvey(output->document);
  const GumboNode* root = ChooseContentRoot(survey);

  std::vector<std::string> h1_texts;
  for (const GumboNode* h1 : survey.h1s) {
    h1_texts.push_back(CollapseWhitespace(SubtreeText(h1, 4096)));
  }
  // For naming the page, an <h1> in the content comes first and one in a <header> outside it
  // last: that is where sites put their logo.
  std::vector<std::string> h1_names;
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t i = 0; i < survey.h1s.size(); ++i) {
      bool in_root = false;
      for (const GumboNode* n = survey.h1s[i]; n != nullptr && !in_root; n = n->parent) {
        in_root = n == root;
      }
      int rank = in_root ? 0 : survey.h1_in_header[i] ? 2 : 1;
      if (rank == pass) h1_names.push_back(h1_texts[i]);
    }
  }

  std::vector<PendingBlock> blocks;
  std::string time_date;
  if (root != nullptr && root->type == GUMBO_NODE_ELEMENT) {
    Extractor extractor(survey, root);
    extractor.Run();
    blocks = std::move(extractor.blocks());
    time_date = extractor.TimeDate();
  }
  FillMetadata(survey, h1_names, time_date, &out->meta);

  // Themes often put the page title's <h1> above the <article>. Bring it in when the article
  // has no h1 of its own and the heading is the page's title, not a site logo.
  bool has_h1 = false;
  for (const PendingBlock& b : blocks) {
    if (b.kind == BlockKind::kHeading && b.level == 1) has_h1 = true;
  }
  const NodeInfo* root_info = root != nullptr ? survey.Find(root) : nullptr;
  if (!has_h1 && root_info != nullptr) {
    for (size_t i = 0; i < survey.h1s.size(); ++i) {
      const NodeInfo* h1_info = survey.Find(survey.h1s[i]);
      if (h1_info == nullptr || h1_info->order >= root_info->order) break;
      const std::string& text = h1_texts[i];
      if (!text.empty() && text == out->meta.title) {
        blocks.insert(blocks.begin(), PendingBlock{BlockKind::kHeading, 1, text, false, false});
        break;
      }
    }
  }

  std::vector<bool> keep;
  RemoveRepeats(&blocks, &keep);
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!keep[i]) continue;
    Block* block = out->AddBlock(blocks[i].kind, blocks[i].text, blocks[i].level);
    if (block != nullptr) block->list_item = blocks[i].list_item;
  }
  return Status::Ok();
}

bool IsPillarReport(std::string_view bytes) {
  // The report writes this exact tag near the top of its head; an edited copy that lost it is
  // a document like any other.
  std::string tag = "<meta name=\"generator\" content=\"" + std::string(kPillarReportGenerator);
  return bytes.substr(0, 4096).find(tag) != std::string_view::npos;
}

}  // namespace pillar
