// The ranking's parts (issue 22): the proximity bonus, footnotes down-weighted, only real
// headings in the heading clause, and --explain's parts adding up to each hit's score.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/index/document_builder.h"
#include "indexer/segment/acronyms.h"
#include "indexer/index/index_writer.h"
#include "query/search/json_output.h"
#include "query/search/query_rewrite.h"
#include "query/search/stopwords.h"
#include "indexer/segment/analyzer.h"
#include "query/search/searcher.h"
#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::TempDir;

SearchResult Run(Searcher& s, const std::string& query, bool explain = false,
                 bool any_word = false) {
  SearchRequest r;
  r.query = query;
  r.limit = 20;
  r.explain = explain;
  r.any_word = any_word;
  r.suggest = false;
  auto result = s.Search(r);
  REQUIRE(result.ok());
  return std::move(result.value());
}

std::unique_ptr<Searcher> IndexCorpus(const TempDir& corpus, const TempDir& index) {
  IndexOptions options;
  options.index_dir = index.path();
  auto summary = IndexPaths({corpus.path()}, options);
  REQUIRE(summary.ok());
  REQUIRE(summary->failed == 0);
  auto s = Searcher::Open(index.path());
  REQUIRE(s.ok());
  return std::move(s.value());
}

// Whether --explain gave the hit a part of this name.
bool HasPart(const Hit& h, std::string_view name) {
  return std::any_of(h.explanation.begin(), h.explanation.end(),
                     [&](const ScorePart& p) { return p.name == name; });
}

// The hit's score without its part of this name (a factor's part is what it takes off).
double ScoreWithout(const Hit& h, std::string_view name) {
  double sum = 0;
  for (const ScorePart& p : h.explanation) {
    if (p.name != name) sum += p.weight;
  }
  return sum;
}

double SumOfParts(const Hit& h) {
  double sum = 0;
  for (const ScorePart& p : h.explanation) sum += p.weight;
  return sum;
}

TEST_CASE("Captions, dates and job numbers are not headings for ranking", "[search][ranking]") {
  Analyzer en("en");
  CHECK(IsRankingHeading("Early warning and response", en));
  CHECK(IsRankingHeading("I. Introduction", en));
  CHECK(IsRankingHeading("Annex II", en));
  CHECK(!IsRankingHeading("Figure 3: Civilian casualties by month", en));
  CHECK(!IsRankingHeading("Table 2", en));
  CHECK(!IsRankingHeading("Fig. 1 Early warning alerts", en));
  CHECK(!IsRankingHeading("Source: OHCHR", en));
  CHECK(!IsRankingHeading("3 March 2025", en));
  CHECK(!IsRankingHeading("25-02079 (E)", en));
  CHECK(!IsRankingHeading("*2502079*", en));
  CHECK(!IsRankingHeading("S/2025/102", en));
  CHECK(!IsRankingHeading("", en));
}

