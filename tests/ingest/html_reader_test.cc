#include "indexer/ingest/html_reader.h"

#include <pthread.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

ExtractedDocument ReadHtml(std::string_view html) {
  ExtractedDocument doc;
  Status status = HtmlReader().Read("page.html", html, &doc);
  REQUIRE(status.ok());
  return doc;
}

ExtractedDocument ReadFixture(const std::string& name) {
  std::ifstream in(testing::SourceDir() / "tests" / "fixtures" / "html" / name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream bytes;
  bytes << in.rdbuf();
  return ReadHtml(bytes.str());
}

// One line per block: "H2 What the data show", "P Some text", "FN A note". Comparing these
// strings shows the whole extraction in a failure message.
std::string Outline(const ExtractedDocument& doc) {
  std::string out;
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case BlockKind::kHeading:
        out += "H" + std::to_string(b.level);
        break;
      case BlockKind::kParagraph:
        out += "P";
        break;
      case BlockKind::kFootnote:
        out += "FN";
        break;
    }
    out += " ";
    out += doc.BlockText(b);
    out += "\n";
  }
  return out;
}

bool HasText(const ExtractedDocument& doc, std::string_view needle) {
  return doc.text.find(needle) != std::string::npos;
}

TEST_CASE("HtmlReader keeps exactly the article text of a real-shaped NGO page", "[ingest][html]") {
  ExtractedDocument doc = ReadFixture("ngo_article.html");
  CHECK(Outline(doc) ==
        "H1 Explosive weapons in towns and cities: what states must do now\n"
        "P When explosive weapons with wide area effects are used in populated areas, around "
        "nine in ten of the people killed or injured are civilians.\n"
        "P The Political Declaration endorsed in Dublin in November 2022 commits states to "
        "restrict or refrain from such use. One year on, implementation remains uneven.\n"
        "H2 What the casualty data show\n"
        "P Our monitoring recorded harm in 41 countries and territories. The damage to water, "
        "power and health systems often causes more deaths than the blast itself.\n"
        "H2 Three commitments to act on\n"
        "P Collect and share data on civilian harm, disaggregated by sex and age.\n"
        "P Review military policy and practice, including the choice of weapons.\n"
        "P Assist victims and support the restoration of essential services.\n"
        "H3 Why the reverberating effects matter\n"
        "P Hospitals cannot run without electricity, and water pumping stops within hours of a "
        "power cut.\n"
        "P We call upon all parties to respect and protect the civilian population.\n"
        "P A hospital ward damaged by shelling, 2023.\n");
}

TEST_CASE("HtmlReader drops navigation, banners, scripts, share buttons, forms and footers",
          "[ingest][html]") {
  ExtractedDocument doc = ReadFixture("ngo_article.html");
  const std::string_view kBoilerplate[] = {"Skip to content",
                                           "cookies",
                                           "Accept all",
                                           "Protecting people in conflict",
                                           "About us",
                                           "Breadcrumb",
                                           "Home",
                                           "Urban warfare",
                                           "Share on",
                                           "Email this article",
                                           "dataLayer",
                                           "schema.org",
                                           "trackScroll",
                                           "Related",
                                           "Water under fire",
                                           "Stay informed",
                                           "Sign up",
                                           "Subscribe",
                                           "EWIPA",
                                           "You may also like",
                                           "Landmines",
                                           "Rue des Alpes",
                                           "Registered charity",
                                           "Statement of the ICRC President",
                                           "By Amira"};
  for (std::string_view boilerplate : kBoilerplate) {
    INFO(boilerplate);
    CHECK_FALSE(HasText(doc, boilerplate));
  }
}

TEST_CASE("HtmlReader reads title, author, date and language from the page's meta tags",
          "[ingest][html]") {
  ExtractedDocument doc = ReadFixture("ngo_article.html");
  // <title> ends in " | Civic Shield"; og:title confirms the first part is the page's title.
  CHECK(doc.meta.title == "Explosive weapons in towns and cities: what states must do now");
  CHECK(doc.meta.author == "Amira Haddad");  // article:author is a profile URL: ignored
  CHECK(doc.meta.date == "2023-11-16");      // from article:published_time
  CHECK(doc.meta.language == "en");          // <html lang="en-GB">
}

