// W3C export that a browser client anchors, and pillar import w3c (issue 21, point 2): the
// selectors of a tagged passage find it in a headless-Chromium page that shows the document
// text; export -> import into a fresh index gives back the same manual tags, notes, authors.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "query/search/searcher.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::PillarBinary;
using testing::RunCommand;
using testing::RunPillarJson;
using testing::ShellQuote;
using testing::SourceDir;
using testing::TempDir;

std::string Index(const fs::path& dir) { return " --index " + ShellQuote(dir.string()); }

// Indexes corpus/sample (with its catalog) into `dir`.
void IndexSample(const fs::path& dir) {
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " +
                         ShellQuote((SourceDir() / "corpus/sample").string()) + Index(dir) +
                         " 2>&1",
                     &out) == 0);
}

void Tag(const fs::path& index, const std::string& passage, const std::string& concept_id,
         const std::string& by, const std::string& note) {
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " tag " + ShellQuote(passage) + " --add " + concept_id +
                         " --by " + ShellQuote(by) +
                         (note.empty() ? "" : " --note " + ShellQuote(note)) + Index(index),
                     &out) == 0);
}

// The manual annotations of a W3C export (those a person made), by id.
std::map<std::string, json> Manual(const json& collection) {
  std::map<std::string, json> out;
  for (const json& a : collection["first"]["items"]) {
    if (a["creator"]["type"] == "Person") out[a["id"]] = a;
  }
  return out;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

// A page showing `text` that applies an annotation's two selectors the way a browser client
// does (positions in code points turned into JavaScript's UTF-16 indices), marking what each
// finds; the script writes the marks into the DOM that --dump-dom prints.
std::string AnchoringPage(const std::string& text, const json& target) {
  std::string script = R"JS(
const target = TARGET;
const pre = document.getElementById('doc');
const text = pre.textContent;
let quote, position;
for (const s of target.selector) {
  if (s.type === 'TextQuoteSelector') quote = s;
  if (s.type === 'TextPositionSelector') position = s;
}
// Code points -> UTF-16 index.
function utf16(cp) { return Array.from(text).slice(0, cp).join('').length; }
function mark(start, end, id) {
  const out = document.createElement('div');
  out.id = id;
  out.setAttribute('data-start', String(start));
  out.textContent = text.slice(start, end);
  document.body.appendChild(out);
}
const ps = utf16(position.start), pe = utf16(position.end);
mark(ps, pe, 'by-position');
// TextQuoteSelector: the occurrence of exact whose prefix and suffix agree.
let at = -1;
for (let i = text.indexOf(quote.exact); i >= 0; i = text.indexOf(quote.exact, i + 1)) {
  if (text.slice(Math.max(0, i - quote.prefix.length), i) === quote.prefix &&
      text.slice(i + quote.exact.length, i + quote.exact.length + quote.suffix.length) ===
          quote.suffix) { at = i; break; }
}
if (at >= 0) mark(at, at + quote.exact.length, 'by-quote');
)JS";
  std::string t = target.dump();
  std::string escaped;
  for (char c : t) escaped += c == '<' ? std::string("\\u003c") : std::string(1, c);
  script.replace(script.find("TARGET"), 6, escaped);
  // A newline right after <pre> is dropped by HTML parsers: give one to drop.
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><pre id=\"doc\">\n" +
         HtmlEscape(text) + "</pre><script>" + script + "</script></body></html>";
}

// The text content of the element with `id` in a DOM dump (entities of text nodes undone).
std::string ElementText(const std::string& dom, const std::string& id) {
  size_t at = dom.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "<none>";
  size_t start = dom.find('>', at) + 1;
  std::string raw = dom.substr(start, dom.find("</div>", start) - start);
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw.compare(i, 4, "&lt;") == 0) {
      out += '<';
      i += 3;
    } else if (raw.compare(i, 4, "&gt;") == 0) {
      out += '>';
      i += 3;
    } else if (raw.compare(i, 5, "&amp;") == 0) {
      out += '&';
      i += 4;
    } else if (raw.compare(i, 6, "&nbsp;") == 0) {
      out += "\u00a0";
      i += 5;
    } else
      out += raw[i];
  }
  return out;
}