TEST_CASE("Passages with the query's words side by side rank above passages where they are apart",
          "[search][ranking]") {
  TempDir corpus, index;
  // The scattered passage holds each word more often, so plain BM25 puts it first.
  corpus.Write("a.txt",
               "1. Use the radio when the base is attacked, and use the phone, because the "
               "reaction force and the police force of the district may come.\n\n"
               "2. The mission limits the use of force to what protects civilians under threat "
               "in the camps of the region this year.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "use of force");
  REQUIRE(r.total == 2);
  CHECK(r.hits[0].passage.id == "a#para-2");
  // The bonus ranks; it never decides what matches.
  CHECK(Run(*s, "use force").total == 2);
  // Another word form of the same stem stands side by side too: "using force".
  TempDir corpus2, index2;
  // (The scattered passage holds other forms only, "used" and "forced", so that the
  // exact-form bonus does not decide the order either.)
  corpus2.Write("b.txt",
                "1. Staff used the radio when the base was attacked, and used the phone, "
                "because the reaction was forced and the police were forced to come.\n\n"
                "2. Peacekeepers using force against armed groups must report it to the "
                "commander of the sector at once.\n");
  auto s2 = IndexCorpus(corpus2, index2);
  SearchResult r2 = Run(*s2, "use force", true);
  REQUIRE(r2.total == 2);
  CHECK(r2.hits[0].passage.id == "b#para-2");
  CHECK(HasPart(r2.hits[0], "phrase"));
}

TEST_CASE("A passage holding the query's words as typed ranks above one holding only other "
          "forms of their stems", "[search][ranking][exact]") {
  TempDir corpus, index;
  // Both hold the stems of "use" and "force" side by side; the first says "used ... forced"
  // twice, so plain BM25 (and the proximity bonus) put it first.
  corpus.Write("a.txt",
               "1. Villagers said the soldiers used forced labour and used forced marches on the "
               "road.\n\n"
               "2. The commander authorised the use of force against the attackers on the road "
               "north.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "use of force", true);
  REQUIRE(r.total == 2);
  CHECK(r.hits[0].passage.id == "a#para-2");
  CHECK(HasPart(r.hits[0], "exact"));
  CHECK(!HasPart(r.hits[1], "exact"));
  // Without the bonus the other order: the bonus is what decides it.
  CHECK(ScoreWithout(r.hits[0], "exact") < r.hits[1].score);
  // A regular plural or singular counts as the word typed: "forces" for `force`.
  TempDir corpus2, index2;
  corpus2.Write("b.txt",
                "1. Villagers said the soldiers used forced labour and used forced marches on "
                "the road.\n\n"
                "2. The commanders authorised the uses of forces against the attackers on the "
                "road north.\n");
  auto s2 = IndexCorpus(corpus2, index2);
  SearchResult r2 = Run(*s2, "use of force", true);
  REQUIRE(r2.total == 2);
  CHECK(r2.hits[0].passage.id == "b#para-2");
}

TEST_CASE("The exact-form bonus never counts a function word, even in an index that holds a "
          "language without a stop list", "[search][ranking][exact]") {
  TempDir corpus, index;
  corpus.Write("en.txt",
               "1. Armed men carried out attacks on two hospitals in the north of the country "
               "during the reporting period.\n\n"
               "2. The hospitals in the east reported attacks against their staff by armed men "
               "during the reporting period.\n");
  // Catalan has no stop list here, and "on" is a Catalan word ("where").
  corpus.Write("ca.txt",
               "1. El Parlament de Catalunya ha aprovat avui la llei de pressupostos, on es "
               "preveu una partida per als hospitals i les escoles de les comarques del "
               "territori, amb el vot favorable de la majoria dels diputats presents a la "
               "sessió plenària d'aquesta tarda.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "attacks hospitals", true);
  REQUIRE(r.total == 2);
  SearchResult with_on = Run(*s, "attacks on hospitals", true);
  REQUIRE(with_on.total == 2);
  for (const Hit& h : with_on.hits) {
    for (const ScorePart& p : h.explanation) {
      INFO(h.passage.id << ": " << p.name << " " << p.detail);
      CHECK(!(p.name == "exact" && p.detail == "on"));
    }
  }
  // "on" adds nothing to either passage's exact part: the same scores as without it, part
  // by part, apart from the proximity bonus ("attacks on hospitals" vs "attacks hospitals").
  auto exact_sum = [](const Hit& h) { return SumOfParts(h) - ScoreWithout(h, "exact"); };
  for (size_t i = 0; i < 2; ++i) {
    const Hit* same = nullptr;
    for (const Hit& h : r.hits) {
      if (h.passage.id == with_on.hits[i].passage.id) same = &h;
    }
    REQUIRE(same != nullptr);
    CHECK(exact_sum(with_on.hits[i]) == Approx(exact_sum(*same)));
  }
}

TEST_CASE("Pages of a query the exact-form bonus reorders neither repeat nor skip a passage",
          "[search][ranking][exact]") {
  auto opened = Searcher::Open(testing::SampleIndex());
  REQUIRE(opened.ok());
  Searcher& s = **opened;
  const std::pair<const char*, bool> queries[] = {
      {"protection civilians", true}, {"mission patrols", true}, {"protection", false}};
  for (const auto& [query, any_word] : queries) {
    INFO(query);
    SearchRequest all;
    all.query = query;
    all.any_word = any_word;
    all.limit = 80;
    all.suggest = false;
    auto whole = s.Search(all);
    REQUIRE(whole.ok());
    REQUIRE(whole->hits.size() == 80);  // past the pool of 50
    std::vector<std::string> paged;
    for (size_t offset = 0; offset < 80; offset += 7) {
      SearchRequest page = all;
      page.offset = offset;
      page.limit = std::min<size_t>(7, 80 - offset);
      auto r = s.Search(page);
      REQUIRE(r.ok());
      for (const Hit& h : r->hits) paged.push_back(h.passage.id);
    }
    std::vector<std::string> expected;
    for (const Hit& h : whole->hits) expected.push_back(h.passage.id);
    CHECK(paged == expected);
    // Scores never rise down the list: the pool reordered, then BM25's order past it.
    for (size_t k = 1; k < whole->hits.size(); ++k) {
      CHECK(whole->hits[k].score <= whole->hits[k - 1].score + 1e-9);
    }
  }
}

TEST_CASE("ExactForms lists each plain word with its regular plural or singular",
          "[search][ranking][exact]") {
  Analyzer analyzer("en");
  using Forms = std::vector<std::vector<std::string>>;
  CHECK(ExactForms("use of force", analyzer, StopwordsFor("en")) ==
        Forms{{"use", "uses"}, {"force", "forces"}});
  CHECK(ExactForms("M23 offensives", analyzer, StopwordsFor("en")) ==
        Forms{{"m23", "m23s"}, {"offensives", "offensive"}});
  CHECK(ExactForms("peace processes box", analyzer, StopwordsFor("en")) ==
        Forms{{"peace", "peaces"}, {"processes", "process"}, {"box", "boxes"}});
  // Quoted, fielded, excluded and wildcard words are not plain words; repeats count once.
  CHECK(ExactForms("\"rule of law\" title:mandate -budget patrol* camps camps", analyzer,
                   StopwordsFor("en")) == Forms{{"camps", "camp"}});
}

TEST_CASE("Footnotes rank below body text with the same words and carry the flag in JSON",
          "[search][ranking]") {
  TempDir corpus, index;
  // The note is denser in the query's words than the paragraph, as a news headline cited in a
  // UN footnote is.
  corpus.Write(
      "report.html",
      "<html><head><title>Report on gang violence</title></head><body>"
      "<p>Gang violence and killings in the capital rose during the period, and the mission "
      "recorded the killings of civilians in three districts of the city.</p>"
      "<section role=\"doc-endnotes\"><ol><li id=\"fn1\">Gang violence killings: gang "
      "violence killings reported, Daily News.</li></ol></section>"
      "</body></html>");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "gang violence killings", true);
  REQUIRE(r.hits.size() == 2);
  CHECK(!r.hits[0].passage.footnote);
  CHECK(r.hits[1].passage.footnote);
  CHECK(HasPart(r.hits[1], "footnote"));
  CHECK(SumOfParts(r.hits[1]) == Approx(r.hits[1].score).margin(1e-9));
  // Without the factor the note would come first: its text parts alone outweigh the
  // paragraph's score.
  CHECK(ScoreWithout(r.hits[1], "footnote") > r.hits[0].score);

  const nlohmann::json j =
      testing::RunPillarJson("search 'gang violence killings' --json --index " +
                             testing::ShellQuote(index.path().string()));
  REQUIRE(j["hits"].size() == 2);
  CHECK(j["hits"][1]["footnote"] == true);
  CHECK(j["hits"][0]["footnote"] == false);
}

TEST_CASE("Short fragments and caption passages rank below body text with the same words",
          "[search][ranking]") {
  Analyzer en("en");
  CHECK(IsFragment("(a) Children and armed conflict", 5, en));
  CHECK(IsFragment("Source: MONUSCO/Mine Action Service.", 5, en));
  CHECK(IsFragment("Figure VIII Internally displaced persons and refugees as at 1 June 2025", 12,
                   en));
  CHECK(!IsFragment("The mission protected internally displaced persons at three sites this year.",
                    11, en));
  TempDir corpus, index;
  // The fragment holds the query's words in a few words, so plain BM25 puts it first.
  corpus.Write("a.html",
               "<html><head><title>Report</title></head><body>"
               "<p>Children and armed conflict</p>"
               "<p>The mission's child protection advisers documented the recruitment of "
               "children by armed groups and reported on children and armed conflict to the "
               "Council, as its mandate requires.</p>"
               "<p>Patrols visited the markets of the district twice a week during the rainy "
               "season and met the elders of each village.</p>"
               "<p>The budget for the period covered fuel, rations and the rotation of the "
               "contingents deployed in the eastern sector.</p>"
               "</body></html>");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "children armed conflict", true);
  REQUIRE(r.hits.size() == 2);
  CHECK(r.hits[0].passage.text.size() > 100);
  CHECK(r.hits[1].passage.text == "Children and armed conflict");
  CHECK(HasPart(r.hits[1], "fragment"));
  CHECK(SumOfParts(r.hits[1]) == Approx(r.hits[1].score).margin(1e-9));
  // Without the factor the fragment would come first: its parts before it outweigh the
  // paragraph's score.
  CHECK(ScoreWithout(r.hits[1], "fragment") > r.hits[0].score);
}

TEST_CASE("Table-of-contents lines and chart figures rank as fragments whatever their length",
          "[search][ranking]") {
  Analyzer en("en");
  // Contents lines: a leader of five dots or more, spaced or not.
  const std::string contents =
      "Widespread and targeted attacks against internally displaced persons in the areas the "
      "armed group controls . . . . . . . . . . . . . . . . 17";
  CHECK(IsContentsLine(contents));
  CHECK(IsFragment(contents, 17, en));
  CHECK(IsContentsLine("Stabilizer wiring change ........ Up to 79 work-hours"));
  CHECK(!IsContentsLine("The talks stalled... and resumed in May. . . Then they stalled again."));
  // Chart axes and rows of figures: five bare numbers in a row.
  const std::string chart =
      "140 120 100 80 60 40 20 0 Extrajudicial or summary execution Property-related Abduction "
      "Other abuses recorded by the human rights office of the mission in the province";
  CHECK(IsChartText(chart));
  CHECK(IsFragment(chart, 27, en));
  CHECK(IsChartText("Casualties 1.5 12,4 48% 7 0"));
  // Prose with figures between words, and a list of resolutions with their years, are not.
  const std::string resolutions =
      "Recalling its resolutions 2292 (2016), 2357 (2017), 2420 (2018), 2473 (2019), 2526 "
      "(2020) and 2578 (2021) on the arms embargo on the high seas off the coast of Libya";
  CHECK(!IsChartText(resolutions));
  CHECK(!IsFragment(resolutions, 33, en));
  CHECK(!IsChartText("Between 1 and 3 July, 11 civilians, 4 women and 2 children were killed."));
  CHECK(!IsChartText("The 2024 budget of 13.4 per cent covered 43.7 million of 325 million."));
  CHECK(!IsContentsLine(""));
  CHECK(!IsChartText(""));
  // A chart's legend: labels and percentages with no punctuation of prose between them.
  const std::string legend =
      "Attacks against schools 3% Killing 10% Rape and other forms of sexual violence 26% "
      "Abduction 18% Denial of humanitarian access 10% Maiming 12% Recruitment and use 21%";
  CHECK(IsChartText(legend));
  CHECK(IsFragment(legend, 32, en));
  CHECK(IsChartText("Community-based militias 7% Conventional parties 21% Unidentified 72%"));
  // Prose with as many percentages has commas or sentences between them.
  CHECK(!IsChartText("Of the victims, 45% were women, 30% children and 25% men."));
  CHECK(!IsChartText("Women held 21% of the seats in 2022. They held 23% in 2024 and 26% now"));
  CHECK(!IsChartText("Casualties fell by 12% over the quarter"));
  // In a search: the contents line holds the query's words densely, yet ranks below the
  // paragraph (as a fragment, --explain says so).
  TempDir corpus, index;
  corpus.Write("a.html",
               "<html><head><title>Report</title></head><body>"
               "<p>Attacks against internally displaced persons in the camps of the north "
               ". . . . . . . . . . . . . . 17</p>"
               "<p>Armed men carried out attacks against internally displaced persons who had "
               "returned to the camps of the north, and the mission sent patrols to the camps "
               "for the weeks that followed, as the council had asked in its last resolution.</p>"
               "</body></html>");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "attacks internally displaced persons camps", true);
  REQUIRE(r.hits.size() == 2);
  CHECK(r.hits[0].passage.text.find(". . .") == std::string::npos);
  CHECK(HasPart(r.hits[1], "fragment"));
}

