#include "tests/support/test_support.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <sys/wait.h>

namespace pillar::testing {

long PeakRssKb(const std::string& command) {
  const std::string launcher =
      "import resource, subprocess, sys\n"
      "rc = subprocess.run(['/bin/sh', '-c', sys.argv[1]]).returncode\n"
      "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if rc == 0 else -1)\n";
  std::string out;
  if (RunCommand("python3 -c " + ShellQuote(launcher) + " " + ShellQuote(command), &out) != 0) {
    return -1;
  }
  try {
    return std::stol(out);
  } catch (const std::exception&) {
    return -1;
  }
}

std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("PILLAR_SOURCE_DIR")) return env;
  return PILLAR_SOURCE_DIR;
}

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (;;) {
    path_ = base / ("pillar-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::error_code ec;
    if (std::filesystem::create_directory(path_, ec)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::Write(const std::string& name, const std::string& content) const {
  auto p = path_ / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  return p;
}

int RunCommand(const std::string& command, std::string* output, bool merge_stderr) {
  std::string cmd = command + (merge_stderr ? " 2>&1" : "");
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf;
  output->clear();
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output->append(buf.data(), n);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string PillarBinary() { return PILLAR_BINARY; }

std::filesystem::path RealDocsDir() {
  std::filesystem::path dir = SourceDir() / ".." / "shared" / "realdocs";
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir : std::filesystem::path();
}

std::string MakeScannedPdf(const std::filesystem::path& source, int page,
                           const std::filesystem::path& out, int dpi) {
  // pdftoppm writes <prefix>.png with -singlefile; the PNG records the resolution, from
  // which img2pdf sizes the page as the original.
  std::filesystem::path prefix = out.parent_path() / (out.stem().string() + "-scan");
  std::string output;
  std::string p = std::to_string(page);
  int rc = RunCommand("pdftoppm -r " + std::to_string(dpi) + " -f " + p + " -l " + p +
                          " -gray -png -singlefile " + ShellQuote(source.string()) + " " +
                          ShellQuote(prefix.string()) + " && img2pdf " +
                          ShellQuote(prefix.string() + ".png") + " -o " +
                          ShellQuote(out.string()),
                      &output, true);
  std::error_code ec;
  std::filesystem::remove(prefix.string() + ".png", ec);
  return rc == 0 ? std::string() : "pdftoppm | img2pdf failed: " + output;
}

std::string ExtractPdfPage(const std::filesystem::path& source, int page,
                           const std::filesystem::path& out) {
  std::string output, p = std::to_string(page);
  int rc = RunCommand("pdfseparate -f " + p + " -l " + p + " " + ShellQuote(source.string()) +
                          " " + ShellQuote(out.string()),
                      &output, true);
  return rc == 0 ? std::string() : "pdfseparate failed: " + output;
}

std::string JoinPdfs(const std::vector<std::filesystem::path>& parts,
                     const std::filesystem::path& out) {
  std::string command = "pdfunite";
  for (const auto& part : parts) command += " " + ShellQuote(part.string());
  command += " " + ShellQuote(out.string());
  std::string output;
  return RunCommand(command, &output, true) == 0 ? std::string() : "pdfunite failed: " + output;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace pillar::testing

#include "indexer/index/index_writer.h"

namespace pillar::testing {

const std::filesystem::path& SampleIndex() {
  static TempDir* dir = [] {
    auto* d = new TempDir;
    IndexOptions options;
    options.index_dir = d->path() / "index";
    options.taxonomy = SourceDir() / "corpus/taxonomy/poc.skos.xml";
    auto summary = IndexPaths({SourceDir() / "corpus/sample"}, options);
    if (!summary.ok() || summary->failed > 0) {
      std::fprintf(stderr, "sample corpus did not index cleanly\n");
      std::abort();
    }
    std::atexit([] { delete dir; });
    return d;
  }();
  static const std::filesystem::path path = dir->path() / "index";
  return path;
}

}  // namespace pillar::testing