TEST_CASE("HtmlReader drops a pull quote that repeats the body but keeps a genuine quotation",
          "[ingest][html]") {
  std::string body =
      "<p>Nobody should have to choose between safety and medical care for their children.</p>"
      "<p>Health workers in the north reported 112 attacks on facilities last year.</p>";
  SECTION("a blockquote repeating a body sentence, with quotation marks, is dropped") {
    ExtractedDocument doc = ReadHtml("<article>" + body +
                                     "<blockquote><p>“Health workers in the north reported 112 "
                                     "attacks on facilities last year.”</p></blockquote>"
                                     "</article>");
    CHECK(Outline(doc) ==
          "P Nobody should have to choose between safety and medical care for their children.\n"
          "P Health workers in the north reported 112 attacks on facilities last year.\n");
  }
  SECTION("a pull quote placed before the sentence it repeats is dropped, the body stays") {
    ExtractedDocument doc = ReadHtml(
        "<article><blockquote><p>Nobody should have to choose between safety and medical care"
        "</p></blockquote>" +
        body + "</article>");
    REQUIRE(doc.blocks.size() == 2);
    CHECK(doc.BlockText(doc.blocks[0]).substr(0, 7) == "Nobody ");
    CHECK(doc.BlockText(doc.blocks[0]).size() > 70);
  }
  SECTION("a box whose class says pull-quote is dropped even when it paraphrases") {
    ExtractedDocument doc =
        ReadHtml("<article>" + body +
                 "<div class=\"c-pull-quote\">Safety or medical care: an impossible choice.</div>"
                 "<aside class=\"pullquote\">An aside pull quote.</aside></article>");
    CHECK_FALSE(HasText(doc, "impossible choice"));
    CHECK_FALSE(HasText(doc, "aside pull quote"));
    CHECK(doc.blocks.size() == 2);
  }
  SECTION("a blockquote quoting words the body does not contain is kept") {
    ExtractedDocument doc =
        ReadHtml("<article>" + body +
                 "<blockquote><p>Demands that all parties comply with their obligations under "
                 "international humanitarian law.</p></blockquote></article>");
    REQUIRE(doc.blocks.size() == 3);
    CHECK(doc.BlockText(doc.blocks[2]) ==
          "Demands that all parties comply with their obligations under international "
          "humanitarian law.");
  }
}

TEST_CASE("HtmlReader keeps a paragraph that appears twice only once", "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<main><p>The mission shall protect civilians under imminent threat.</p>"
      "<div><p>The mission shall  protect civilians\nunder imminent threat.</p></div>"
      "<table><tr><td>Yes</td><td>Yes</td></tr><tr><td>Yes</td><td>Yes</td></tr></table>"
      "<ul><li>Boilerplate line repeated in a list</li><li>Boilerplate line repeated in a list</li>"
      "</ul></main>");
  // Table rows may repeat: they are data, not a duplicated paragraph. Other repeats go.
  CHECK(Outline(doc) ==
        "P The mission shall protect civilians under imminent threat.\n"
        "P Yes; Yes\n"
        "P Yes; Yes\n"
        "P Boilerplate line repeated in a list\n");
}

TEST_CASE("HtmlReader uses <main> when the page has no <article>", "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<html><body><div class=\"site-header\"><p>Site tagline text</p></div>"
      "<p>Loose text before main</p>"
      "<main><h1>Guidance note</h1><p>Text inside main.</p></main>"
      "<p>Loose text after main</p></body></html>");
  CHECK(Outline(doc) == "H1 Guidance note\nP Text inside main.\n");

  ExtractedDocument role_main =
      ReadHtml("<body><div>Outside</div><div role=\"main\"><p>Inside role main.</p></div></body>");
  CHECK(Outline(role_main) == "P Inside role main.\n");
}