TEST_CASE("A list of abbreviations ranks as a fragment below the passages it names",
          "[search][ranking]") {
  Analyzer en("en");
  const std::string list =
      "AFPs Agencies, Funds and Programmes ATMIS African Union Transition Mission in Somalia "
      "AUSSOM African Union Support and Stabilization Mission in Somalia DDR Disarmament, "
      "Demobilization and Reintegration FGS Federal Government of Somalia UN United Nations "
      "UNCT United Nations Country Team WAM Weapons and Ammunition Management";
  CHECK(IsAbbreviationList(list));
  CHECK(IsFragment(list, 43, en));
  CHECK(IsAbbreviationList("C-IED Counter Improvised Explosive Devices P/CVE Preventing and "
                           "Countering Violent Extremism ToT Training of Trainers MoECC Ministry "
                           "of Environment and Climate Change SJF Somalia Joint Fund"));
  // Prose that names organisations, even many of them, is not a list.
  const std::string prose =
      "Key partners include UNEP, UNDP, FAO, WFP, IOM, UNHCR and UNFPA, which support the "
      "FGS in the federal member states.";
  CHECK(!IsAbbreviationList(prose));
  CHECK(!IsAbbreviationList("The UNCT and the FGS met in Mogadishu; UNTMIS Staff attended."));
  CHECK(!IsAbbreviationList(""));
  // In a search: the list holds every word of the mission's name, yet ranks below the
  // paragraph about the mission (as a fragment, --explain says so).
  TempDir corpus, index;
  corpus.Write("a.html",
               "<html><head><title>Report</title></head><body><h2>Acronyms</h2><p>" + list +
               "</p><h2>Security</h2><p>The African Union Support and Stabilization Mission in "
               "Somalia took over from the transition mission at the start of the year and "
               "holds the bases in the south and centre of the country with its troops.</p>"
               "</body></html>");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "African Union Support and Stabilization Mission in Somalia", true);
  REQUIRE(r.hits.size() == 2);
  CHECK(r.hits[0].passage.text.find("took over") != std::string::npos);
  CHECK(HasPart(r.hits[1], "fragment"));
  CHECK(SumOfParts(r.hits[1]) == Approx(r.hits[1].score).margin(1e-9));
}

