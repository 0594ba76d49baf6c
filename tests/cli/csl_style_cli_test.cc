// pillar cite --style / export --style: any CSL style through pandoc's citeproc, our pinpoints
// as CSL locators, checked against pandoc's own rendering of the same CSL-JSON (issue 21,
// point 1).

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

namespace fs = std::filesystem;
using testing::PillarBinary;
using testing::RunCommand;
using testing::SampleIndex;
using testing::ShellQuote;
using testing::TempDir;

const char* kStyles = "/usr/share/citation-style-language/styles/";

std::vector<std::string> Paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += (current.empty() ? "" : " ") + line;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// pandoc's plain output of `markdown` as pillar prints it: the citations (a note style's notes
// without their numbers), a blank line, the bibliography.
std::string PandocReference(const std::string& markdown, const fs::path& items,
                            const std::string& style, const TempDir& dir) {
  fs::path md = dir.Write("reference-" + style + ".md", markdown);
  std::string out;
  REQUIRE(RunCommand("pandoc " + ShellQuote(md.string()) +
                         " -t plain --wrap=none --citeproc --csl " +
                         ShellQuote(kStyles + style + ".csl") + " --bibliography " +
                         ShellQuote(items.string()),
                     &out) == 0);
  std::vector<std::string> citations, bibliography, notes;
  const std::regex note_mark(R"(\[\d+\])"), note(R"(\[\d+\] (.*))");
  std::smatch m;
  size_t n = 0;
  for (const std::string& p : Paragraphs(out)) {
    if (std::regex_match(p, note_mark)) {
      ++n;  // the place of a footnote
    } else if (std::regex_match(p, m, note)) {
      notes.push_back(m[1]);
    } else if (n < 3) {
      citations.push_back(p);
      ++n;
    } else {
      bibliography.push_back(p);
    }
  }
  std::string text;
  for (const std::string& c : notes.empty() ? citations : notes) text += c + "\n";
  text += "\n";
  for (const std::string& b : bibliography) text += b + "\n";
  return text;
}

TEST_CASE(
    "Citations in Chicago APA and OSCOLA styles equal pandoc's own rendering of the same "
    "CSL-JSON and locators",
    "[cli][cite][csl-style]") {
  std::string probe;
  if (RunCommand("command -v pandoc", &probe) != 0 ||
      !fs::exists(std::string(kStyles) + "apa.csl")) {
    WARN("pandoc or citation-style-language-styles missing (tools/bootstrap installs them)");
    return;
  }
  TempDir dir;
  std::string index = " --index " + ShellQuote(SampleIndex().string());
  std::string ids =
      " 's-res-2719-2023#op-5' 'hippo-2015#para-12' "
      "'au-poc-guidelines-2012#para-7-b'";
  std::string items_json;
  REQUIRE(RunCommand(PillarBinary() + " cite" + ids + " --format csl-json" + index, &items_json) ==
          0);
  fs::path items = dir.Write("items.json", items_json);
  // The pinpoints written the way a pandoc user writes them.
  const std::string markdown =
      "[@s_res_2719_2023, para. 5]\n\n[@hippo_2015, para. 12]\n\n"
      "[@au_poc_guidelines_2012, para. 7(b), p. 2]\n";
  for (const std::string style : {"chicago-note-bibliography", "apa", "oscola"}) {
    INFO(style);
    std::string expected = PandocReference(markdown, items, style, dir);
    std::string out;
    REQUIRE(RunCommand(PillarBinary() + " cite" + ids + " --style " + style + index, &out) == 0);
    CHECK(out == expected);
    // The paragraph pinpoint is the CSL locator: each style prints it its own way.
    CHECK(out.find("7(b)") != std::string::npos);
  }
  std::string out;
  REQUIRE(RunCommand(PillarBinary() + " cite 'au-poc-guidelines-2012#para-7-b' --style apa" + index,
                     &out) == 0);
  // pandoc joins an abbreviation to its number with a no-break space, as in its own output.
  CHECK(out.rfind("(African Union Commission, 2012, para. 7(b), p.\u00a02)\n", 0) == 0);

  // A style file given by path works as a name does; export gives the bibliography alone.
  REQUIRE(RunCommand(PillarBinary() + " export --doc hippo-2015 --style " +
                         ShellQuote(std::string(kStyles) + "apa.csl") + index,
                     &out) == 0);
  CHECK(out ==
        "High-Level Independent Panel on Peace Operations. (2015). Report of the High-Level "
        "Independent Panel on Peace Operations on uniting our strengths for peace: politics, "
        "partnership and people (Report No. A/70/95-S/2015/446). United Nations. "
        "https://undocs.org/A/70/95\n");
}

TEST_CASE("A dependent CSL style is rendered with its installed parent without the network",
          "[cli][cite][csl-style]") {
  const std::string dependent = std::string(kStyles) + "dependent/3-biotech.csl";
  std::string probe;
  if (RunCommand("command -v pandoc", &probe) != 0 || !fs::exists(dependent)) {
    WARN("pandoc or citation-style-language-styles missing (tools/bootstrap installs them)");
    return;
  }
  std::string out;
  // 3 Biotech is a journal alias of the Springer basic author-date style.
  REQUIRE(RunCommand(PillarBinary() + " cite 'hippo-2015#para-12' --style 3-biotech --index " +
                         ShellQuote(SampleIndex().string()) + " 2>&1",
                     &out) == 0);
  CHECK(out.rfind("(High-Level Independent Panel on Peace Operations 2015, para. 12)\n", 0) == 0);
}

TEST_CASE("cite --style says clearly when pandoc or the style is missing",
          "[cli][cite][csl-style]") {
  std::string index = " --index " + ShellQuote(SampleIndex().string());
  std::string out;
  // No pandoc on PATH: an environment problem (exit 1), not a usage error.
  CHECK(RunCommand("PATH=/nonexistent " + PillarBinary() + " cite 'hippo-2015#para-12' --style " +
                       ShellQuote(std::string(kStyles) + "apa.csl") + index + " 2>&1",
                   &out) == 1);
  CHECK(out.find("pandoc not found on PATH") != std::string::npos);
  CHECK(RunCommand(
            PillarBinary() + " cite 'hippo-2015#para-12' --style no-such-style" + index + " 2>&1",
            &out) == 2);
  CHECK(out.find("CSL style 'no-such-style' not found") != std::string::npos);
  CHECK(RunCommand(PillarBinary() + " cite 'hippo-2015#para-12' --style apa --format ris" + index +
                       " 2>&1",
                   &out) == 2);
  CHECK(out.find("not with --format") != std::string::npos);
}

}  // namespace
}  // namespace pillar
