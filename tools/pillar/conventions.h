#pragma once

// The command-line conventions every subcommand shares (issue 17): suggestions for mistyped
// commands and options, colour (--color, NO_COLOR), defaults from a config file, help wrapped
// to the terminal, and `-` for standard output.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"

namespace pillar::cli {

// Edit distance between `a` and `b` where swapping two neighbouring characters counts as one
// edit ("serach" -> "search" is 1).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, or "" when none is near enough to be a likely typo.
std::string Nearest(std::string_view word, const std::vector<std::string>& candidates);

// Checks the words before the subcommand's own arguments and the long options given to it:
// an unknown command or option is reported on stderr with the nearest known one ("did you
// mean 'search'?") and the list of commands or a pointer to --help. Returns true when `args`
// (without the program name) may go on to CLI11.
bool CheckNames(CLI::App& app, const std::vector<std::string>& args);

// --color=auto|always|never on `sub` (default auto, or the config file's `color`).
void AddColorOption(CLI::App* sub);

// Whether to mark output with ANSI colour or bold: --color=always yes, never no; auto (the
// default) when standard output is a terminal and NO_COLOR is unset or empty.
bool UseColor();

// The config file: $PILLAR_CONFIG when set, else $XDG_CONFIG_HOME/pillar/config.toml, else
// ~/.config/pillar/config.toml. Empty when none can be named.
std::filesystem::path ConfigPath();

// Reads the config file (when it exists) and makes its values the defaults of the options of
// the subcommand named in `args`, except those the command line gives. Keys at the top apply
// to every command that has the option; keys under [command] to that command only. Returns
// false (after printing "pillar: FILE:LINE: ..." to stderr) when the file is malformed or a
// value is not valid for its option.
bool ApplyConfig(CLI::App& app, const std::vector<std::string>& args);

// Help text wrapped to the terminal: $COLUMNS when set, else the width of the terminal on
// standard output, else 80. Words longer than the width are left whole.
class WrappingFormatter : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;
};
// The formatter every command's help uses (a WrappingFormatter that also wraps option and
// command descriptions in their column).
std::shared_ptr<CLI::FormatterBase> MakeHelpFormatter();
size_t HelpWidth();
// `text` with every line longer than `width` broken at spaces; continuation lines are indented
// like the line's description column (two or more spaces inside the line) or its first word.
std::string WrapLines(const std::string& text, size_t width);

// Calls `write` with standard output when `path` is "-", else with a temporary file beside
// `path` that is renamed over it when `write` and the write succeed (so a failure never
// leaves half a file). A device or pipe (/dev/null, a FIFO) is written in place, never
// renamed over; a symbolic link's file is replaced, not the link; a folder is refused.
Status WriteOutput(const std::filesystem::path& path,
                   const std::function<Status(std::ostream&)>& write);

// `s` with control characters shown as '?', for echoing a user's mistyped name.
std::string TerminalSafeName(std::string_view s);

// True for "-", the name of standard output.
inline bool IsStdout(const std::filesystem::path& path) { return path == "-"; }

}  // namespace pillar::cli