TEST_CASE(
    "The W3C export of a tagged passage anchors by both selectors in a headless Chromium "
    "page of the document text",
    "[cli][w3c][chromium]") {
  std::string probe;
  if (RunCommand("command -v chromium", &probe) != 0) {
    WARN("chromium missing (tools/bootstrap installs it): not checked");
    return;
  }
  TempDir dir;
  fs::path index = dir.path() / "idx";
  IndexSample(index);
  // An English resolution with a URL, and a French policy (accents: code points differ from
  // bytes) without one.
  Tag(index, "s-res-2719-2023#op-5", "ucp-presence", "Amina Diallo",
      "Presence, as the AU frames it");
  Tag(index, "dpo-poc-policy-2023-fr#para-6", "ucp-mediation", "Élise Marchand", "");
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " export --format w3c" + Index(index), &out) == 0);
  std::map<std::string, json> manual = Manual(json::parse(out));
  REQUIRE(manual.size() == 2);
  for (const auto& [id, a] : manual) {
    INFO(id);
    std::string passage_id = id.find("s-res") != std::string::npos
                                 ? "s-res-2719-2023#op-5"
                                 : "dpo-poc-policy-2023-fr#para-6";
    std::string doc_id = passage_id.substr(0, passage_id.find('#'));
    json passage = RunPillarJson("show " + ShellQuote(passage_id) + " --json" + Index(index));
    // The document text as the index holds it: what a page serving the document shows.
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(index);
    REQUIRE(searcher.ok());
    Result<std::string> got = (*searcher)->GetDocumentText(doc_id);
    REQUIRE(got.ok());
    std::string text = *got;
    if (doc_id == "s-res-2719-2023") {
      CHECK(a["target"]["source"] == "https://undocs.org/S/RES/2719(2023)");
    } else {
      CHECK(a["target"]["source"] == "urn:pillar:doc:" + doc_id);
    }
    fs::path html = dir.path() / (doc_id + ".html");
    {
      std::ofstream page(html, std::ios::binary);
      page << AnchoringPage(text, a["target"]);
    }
    std::string dom;
    REQUIRE(RunCommand("chromium --headless --no-sandbox --disable-gpu --disable-quic "
                       "--no-first-run --disable-background-networking "
                       "--disable-component-update --disable-sync --user-data-dir=" +
                           ShellQuote((dir.path() / ("profile-" + doc_id)).string()) +
                           " --dump-dom " + ShellQuote("file://" + html.string()) + " 2>/dev/null",
                       &dom) == 0);
    std::string expected = passage["text"];
    CHECK(ElementText(dom, "by-position") == expected);
    CHECK(ElementText(dom, "by-quote") == expected);
  }
}

TEST_CASE(
    "W3C export then import into a fresh index gives back the same manual tags notes and "
    "authors",
    "[cli][w3c]") {
  TempDir dir;
  fs::path first = dir.path() / "first", second = dir.path() / "second";
  IndexSample(first);
  Tag(first, "s-res-2719-2023#op-5", "ucp-presence", "Amina Diallo",
      "Presence, as the AU frames it");
  Tag(first, "s-res-2719-2023#op-5", "au-rights", "Jonas Berg", "");
  Tag(first, "dpo-poc-policy-2023-fr#para-6", "ucp-mediation", "Élise Marchand",
      "« médiation » au sens large");
  Tag(first, "hippo-2015#para-12", "un-tier-1", "Amina Diallo", "");
  fs::path exported = dir.path() / "annotations.json";
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " export --format w3c --out " +
                         ShellQuote(exported.string()) + Index(first),
                     &out) == 0);

  IndexSample(second);
  REQUIRE(
      RunCommand(PillarBinary() + " import w3c " + ShellQuote(exported.string()) + Index(second),
                 &out) == 0);
  INFO(out);
  CHECK(out.find("4 tags recorded, 0 already there, 0 annotations not anchored") !=
        std::string::npos);
  // Importing the same file again records nothing new.
  REQUIRE(
      RunCommand(PillarBinary() + " import w3c " + ShellQuote(exported.string()) + Index(second),
                 &out) == 0);
  CHECK(out.find("0 tags recorded, 4 already there") != std::string::npos);

  REQUIRE(RunCommand(PillarBinary() + " export --format w3c" + Index(first), &out) == 0);
  std::map<std::string, json> before = Manual(json::parse(out));
  REQUIRE(RunCommand(PillarBinary() + " export --format w3c" + Index(second), &out) == 0);
  std::map<std::string, json> after = Manual(json::parse(out));
  REQUIRE(before.size() == 4);
  CHECK(after == before);  // ids, concepts, notes, creators, times and selectors alike
  json shown = RunPillarJson("show 's-res-2719-2023#op-5' --json" + Index(second));
  int manual = 0;
  for (const json& t : shown["pillars"]) {
    if (t["source"] == "manual") ++manual;
  }
  CHECK(manual == 2);
}