TEST_CASE("HtmlReader reads a think-tank report laid out in divs with a main role",
          "[ingest][html]") {
  ExtractedDocument doc = ReadFixture("think_tank_report.html");
  CHECK(Outline(doc) ==
        "H1 Protection of Civilians in UN Peacekeeping: Lessons from Mali\n"
        "H2 Summary\n"
        "P MINUSMA operated for a decade under a Chapter VII mandate that placed the protection "
        "of civilians at its core. Its experience holds lessons for missions in DRC and South "
        "Sudan.\n"
        "H2 Key findings\n"
        "P Early warning\n"
        "P Community alert networks worked where patrols could reach villages within hours.\n"
        "P Mobility\n"
        "P Air assets were the main constraint on the mission\u2019s ability to respond.\n"
        "H2 Incidents by region, 2019\u20132022\n"
        "H3 Reported attacks on civilians\n"
        "P Region: Mopti; Attacks: 1,204\n"
        "P Region: Gao; Attacks: 387\n"
        "H3 Commentary\n"
        "P Peacekeepers cannot protect everyone, everywhere.\n"
        "P Missions must say clearly what they can and cannot do.\n"
        "H2 Recommendations\n"
        "P Fund community protection networks for the whole mandate period.\n"
        "P Plan for withdrawal from the first day of deployment.\n"
        "H2 Notes\n"
        "FN S/RES/2100 (2013), operative paragraph 16.\n"
        "FN See the Secretary-General's report S/2023/402.\n");
  // <title> is "Policy Institute — <title>"; citation_title confirms the second part.
  CHECK(doc.meta.title == "Protection of Civilians in UN Peacekeeping: Lessons from Mali");
  CHECK(doc.meta.author == "Jonas Berg; Fatoumata Ke\u00EFta");
  CHECK(doc.meta.date == "2024-02-07");  // citation_publication_date "2024/02/07"
  CHECK(doc.meta.language == "en");
}

TEST_CASE("HtmlReader decodes character references", "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<p>Women &amp; children&nbsp;first: the r&eacute;fugi&eacute;s&#8217; camp &#x2014; "
      "&lt;S/RES/2417&gt; &quot;hunger&quot; &copy;</p>");
  CHECK(doc.text ==
        "Women & children first: the r\u00E9fugi\u00E9s\u2019 camp \u2014 <S/RES/2417> "
        "\"hunger\" \u00A9");
}

TEST_CASE("HtmlReader joins inline markup without losing or adding spaces", "[ingest][html]") {
  CHECK(ReadHtml("<p>The <em>early</em> warning</p>").text == "The early warning");
  CHECK(ReadHtml("<p>re<b>in</b>forced <a href=\"/x\">patrols</a>, <span>day</span> and "
                 "<i>night</i>.</p>")
            .text == "reinforced patrols, day and night.");
  CHECK(ReadHtml("<p>H<sub>2</sub>O and km<sup>2</sup>; <abbr>UNHCR</abbr>'s "
                 "<code>data</code> <small>(2023)</small> <time>today</time></p>")
            .text == "H2O and km2; UNHCR's data (2023) today");
  CHECK(ReadHtml("<p>Line one<br>line two<br/>line three</p>").text ==
        "Line one line two line three");
  CHECK(ReadHtml("<p>  spread\n   over\tlines  </p>").text == "spread over lines");
}

TEST_CASE("HtmlReader treats two line breaks in a row as a paragraph break", "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<body><div>First paragraph of an old page.<br>\n<br>\nSecond paragraph.<br>"
      "still the second.</div></body>");
  CHECK(Outline(doc) ==
        "P First paragraph of an old page.\nP Second paragraph. still the second.\n");
}

