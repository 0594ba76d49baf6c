// The command-line conventions of notmuch and git (issue 17): suggestions for typos, a query
// as unquoted words, NO_COLOR and --color, a config file, help wrapped to the terminal, `-`
// for standard output, code-point offsets in JSON, and index errors that say what to do.
// Every case runs the real `pillar` binary; terminal behaviour runs it on a real pty.

#include <xapian.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/pillar_json.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::PillarBinary;
using pillar::testing::RunCommand;
using pillar::testing::RunPillarJson;
using pillar::testing::SampleIndex;
using pillar::testing::ShellQuote;
using pillar::testing::TempDir;

// `pillar ARGS` with the sample index, its exit code returned and stdout+stderr in *out.
// PILLAR_CONFIG=/dev/null keeps a developer's own config out of the test.
int Pillar(const std::string& args, std::string* out, const std::string& env = "") {
  return RunCommand("PILLAR_CONFIG=/dev/null " + env + " " + PillarBinary() + " " + args +
                        " --index " + ShellQuote(SampleIndex().string()),
                    out, true);
}

// Runs `command` (argv words, shell-quoted) with a pseudo-terminal `columns` wide as its
// stdout and stderr; returns what it printed (CR LF as LF) in *out and its exit code.
int RunOnPty(const TempDir& dir, const std::string& command, int columns, std::string* out) {
  std::filesystem::path script =
      dir.Write("pty_run.py", R"(import fcntl, os, pty, struct, subprocess, sys, termios
columns = int(sys.argv[1])
main, sub = pty.openpty()
fcntl.ioctl(sub, termios.TIOCSWINSZ, struct.pack('HHHH', 24, columns, 0, 0))
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=sub, stderr=sub)
os.close(sub)
data = b''
while True:
    try:
        chunk = os.read(main, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
sys.stdout.buffer.write(data.replace(b'\r\n', b'\n'))
sys.exit(child.wait())
)");
  return RunCommand(
      "python3 " + ShellQuote(script.string()) + " " + std::to_string(columns) + " " + command,
      out);
}

size_t LongestLine(const std::string& text, std::string* longest) {
  std::istringstream in(text);
  std::string line;
  size_t most = 0;
  while (std::getline(in, line)) {
    size_t code_points = 0;
    for (char c : line) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    // A line of one unbreakable token may be longer: it is not counted.
    if (code_points > most && line.find(' ', line.find_first_not_of(' ')) != std::string::npos) {
      most = code_points;
      *longest = line;
    }
  }
  return most;
}

// Code points [begin, end) of `s`, as jq, Python and R slice.
std::string SliceCodePoints(const std::string& s, size_t begin, size_t end) {
  std::string out;
  size_t index = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    bool lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (lead && i > 0) ++index;
    if (index >= begin && index < end) out += s[i];
  }
  return out;
}

TEST_CASE("a mistyped command exits 2 and suggests the nearest command with the list of them",
          "[cli][conventions]") {
  std::string out;
  CHECK(Pillar("serach early warning", &out) == 2);
  CHECK(out.find("unknown command 'serach'; did you mean 'search'?") != std::string::npos);
  CHECK(out.find("index, search, similar") != std::string::npos);
  CHECK(out.find("report") != std::string::npos);
  // No command at all: the list.
  CHECK(RunCommand(PillarBinary(), &out, true) == 2);
  CHECK(out.find("a command is required") != std::string::npos);
  CHECK(out.find("index, search, similar") != std::string::npos);
  // Nothing near: no suggestion, still the list.
  CHECK(Pillar("frobnicate", &out) == 2);
  CHECK(out.find("unknown command 'frobnicate'") != std::string::npos);
  CHECK(out.find("did you mean") == std::string::npos);
  CHECK(out.find("index, search, similar") != std::string::npos);
}