TEST_CASE("List items rank with the words of the paragraph that introduces them",
          "[search][ranking]") {
  CHECK(IsListItem("\xE2\x80\xA2 On 8 June, RSF stormed the hospital"));
  CHECK(IsListItem("(a) Protection of civilians"));
  CHECK(IsListItem("(iv) to support the vetting of officers"));
  CHECK(IsListItem("- a dash item"));
  CHECK(!IsListItem("33. Hospitals were hit."));
  CHECK(!IsListItem("(Front de d\xC3\xA9"
                    "fense et des libert\xC3\xA9"
                    "s publiques) Other actors"));
  CHECK(!IsListItem("(2016) was a year of change"));
  CHECK(!IsListItem("-5 degrees at night"));
  CHECK(IsLeadIn("Some were hit multiple times whilst occupied by patients, as follows:"));
  CHECK(IsLeadIn("The mission shall: "));
  CHECK(!IsLeadIn("Ratio 3:1"));
  CHECK(!IsLeadIn(""));
  // A list's items carry the lead-in's first kLeadInWords words.
  std::string long_lead;
  for (int i = 1; i <= 30; ++i) long_lead += "w" + std::to_string(i) + " ";
  long_lead += "as follows:";
  CHECK(LeadInWords(long_lead) == long_lead.substr(0, long_lead.find(" w26")));
  CHECK(LeadInWords("Hospitals were hit, as follows:") == "Hospitals were hit, as follows:");
  TempDir corpus, index;
  corpus.Write("report.txt",
               "Indiscriminate attacks\n\n"
               "Hospitals and clinics were hit repeatedly, as follows:\n\n"
               "\xE2\x80\xA2 On 3 May the Saudi hospital was shelled with patients inside.\n\n"
               "\xE2\x80\xA2 On 5 May the dialysis centre closed after shelling.\n\n"
               "The market of the town reopened in June after the fighting.\n\n"
               "\xE2\x80\xA2 A warehouse in the north was shelled too.\n");
  auto s = IndexCorpus(corpus, index);
  // The bullets say "hospital" and "dialysis centre"; the heading says "attacks" and the
  // lead-in "hospitals": all the words, in the headings and the lead-in. The bullet after
  // the market's paragraph has no lead-in.
  SearchResult r = Run(*s, "attacks clinics", true);
  CHECK(r.total == 2);
  REQUIRE(r.hits.size() >= 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(r.hits[i].passage.text.find("On ") != std::string::npos);
    CHECK(HasPart(r.hits[i], "heading"));
    CHECK(SumOfParts(r.hits[i]) == Approx(r.hits[i].score).margin(1e-9));
  }
  // The lead-in is the items' nearest heading: section: finds them by it, not the lead-in
  // paragraph itself nor the bullet after the market's paragraph.
  CHECK(Run(*s, "section:clinics").total == 2);
  CHECK(Run(*s, "section:attacks").total == 5);
}

