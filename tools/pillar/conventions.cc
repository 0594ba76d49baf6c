#include "tools/pillar/conventions.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "indexer/base/text.h"

namespace pillar::cli {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus one-edit transpositions, in three rows.
  std::vector<size_t> before(b.size() + 1), last(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) last[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({last[j] + 1, row[j - 1] + 1, last[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    before.swap(last);
    last.swap(row);
  }
  return last[b.size()];
}

std::string Nearest(std::string_view word, const std::vector<std::string>& candidates) {
  auto bare = [](std::string_view s) {
    while (!s.empty() && s.front() == '-') s.remove_prefix(1);
    return s;
  };
  std::string_view w = bare(word);
  std::string best;
  size_t best_distance = std::string::npos;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(w, bare(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // One edit in short words, about one in three in longer ones: "serach", "--limt", "--pilar".
  if (!best.empty() && best_distance <= std::max<size_t>(1, w.size() / 3)) return best;
  // A unique prefix of three or more letters: "--ind" for "--index".
  std::string prefixed;
  if (w.size() >= 3) {
    for (const std::string& c : candidates) {
      if (StartsWith(bare(c), w)) {
        if (!prefixed.empty()) return "";
        prefixed = c;
      }
    }
  }
  return prefixed;
}

namespace {

std::string Fill(std::string_view text, size_t first, size_t indent, size_t width);

std::vector<CLI::App*> Commands(CLI::App& app) {
  return app.get_subcommands([](CLI::App*) { return true; });
}

CLI::App* FindCommand(CLI::App& app, const std::string& name) {
  for (CLI::App* c : Commands(app)) {
    if (c->check_name(name)) return c;
  }
  return nullptr;
}

std::vector<std::string> LongNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app->get_options()) {
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
  }
  return names;
}

void ReportUnknownOption(const std::string& where, const std::string& token,
                         const std::vector<std::string>& candidates) {
  std::string name = token.substr(0, token.find('='));
  std::string near = Nearest(name, candidates);
  std::cerr << where << ": unknown option '" << TerminalSafeName(name) << "'";
  if (!near.empty()) std::cerr << "; did you mean '" << near << "'?";
  std::cerr << "\nRun `" << where << " --help` for every option.\n";
}

}  // namespace

std::string TerminalSafeName(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7F ? '?' : c;
  }
  return out;
}

bool CheckNames(CLI::App& app, const std::vector<std::string>& args) {
  if (args.empty()) {
    std::string list = "The commands are:";
    for (CLI::App* c : Commands(app)) list += (list.back() == ':' ? " " : ", ") + c->get_name();
    std::cerr << "pillar: a command is required\n"
              << Fill(list, 0, 2, HelpWidth())
              << "\nRun `pillar --help` for what each does, `pillar COMMAND --help` for its "
                 "options.\n";
    return false;
  }
  size_t i = 0;
  CLI::App* sub = nullptr;
  for (; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") return true;
    if (!token.empty() && token[0] == '-') {
      if (app.get_option_no_throw(token.substr(0, token.find('='))) == nullptr) {
        ReportUnknownOption("pillar", token, LongNames(&app));
        return false;
      }
      continue;
    }
    std::vector<std::string> names;
    for (CLI::App* c : Commands(app)) {
      if (c->check_name(token)) sub = c;
      names.push_back(c->get_name());
    }
    if (!sub) {
      std::string near = Nearest(token, names);
      std::cerr << "pillar: unknown command '" << TerminalSafeName(token) << "'";
      if (!near.empty()) std::cerr << "; did you mean '" << near << "'?";
      std::string list = "The commands are:";
      for (size_t k = 0; k < names.size(); ++k) list += (k ? ", " : " ") + names[k];
      std::cerr << "\n"
                << Fill(list, 0, 2, HelpWidth()) << "\nRun `pillar --help` for what each does.\n";
      return false;
    }
    ++i;
    break;
  }
  if (!sub) return true;
  const std::string where = "pillar " + sub->get_name();
  // A single-dash word in a command that takes a query words is a negated query word.
  const bool has_query_words = sub->get_option_no_throw("QUERY") != nullptr;
  for (; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") break;
    if (token.size() > 2 && StartsWith(token, "--")) {
      const CLI::Option* o = sub->get_option_no_throw(token.substr(0, token.find('=')));
      if (!o) {
        ReportUnknownOption(where, token, LongNames(sub));
        return false;
      }
      if (token.find('=') == std::string::npos && o->get_expected_max() > 0) ++i;  // its value
    } else if (token.size() >= 2 && token[0] == '-' && token[1] != '-' &&
               !std::isdigit(static_cast<unsigned char>(token[1]))) {
      const CLI::Option* o = sub->get_option_no_throw(token.substr(0, 2));
      if (!o) {
        if (has_query_words) continue;
        ReportUnknownOption(where, token, LongNames(sub));
        return false;
      }
      if (token.size() == 2 && o->get_expected_max() > 0) ++i;
    }
  }
  return true;
}

namespace {

std::string& ColorSetting() {
  static std::string setting = "auto";
  return setting;
}

}  // namespace

void AddColorOption(CLI::App* sub) {
  sub->add_option("--color", ColorSetting(),
                  "Mark matches in colour: auto (default: on a terminal, unless NO_COLOR is "
                  "set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
}

bool UseColor() {
  const std::string& setting = ColorSetting();
  if (setting == "always") return true;
  if (setting == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

// ---------------------------------------------------------------------------------------------
// Config file

std::filesystem::path ConfigPath() {
  if (const char* explicit_path = std::getenv("PILLAR_CONFIG"); explicit_path && *explicit_path) {
    return explicit_path;
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "pillar" / "config.toml";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".config" / "pillar" / "config.toml";
  }
  return {};
}

namespace {

struct ConfigEntry {
  std::string section;  // "" for the top
  std::string key;
  std::string value;
  size_t line = 0;
  size_t section_line = 0;  // where [section] is
};

// The config keys and the option each sets.
const std::map<std::string, std::string>& ConfigKeys() {
  static const std::map<std::string, std::string> kKeys = {
      {"index", "--index"}, {"taxonomy", "--taxonomy"}, {"limit", "--limit"}, {"color", "--color"}};
  return kKeys;
}

bool IsBareKey(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// What follows a value: nothing, or a comment.
bool OnlyComment(std::string_view rest) {
  rest = TrimAscii(rest);
  return rest.empty() || rest[0] == '#';
}

// A small part of TOML: comments, [section], key = "string" | 'string' | integer | true/false.
// Returns the entries, or the first error as "LINE: message" in `error`.
std::vector<ConfigEntry> ParseConfig(const std::string& text, std::string* error) {
  std::vector<ConfigEntry> entries;
  std::map<std::string, size_t> seen;  // "section.key" -> line
  std::string section;
  size_t section_line = 0;
  std::istringstream in(text);
  std::string raw;
  size_t line = 0;
  auto fail = [&](const std::string& message) {
    *error = std::to_string(line) + ": " + message;
    return std::vector<ConfigEntry>{};
  };
  while (std::getline(in, raw)) {
    ++line;
    if (FindInvalidUtf8(raw) != std::string_view::npos) return fail("not UTF-8");
    std::string_view s = TrimAscii(raw);
    if (s.empty() || s[0] == '#') continue;
    if (s[0] == '[') {
      size_t close = s.find(']');
      if (close == std::string_view::npos || !OnlyComment(s.substr(close + 1))) {
        return fail("a section is written [command]");
      }
      std::string_view name = TrimAscii(s.substr(1, close - 1));
      if (!IsBareKey(name)) return fail("a section is written [command]");
      section = std::string(name);
      section_line = line;
      continue;
    }
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return fail("expected key = value");
    std::string key(TrimAscii(s.substr(0, eq)));
    if (!IsBareKey(key)) return fail("expected key = value, the key in letters, digits, _ or -");
    std::string_view v = TrimAscii(s.substr(eq + 1));
    std::string value;
    if (v.empty()) return fail("'" + key + "' has no value");
    if (v[0] == '"') {
      size_t k = 1;
      for (; k < v.size() && v[k] != '"'; ++k) {
        if (v[k] != '\\') {
          value += v[k];
          continue;
        }
        if (++k == v.size()) break;
        switch (v[k]) {
          case '"':
            value += '"';
            break;
          case '\\':
            value += '\\';
            break;
          case 't':
            value += '\t';
            break;
          case 'n':
            value += '\n';
            break;
          default:
            return fail("unknown escape \\" + std::string(1, v[k]) + " in a string");
        }
      }
      if (k >= v.size()) return fail("the string has no closing \"");
      if (!OnlyComment(v.substr(k + 1))) return fail("text after the closing \"");
    } else if (v[0] == '\'') {
      size_t close = v.find('\'', 1);
      if (close == std::string_view::npos) return fail("the string has no closing '");
      if (!OnlyComment(v.substr(close + 1))) return fail("text after the closing '");
      value = std::string(v.substr(1, close - 1));
    } else {
      std::string_view bare = TrimAscii(v.substr(0, v.find('#')));
      bool number = !bare.empty() && std::all_of(bare.begin(), bare.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '_';
      });
      if (!number && bare != "true" && bare != "false") {
        return fail("the value of '" + key + "' must be a \"quoted string\" or a number");
      }
      for (char c : bare) {
        if (c != '_') value += c;
      }
    }
    std::string full = section + "." + key;
    if (auto it = seen.find(full); it != seen.end()) {
      return fail("'" + key + "' is set twice (first on line " + std::to_string(it->second) + ")");
    }
    seen[full] = line;
    entries.push_back({section, key, value, line, section_line});
  }
  return entries;
}

// True when `args` (the subcommand's own) give option `opt` on the command line.
bool GivenOnCommandLine(const CLI::Option* opt, const std::vector<std::string>& args) {
  for (const std::string& token : args) {
    if (token == "--") break;
    for (const std::string& l : opt->get_lnames()) {
      if (token == "--" + l || StartsWith(token, "--" + l + "=")) return true;
    }
    for (const std::string& s : opt->get_snames()) {
      if (StartsWith(token, "-" + s)) return true;
    }
  }
  return false;
}

// A value read from the config: a leading ~/ is the home folder, as in a shell.
std::string ExpandHome(const std::string& value) {
  const char* home = std::getenv("HOME");
  if (StartsWith(value, "~/") && home && *home) return std::string(home) + value.substr(1);
  return value;
}

}  // namespace

bool ApplyConfig(CLI::App& app, const std::vector<std::string>& args) {
  std::filesystem::path path = ConfigPath();
  if (path.empty()) return true;
  const bool explicit_path = std::getenv("PILLAR_CONFIG") && *std::getenv("PILLAR_CONFIG");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!explicit_path) return true;  // no config file is the usual case
    std::cerr << "pillar: " << path.string() << " (from $PILLAR_CONFIG): cannot read it\n";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string error;
  std::vector<ConfigEntry> entries = ParseConfig(buffer.str(), &error);
  auto fail = [&](size_t line, const std::string& message) {
    std::cerr << "pillar: " << path.string() << ":" << line << ": " << message << "\n";
    return false;
  };
  if (!error.empty()) {
    std::cerr << "pillar: " << path.string() << ":" << error << "\n";
    return false;
  }
  // The subcommand and its own arguments.
  CLI::App* sub = nullptr;
  std::vector<std::string> own;
  std::vector<std::string> commands;
  for (CLI::App* c : Commands(app)) commands.push_back(c->get_name());
  for (size_t i = 0; i < args.size() && !sub; ++i) {
    if (args[i].empty() || args[i][0] == '-') continue;
    sub = FindCommand(app, args[i]);
    if (sub) own.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  }
  std::vector<std::string> keys;
  for (const auto& [key, option] : ConfigKeys()) keys.push_back(key);
  // Every entry is checked, whichever command runs: a typo shows at once.
  for (const ConfigEntry& e : entries) {
    if (!e.section.empty() && !FindCommand(app, e.section)) {
      std::string near = Nearest(e.section, commands);
      return fail(e.section_line, "no command '" + e.section + "'" +
                                      (near.empty() ? "" : "; did you mean [" + near + "]?"));
    }
    if (!ConfigKeys().count(e.key)) {
      std::string near = Nearest(e.key, keys);
      return fail(e.line, "unknown key '" + e.key + "'" +
                              (near.empty() ? "" : "; did you mean '" + near + "'?") +
                              " (keys: index, taxonomy, limit, color)");
    }
    const std::string& option = ConfigKeys().at(e.key);
    if (!e.section.empty() && !FindCommand(app, e.section)->get_option_no_throw(option)) {
      return fail(e.line, "pillar " + e.section + " has no " + option);
    }
  }
  if (!sub) return true;
  // The top first, then [command], so the command's own section wins.
  for (bool own_section : {false, true}) {
    for (const ConfigEntry& e : entries) {
      if (own_section != (e.section == sub->get_name())) continue;
      if (!own_section && !e.section.empty()) continue;
      CLI::Option* opt = sub->get_option_no_throw(ConfigKeys().at(e.key));
      if (!opt || GivenOnCommandLine(opt, own)) continue;
      // The environment variables of a single run win over the standing config.
      const char* env = e.key == "index"      ? std::getenv("PILLAR_INDEX")
                        : e.key == "taxonomy" ? std::getenv("PILLAR_TAXONOMY")
                                              : nullptr;
      if (env && *env) continue;
      try {
        opt->default_val(ExpandHome(e.value));
      } catch (const CLI::Error& err) {
        return fail(e.line, "'" + e.key + "' = '" + e.value + "' is not valid for " +
                                ConfigKeys().at(e.key) + ": " + err.what());
      }
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Help

size_t HelpWidth() {
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    long n = std::strtol(columns, &end, 10);
    if (*end == '\0' && n > 0) return static_cast<size_t>(std::clamp<long>(n, 40, 1000));
  }
  struct winsize size {};
  if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 0) {
    return std::clamp<size_t>(size.ws_col, 40, 1000);
  }
  return 80;
}

namespace {

// `text` (one paragraph, no newlines) in lines of at most `width` columns, the first starting
// after `first` columns already used, the others indented by `indent`.
std::string Fill(std::string_view text, size_t first, size_t indent, size_t width) {
  std::string out;
  size_t column = first;
  bool line_empty = true;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    i = end + 1;
    if (word.empty()) continue;
    size_t len = CountCodePoints(word);
    if (!line_empty && column + 1 + len > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += len;
    line_empty = false;
  }
  return out;
}

// "  NAME        description..." with the description wrapped in its column.
std::string Entry(const std::string& name, const std::string& description, size_t column,
                  size_t width) {
  std::string out = "  " + name;
  if (description.empty()) return out + "\n";
  size_t used = CountCodePoints(out);
  if (used >= column) {
    out += "\n";
    used = 0;
  }
  out += std::string(column - used, ' ');
  std::istringstream lines(description);
  std::string paragraph;
  bool first = true;
  while (std::getline(lines, paragraph)) {
    if (!first) out += "\n" + std::string(column, ' ');
    out += Fill(paragraph, column, column, width);
    first = false;
  }
  return out + "\n";
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Formatter final : public WrappingFormatter {
 public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    size_t width = HelpWidth();
    return Entry(make_option_name(opt, is_positional) + make_option_opts(opt),
                 make_option_desc(opt), Column(width), width);
  }
  // A repeatable option takes one value each time (main.cc): no "ID ..." after its name.
  std::string make_option_opts(const CLI::Option* opt) const override {
    std::string opts = WrappingFormatter::make_option_opts(opt);
    if (!opt->get_positional() && EndsWith(opts, " ...")) opts.resize(opts.size() - 4);
    return opts;
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    size_t width = HelpWidth();
    return Entry(sub->get_display_name(true), sub->get_description(), Column(width), width);
  }

 private:
  static size_t Column(size_t width) { return std::min<size_t>(30, width * 3 / 8); }
};

}  // namespace

std::string WrappingFormatter::make_help(const CLI::App* app, std::string name,
                                         CLI::AppFormatMode mode) const {
  return WrapLines(CLI::Formatter::make_help(app, std::move(name), mode), HelpWidth());
}

std::string WrapLines(const std::string& text, size_t width) {
  std::string out;
  std::istringstream lines(text);
  std::string line;
  bool any = false;
  while (std::getline(lines, line)) {
    if (any) out += "\n";
    any = true;
    if (CountCodePoints(line) <= width) {
      out += line;
      continue;
    }
    size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) indent = 0;
    out += std::string(indent, ' ') +
           Fill(std::string_view(line).substr(indent), indent, std::min(indent, width / 2), width);
  }
  if (!text.empty() && text.back() == '\n') out += "\n";
  return out;
}

std::shared_ptr<CLI::FormatterBase> MakeHelpFormatter() { return std::make_shared<Formatter>(); }

// ---------------------------------------------------------------------------------------------
// Output files

Status WriteOutput(const std::filesystem::path& path,
                   const std::function<Status(std::ostream&)>& write) {
  if (IsStdout(path)) {
    Status st = write(std::cout);
    std::cout.flush();
    if (st.ok() && !std::cout) return Status::IOError("standard output: write failed");
    return st;
  }
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status)) return Status::IOError(path.string() + ": is a folder");
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    // A device or a pipe (/dev/null, /dev/stdout, a FIFO): written in place. Renaming a file
    // over it would replace it, and as root over /dev/null that breaks the whole machine.
    std::ofstream out(path, std::ios::binary);
    if (!out) return Status::IOError(path.string() + ": cannot write");
    Status st = write(out);
    out.flush();
    if (st.ok() && !out) st = Status::IOError(path.string() + ": write failed");
    return st;
  }
  // A symbolic link is followed: the file it names is replaced, the link stays.
  std::filesystem::path target = path;
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    if (!ec) target = resolved;
  }
  std::filesystem::path tmp = target;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError(path.string() + ": cannot write");
    Status st = write(out);
    out.flush();
    if (st.ok() && !out) st = Status::IOError(path.string() + ": write failed");
    if (!st.ok()) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return st;
    }
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IOError(path.string() + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace pillar::cli