TEST_CASE("a mistyped option exits 2 and suggests the nearest option of that command",
          "[cli][conventions]") {
  std::string out;
  CHECK(Pillar("search --limt 3 civilians", &out) == 2);
  CHECK(out.find("pillar search: unknown option '--limt'; did you mean '--limit'?") !=
        std::string::npos);
  CHECK(Pillar("export --fromat csv", &out) == 2);
  CHECK(out.find("did you mean '--format'?") != std::string::npos);
  CHECK(Pillar("report --out=x.html --titel T", &out) == 2);
  CHECK(out.find("did you mean '--title'?") != std::string::npos);
}

TEST_CASE("unquoted query words mean one query joined by a space, as --query and a quoted one do",
          "[cli][conventions]") {
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  nlohmann::json words = RunPillarJson("search early warning --json" + index);
  nlohmann::json quoted = RunPillarJson("search 'early warning' --json" + index);
  nlohmann::json option = RunPillarJson("search --query 'early warning' --format json" + index);
  // A repeatable filter takes one value and leaves the words to the query.
  nlohmann::json filtered = RunPillarJson("search --lang en early warning --format=json" + index);
  CHECK(words["query"] == "early warning");
  CHECK(words["total"].get<size_t>() > 0);
  for (const nlohmann::json* other : {&quoted, &option, &filtered}) {
    CHECK((*other)["query"] == "early warning");
    CHECK((*other)["total"] == words["total"]);
    CHECK((*other)["hits"] == words["hits"]);
  }
  // A negated word among unquoted words stays a query word.
  nlohmann::json negated = RunPillarJson("search protection -violence --json" + index);
  nlohmann::json negated_quoted = RunPillarJson("search 'protection -violence' --json" + index);
  CHECK(negated["query"] == "protection -violence");
  CHECK(negated["total"].get<size_t>() > 0);
  CHECK(negated["hits"] == negated_quoted["hits"]);
  std::string out;
  CHECK(Pillar("search early --query warning", &out) == 2);
  CHECK(out.find("not both") != std::string::npos);
  CHECK(Pillar("search", &out) == 2);
  CHECK(out.find("a query is required") != std::string::npos);
  CHECK(Pillar("search civilians --format yaml", &out) == 2);
  // similar takes --format as well.
  const std::string id = words["hits"][0]["passage_id"];
  nlohmann::json like = RunPillarJson("similar " + ShellQuote(id) + " --format json" + index);
  CHECK(like["hits"] == RunPillarJson("similar " + ShellQuote(id) + " --json" + index)["hits"]);
  CHECK(like["hits"].size() > 0);
}

TEST_CASE("NO_COLOR turns highlighting off on a terminal and --color overrides both ways",
          "[cli][conventions][terminal]") {
  TempDir dir;
  const std::string search = "env PILLAR_CONFIG=/dev/null " + PillarBinary() +
                             " search civilians -n 3 --no-facets --index " +
                             ShellQuote(SampleIndex().string());
  const std::string bold = "\x1b[1;33m";
  std::string out;
  REQUIRE(RunOnPty(dir, search, 100, &out) == 0);
  CHECK(out.find(bold) != std::string::npos);  // a terminal, no NO_COLOR: marked
  REQUIRE(RunOnPty(dir, "env NO_COLOR=1 " + search.substr(4), 100, &out) == 0);
  CHECK(out.find("passages match") != std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);
  REQUIRE(RunOnPty(dir, "env NO_COLOR= " + search.substr(4), 100, &out) == 0);
  CHECK(out.find(bold) != std::string::npos);  // empty NO_COLOR is unset
  REQUIRE(RunOnPty(dir, "env NO_COLOR=1 " + search.substr(4) + " --color=always", 100, &out) == 0);
  CHECK(out.find(bold) != std::string::npos);
  REQUIRE(RunOnPty(dir, search + " --color never", 100, &out) == 0);
  CHECK(out.find('\x1b') == std::string::npos);
  // Not a terminal: plain unless asked.
  REQUIRE(RunCommand(search, &out) == 0);
  CHECK(out.find('\x1b') == std::string::npos);
  REQUIRE(RunCommand(search + " --color=always", &out) == 0);
  CHECK(out.find(bold) != std::string::npos);
  CHECK(RunCommand(search + " --color=sometimes", &out, true) == 2);
}