TEST_CASE("HtmlReader makes one paragraph per list item and never repeats nested text",
          "[ingest][html]") {
  CHECK(Outline(ReadHtml("<ul><li>Patrols</li><li>Early <b>warning</b></li>"
                         "<li>Dialogue</li></ul>")) == "P Patrols\nP Early warning\nP Dialogue\n");
  CHECK(Outline(ReadHtml("<ol><li>Tier one<ul><li>Dialogue</li><li>Engagement</li></ul>"
                         "after the sublist</li></ol>")) ==
        "P Tier one\nP Dialogue\nP Engagement\nP after the sublist\n");
  CHECK(Outline(ReadHtml("<blockquote><p>First quoted.</p><p>Second quoted.</p></blockquote>")) ==
        "P First quoted.\nP Second quoted.\n");
  CHECK(Outline(ReadHtml("<div>Loose lead text <p>A paragraph.</p> loose tail</div>")) ==
        "P Loose lead text\nP A paragraph.\nP loose tail\n");
  CHECK(Outline(ReadHtml("<h2>Part <div>one</div></h2><pre>a\n  b</pre>")) ==
        "H2 Part one\nP a b\n");
  CHECK(Outline(ReadHtml("<dl><dt>Term</dt><dd>Definition</dd></dl>")) == "P Term\nP Definition\n");
}

TEST_CASE("HtmlReader keeps an article's header headings but drops the site header",
          "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<body><header><h1>Site name</h1><p>Site tagline</p></header>"
      "<article class=\"article-header-layout\"><header class=\"article-header\">"
      "<h1>Report title</h1><p class=\"standfirst\">By A. Writer</p></header>"
      "<p>Body text of the report.</p>"
      "<footer><h2>About the authors</h2><p>Bio text.</p></footer></article></body>");
  CHECK(Outline(doc) == "H1 Report title\nP Body text of the report.\nH2 About the authors\n");

  ExtractedDocument no_article = ReadHtml(
      "<body><header><h1>Site name</h1><p>Site tagline</p></header>"
      "<div><h2>Heading</h2><p>Body text.</p></div><footer><p>Site footer.</p></footer></body>");
  CHECK(Outline(no_article) == "H2 Heading\nP Body text.\n");
}

TEST_CASE("HtmlReader brings in a page title h1 that sits above the article", "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<head><title>Civilian harm tracking | Example NGO</title></head><body>"
      "<header><h1 class=\"logo\">Example NGO</h1></header>"
      "<div class=\"page-title\"><h1>Civilian harm tracking</h1></div>"
      "<article><p>Tracking starts with recording every incident.</p></article></body>");
  CHECK(doc.meta.title == "Civilian harm tracking");
  CHECK(Outline(doc) ==
        "H1 Civilian harm tracking\nP Tracking starts with recording every incident.\n");
}

TEST_CASE("HtmlReader matches boilerplate class names by whole word, not substring",
          "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<article>"
      "<div class=\"research-area\"><p>Kept: research is not search.</p></div>"
      "<div class=\"commentary\"><p>Kept: commentary is not comment.</p></div>"
      "<div class=\"social-protection\"><p>Kept: social protection is a topic.</p></div>"
      "<div class=\"bg-canvas\"><p>Kept: canvas is not nav.</p></div>"
      "<div class=\"site-nav__list\"><p>Dropped nav.</p></div>"
      "<div id=\"cookieBanner\"><p>Dropped cookie banner.</p></div>"
      "<div class=\"c-social\"><p>Kept: c-social is not the whole word.</p></div>"
      "<div class=\"social\"><p>Dropped social widget.</p></div>"
      "<div class=\"ad-slot\"><p>Dropped advert.</p></div>"
      "<ul class=\"relatedPosts\"><li>Dropped related link.</li></ul>"
      "<div class=\"comments-area\"><p>Dropped comment.</p></div>"
      "<div class=\"sr-only\">Dropped screen reader text.</div>"
      "<div style=\"display: none\"><p>Dropped hidden text.</p></div>"
      "<div role=\"complementary\"><p>Dropped complementary.</p></div>"
      "</article>");
  CHECK(Outline(doc) ==
        "P Kept: research is not search.\n"
        "P Kept: commentary is not comment.\n"
        "P Kept: social protection is a topic.\n"
        "P Kept: canvas is not nav.\n"
        "P Kept: c-social is not the whole word.\n");
}

