#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pillar::cli {

// The build writes the man page and the shell completion scripts from the CLI definition
// itself, so that they list exactly the subcommands and options this binary has:
//   pillar __generate man|bash|zsh|fish [FILE]   (stdout without FILE)
// (a hidden first argument, not a subcommand: it stays out of --help, docs/cli.md and the
// completions). Returns the exit code when `args` asks for this, else nullopt. Concept ids
// for --pillar come from the default taxonomy when one is found (else none are offered).
std::optional<int> MaybeGenerate(CLI::App& app, const std::vector<std::string>& args);

}  // namespace pillar::cli
