#pragma once

#include <filesystem>
#include <string>

namespace pillar::testing {

// The repository root (for corpus/ and tests/fixtures/).
std::filesystem::path SourceDir();

// The published documents beside the repository (../shared/realdocs, see its README). Tests
// that read them skip with a message when it is absent.
std::filesystem::path RealDocsDir();

// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name (creating parent folders) and returns the full path.
  std::filesystem::path Write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// Runs a shell command, returns its exit code and fills *output with stdout (and stderr when
// `merge_stderr`).
int RunCommand(const std::string& command, std::string* output, bool merge_stderr = false);

// `s` in single quotes for /bin/sh, embedded quotes escaped.
std::string ShellQuote(const std::string& s);

// Path of the built `pillar` executable.
std::string PillarBinary();

}  // namespace pillar::testing

namespace pillar::testing {

// An index of corpus/sample built once per test process (in a temp folder removed at exit).
// Tests must not modify it.
const std::filesystem::path& SampleIndex();

}  // namespace pillar::testing