TEST_CASE("HtmlReader does not drop paragraphs or running text for their class names",
          "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<article><h2 class=\"subheader\">Context</h2>"
      "<p class=\"byline\">By Staff, <time datetime=\"2022-01-05\">5 Jan</time></p>"
      "<p class=\"share-text subheader\">A paragraph with an unlucky class.</p>"
      "<p>Statement by <span class=\"author\">the Secretary-General</span> on "
      "<span class=\"date\">Monday</span>.</p>"
      "<div class=\"byline\">By Staff</div></article>");
  // A byline paragraph is metadata, not text; its date is read.
  CHECK(doc.meta.date == "2022-01-05");
  CHECK(Outline(doc) ==
        "H2 Context\n"
        "P A paragraph with an unlucky class.\n"
        "P Statement by the Secretary-General on Monday.\n");
}

TEST_CASE("HtmlReader keeps a wrapper whose class names boilerplate but holds the page",
          "[ingest][html]") {
  std::string paragraphs =
      "<p>Peace operations protect civilians through dialogue, physical protection and a "
      "protective environment.</p><p>Each tier is needed; none is enough alone.</p>";
  SECTION("a body-level div with a sidebar class") {
    ExtractedDocument doc =
        ReadHtml("<body><div class=\"container has-sidebar\">" + paragraphs +
                 "<div class=\"sidebar\"><p>Sidebar links.</p></div></div></body>");
    CHECK(doc.blocks.size() == 2);
    CHECK_FALSE(HasText(doc, "Sidebar links"));
  }
  SECTION("an ASP.NET form around the whole page") {
    ExtractedDocument doc = ReadHtml("<body><form id=\"aspnetForm\" method=\"post\">" + paragraphs +
                                     "</form><form><p>Sign up for updates.</p></form></body>");
    CHECK(doc.blocks.size() == 2);
  }
}

TEST_CASE("HtmlReader picks the largest article, not a teaser card", "[ingest][html]") {
  ExtractedDocument doc = ReadHtml(
      "<body><article class=\"teaser\"><p>Short teaser.</p></article>"
      "<article><h1>The real article</h1><p>A long body paragraph that is clearly the main "
      "content of the page, longer than any teaser card.</p></article>"
      "<aside><article><p>An article inside an aside, much longer than the others to make "
      "sure that asides are never chosen as the content root of the page at all.</p>"
      "</article></aside></body>");
  CHECK(Outline(doc) ==
        "H1 The real article\nP A long body paragraph that is clearly the main content of the "
        "page, longer than any teaser card.\n");
}

TEST_CASE("HtmlReader turns a footnotes section into footnote blocks and drops note markers",
          "[ingest][html]") {
  SECTION("Pandoc-style endnotes with doc-noteref and back-links") {
    ExtractedDocument doc = ReadHtml(
        "<article><p>Sieges are lawful only in narrow cases.<sup><a href=\"#fn1\" "
        "class=\"footnote-ref\" role=\"doc-noteref\">1</a></sup> Starvation is "
        "prohibited.<a href=\"#fn2\"><sup>[2]</sup></a></p>"
        "<section class=\"footnotes\" role=\"doc-endnotes\"><hr><ol>"
        "<li id=\"fn1\"><p>Additional Protocol I, art. 54.<a href=\"#fnref1\" "
        "class=\"footnote-back\" role=\"doc-backlink\">\u21A9</a></p></li>"
        "<li id=\"fn2\"><p>S/RES/2417 (2018).</p></li></ol></section></article>");
    CHECK(Outline(doc) ==
          "P Sieges are lawful only in narrow cases. Starvation is prohibited.\n"
          "FN Additional Protocol I, art. 54.\n"
          "FN S/RES/2417 (2018).\n");
  }
  SECTION("a footnotes div found by class alone, with loose text") {
    ExtractedDocument doc = ReadHtml(
        "<main><p>Body.</p><div class=\"article-endnotes\">1. First note.<br><br>"
        "2. Second note.</div></main>");
    CHECK(Outline(doc) == "P Body.\nFN 1. First note.\nFN 2. Second note.\n");
  }
  SECTION("Word's Save as HTML footnotes") {
    ExtractedDocument doc = ReadHtml(
        "<body><p class=MsoNormal>Text<a href=\"#_ftn1\" name=\"_ftnref1\"><span "
        "class=MsoFootnoteReference>[1]</span></a> continues.</p>"
        "<div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1>"
        "<p class=MsoFootnoteText>A note from Word.</p></div></div></body>");
    CHECK(Outline(doc) == "P Text continues.\nFN A note from Word.\n");
  }
  SECTION("a link to the notes in words is not a marker") {
    ExtractedDocument doc = ReadHtml("<p>See <a href=\"#notes\">the note on method</a> below.</p>");
    CHECK(doc.text == "See the note on method below.");
  }
}

