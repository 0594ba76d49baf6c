#include "tests/support/test_support.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <sys/wait.h>

namespace pillar::testing {

std::filesystem::path RealDocsDir() { return SourceDir() / ".." / "shared" / "realdocs"; }


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