TEST_CASE(
    "pillar import w3c anchors Hypothesis annotations by URL and quote and reports the "
    "ones it cannot anchor",
    "[cli][w3c]") {
  TempDir dir;
  fs::path index = dir.path() / "idx";
  IndexSample(index);
  const std::string quote =
      "take all feasible steps to protect civilians under threat of physical violence";
  json rows = json::array();
  auto row = [&](const std::string& id, const std::string& uri, const std::string& exact,
                 const std::string& tag) {
    return json{{"id", id},
                {"uri", uri},
                {"user", "acct:amina.diallo@hypothes.is"},
                {"created", "2025-01-02T10:00:00.000000+00:00"},
                {"text", "Compare with OP 6."},
                {"tags", {tag}},
                {"target",
                 {{{"source", uri},
                   {"selector",
                    {{{"type", "TextQuoteSelector"},
                      {"exact", exact},
                      {"prefix", "areas of operation, "},
                      {"suffix", ", shall take"}},
                     // A web page's UTF-16 offsets: not Pillar's text, so the quote decides.
                     {{"type", "TextPositionSelector"}, {"start", 10}, {"end", 20}}}}}}}};
  };
  rows.push_back(row("h1", "https://undocs.org/S/RES/2719(2023)", quote, "Protective presence"));
  rows.push_back(row("h2", "https://undocs.org/S/RES/2719(2023)", quote, "not a concept"));
  rows.push_back(row("h3", "https://undocs.org/S/RES/2719(2023)", "words the resolution lacks",
                     "ucp-presence"));
  rows.push_back(row("h4", "https://example.org/elsewhere", quote, "ucp-presence"));
  fs::path file = dir.path() / "hypothesis.json";
  {
    std::ofstream f(file);
    f << json{{"total", 4}, {"rows", rows}}.dump(2);
  }
  std::string out;
  CHECK(RunCommand(PillarBinary() + " import w3c " + ShellQuote(file.string()) + Index(index),
                   &out) == 1);
  INFO(out);
  CHECK(out.find("anchored   annotation 1 (h1) -> s-res-2719-2023#op-5 (ucp-presence)") !=
        std::string::npos);
  CHECK(out.find("unanchored annotation 2 (h2): names no concept of the taxonomy") !=
        std::string::npos);
  CHECK(out.find("unanchored annotation 3 (h3): the quoted text is not in the document") !=
        std::string::npos);
  CHECK(out.find("unanchored annotation 4 (h4): no indexed document has the URL "
                 "https://example.org/elsewhere") != std::string::npos);
  json shown = RunPillarJson("show 's-res-2719-2023#op-5' --json" + Index(index));
  bool found = false;
  for (const json& t : shown["pillars"]) {
    if (t["id"] == "ucp-presence" && t["source"] == "manual") {
      found = true;
      CHECK(t["by"] == "amina.diallo");
      CHECK(t["note"] == "Compare with OP 6.");
      CHECK(t["when"] == "2025-01-02T10:00:00.000000+00:00");
    }
  }
  CHECK(found);
}

}  // namespace
}  // namespace pillar