TEST_CASE("HtmlReader strips the site name from <title> only when the page confirms it",
          "[ingest][html]") {
  CHECK(
      ReadHtml("<title>Urban warfare - Example</title><h1>Urban warfare</h1><p>x</p>").meta.title ==
      "Urban warfare");
  CHECK(ReadHtml("<title>Urban warfare - Example</title><h1>Other</h1><p>x</p>").meta.title ==
        "Urban warfare - Example");
  CHECK(ReadHtml("<title>Title: the subtitle</title><h1>Title</h1><p>x</p>").meta.title ==
        "Title: the subtitle");
  CHECK(ReadHtml("<meta property=\"og:title\" content=\"From OG\"><p>x</p>").meta.title ==
        "From OG");
  CHECK(ReadHtml("<p>No title anywhere.</p>").meta.title.empty());
}

TEST_CASE("HtmlReader normalises dates and languages and reads the byline's <time>",
          "[ingest][html]") {
  CHECK(ReadHtml("<meta name=\"date\" content=\"2023/5/4\"><p>x</p>").meta.date == "2023-05-04");
  CHECK(ReadHtml("<meta name=\"dc.date\" content=\"2019-07\"><p>x</p>").meta.date == "2019-07");
  CHECK(ReadHtml("<meta name=\"date\" content=\"4 May 2023\"><p>x</p>").meta.date.empty());
  CHECK(ReadHtml("<html lang=\"FR-ca\"><p>x</p></html>").meta.language == "fr");
  CHECK(ReadHtml("<meta property=\"og:locale\" content=\"es_ES\"><p>x</p>").meta.language == "es");
  CHECK(ReadHtml("<p>x</p>").meta.language.empty());
  // The byline's date, not a date mentioned in the body.
  CHECK(ReadHtml("<article><div class=\"byline\">Posted <time datetime=\"2024-03-01T08:00\">"
                 "1 March</time></div><p>Fighting began on <time datetime=\"2011-03-15\">15 "
                 "March 2011</time>.</p></article>")
            .meta.date == "2024-03-01");
  CHECK(ReadHtml("<article><p>Fighting began on <time datetime=\"2011-03-15\">15 March "
                 "2011</time>.</p></article>")
            .meta.date.empty());
  CHECK(ReadHtml("<meta name=\"author\" content=\"A. One\"><meta name=\"author\" "
                 "content=\"B. Two\"><p>x</p>")
            .meta.author == "A. One; B. Two");
}

