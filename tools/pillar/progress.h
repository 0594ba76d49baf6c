#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "indexer/base/status.h"
#include "indexer/index/index_writer.h"

namespace pillar::cli {

// How `pillar index --progress` shows a run.
enum class ProgressMode {
  kNone,  // nothing
  kAuto,  // kTty when standard error is a terminal (and TERM is not "dumb"), else kNone
  kTty,   // one line, redrawn in place, erased at the end
  kJson,  // one JSON object per line, for scripts
};

// "none" | "auto" | "tty" | "json".
Result<ProgressMode> ParseProgressMode(const std::string& text);

// kAuto resolved against standard error; `quiet` (--quiet) turns kAuto off, as git does.
ProgressMode ResolveProgressMode(ProgressMode mode, bool quiet);

// Shows IndexProgress on `out` (standard error). Redraws at most every kInterval, and at
// once when the phase changes or the line was erased for other output (Clear), so that a
// run of many small files costs little to watch.
//
// kTty: "indexing  812/3,319 files  48.2/200.0 MB  1.3 MB/s  ETA 1:52", then "committing" and
// "merging the index (postlist)"; erased at the end.
// kJson: {"phase":"reading","files":812,"total":3319,"bytes":50541234,"total_bytes":...,
// "elapsed":37.2}, the same throttling, and a last line with phase "done".
class ProgressDisplay {
 public:
  static constexpr std::chrono::milliseconds kInterval{250};

  ProgressDisplay(ProgressMode mode, std::ostream& out);
  ~ProgressDisplay() { Clear(); }

  void Update(const IndexProgress& progress);
  // Erases the line (kTty) so that other output can be written; Restore (or the next Update)
  // draws it again.
  void Clear();
  // Draws the last line again after Clear. The writer can be busy for a while between files
  // (a bulk build waits for its shard writers after a file is reported), and without this the
  // line would be missing from the screen all that time.
  void Restore();

 private:
  using Clock = std::chrono::steady_clock;
  std::string TtyLine(const IndexProgress& p, double elapsed) const;
  std::string Fitted(std::string line) const;
  std::string JsonLine(const IndexProgress& p, double elapsed) const;

  ProgressMode mode_;
  std::ostream& out_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::time_point::min();
  IndexProgress::Phase last_phase_ = IndexProgress::Phase::kDone;
  std::string last_detail_;
  bool shown_ = false;  // kTty: a line is on the screen
  std::string line_;    // kTty: the last line drawn
  size_t columns_ = 80;
};

}  // namespace pillar::cli
