#include "query/cite/csl_style.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "indexer/base/text.h"

extern char** environ;

namespace pillar {
namespace fs = std::filesystem;
namespace {

// A temporary folder removed with everything in it when this object dies.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "pillar-csl-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (!dir.empty()) {
      fs::path candidate = fs::path(dir) / name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return {};
}

Status WriteFile(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::IOError(file.string() + ": cannot write: " + std::strerror(errno));
  return Status::Ok();
}

std::string ReadFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `argv` with stdout and stderr going to files; its exit status, or -1 when it could not
// be started.
int Run(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Markdown text that pandoc reads back as the same characters.
std::string EscapeMarkdown(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::ispunct(static_cast<unsigned char>(c)) && c != ',' && c != '.' && c != '(' &&
        c != ')' && c != '-' && c != '/') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// A note style puts each citation in a footnote: read from the style's class attribute.
bool IsNoteStyle(const fs::path& style) {
  pugi::xml_document xml;
  if (!xml.load_file(style.c_str())) return false;
  return std::string(xml.child("style").attribute("class").as_string()) == "note";
}

// A dependent style (a journal's name for another style) names its independent parent by
// URL, which pandoc would fetch from zotero.org; the parent is installed beside it. Returns
// the parent's file, or `style` itself when it is independent or the parent is not found.
fs::path IndependentStyle(const fs::path& style) {
  pugi::xml_document xml;
  if (!xml.load_file(style.c_str())) return style;
  for (pugi::xml_node link : xml.child("style").child("info").children("link")) {
    if (std::string(link.attribute("rel").as_string()) != "independent-parent") continue;
    std::string href = link.attribute("href").as_string();
    std::string name = href.substr(href.rfind('/') + 1) + ".csl";
    for (const fs::path& dir :
         {style.parent_path(), style.parent_path().parent_path(), fs::path(kCslStylesDir)}) {
      std::error_code ec;
      if (fs::is_regular_file(dir / name, ec)) return dir / name;
    }
  }
  return style;
}

std::vector<std::string> Paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line, current;
  while (std::getline(in, line)) {
    if (TrimAscii(line).empty()) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += (current.empty() ? "" : " ") + std::string(TrimAscii(line));
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

constexpr std::string_view kMarker = "PILLAR-BIBLIOGRAPHY-FOLLOWS";

}  // namespace

Result<fs::path> FindCslStyle(std::string_view style) {
  std::error_code ec;
  fs::path given(style);
  if (fs::is_regular_file(given, ec)) return given;
  std::string name(style);
  if (name.find('/') == std::string::npos) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".csl") != 0) name += ".csl";
    fs::path installed = fs::path(kCslStylesDir) / name;
    if (fs::is_regular_file(installed, ec)) return installed;
    installed = fs::path(kCslStylesDir) / "dependent" / name;
    if (fs::is_regular_file(installed, ec)) return installed;
  }
  return Status::NotFound("CSL style '" + std::string(style) + "' not found: give a .csl file, " +
                          "or the name of a style in " + std::string(kCslStylesDir) +
                          " (Debian package citation-style-language-styles)");
}

Result<StyledCitations> RenderCslStyle(const std::vector<CiteItem>& items,
                                       const fs::path& given_style, bool bibliography_only) {
  const fs::path style = IndependentStyle(given_style);
  fs::path pandoc = FindOnPath("pandoc");
  if (pandoc.empty()) {
    return Status::Unsupported(
        "pandoc not found on PATH: --style renders through pandoc's citeproc (install the "
        "Debian package pandoc, 2.11 or later)");
  }
  ScratchDir dir;
  if (dir.path().empty()) return Status::IOError("cannot make a temporary folder");

  CitationOptions csl;
  csl.format = CitationFormat::kCslJson;
  Status st = WriteFile(dir.path() / "items.json", FormatCitations(items, csl));
  if (!st.ok()) return st;

  // One paragraph per citation, a marker, then the bibliography.
  std::string doc;
  size_t cited = 0;
  if (bibliography_only) {
    doc += "---\nnocite: '@*'\n---\n\n";
  } else {
    csl.format = CitationFormat::kCslCitation;
    nlohmann::json citation = nlohmann::json::parse(FormatCitations(items, csl));
    for (const nlohmann::json& c : citation["citationItems"]) {
      std::string label = c.value("label", ""), locator = c.value("locator", "");
      std::string suffix = c.value("suffix", "");
      std::string inside;
      if (label == "paragraph" || label == "page" || label == "note") {
        std::string term = label == "paragraph" ? "para." : label == "page" ? "p." : "n.";
        inside = ", {" + term + " " + EscapeMarkdown(locator) + "}" + EscapeMarkdown(suffix);
      } else if (!locator.empty()) {
        inside = ", Article " + EscapeMarkdown(locator) + EscapeMarkdown(suffix);
      } else if (!suffix.empty()) {
        // No locator: the suffix alone, without its leading ", ".
        inside = ", " + EscapeMarkdown(TrimAscii(suffix.substr(suffix.find_first_not_of(", "))));
      }
      doc += "[@" + c.value("id", "") + inside + "]\n\n";
      ++cited;
    }
  }
  doc += std::string(kMarker) + "\n\n::: {#refs}\n:::\n";
  st = WriteFile(dir.path() / "doc.md", doc);
  if (!st.ok()) return st;

  fs::path out = dir.path() / "out.txt", err = dir.path() / "err.txt";
  int rc = Run({pandoc.string(), (dir.path() / "doc.md").string(), "-f", "markdown", "-t", "plain",
                "--wrap=none", "--citeproc", "--csl", style.string(), "--bibliography",
                (dir.path() / "items.json").string(), "-o", out.string()},
               out.string() + ".log", err);
  if (rc != 0) {
    std::string message(TrimAscii(ReadFile(err)));
    message = message.substr(0, message.find('\n'));  // pandoc's first line says what failed
    return Status::Internal("pandoc failed" + (rc < 0 ? std::string(" to start") : "") +
                            " with style " + style.string() +
                            (message.empty() ? "" : ": " + message));
  }
  std::vector<std::string> paragraphs = Paragraphs(ReadFile(out));
  size_t marker = 0;
  while (marker < paragraphs.size() && paragraphs[marker] != kMarker) ++marker;
  if (marker == paragraphs.size() || marker != cited) {
    return Status::Internal("pandoc's output with style " + style.string() +
                            " has not the expected shape");
  }
  StyledCitations styled;
  std::vector<std::string> rest(paragraphs.begin() + static_cast<std::ptrdiff_t>(marker) + 1,
                                paragraphs.end());
  if (cited > 0 && IsNoteStyle(style)) {
    // Each citation became "[k]" and its note "[k] text" at the end.
    if (rest.size() < cited) return Status::Internal("pandoc's notes are missing");
    for (size_t k = rest.size() - cited; k < rest.size(); ++k) {
      std::string note = rest[k];
      size_t close = note.find("] ");
      styled.citations.push_back(
          note[0] == '[' && close != std::string::npos ? note.substr(close + 2) : note);
    }
    rest.resize(rest.size() - cited);
  } else {
    styled.citations.assign(paragraphs.begin(),
                            paragraphs.begin() + static_cast<std::ptrdiff_t>(cited));
  }
  styled.bibliography = std::move(rest);
  return styled;
}

std::string StyledCitationsText(const StyledCitations& styled) {
  std::string out;
  for (const std::string& c : styled.citations) out += c + "\n";
  if (!styled.bibliography.empty()) {
    if (!out.empty()) out += "\n";
    for (const std::string& b : styled.bibliography) out += b + "\n";
  }
  return out;
}

}  // namespace pillar