TEST_CASE("HtmlReader never fails on broken markup", "[ingest][html]") {
  CHECK(Outline(ReadHtml("<p>Unclosed <b>bold <i>both</p><p>next</b> para")) ==
        "P Unclosed bold both\nP next para\n");
  CHECK(Outline(ReadHtml("</div></p>Stray end tags<td>cell")) == "P Stray end tagscell\n");
  CHECK(ReadHtml("").blocks.empty());
  CHECK(ReadHtml("<html><body><script>only script</script></body></html>").blocks.empty());
  // Invalid UTF-8 reaches this reader only when called directly; gumbo substitutes U+FFFD.
  CHECK(ReadHtml("<p>bad \xFF byte</p>").text == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("HtmlReader survives a page nested 100,000 elements deep on a small stack",
          "[ingest][html]") {
  // Divs cost gumbo quadratic time (it scans the open-element stack for each), so the depth
  // is mostly spans; both kinds go through the extractor's explicit stack.
  struct Job {
    std::string html = "<html><body><article><h1>Deep</h1>";
    bool ok = false;
    std::string outline;
  } job;
  for (int i = 0; i < 20000; ++i) job.html += "<div>";
  for (int i = 0; i < 80000; ++i) job.html += "<span>";
  job.html += "deep text";
  // A 1 MiB stack: anything recursing once per level (gumbo's own tree destructor does) would
  // overflow it at this depth.
  pthread_attr_t attr;
  REQUIRE(pthread_attr_init(&attr) == 0);
  REQUIRE(pthread_attr_setstacksize(&attr, 1 << 20) == 0);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    ExtractedDocument doc;
    j->ok = HtmlReader().Read("deep.html", j->html, &doc).ok();
    j->outline = Outline(doc);
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, run, &job) == 0);
  REQUIRE(pthread_join(thread, nullptr) == 0);
  pthread_attr_destroy(&attr);
  CHECK(job.ok);
  CHECK(job.outline == "H1 Deep\nP deep text\n");
}

TEST_CASE("HtmlReader reads a data table one row per paragraph with its headers and caption",
          "[ingest][html][tables]") {
  ExtractedDocument doc = ReadFixture("field_visits_table.html");
  // Rows repeating another row word for word stay: each is a visit of its own.
  CHECK(Outline(doc) ==
        "H1 Field visits in the first quarter\n"
        "P The team logged each visit to a settlement with the method it used.\n"
        "H2 Visits by date\n"
        "P Date: 4 January; Place: North camp; Method: Protective presence in the market area\n"
        "P Date: 11 January; Place: River crossing; Method: Protective accompaniment of water "
        "carriers\n"
        "P Date: 18 January; Place: North camp; Method: Protective presence in the market area\n"
        "P Date: 25 January; Place: Hill village; Method: Protective presence in the market "
        "area\n"
        "P A layout table holds this first paragraph, written as ordinary prose.\n"
        "P It holds this second paragraph in another row of one cell.\n"
        "P Notes taken after the visits follow the table.\n");
}

TEST_CASE("HtmlReader takes a header row of th cells and a title row across the table",
          "[ingest][html][tables]") {
  ExtractedDocument doc = ReadHtml(
      "<body><table>"
      "<tr><th colspan=\"3\">Patrols in <br>2024</th></tr>"
      "<tr><th>Week</th><th>Route<br>taken</th><th>Outcome</th></tr>"
      "<tr><td>1</td><td>Market road</td><td>--</td></tr>"
      "<tr><td>2</td><td>Market road</td><td>Escort <b>completed</b></td></tr>"
      "</table></body>");
  CHECK(Outline(doc) ==
        "H1 Patrols in 2024\n"
        "P Week: 1; Route taken: Market road; Outcome: --\n"
        "P Week: 2; Route taken: Market road; Outcome: Escort completed\n");
}

TEST_CASE("HtmlReader joins cells of a table without headers and names rows by their th",
          "[ingest][html][tables]") {
  ExtractedDocument doc = ReadHtml(
      "<body><table>"
      "<tr><td>Alpha</td><td>first entry</td><td>kept</td></tr>"
      "<tr><td>Beta</td><td>second entry</td><td></td></tr>"
      "</table><table>"
      "<tr><th>Purpose</th><td>Monitoring of a local ceasefire</td><td>weekly</td></tr>"
      "<tr><th>Lead</th><td>Community liaison team</td></tr>"
      "</table></body>");
  CHECK(Outline(doc) ==
        "P Alpha; first entry; kept\n"
        "P Beta; second entry\n"
        "P Purpose: Monitoring of a local ceasefire; weekly\n"
        "P Lead: Community liaison team\n");
}

