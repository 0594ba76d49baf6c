#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {
struct SearchResult;
}  // namespace pillar

namespace pillar::cli {

// Exit codes of every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeInputsFailed = 1;  // the rest was done
inline constexpr int kExitUsage = 2;             // bad arguments or query; nothing was done

// Set by the subcommand that ran.
int& ExitCode();

// Registers each subcommand on `app`. Each lives in its own cmd_*.cc file.
void RegisterIndex(CLI::App& app);
void RegisterSearch(CLI::App& app);
void RegisterSimilar(CLI::App& app);
void RegisterShow(CLI::App& app);
void RegisterExport(CLI::App& app);
void RegisterDocs(CLI::App& app);
void RegisterTaxonomy(CLI::App& app);
void RegisterTag(CLI::App& app);
void RegisterAnnotations(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterCite(CLI::App& app);
void RegisterReport(CLI::App& app);
void RegisterTrain(CLI::App& app);   // cmd_train.cc (issue 16)
void RegisterReview(CLI::App& app);  // cmd_review.cc (issue 16)
void RegisterImport(CLI::App& app);  // cmd_import.cc (issue 21)
void RegisterServe(CLI::App& app);   // cmd_serve.cc (issue 18)
void RegisterAgreement(CLI::App& app);  // cmd_agreement.cc (issue 21)
void RegisterOpen(CLI::App& app);       // cmd_open.cc (issue 21)
void RegisterSaved(CLI::App& app);      // cmd_saved.cc (issue 21)
void RegisterShards(CLI::App& app);  // cmd_shards.cc (issue 20)

// Prints search or similar results as text (with facets when `facets`) or JSON.
int PrintSearchResult(const SearchResult& result, bool json, size_t offset, bool facets);

// Adds `--index DIR` (default $PILLAR_INDEX or ./pillar-index) to `sub`.
void AddIndexOption(CLI::App* sub, std::filesystem::path* dir);

// Prints "pillar: <message>" to stderr and returns the exit code for `status`: kExitUsage
// for InvalidArgument and NotFound, kExitSomeInputsFailed otherwise.
int Fail(const Status& status);

// Query words negated with a leading '-' ("-violence", -"armed groups") look like options to
// CLI11. In a subcommand that takes a query (QUERY or --query), when a single-dash argument
// names none of its options, the options (each with its value attached: "--query=-violence",
// "-n20") are put first, then "--", then the query's words in their order. `args` excludes
// the program name; returned as given when no such word is there.
std::vector<std::string> KeepNegatedQueryWords(CLI::App& app, std::vector<std::string> args);

// True when standard output is a terminal (colours and highlighting on).
bool StdoutIsTerminal();

}  // namespace pillar::cli