TEST_CASE(
    "a config file sets defaults that the command line overrides, and a malformed one "
    "exits 2 naming the file and line",
    "[cli][conventions]") {
  TempDir dir;
  std::filesystem::path config =
      dir.Write("pillar.toml", "# defaults for every command\nindex = " + std::string("\"") +
                                   SampleIndex().string() +
                                   "\"\nlimit = 2   # a comment\n\n[similar]\n"
                                   "limit = 1\n");
  const std::string env = "env PILLAR_INDEX= PILLAR_CONFIG=" + ShellQuote(config.string()) + " ";
  std::string out;
  auto hits = [&](const std::string& args) {
    INFO(args);
    REQUIRE(RunCommand(env + PillarBinary() + " " + args, &out) == 0);
    return nlohmann::json::parse(out)["hits"].size();
  };
  CHECK(hits("search civilians --json") == 2);       // index and limit from the config
  CHECK(hits("search civilians --json -n 4") == 4);  // the command line wins
  CHECK(hits("search civilians --json --limit=3") == 3);
  REQUIRE(RunCommand(env + PillarBinary() + " search civilians --json", &out) == 0);
  std::string id = nlohmann::json::parse(out)["hits"][0]["passage_id"];
  CHECK(hits("similar " + ShellQuote(id) + " --json") == 1);  // [similar] wins over the top

  // $XDG_CONFIG_HOME/pillar/config.toml when PILLAR_CONFIG is unset.
  dir.Write("xdg/pillar/config.toml", "limit = 5\nindex = '" + SampleIndex().string() + "'\n");
  REQUIRE(RunCommand("env -u PILLAR_CONFIG PILLAR_INDEX= XDG_CONFIG_HOME=" +
                         ShellQuote((dir.path() / "xdg").string()) + " " + PillarBinary() +
                         " search civilians --json",
                     &out) == 0);
  CHECK(nlohmann::json::parse(out)["hits"].size() == 5);

  struct Bad {
    std::string text;
    std::string message;
  };
  for (const Bad& bad :
       {Bad{"limit = 2\nlimt = 3\n", ":2: unknown key 'limt'; did you mean 'limit'?"},
        Bad{"# x\n\nlimit = two\n", ":3: the value of 'limit' must be"},
        Bad{"limit = 99999999\n", ":1: 'limit' = '99999999' is not valid"},
        Bad{"index = \"unclosed\n", ":1: the string has no closing"},
        Bad{"\n[serach]\nlimit = 1\n", ":2: no command 'serach'; did you mean"},
        Bad{"[docs]\nlimit = 1\n", ":2: pillar docs has no --limit"},
        Bad{"color = \"sometimes\"\n", ":1: 'color' = 'sometimes' is not valid"},
        Bad{"limit = 1\nlimit = 2\n", ":2: 'limit' is set twice"},
        Bad{"just words\n", ":1: expected key = value"}}) {
    INFO(bad.text);
    dir.Write("pillar.toml", bad.text);
    CHECK(RunCommand(env + PillarBinary() + " search civilians", &out, true) == 2);
    CHECK(out.find(config.string() + bad.message) != std::string::npos);
  }
  CHECK(RunCommand("PILLAR_CONFIG=" + ShellQuote((dir.path() / "none.toml").string()) + " " +
                       PillarBinary() + " docs",
                   &out, true) == 2);
  CHECK(out.find("none.toml (from $PILLAR_CONFIG): cannot read it") != std::string::npos);
}