TEST_CASE("List items the format marks carry their lead-in though their text has no marker",
          "[search][ranking]") {
  // Markdown, HTML and DOCX readers drop a bullet's marker: the item is known by its block
  // (Block::list_item), not its text. The paragraph after the list is no item.
  TempDir corpus, index;
  corpus.Write("brief.md",
               "# Indiscriminate attacks\n\n"
               "Hospitals and clinics were hit repeatedly, as follows:\n\n"
               "- On 3 May the Saudi hospital was shelled with patients inside.\n"
               "- On 5 May the dialysis centre closed after shelling.\n\n"
               "On 9 May the town market reopened after the shelling.\n");
  corpus.Write("page.html",
               "<html><head><title>Field page</title></head><body><article>"
               "<h1>Indiscriminate attacks</h1>"
               "<p>Hospitals and clinics were hit repeatedly, as follows:</p>"
               "<ul><li>On 3 June the eye hospital was shelled with patients inside.</li>"
               "<li><p>On 6 June the maternity ward closed after shelling.</p></li></ul>"
               "<p>On 9 June the town market reopened after the shelling.</p>"
               "</article></body></html>");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "section:clinics");
  CHECK(r.total == 4);
  for (const Hit& h : r.hits) {
    INFO(h.passage.text);
    CHECK(h.passage.text.find("market") == std::string::npos);
    CHECK(h.passage.text.find("as follows") == std::string::npos);
  }
}

