// pillar search QUERY : ranked passages.

#include <cctype>
#include <iostream>
#include <memory>

#include "indexer/tag/taxonomy.h"
#include "query/cite/citation.h"
#include "query/search/json_output.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"
#include "tools/pillar/render.h"
#include "tools/pillar/saved.h"

namespace pillar::cli {
namespace {

struct SearchArgs {
  std::vector<std::string> words;  // QUERY given as words: joined by one space
  std::string query;               // --query
  std::filesystem::path index_dir;
  std::vector<std::string> pillars, docs, langs, boost;
  bool crosswalk = false;
  size_t limit = 10;
  size_t offset = 0;
  size_t per_doc = 0;
  bool json = false;
  std::string format = "text";
  bool no_facets = false;
  bool any_word = false;
  bool explain = false;
  bool no_acronyms = false;
  std::string saved;  // --saved NAME
};

// `s` as one word for a POSIX shell: in single quotes, each ' as '\''.
std::string ShellWord(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void PrintFacet(const char* name, const std::map<std::string, size_t>& counts) {
  if (counts.empty()) return;
  std::vector<std::pair<std::string, size_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::cout << "  " << name << ":";
  size_t shown = 0;
  for (const auto& [value, count] : sorted) {
    if (shown++ == 8) {
      std::cout << " ... (" << sorted.size() - 8 << " more)";
      break;
    }
    std::cout << " " << TerminalSafe(value) << " " << count
              << (shown < sorted.size() && shown < 8 ? "," : "");
  }
  std::cout << "\n";
}

}  // namespace

int PrintSearchResult(const SearchResult& result, bool json, size_t offset, bool facets) {
  if (result.offset_past_end) {
    // Said on stderr in both outputs: an empty page is not "nothing on this".
    std::cerr << "pillar: offset " << offset << " is past the last of " << result.total
              << (result.total == 1 ? " passage" : " passages")
              << (offset < result.total ? " kept (--per-doc keeps fewer)" : "") << "\n";
  }
  if (json) {
    std::cout << SearchResultJson(result, offset) << "\n";
    return kExitOk;
  }
  const bool terminal = UseColor();
  std::cout << result.total << " passages match";
  if (!result.hits.empty() && !result.any_word_hits) {
    std::cout << "; showing " << result.hits.front().rank << "-" << result.hits.back().rank;
  }
  std::cout << "\n";
  if (!result.not_searched.empty()) {
    std::string words;
    for (const std::string& w : result.not_searched) words += (words.empty() ? "" : ", ") + w;
    std::cout << "Read as a question; not searched: " << TerminalSafe(words)
              << " (quote a word to search it)\n";
  }
  if (result.any_word_total > 0 && result.near_relaxed) {
    // NEAR or ADJ: the words may all be there, farther apart than asked.
    std::cout << "No passage has the words as near as asked; " << result.any_word_total
              << (result.any_word_total == 1 ? " passage has" : " passages have")
              << " them farther apart or some of them\n";
    if (result.any_word_hits) {
      std::cout << "The best passages with the words farther apart or some of them:\n";
    }
  } else if (result.any_word_total > 0) {
    std::cout << "No passage has all the words; " << result.any_word_total
              << (result.any_word_total == 1 ? " passage has" : " passages have")
              << " some of them: pillar search --any " << TerminalSafe(ShellWord(result.query))
              << "\n";
    if (result.any_word_hits) std::cout << "The best passages with some of the words:\n";
  }
  for (const AcronymExpansion& e : result.also_searched) {
    std::string also;
    for (const std::string& a : e.also) also += (also.empty() ? "" : ", ") + a;
    std::cout << "Also searched: " << TerminalSafe(also) << " for " << TerminalSafe(e.words)
              << " (--no-acronyms: only as typed)\n";
  }
  if (!result.did_you_mean.empty()) {
    std::cout << "Did you mean: " << TerminalSafe(result.did_you_mean) << "\n";
  }
  bool said_some_words = result.any_word_hits;
  for (const Hit& h : result.hits) {
    if (h.some_words && !said_some_words) {
      // The passages with all the words ended on this page; the rest hold only some (or,
      // for NEAR and ADJ, hold them farther apart).
      std::cout << (result.near_relaxed
                        ? "\nPassages with the words farther apart or some of them:\n"
                        : "\nPassages with some of the words:\n");
      said_some_words = true;
    }
    std::string pin = PinpointText(h.passage);
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", h.score);
    std::cout << "\n"
              << h.rank << ". " << TerminalSafe(h.document.meta.title) << (pin.empty() ? "" : ", ")
              << TerminalSafe(pin) << "  [" << score << "]\n";
    std::string doc_line = DocumentLine(h.document);
    if (!doc_line.empty()) std::cout << "   " << TerminalSafe(doc_line) << "\n";
    if (!h.passage.section.empty()) {
      std::cout << "   \xC2\xA7 ";
      for (size_t k = 0; k < h.passage.section.size(); ++k) {
        std::cout << (k ? " > " : "") << TerminalSafe(h.passage.section[k]);
      }
      std::cout << "\n";
    }
    std::cout << "   " << MarkSpans(h.snippet.text, h.snippet.spans, terminal) << "\n";
    std::cout << "   id: " << TerminalSafe(h.passage.id);
    if (!h.passage.tags.empty())
      std::cout << "   pillars: " << TerminalSafe(TagsLine(h.passage.tags));
    std::cout << "\n";
    if (!h.explanation.empty()) {
      std::cout << "   score " << score << " =";
      for (size_t k = 0; k < h.explanation.size(); ++k) {
        const ScorePart& part = h.explanation[k];
        char weight[32];
        std::snprintf(weight, sizeof weight, "%.2f", part.weight < 0 ? -part.weight : part.weight);
        std::cout << (k == 0 ? (part.weight < 0 ? " -" : " ") : (part.weight < 0 ? " - " : " + "))
                  << TerminalSafe(part.name) << " " << weight;
        if (!part.detail.empty()) std::cout << " (" << TerminalSafe(part.detail) << ")";
      }
      std::cout << "\n";
    }
  }
  if (facets && result.total > 0) {
    std::cout << "\nFacets (passages):\n";
    for (const auto& [name, counts] : result.Facets()) PrintFacet(name, *counts);
  }
  return kExitOk;
}

namespace {

int RunSearch(const SearchArgs& args, bool words_given, bool query_given) {
  if (words_given && query_given) {
    return Fail(Status::InvalidArgument("give the query as words or with --query, not both"));
  }
  if (!words_given && !query_given && args.saved.empty()) {
    return Fail(Status::InvalidArgument(
        words_given ? "give the query as words or with --query, not both"
                    : "a query is required: pillar search WORDS... (\"\" lists every passage)"));
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SearchRequest request;
  if (words_given) {
    for (size_t k = 0; k < args.words.size(); ++k) {
      request.query += (k ? " " : "") + args.words[k];
    }
  } else {
    request.query = args.query;
  }
  request.pillars = args.pillars;
  request.docs = args.docs;
  request.languages = args.langs;
  request.limit = args.limit;
  request.offset = args.offset;
  request.per_doc = args.per_doc;
  request.boost_pillars = args.boost;
  request.any_word = args.any_word;
  request.explain = args.explain;
  request.expand_acronyms = !args.no_acronyms;
  if (!args.saved.empty()) {
    // The saved query and filters, with any words and filters given here on top.
    Status applied = ApplySavedSearch(args.index_dir, args.saved, &request);
    if (!applied.ok()) return Fail(applied);
  }
  if (args.crosswalk && !args.pillars.empty()) {
    Result<Taxonomy> taxonomy = Taxonomy::Load({(*searcher)->TaxonomyPath()});
    if (!taxonomy.ok()) return Fail(taxonomy.status());
    request.pillars.clear();
    for (const std::string& id : args.pillars) {
      // Concept ids match in any case (filter_check.h): widen the id the taxonomy knows, or
      // `--pillar AU-PHYSICAL --crosswalk` would silently lose its matches.
      std::string known = id;
      if (taxonomy->Find(known) == nullptr) {
        for (char& c : known) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      for (const std::string& match : taxonomy->Crosswalk(known)) request.pillars.push_back(match);
    }
  }
  Result<SearchResult> result = (*searcher)->Search(request);
  if (!result.ok()) return Fail(result.status());
  return PrintSearchResult(*result, args.json || args.format == "json", args.offset,
                           !args.no_facets);
}

}  // namespace

void RegisterSearch(CLI::App& app) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* sub = app.add_subcommand(
      "search",
      "Ranked passages (BM25). QUERY: words, \"phrases\", AND OR NOT -word, NEAR NEAR/n, word*, "
      "(groups), fields title: doc: org: type: lang: pillar: section: speaker:, year:2012..2023, "
      "and document symbols as printed (S/RES/2719). A question (how does the mission protect "
      "camps?) is searched without its own words (how, does). See docs/query.md.");
  CLI::Option* words =
      sub->add_option("QUERY", args->words,
                      "The query; its words may be given unquoted (pillar search early warning) "
                      "and are joined by one space (\"\" lists every passage)");
  CLI::Option* query =
      sub->add_option("--query", args->query, "The query as one value (instead of QUERY)")
          ->type_name("Q");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--pillar", args->pillars,
                  "Only passages tagged with this concept id (repeat: any of them)")
      ->type_name("ID");
  sub->add_flag("--crosswalk", args->crosswalk,
                "Widen --pillar to its exact and close matches (au-physical <-> un-tier-2)");
  sub->add_option("--boost-pillar", args->boost, "Rank passages tagged with this concept higher")
      ->type_name("ID");
  sub->add_option("--doc", args->docs, "Only this document id (repeat: any of them)")
      ->type_name("ID");
  sub->add_option("--lang", args->langs,
                  "Only this language, ISO 639-1 (repeat: any of them); also picks the stemmer")
      ->type_name("L");
  sub->add_option("--per-doc", args->per_doc, "At most N passages per document (best first)")
      ->type_name("N");
  sub->add_option("--limit,-n", args->limit, "Hits to show (default 10, at most 10,000)")
      ->type_name("N")
      ->check(CLI::Range(0, 10000));
  sub->add_option("--offset", args->offset, "Hits to skip first (default 0, at most 1,000,000)")
      ->type_name("N")
      ->check(CLI::Range(0, 1000000));
  sub->add_flag("--any", args->any_word,
                "Passages with any of the words (default: all of them; OR also says any)");
  sub->add_flag("--explain", args->explain,
                "Each hit's score split into its parts: text words, heading, phrase bonus, "
                "exact-form bonus, footnote factor, boost (docs/query.md)");
  sub->add_flag("--no-acronyms", args->no_acronyms,
                "Search the words as typed: not also the acronym of a long form (Rapid "
                "Support Forces: RSF) or the long forms of an acronym, as the indexed "
                "documents define them");
  sub->add_flag("--no-facets", args->no_facets, "Do not print facet counts (text output)");
  sub->add_option("--saved", args->saved,
                  "Run the search saved under this name (pillar saved add); words and filters "
                  "given here narrow it further")
      ->type_name("NAME");
  sub->add_option("--format", args->format,
                  "text (default) or json: one JSON object with query, total, did_you_mean, "
                  "any_word_total, hits, facets (docs/schema.md)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  sub->add_flag("--json", args->json, "The same as --format json");
  AddColorOption(sub);
  sub->callback([args, words, query] {
    ExitCode() = RunSearch(*args, words->count() > 0, query->count() > 0);
  });
}

}  // namespace pillar::cli
