#include "tools/pillar/generate.h"

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "indexer/tag/taxonomy.h"
#include "tools/pillar/command.h"

#ifndef PILLAR_VERSION
#define PILLAR_VERSION "0.0.0"
#endif

namespace pillar::cli {
namespace {

// What the generators need to know of one option or positional argument.
struct OptionInfo {
  std::vector<std::string> names;    // "--index", "-n"; empty for a positional
  std::string value;                 // "DIR", "N", "PATH"...; empty for a flag
  std::vector<std::string> choices;  // from a CLI::IsMember check: {json,text}
  std::string description;
  bool repeatable = false;
};

struct CommandInfo {
  std::string name;
  std::string description;
  std::vector<OptionInfo> options;
  std::vector<OptionInfo> positionals;
};

// What completes an option's value: a concept id, a folder, a file, a fixed choice, or
// nothing the shell can guess (numbers, languages, free text).
enum class ValueKind { kNone, kConcept, kDirectory, kFile, kChoice };

ValueKind KindOf(const OptionInfo& o) {
  if (!o.choices.empty()) return ValueKind::kChoice;
  for (const std::string& n : o.names) {
    if (n == "--pillar" || n == "--boost-pillar") return ValueKind::kConcept;
  }
  if (o.value == "DIR") return ValueKind::kDirectory;
  if (o.value == "FILE" || o.value == "PATH" || o.value == "FILES") return ValueKind::kFile;
  return ValueKind::kNone;
}

// CLI11 shows a check in the type name: "TEXT:{json,text}" -> {"json", "text"}.
std::vector<std::string> ChoicesOf(const std::string& type_name) {
  std::vector<std::string> out;
  size_t open = type_name.find('{');
  size_t close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return out;
  std::stringstream list(type_name.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(list, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string ValueName(const std::string& type_name) {
  return type_name.substr(0, std::min(type_name.find(':'), type_name.find(' ')));
}

OptionInfo Describe(const CLI::Option* opt) {
  OptionInfo info;
  for (const std::string& l : opt->get_lnames()) info.names.push_back("--" + l);
  for (const std::string& s : opt->get_snames()) info.names.push_back("-" + s);
  if (opt->get_type_size_max() > 0 || !opt->nonpositional()) {
    info.value = opt->nonpositional() ? ValueName(opt->get_type_name()) : opt->get_name(true);
    info.choices = ChoicesOf(opt->get_type_name());
  }
  info.description = opt->get_description();
  info.repeatable = opt->get_items_expected_max() > 1 ||
                    opt->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  return info;
}

std::vector<CommandInfo> Commands(CLI::App& app) {
  std::vector<CommandInfo> out;
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); })) {
    CommandInfo c;
    c.name = sub->get_name();
    c.description = sub->get_description();
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_group().empty()) continue;  // hidden
      OptionInfo info = Describe(opt);
      (info.names.empty() ? c.positionals : c.options).push_back(std::move(info));
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> ConceptIds() {
  std::vector<std::string> ids;
  std::filesystem::path file = DefaultTaxonomyPath();
  if (file.empty()) return ids;
  Result<Taxonomy> taxonomy = Taxonomy::Load({file});
  if (!taxonomy.ok()) return ids;
  for (const Concept& c : taxonomy->concepts()) ids.push_back(c.id);
  return ids;
}

// The first sentence, for the one-line descriptions of zsh and fish: up to a ". " before a
// capital letter that does not close an abbreviation ("e.g. ", "para. 5"), at most ~100
// bytes (cut at a space).
std::string FirstSentence(const std::string& text) {
  size_t end = std::string::npos;
  for (size_t at = text.find(". "); at != std::string::npos; at = text.find(". ", at + 1)) {
    bool capital = at + 2 < text.size() && std::isupper(static_cast<unsigned char>(text[at + 2]));
    size_t word = text.rfind(' ', at);
    std::string last = text.substr(word == std::string::npos ? 0 : word + 1,
                                   at - (word == std::string::npos ? 0 : word + 1));
    if (capital && last != "e.g" && last != "i.e" && last != "para" && last != "cf") {
      end = at;
      break;
    }
  }
  std::string s = text.substr(0, end);
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.size() > 100) {
    size_t space = s.rfind(' ', 97);
    s = s.substr(0, space == std::string::npos ? 97 : space) + "...";
  }
  return s;
}

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// Text in single quotes for a shell.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// ---- man page ----

// roff text: backslashes escaped, hyphens as \- (so that options copy as ASCII), and a line
// that would start with a control character guarded.
std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '\n') {
      out += "\n.br\n";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string OptionHeading(const OptionInfo& o) {
  std::string out;
  for (const std::string& n : o.names)
    out += (out.empty() ? "" : ", ") + ("\\fB" + Roff(n) + "\\fR");
  if (!o.value.empty()) out += " \\fI" + Roff(o.value) + "\\fR";
  return out;
}

void WriteMan(CLI::App& app, std::ostream& out) {
  out << ".\\\" Generated by `pillar __generate man` from the command-line definition.\n"
      << ".TH PILLAR 1 \"\" \"pillar " PILLAR_VERSION "\" \"User Commands\"\n"
      << ".SH NAME\npillar \\- find, tag and cite passages of policy documents on the protection "
         "of civilians\n"
      << ".SH SYNOPSIS\n\\fBpillar\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n.br\n"
      << "\\fBpillar\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
      << ".SH DESCRIPTION\n"
      << Roff(app.get_description()) << "\n";
  out << ".SH COMMANDS\n";
  for (const CommandInfo& c : Commands(app)) {
    std::string usage = "\\fBpillar " + c.name + "\\fR [\\fIOPTIONS\\fR]";
    for (const OptionInfo& p : c.positionals) usage += " \\fI" + Roff(p.value) + "\\fR";
    out << ".SS " << usage << "\n" << Roff(c.description) << "\n";
    for (const OptionInfo& p : c.positionals) {
      out << ".TP\n\\fI" << Roff(p.value) << "\\fR\n" << Roff(p.description) << "\n";
    }
    for (const OptionInfo& o : c.options) {
      out << ".TP\n" << OptionHeading(o) << "\n" << Roff(o.description) << "\n";
    }
  }
  out << ".SH ENVIRONMENT\n"
      << ".TP\n\\fBPILLAR_INDEX\\fR\nThe index folder when \\fB\\-\\-index\\fR is not given "
         "(default ./pillar\\-index).\n"
      << ".TP\n\\fBPILLAR_TAXONOMY\\fR\nThe SKOS taxonomy with tagging rules when "
         "\\fB\\-\\-taxonomy\\fR is not given.\n"
      << ".TP\n\\fBPILLAR_USER\\fR\nWho records manual tags (else \\fBUSER\\fR).\n"
      << ".SH FILES\n"
      << ".TP\n\\fI<prefix>/share/pillar/taxonomy/poc.skos.xml\\fR\n"
         "The taxonomy an installed \\fBpillar\\fR uses when none is given, the index records "
         "none, and no corpus/taxonomy/poc.skos.xml is found beside the program or in the "
         "current folder.\n"
      << ".TP\n\\fIpillar\\-index/\\fR\nThe index: a Xapian database and the annotation store "
         "(SQLite) that keeps manual tags.\n"
      << ".SH EXIT STATUS\n0: ok. 1: some inputs failed (the rest was done). 2: usage error "
         "(nothing was done). 130 or 143: stopped by SIGINT or SIGTERM (finished work is "
         "kept).\n";
}

// ---- bash ----

void WriteBash(CLI::App& app, std::ostream& out) {
  std::vector<CommandInfo> commands = Commands(app);
  std::vector<std::string> names;
  for (const CommandInfo& c : commands) names.push_back(c.name);
  out << "# bash completion for pillar. Generated by `pillar __generate bash`; do not edit.\n"
      << "_pillar() {\n"
      << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" sub=\"\" i\n"
      << "  ((COMP_CWORD > 0)) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    case \"${COMP_WORDS[i]}\" in\n"
      << "      " << Join(names, "|") << ") sub=\"${COMP_WORDS[i]}\"; break ;;\n"
      << "    esac\n"
      << "  done\n"
      << "  if [[ -z \"$sub\" ]]; then\n"
      << "    COMPREPLY=($(compgen -W \"" << Join(names, " ")
      << " --help --version\" -- \"$cur\"))\n"
      << "    return\n"
      << "  fi\n"
      << "  local concepts=" << ShellQuote(Join(ConceptIds(), " ")) << "\n"
      << "  case \"$sub $prev\" in\n";
  for (const CommandInfo& c : commands) {
    for (const OptionInfo& o : c.options) {
      if (o.value.empty()) continue;
      std::vector<std::string> keys;
      for (const std::string& n : o.names) keys.push_back("\"" + c.name + " " + n + "\"");
      out << "    " << Join(keys, "|") << ")\n      ";
      switch (KindOf(o)) {
        case ValueKind::kConcept:
          out << "COMPREPLY=($(compgen -W \"$concepts\" -- \"$cur\"))";
          break;
        case ValueKind::kDirectory:
          out << "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))";
          break;
        case ValueKind::kFile:
          out << "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))";
          break;
        case ValueKind::kChoice:
          out << "COMPREPLY=($(compgen -W " << ShellQuote(Join(o.choices, " ")) << " -- \"$cur\"))";
          break;
        case ValueKind::kNone:
          out << "COMPREPLY=()";
          break;
      }
      out << "\n      return ;;\n";
    }
  }
  out << "  esac\n"
      << "  local opts=\"\" files=\"\"\n"
      << "  case \"$sub\" in\n";
  for (const CommandInfo& c : commands) {
    std::vector<std::string> opts;
    for (const OptionInfo& o : c.options) opts.insert(opts.end(), o.names.begin(), o.names.end());
    bool files = false;
    for (const OptionInfo& p : c.positionals) files = files || p.value == "PATH";
    out << "    " << c.name << ") opts=\"" << Join(opts, " ") << "\"" << (files ? "; files=1" : "")
        << " ;;\n";
  }
  out << "  esac\n"
      << "  if [[ \"$cur\" == -* ]]; then\n"
      << "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
      << "  elif [[ -n \"$files\" ]]; then\n"
      << "    compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      << "  fi\n"
      << "}\n"
      << "complete -F _pillar pillar\n";
}

// ---- zsh ----

// Text inside an _arguments spec's [description] or a _describe entry.
std::string ZshText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void WriteZsh(CLI::App& app, std::ostream& out) {
  std::vector<CommandInfo> commands = Commands(app);
  out << "#compdef pillar\n"
      << "# zsh completion for pillar. Generated by `pillar __generate zsh`; do not edit.\n"
      << "_pillar() {\n"
      << "  local -a commands\n"
      << "  commands=(\n";
  for (const CommandInfo& c : commands) {
    out << "    " << ShellQuote(c.name + ":" + ZshText(FirstSentence(c.description))) << "\n";
  }
  out << "  )\n"
      << "  if ((CURRENT == 2)); then\n"
      << "    _describe -t commands 'pillar command' commands\n"
      << "    return\n"
      << "  fi\n"
      << "  local sub=$words[2]\n"
      << "  shift words\n"
      << "  ((CURRENT--))\n"
      << "  case $sub in\n";
  for (const CommandInfo& c : commands) {
    out << "    " << c.name << ")\n      _arguments -s";
    for (const OptionInfo& o : c.options) {
      std::string action;
      switch (KindOf(o)) {
        case ValueKind::kConcept:
          action = "(" + Join(ConceptIds(), " ") + ")";
          break;
        case ValueKind::kDirectory:
          action = "_files -/";
          break;
        case ValueKind::kFile:
          action = "_files";
          break;
        case ValueKind::kChoice:
          action = "(" + Join(o.choices, " ") + ")";
          break;
        case ValueKind::kNone:
          action = " ";
          break;
      }
      for (const std::string& n : o.names) {
        std::string spec =
            (o.repeatable ? "*" : "") + n + "[" + ZshText(FirstSentence(o.description)) + "]";
        if (!o.value.empty()) spec += ":" + ZshText(o.value) + ":" + action;
        out << " \\\n        " << ShellQuote(spec);
      }
    }
    for (const OptionInfo& p : c.positionals) {
      out << " \\\n        "
          << ShellQuote("*:" + ZshText(p.value) + ":" + (p.value == "PATH" ? "_files" : " "));
    }
    out << "\n      ;;\n";
  }
  out << "  esac\n"
      << "}\n"
      << "_pillar \"$@\"\n";
}

// ---- fish ----

void WriteFish(CLI::App& app, std::ostream& out) {
  std::vector<CommandInfo> commands = Commands(app);
  std::vector<std::string> names;
  for (const CommandInfo& c : commands) names.push_back(c.name);
  out << "# fish completion for pillar. Generated by `pillar __generate fish`; do not edit.\n"
      << "complete -c pillar -f\n"
      << "complete -c pillar -n __fish_use_subcommand -l help -d 'Print help'\n"
      << "complete -c pillar -n __fish_use_subcommand -l version -d 'Print the version'\n";
  for (const CommandInfo& c : commands) {
    out << "complete -c pillar -n __fish_use_subcommand -a " << c.name << " -d "
        << ShellQuote(FirstSentence(c.description)) << "\n";
  }
  const std::string concepts = Join(ConceptIds(), " ");
  for (const CommandInfo& c : commands) {
    const std::string when = ShellQuote("__fish_seen_subcommand_from " + c.name);
    for (const OptionInfo& o : c.options) {
      out << "complete -c pillar -n " << when;
      for (const std::string& n : o.names) {
        out << (n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1));
      }
      if (!o.value.empty()) {
        switch (KindOf(o)) {
          case ValueKind::kConcept:
            out << " -x -a " << ShellQuote(concepts);
            break;
          case ValueKind::kDirectory:
            out << " -x -a '(__fish_complete_directories)'";
            break;
          case ValueKind::kFile:
            out << " -r -F";
            break;
          case ValueKind::kChoice:
            out << " -x -a " << ShellQuote(Join(o.choices, " "));
            break;
          case ValueKind::kNone:
            out << " -x";
            break;
        }
      }
      out << " -d " << ShellQuote(FirstSentence(o.description)) << "\n";
    }
    for (const OptionInfo& p : c.positionals) {
      if (p.value == "PATH") out << "complete -c pillar -n " << when << " -F\n";
    }
  }
}

}  // namespace

std::optional<int> MaybeGenerate(CLI::App& app, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "__generate") return std::nullopt;
  const std::string kind = args.size() >= 2 ? args[1] : "";
  std::ostringstream text;
  if (kind == "man") {
    WriteMan(app, text);
  } else if (kind == "bash") {
    WriteBash(app, text);
  } else if (kind == "zsh") {
    WriteZsh(app, text);
  } else if (kind == "fish") {
    WriteFish(app, text);
  } else {
    std::cerr << "pillar: usage: pillar __generate man|bash|zsh|fish [FILE]\n";
    return kExitUsage;
  }
  if (args.size() < 3) {
    std::cout << text.str();
    return kExitOk;
  }
  std::ofstream out(args[2], std::ios::binary | std::ios::trunc);
  out << text.str();
  out.close();
  if (!out) {
    std::cerr << "pillar: " << args[2] << ": cannot write\n";
    return kExitSomeInputsFailed;
  }
  return kExitOk;
}

}  // namespace pillar::cli