TEST_CASE("help is wrapped to COLUMNS, to the terminal's width, and to 80 columns in a pipe",
          "[cli][conventions][terminal]") {
  TempDir dir;
  std::string out, longest;
  for (const std::string& command :
       {std::string("--help"), std::string("search --help"), std::string("export --help")}) {
    INFO(command);
    REQUIRE(RunCommand("env COLUMNS=60 " + PillarBinary() + " " + command, &out) == 0);
    CHECK(out.find("Options:") != std::string::npos);
    CHECK(LongestLine(out, &longest) <= 60);
    INFO(longest);
    REQUIRE(RunCommand("env -u COLUMNS " + PillarBinary() + " " + command, &out) == 0);
    CHECK(LongestLine(out, &longest) <= 80);
    CHECK(LongestLine(out, &longest) > 60);  // 80 is used, not something narrower
    REQUIRE(RunOnPty(dir, "env -u COLUMNS " + PillarBinary() + " " + command, 70, &out) == 0);
    CHECK(LongestLine(out, &longest) <= 70);
    CHECK(LongestLine(out, &longest) > 60);
  }
  // The unbreakable is left whole.
  REQUIRE(RunCommand("env COLUMNS=40 " + PillarBinary() + " export --help", &out) == 0);
  CHECK(out.find("FORMAT:{jsonl,csv,w3c,csl-json,ris,bibtex,biblatex}") != std::string::npos);
}

TEST_CASE("report and export write to standard output when the output file is -",
          "[cli][conventions]") {
  TempDir dir;
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  const std::string cd = "cd " + ShellQuote(dir.path().string()) + " && ";
  std::string out;
  REQUIRE(RunCommand(cd + PillarBinary() + " report --out -" + index, &out) == 0);
  CHECK(out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(out.find("</html>") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.path() / "-"));

  REQUIRE(RunCommand(cd + PillarBinary() + " report --out r.html --csv -" + index, &out) == 0);
  CHECK(out.rfind("doc_id,title,", 0) == 0);
  CHECK(std::filesystem::exists(dir.path() / "r.html"));
  CHECK(!std::filesystem::exists(dir.path() / "-"));
  CHECK(RunCommand(cd + PillarBinary() + " report --out - --csv -" + index, &out, true) == 2);

  std::string plain;
  REQUIRE(RunCommand(cd + PillarBinary() + " export --format ris" + index, &plain) == 0);
  REQUIRE(RunCommand(cd + PillarBinary() + " export --format ris --out -" + index, &out) == 0);
  CHECK(out == plain);
  CHECK(!plain.empty());
  REQUIRE(RunCommand(cd + PillarBinary() + " export --format ris --out cites.ris" + index, &out) ==
          0);
  CHECK(out.empty());
  std::string file;
  REQUIRE(RunCommand("cat " + ShellQuote((dir.path() / "cites.ris").string()), &file) == 0);
  CHECK(file == plain);
  CHECK(!std::filesystem::exists(dir.path() / "-"));
}

