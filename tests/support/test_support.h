#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pillar::testing {

// The repository root (for corpus/ and tests/fixtures/).
std::filesystem::path SourceDir();

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

// Runs `command` through /bin/sh and returns its peak resident set size in KB, or -1 when it
// failed. Measured from a small python3 launcher (wait4's ru_maxrss), not from a fork of the
// test process: a child's peak includes the memory of the process it was forked from before
// its exec, and the test process may be large.
long PeakRssKb(const std::string& command);

// True when the tests (and the pillar binary beside them) are built with AddressSanitizer,
// whose shadow memory and quarantine make resident-memory bounds meaningless.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderSanitizers = true;
#else
inline constexpr bool kUnderSanitizers = false;
#endif

// The real published documents (../shared/realdocs beside the source tree), or an empty path
// when that folder is absent: tests that use them skip with a message.
std::filesystem::path RealDocsDir();

// Writes to `out` an image-only PDF of page `page` (1-based) of `source`, as a scanner makes
// one: the page rasterised in grey at `dpi` (pdftoppm) and wrapped as a PDF of the same size
// (img2pdf), with no text layer. Returns "" on success, else the failing command's output.
std::string MakeScannedPdf(const std::filesystem::path& source, int page,
                           const std::filesystem::path& out, int dpi = 200);

// Writes to `out` page `page` (1-based) of `source` as a PDF of its own (pdfseparate).
std::string ExtractPdfPage(const std::filesystem::path& source, int page,
                           const std::filesystem::path& out);

// Joins `parts` in order into `out` (pdfunite). Returns "" on success, else the output.
std::string JoinPdfs(const std::vector<std::filesystem::path>& parts,
                     const std::filesystem::path& out);

}  // namespace pillar::testing

namespace pillar::testing {

// An index of corpus/sample built once per test process (in a temp folder removed at exit).
// Tests must not modify it.
const std::filesystem::path& SampleIndex();

}  // namespace pillar::testing
