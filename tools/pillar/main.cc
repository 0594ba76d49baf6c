// pillar: search and annotation engine for protection-of-civilians policy documents.

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"
#include "tools/pillar/generate.h"

namespace pillar::cli {

int& ExitCode() {
  static int code = kExitOk;
  return code;
}

void AddIndexOption(CLI::App* sub, std::filesystem::path* dir) {
  *dir = DefaultIndexDir();
  sub->add_option("--index", *dir, "Index folder (default: $PILLAR_INDEX or ./pillar-index)")
      ->type_name("DIR");
}

int Fail(const Status& status) {
  std::cerr << "pillar: " << status.message() << "\n";
  if (status.code() == Status::Code::kInvalidArgument || status.code() == Status::Code::kNotFound) {
    return kExitUsage;
  }
  return kExitSomeInputsFailed;
}

bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

std::vector<std::string> KeepNegatedQueryWords(CLI::App& app, std::vector<std::string> args) {
  // The subcommand: the first argument that names one.
  CLI::App* sub = nullptr;
  size_t i = 0;
  for (; i < args.size() && !sub; ++i) {
    for (CLI::App* candidate : app.get_subcommands([](CLI::App*) { return true; })) {
      if (candidate->check_name(args[i])) sub = candidate;
    }
  }
  if (!sub) return args;
  const bool takes_query = sub->get_option_no_throw("QUERY") != nullptr ||
                           sub->get_option_no_throw("--query") != nullptr;
  if (!takes_query) return args;

  auto option = [&](const std::string& name) -> const CLI::Option* {
    return sub->get_option_no_throw(name);
  };
  // A single-dash token that is no option of `sub`: "-violence", -"armed groups". Negative
  // numbers and option values ("-n5") are not query words.
  auto negated_word = [&](const std::string& token) {
    if (token.size() < 2 || token[0] != '-' || token[1] == '-') return false;
    if (std::isdigit(static_cast<unsigned char>(token[1]))) return false;
    const CLI::Option* short_option = option(token.substr(0, 2));
    if (!short_option) return true;
    if (token.size() == 2) return false;
    // "-n20": a short option with its value attached.
    bool digits = std::all_of(token.begin() + 2, token.end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    return !(short_option->get_expected_max() > 0 && digits);
  };
  // Options (with their values) go first, then "--", then every query word in its order.
  std::vector<std::string> options(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(i));
  std::vector<std::string> words;
  bool negated = false;
  for (; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") {
      words.insert(words.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (negated_word(token)) {
      negated = true;
      words.push_back(token);
      continue;
    }
    const CLI::Option* named = nullptr;
    if (StartsWith(token, "--") && token.find('=') == std::string::npos) named = option(token);
    if (token.size() == 2 && token[0] == '-') named = option(token);
    if (!named && (token.empty() || token[0] != '-')) {
      words.push_back(token);
    } else if (named && named->get_expected_max() > 0 && i + 1 < args.size()) {
      options.push_back(token + (token[1] == '-' ? "=" : "") + args[i + 1]);  // its value
      ++i;
    } else {
      options.push_back(token);
    }
  }
  if (!negated) return args;
  options.push_back("--");
  options.insert(options.end(), words.begin(), words.end());
  return options;
}

}  // namespace pillar::cli

int main(int argc, char** argv) {
  using namespace pillar::cli;
  CLI::App app{
      "pillar: find, tag and cite passages of policy documents on the protection of civilians.\n"
      "Exit codes: 0 ok, 1 some inputs failed (the rest was done), 2 usage error."};
  app.name("pillar");
  app.require_subcommand(1);
  app.set_version_flag("--version", "pillar 0.1.0");
  app.formatter(MakeHelpFormatter());  // before the subcommands, which copy it
  RegisterIndex(app);
  RegisterSearch(app);
  RegisterSimilar(app);
  RegisterShow(app);
  RegisterExport(app);
  RegisterDocs(app);
  RegisterTaxonomy(app);
  RegisterTag(app);
  RegisterAnnotations(app);
  RegisterEval(app);
  RegisterCite(app);
  RegisterReport(app);
  RegisterTrain(app);
  RegisterReview(app);
  RegisterImport(app);
  RegisterServe(app);
  RegisterAgreement(app);
  RegisterOpen(app);
  RegisterSaved(app);
  RegisterShards(app);
  // A repeatable option takes one value each time it is given (--lang en --lang fr), so the
  // words after it are left to the query: `pillar search --lang en early warning`.
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    for (CLI::Option* option : sub->get_options()) {
      if (!option->get_positional()) option->allow_extra_args(false);
    }
  }
  std::vector<std::string> given(argv + 1, argv + argc);
  if (std::optional<int> generated = MaybeGenerate(app, given)) {
    return *generated;  // the build's man page and completions (tools/pillar/generate.h)
  }
  if (!CheckNames(app, given) || !ApplyConfig(app, given)) return kExitUsage;
  std::vector<std::string> args = KeepNegatedQueryWords(app, given);
  std::vector<char*> rewritten{argv[0]};
  for (std::string& a : args) rewritten.push_back(a.data());
  try {
    app.parse(static_cast<int>(rewritten.size()), rewritten.data());
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const std::bad_alloc&) {
    // Unwound, not aborted: an index being built is thrown away and the one before stays.
    std::fprintf(stderr, "pillar: out of memory; nothing was changed by the step that failed\n");
    return kExitSomeInputsFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pillar: internal error: %s\n", e.what());
    return kExitSomeInputsFailed;
  }
  return ExitCode();
}