TEST_CASE("HtmlReader reads a table whose cells hold whole paragraphs as paragraphs",
          "[ingest][html][tables]") {
  ExtractedDocument doc = ReadHtml(
      "<body><table><tr>"
      "<td><p>Left column, first paragraph.</p><p>Left, second.</p><p>Left, third.</p></td>"
      "<td><p>Right column text.</p></td>"
      "</tr></table></body>");
  CHECK(Outline(doc) ==
        "P Left column, first paragraph.\n"
        "P Left, second.\n"
        "P Left, third.\n"
        "P Right column text.\n");
}

TEST_CASE("HtmlReader reads Word-exported headings, bold labels and list paragraphs",
          "[ingest][html][word]") {
  ExtractedDocument doc = ReadHtml(
      "<html><body><div class=WordSection1>"
      "<p class=MsoTitle>Guidance on field protection</p>"
      "<p class=MsoHeading2>Scope of the guidance</p>"
      "<p class=MsoNormal>This guidance covers teams that work without weapons.</p>"
      "<p class=MsoNormal><b><span style='font-size:12pt'>Key terms</span></b></p>"
      "<p class=MsoNormal><b>Presence</b> means staying visibly near people at risk.</p>"
      "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]>"
      "<span style='mso-list:Ignore'>1.<span style='font:7.0pt'>&nbsp; </span></span>"
      "<![endif]>Agree the route before leaving.</p>"
      "<p class=MsoListParagraph><span style='mso-list:Ignore'>2. </span>Report back.</p>"
      "<p class=\"p-Heading3\">Converted heading</p>"
      "<p class=\"p-Normal\"><span style=\"font-weight: bold;\">Table: Teams by region</span></p>"
      "<p class=MsoNormal><b>A bold sentence that ends with a period is body text.</b></p>"
      "</div></body></html>");
  CHECK(Outline(doc) ==
        "H1 Guidance on field protection\n"
        "H2 Scope of the guidance\n"
        "P This guidance covers teams that work without weapons.\n"
        "H3 Key terms\n"
        "P Presence means staying visibly near people at risk.\n"
        "P 1. Agree the route before leaving.\n"
        "P 2. Report back.\n"
        "H3 Converted heading\n"
        "H4 Table: Teams by region\n"
        "P A bold sentence that ends with a period is body text.\n");
}

TEST_CASE("HtmlReader reads tables nested thousands deep without surveying each one again",
          "[ingest][html][tables]") {
  std::string html = "<body>";
  for (int i = 0; i < 3000; ++i) html += "<table><tr><td>cell " + std::to_string(i) + "</td><td>";
  html += "innermost";
  for (int i = 0; i < 3000; ++i) html += "</td></tr></table>";
  html += "</body>";
  ExtractedDocument doc = ReadHtml(html);
  // The outer table is a layout table (its cell holds a table), and so are the next ones;
  // every cell's text is kept once, in order.
  REQUIRE_FALSE(doc.blocks.empty());
  CHECK(doc.BlockText(doc.blocks.front()) == "cell 0");
  CHECK(HasText(doc, "cell 2999"));
  CHECK(doc.BlockText(doc.blocks.back()).find("innermost") != std::string_view::npos);
}

TEST_CASE("HtmlReader reads a page of several megabytes with many quotes", "[ingest][html]") {
  std::string html = "<html><body><article>";
  for (int i = 0; i < 30000; ++i) {
    html += "<p>Paragraph " + std::to_string(i) +
            " on <em>civilian</em> protection and the law of armed conflict.</p>";
    if (i % 10 == 0) {
      html +=
          "<blockquote>Quote " + std::to_string(i) + " that is found nowhere else.</blockquote>";
    }
  }
  ExtractedDocument doc = ReadHtml(html);
  CHECK(doc.blocks.size() == 33000);
  CHECK(HasText(doc, "Quote 29990 that is found nowhere else."));
}

}  // namespace
}  // namespace pillar