TEST_CASE("search JSON gives code-point offsets beside byte offsets for accented and Arabic text",
          "[cli][conventions]") {
  TempDir dir;
  dir.Write("in/notes.txt",
            "Notes de terrain\n\n"
            "Les r\xC3\xA9"
            "fugi\xC3\xA9s \xC3\xA2g\xC3\xA9s pr\xC3\xA8s de la fronti\xC3\xA8re "
            "re\xC3\xA7oivent une protection renforc\xC3\xA9"
            "e des casques bleus.\n\n"
            "\xD8\xAD\xD9\x85\xD8\xA7\xD9\x8A\xD8\xA9 "                          // himaya
            "\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xD9\x86\xD9\x8A\xD9\x8A\xD9\x86 "  // al-madaniyyin
            "\xD9\x81\xD9\x8A \xD9\x85\xD9\x86\xD8\xA7\xD8\xB7\xD9\x82 "
            "\xD8\xA7\xD9\x84\xD9\x86\xD8\xB2\xD8\xA7\xD8\xB9.\n");
  const std::string index = ShellQuote((dir.path() / "idx").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + index,
                     &out, true) == 0);
  struct Case {
    std::string query;
    std::string word;
  };
  for (const Case& c : {Case{"protection", "protection"},
                        Case{"\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xD9\x86\xD9\x8A\xD9\x8A\xD9\x86",
                             "\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xD9\x86\xD9\x8A\xD9\x8A\xD9\x86"}}) {
    INFO(c.query);
    nlohmann::json result =
        RunPillarJson("search " + ShellQuote(c.query) + " --json --index " + index);
    REQUIRE(result["hits"].size() == 1);
    const nlohmann::json& hit = result["hits"][0];
    for (auto [text_key, bytes_key] :
         {std::pair{"text", "highlights"}, std::pair{"snippet", "snippet_highlights"}}) {
      const std::string text = hit[text_key];
      const nlohmann::json& bytes = hit[bytes_key];
      const nlohmann::json& cps = hit[std::string(bytes_key) + "_cp"];
      REQUIRE(bytes.size() == 1);
      REQUIRE(cps.size() == 1);
      size_t b0 = bytes[0][0], b1 = bytes[0][1], c0 = cps[0][0], c1 = cps[0][1];
      CHECK(text.substr(b0, b1 - b0) == c.word);
      CHECK(SliceCodePoints(text, c0, c1) == c.word);
      CHECK(c0 < b0);  // accents and Arabic letters before it take two bytes each
    }
  }
}

TEST_CASE("pillar index waits while a short write (a tag, pillar serve) holds the index lock",
          "[cli][conventions][index]") {
  TempDir dir;
  dir.Write("in/a.txt", "Early warning networks alert communities before attacks.\n");
  const std::filesystem::path idx = dir.path() / "idx";
  const std::string corpus = ShellQuote((dir.path() / "in").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + corpus + " --index " + ShellQuote(idx.string()),
                     &out, true) == 0);
  dir.Write("in/b.txt", "Unarmed accompaniment of returnees along the road.\n");
  // A writer holds the lock for a moment, as a tag write does, then lets go.
  auto writer = std::make_unique<Xapian::WritableDatabase>((idx / "xapian").string(),
                                                           Xapian::DB_OPEN);
  std::thread release([&writer] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    writer->close();
  });
  int rc = RunCommand(PillarBinary() + " index " + corpus + " --index " + ShellQuote(idx.string()),
                      &out, true);
  release.join();
  INFO(out);
  CHECK(rc == 0);
  CHECK(out.find("another pillar process") == std::string::npos);
  CHECK(RunCommand(PillarBinary() + " search accompaniment --index " + ShellQuote(idx.string()),
                   &out, true) == 0);
  CHECK(out.find("returnees") != std::string::npos);
}

TEST_CASE(
    "a damaged, missing or locked index is reported with what to do, never Xapian's bare "
    "words",
    "[cli][conventions]") {
  TempDir dir;
  dir.Write("in/a.txt", "Early warning networks alert communities before attacks.\n");
  const std::filesystem::path idx = dir.path() / "idx";
  const std::string corpus = ShellQuote((dir.path() / "in").string());
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + corpus + " --index " + ShellQuote(idx.string()),
                     &out, true) == 0);

  {
    // Another writer holds the lock (Xapian keeps it in a child process of this one).
    Xapian::WritableDatabase writer((idx / "xapian").string(), Xapian::DB_OPEN);
    CHECK(RunCommand(PillarBinary() + " index " + corpus + " --index " + ShellQuote(idx.string()) +
                         " --force --lock-wait 0.2",
                     &out, true) == 1);
    CHECK(out.find("being written by another pillar process; wait for it to finish") !=
          std::string::npos);
  }

  for (const auto& entry : std::filesystem::directory_iterator(idx / "xapian")) {
    if (entry.path().extension() == ".glass")
      dir.Write("idx/xapian/" + entry.path().filename().string(), std::string(100, 'x'));
  }
  for (const std::string& command :
       {std::string("search warning"), std::string("docs"), std::string("index ") + corpus}) {
    INFO(command);
    CHECK(RunCommand(PillarBinary() + " " + command + " --index " + ShellQuote(idx.string()), &out,
                     true) == 1);
    CHECK(out.find("the index is damaged or unreadable") != std::string::npos);
    CHECK(out.find("remove " + (idx / "xapian").string() + " and run `pillar index CORPUS") !=
          std::string::npos);
    CHECK(out.find("pillar: " + idx.string() + ": Database") == std::string::npos);
  }

  CHECK(RunCommand(PillarBinary() + " search warning --index " +
                       ShellQuote((dir.path() / "nothing").string()),
                   &out, true) == 2);
  CHECK(out.find("no index here; run `pillar index PATH --index") != std::string::npos);
}