TEST_CASE("A caption heading does not boost the passages under it but section: still finds it",
          "[search][ranking]") {
  TempDir corpus, index;
  corpus.Write("a.md",
               "# Figure 2: Early warning alerts by month\n\n"
               "Early warning alerts were sent by the community networks in March.\n\n"
               "# Early warning\n\n"
               "Early warning alerts were sent by the community networks in April.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "early warning alerts", true);
  REQUIRE(r.hits.size() == 2);
  CHECK(r.hits[0].passage.text.find("April") != std::string::npos);
  for (const ScorePart& p : r.hits[1].explanation) CHECK(p.name != "heading");
  SearchResult section = Run(*s, "section:figure");
  REQUIRE(section.total == 1);
  CHECK(section.hits[0].passage.text.find("March") != std::string::npos);
}

TEST_CASE("When no passage has all the words the hits are the best passages with some of them",
          "[search][ranking]") {
  TempDir corpus, index;
  corpus.Write("a.txt",
               "1. Women protection advisers visit the camps every week.\n\n"
               "2. The ceasefire held through the night in the northern districts.\n\n"
               "3. Budget lines for the next fiscal year were approved.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "women ceasefire");
  CHECK(r.total == 0);
  CHECK(r.any_word_total == 2);
  CHECK(r.any_word_hits);
  REQUIRE(r.hits.size() == 2);
  for (const Hit& h : r.hits) CHECK(h.passage.id != "a#para-3");
  // Without the fallback the hits stay empty; with all words found there is none.
  SearchRequest plain;
  plain.query = "women ceasefire";
  plain.any_word_fallback = false;
  auto none = s->Search(plain);
  REQUIRE(none.ok());
  CHECK(none->hits.empty());
  CHECK(!none->any_word_hits);
  CHECK(!Run(*s, "women camps").any_word_hits);
  std::string out;
  REQUIRE(testing::RunCommand(testing::ShellQuote(testing::PillarBinary()) +
                                  " search 'women ceasefire' --json --index " +
                                  testing::ShellQuote(index.path().string()),
                              &out) == 0);
  const auto j = nlohmann::json::parse(out);
  CHECK(j.at("any_word_hits") == true);
  CHECK(j.at("hits").size() == 2);
}

TEST_CASE("Passages with some of the words fill the page after those with all of them",
          "[search][ranking]") {
  TempDir corpus, index;
  corpus.Write("a.txt",
               "1. Women protection advisers met the ceasefire committee in the camps.\n\n"
               "2. The ceasefire held through the night in the northern districts.\n\n"
               "3. Women and girls fetch water far from the camps at dawn.\n\n"
               "4. Budget lines for the next fiscal year were approved.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "women ceasefire");
  // The count and the facets are those of all the words; the page goes on with the rest.
  CHECK(r.total == 1);
  CHECK(r.doc_facet.at("a") == 1);
  REQUIRE(r.hits.size() == 3);
  CHECK(r.hits[0].passage.id == "a#para-1");
  CHECK(!r.hits[0].some_words);
  for (size_t i = 1; i < r.hits.size(); ++i) {
    CHECK(r.hits[i].some_words);
    CHECK(r.hits[i].rank == static_cast<int>(i) + 1);
    CHECK(r.hits[i].passage.id != "a#para-1");  // never twice
    CHECK(r.hits[i].passage.id != "a#para-4");
  }
  // The next page continues the passages with some of the words.
  SearchRequest next;
  next.query = "women ceasefire";
  next.offset = 2;
  next.limit = 5;
  auto page2 = s->Search(next);
  REQUIRE(page2.ok());
  REQUIRE(page2->hits.size() == 1);
  CHECK(page2->hits[0].some_words);
  CHECK(page2->hits[0].passage.id == r.hits[2].passage.id);
  CHECK(!page2->offset_past_end);
  // With --any every passage counts, and none is marked.
  SearchResult any = Run(*s, "women ceasefire", false, true);
  CHECK(any.total == 3);
  for (const Hit& h : any.hits) CHECK(!h.some_words);
  std::string out;
  REQUIRE(testing::RunCommand(testing::ShellQuote(testing::PillarBinary()) +
                                  " search 'women ceasefire' --index " +
                                  testing::ShellQuote(index.path().string()),
                              &out) == 0);
  CHECK(out.find("1 passages match") != std::string::npos);
  CHECK(out.find("Passages with some of the words:") != std::string::npos);
  const auto j = testing::RunPillarJson("search 'women ceasefire' --json --index " +
                                         testing::ShellQuote(index.path().string()));
  REQUIRE(j.at("hits").size() == 3);
  CHECK(!j.at("hits")[0].contains("some_words"));
  CHECK(j.at("hits")[1].at("some_words") == true);
  CHECK(j.at("near_relaxed") == false);
}

TEST_CASE("A NEAR query's page goes on with the words farther apart, then some of them",
          "[search][ranking]") {
  TempDir corpus, index;
  corpus.Write("a.txt",
               "1. Ceasefire monitoring teams reached the northern districts in March.\n\n"
               "2. The ceasefire agreed in January held through the spring, the parties said, "
               "and the joint commission began monitoring the cantonment sites in May.\n\n"
               "3. The ceasefire broke down in the west.\n\n"
               "4. Budget lines for the next fiscal year were approved.\n");
  auto s = IndexCorpus(corpus, index);
  SearchResult r = Run(*s, "ceasefire NEAR/3 monitoring");
  // Only the first holds the words within three of each other; the count stays its own.
  CHECK(r.total == 1);
  CHECK(r.near_relaxed);
  REQUIRE(r.hits.size() == 3);
  CHECK(r.hits[0].passage.id == "a#para-1");
  CHECK(!r.hits[0].some_words);
  // Both words, farther apart, before one of them.
  CHECK(r.hits[1].passage.id == "a#para-2");
  CHECK(r.hits[1].some_words);
  CHECK(r.hits[2].passage.id == "a#para-3");
  CHECK(r.hits[2].some_words);
  // No passage with the words that near: the words farther apart and some of them, said so.
  SearchResult none = Run(*s, "ceasefire ADJ cantonment");
  CHECK(none.total == 0);
  CHECK(none.any_word_hits);
  CHECK(none.near_relaxed);
  REQUIRE(!none.hits.empty());
  CHECK(none.hits[0].passage.id == "a#para-2");
  // Without NEAR or ADJ nothing is relaxed (quoted NEAR: WithoutProximityOperators' test).
  CHECK(!Run(*s, "ceasefire monitoring").near_relaxed);
  std::string out;
  REQUIRE(testing::RunCommand(testing::ShellQuote(testing::PillarBinary()) +
                                  " search 'ceasefire NEAR/3 monitoring' --no-facets --index " +
                                  testing::ShellQuote(index.path().string()),
                              &out) == 0);
  CHECK(out.find("1 passages match") != std::string::npos);
  CHECK(out.find("Passages with the words farther apart or some of them:") != std::string::npos);
  const auto j = testing::RunPillarJson("search 'ceasefire NEAR/3 monitoring' --json --index " +
                                         testing::ShellQuote(index.path().string()));
  CHECK(j.at("near_relaxed") == true);
  REQUIRE(j.at("hits").size() == 3);
  CHECK(j.at("hits")[1].at("some_words") == true);
}

TEST_CASE("Past the pool the proximity bonus reorders, pages of some-words passages join up",
          "[search][ranking]") {
  // 70 passages with two of the three words, none with all three: every hit is a some-words
  // hit. Five hold "early warning" together; the proximity bonus must still rank them first,
  // and pages of any size must join up into the one long page (issue 18's pool).
  TempDir corpus, index;
  std::string text;
  for (int i = 1; i <= 70; ++i) {
    text += std::to_string(i) + ". ";
    if (i % 14 == 0) {
      text += "Early warning came from the district of post " + std::to_string(i) + ".";
    } else {
      text += "Early rains and a warning to herders reached post " + std::to_string(i) +
              " of the district.";
    }
    text += "\n\n";
  }
  corpus.Write("a.txt", text);
  auto s = IndexCorpus(corpus, index);
  SearchRequest all;
  all.query = "early warning mediation";
  all.limit = 80;
  all.suggest = false;
  all.explain = true;
  auto whole = s->Search(all);
  REQUIRE(whole.ok());
  CHECK(whole->total == 0);
  REQUIRE(whole->hits.size() == 70);
  for (size_t i = 0; i < whole->hits.size(); ++i) {
    const Hit& h = whole->hits[i];
    INFO(h.passage.id);
    CHECK(h.rank == static_cast<int>(i) + 1);
    CHECK(std::abs(SumOfParts(h) - h.score) < 1e-9);
    if (i > 0) CHECK(h.score <= whole->hits[i - 1].score + 1e-12);
    bool adjacent = h.passage.text.find("Early warning") != std::string::npos;
    CHECK(adjacent == (i < 5));  // the five with the words together first
  }
  std::vector<std::string> joined;
  for (size_t offset = 0; offset < 75; offset += 7) {
    SearchRequest page = all;
    page.offset = offset;
    page.limit = 7;
    page.explain = false;
    auto r = s->Search(page);
    REQUIRE(r.ok());
    int rank = static_cast<int>(offset);
    for (const Hit& h : r->hits) {
      CHECK(h.rank == ++rank);
      joined.push_back(h.passage.id);
    }
  }
  REQUIRE(joined.size() == whole->hits.size());
  for (size_t i = 0; i < joined.size(); ++i) CHECK(joined[i] == whole->hits[i].passage.id);
  // --per-doc's cap holds across the pool and the rest: one document, one passage.
  SearchRequest per_doc = all;
  per_doc.per_doc = 1;
  per_doc.explain = false;
  auto capped = s->Search(per_doc);
  REQUIRE(capped.ok());
  REQUIRE(capped->hits.size() == 1);
  CHECK(capped->hits[0].passage.text.find("Early warning") != std::string::npos);
}

TEST_CASE("The parts of each explained hit add up to its score", "[search][ranking][explain]") {
  auto opened = Searcher::Open(testing::SampleIndex());
  REQUIRE(opened.ok());
  Searcher& s = **opened;
  struct Case {
    std::string query;
    bool any_word;
  };
  const Case cases[] = {
      {"use of force", false},
      {"\"early warning\" community networks", false},
      {"protection civilians mandate", true},
      {"securite des civils", false},
      {"protection -violence", false},
      {"section:\"early warning\" alerts", false},
      {"patrols NEAR civilians", false},
  };
  size_t explained = 0;
  for (const Case& c : cases) {
    INFO(c.query);
    SearchResult r = Run(s, c.query, true, c.any_word);
    for (const Hit& h : r.hits) {
      INFO(h.passage.id);
      REQUIRE(!h.explanation.empty());
      CHECK(std::fabs(SumOfParts(h) - h.score) <= 1e-9);
      ++explained;
    }
  }
  CHECK(explained > 50);
  // Boosted hits: the boost is a part of its own.
  SearchRequest boosted;
  boosted.query = "protection";
  boosted.boost_pillars = {"un-tier-2"};
  boosted.explain = true;
  auto r = s.Search(boosted);
  REQUIRE(r.ok());
  bool boost_part = false;
  for (const Hit& h : r->hits) {
    CHECK(std::fabs(SumOfParts(h) - h.score) <= 1e-9);
    boost_part |= HasPart(h, "boost");
  }
  CHECK(boost_part);
  // Without --explain, nothing is computed.
  CHECK(Run(s, "use of force").hits.front().explanation.empty());
}

TEST_CASE("pillar search --explain prints and serialises each hit's score parts",
          "[search][ranking][explain][cli]") {
  const std::string index = testing::SampleIndex().string();
  const nlohmann::json j = testing::RunPillarJson(
      "search 'early warning' --explain --json --index " + testing::ShellQuote(index));
  REQUIRE(!j["hits"].empty());
  for (const auto& hit : j["hits"]) {
    REQUIRE(hit.contains("explain"));
    double sum = 0;
    for (const auto& part : hit["explain"]) sum += part["weight"].get<double>();
    CHECK(std::fabs(sum - hit["score"].get<double>()) <= 1e-9);
  }
  std::string out;
  REQUIRE(testing::RunCommand(testing::ShellQuote(testing::PillarBinary()) +
                                  " search 'early warning' --explain --no-facets --index " +
                                  testing::ShellQuote(index),
                              &out) == 0);
  CHECK(out.find(" = text ") != std::string::npos);
}

std::vector<std::string> Ids(Searcher& s, const std::string& query, bool expand = true) {
  SearchRequest r;
  r.query = query;
  r.limit = 20;
  r.suggest = false;
  r.any_word_fallback = false;
  r.expand_acronyms = expand;
  auto result = s.Search(r);
  REQUIRE(result.ok());
  std::vector<std::string> ids;
  for (const Hit& h : result->hits) ids.push_back(h.passage.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_CASE("Searching a long form finds the passages that use only its acronym, and back",
          "[search][ranking][acronyms]") {
  TempDir corpus, index;
  corpus.Write("panel.txt",
               "1. In 2024 the Rapid Support Forces (RSF) held most of Darfur and attacked "
               "internally displaced persons (IDPs) near El Fasher.\n\n"
               "2. The RSF shelled the Zamzam camp in February, and IDPs fled south.\n\n"
               "3. Rapid response forces were discussed at the workshop.\n");
  auto s = IndexCorpus(corpus, index);
  CHECK(Ids(*s, "Rapid Support Forces shelled") == std::vector<std::string>{"panel#para-2"});
  CHECK(Ids(*s, "Rapid Support Forces shelled", false).empty());
  CHECK(Ids(*s, "internally displaced persons fled") == std::vector<std::string>{"panel#para-2"});
  CHECK(Ids(*s, "IDP attacked") == std::vector<std::string>{"panel#para-1"});
  // The acronym typed in the singular finds its plural.
  CHECK(Ids(*s, "IDP fled") == std::vector<std::string>{"panel#para-2"});
  // The documents' own definitions only: "rapid response forces" is not the RSF.
  CHECK(Ids(*s, "rapid forces workshop") == std::vector<std::string>{"panel#para-3"});

  SearchRequest r;
  r.query = "Rapid Support Forces";
  auto result = s->Search(r);
  REQUIRE(result.ok());
  CHECK(result->total == 2);
  REQUIRE(result->also_searched.size() == 1);
  CHECK(result->also_searched[0].words == "Rapid Support Forces");
  const std::string json = SearchResultJson(*result, 0);
  CHECK(json.find("\"also_searched\"") != std::string::npos);
  CHECK(json.find("\"RSF\"") != std::string::npos);
}

TEST_CASE("A list of abbreviations defines its acronyms for searching, and ranks low itself",
          "[search][ranking][acronyms]") {
  TempDir corpus, index;
  corpus.Write("report.md",
               "# Acronyms\n\n"
               "AFPs Agencies, Funds and Programmes DDR Disarmament, Demobilization and "
               "Reintegration FGS Federal Government of Somalia SEMA Somali Explosive Management "
               "Authority UN United Nations YPS Youth, Peace and Security\n\n"
               "# Activities\n\n"
               "The mission trained the SEMA teams that clear roads near Baidoa.\n\n"
               "Young people joined the youth, peace and security forum in Kismayo.\n");
  auto s = IndexCorpus(corpus, index);
  // The list's definitions: the long form finds the acronym, the acronym the long form.
  SearchResult teams = Run(*s, "Somali Explosive Management Authority teams");
  REQUIRE(teams.total == 1);
  CHECK(teams.hits[0].passage.text.find("SEMA teams") != std::string::npos);
  SearchResult forum = Run(*s, "YPS forum");
  REQUIRE(forum.total == 1);
  CHECK(forum.hits[0].passage.text.find("youth, peace and security forum") != std::string::npos);
  // A word of the list alone does not make it a hit above the paragraph that says it.
  SearchRequest r;
  r.query = "Somali Explosive Management Authority";
  r.explain = true;
  auto result = s->Search(r);
  REQUIRE(result.ok());
  REQUIRE(result->hits.size() == 2);
  CHECK(result->hits[0].passage.text.find("trained") != std::string::npos);
  CHECK(HasPart(result->hits[1], "fragment"));
}

}  // namespace
}  // namespace pillar