TEST_CASE("a damaged annotation store is reported with what to do, and left in place",
          "[cli][conventions]") {
  TempDir dir;
  dir.Write("in/a.txt", "Early warning networks alert communities before attacks.\n");
  const std::filesystem::path idx = dir.path() / "idx";
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " index " + ShellQuote((dir.path() / "in").string()) +
                         " --index " + ShellQuote(idx.string()),
                     &out, true) == 0);
  for (const std::string& content :
       {std::string("garbage\n"),
        std::string("SQLite format 3") + std::string(1, '\0') + std::string(8192, 'x')}) {
    dir.Write("idx/annotations.sqlite", content);
    CHECK(RunCommand(PillarBinary() + " annotations --index " + ShellQuote(idx.string()), &out,
                     true) != 0);
    CHECK(out.find((idx / "annotations.sqlite").string()) != std::string::npos);
    CHECK(out.find("the only copy of the manual tags and notes: restore it from a backup, or "
                   "move it aside") != std::string::npos);
    std::string kept;
    REQUIRE(RunCommand("cat " + ShellQuote((idx / "annotations.sqlite").string()), &kept) == 0);
    CHECK(kept == content);
  }
}

TEST_CASE("report --out writes a pipe or device in place, a link's file, and refuses a folder",
          "[cli][conventions][bad-input]") {
  namespace fs = std::filesystem;
  TempDir dir;
  const std::string index = " --index " + ShellQuote(SampleIndex().string());
  // A FIFO (as /dev/null is a device): renaming a file over it would replace it, which as
  // root over /dev/null breaks every program on the machine.
  const fs::path fifo = dir.path() / "pipe";
  std::string out;
  REQUIRE(RunCommand("mkfifo " + ShellQuote(fifo.string()), &out) == 0);
  const fs::path got = dir.path() / "got.html";
  CHECK(RunCommand("(timeout 20 cat " + ShellQuote(fifo.string()) + " > " +
                       ShellQuote(got.string()) + " &) ; " + PillarBinary() + " report --out " +
                       ShellQuote(fifo.string()) + index + " && sleep 1",
                   &out, true) == 0);
  CHECK(fs::is_fifo(fs::symlink_status(fifo)));
  CHECK(!fs::exists(dir.path() / "pipe.tmp"));
  std::string html;
  REQUIRE(RunCommand("cat " + ShellQuote(got.string()), &html) == 0);
  CHECK(html.find("<svg") != std::string::npos);
  // A symbolic link: the file it names gets the report, the link stays a link.
  const fs::path real = dir.Write("real.html", "old");
  const fs::path link = dir.path() / "link.html";
  fs::create_symlink(real, link);
  REQUIRE(RunCommand(PillarBinary() + " report --out " + ShellQuote(link.string()) + index,
                     &out, true) == 0);
  CHECK(fs::is_symlink(fs::symlink_status(link)));
  REQUIRE(RunCommand("cat " + ShellQuote(real.string()), &html) == 0);
  CHECK(html.find("<svg") != std::string::npos);
  // A folder is refused, naming it.
  CHECK(RunCommand(PillarBinary() + " report --out " + ShellQuote(dir.path().string()) + index,
                   &out, true) != 0);
  CHECK(out.find("is a folder") != std::string::npos);
}

}  // namespace
}  // namespace pillar
