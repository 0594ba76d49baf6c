#include "tools/pillar/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

namespace pillar::cli {
namespace {

// 3319 -> "3,319".
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
}

// Seconds as "m:ss" or "h:mm:ss".
std::string Duration(double seconds) {
  long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

const char* PhaseName(IndexProgress::Phase phase) {
  switch (phase) {
    case IndexProgress::Phase::kReading: return "reading";
    case IndexProgress::Phase::kCommitting: return "committing";
    case IndexProgress::Phase::kMerging: return "merging";
    case IndexProgress::Phase::kDone: return "done";
  }
  return "reading";
}

}  // namespace

Result<ProgressMode> ParseProgressMode(const std::string& text) {
  if (text == "none") return ProgressMode::kNone;
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "tty") return ProgressMode::kTty;
  if (text == "json") return ProgressMode::kJson;
  return Status::InvalidArgument("--progress " + text + ": give none, auto, tty or json");
}

ProgressMode ResolveProgressMode(ProgressMode mode, bool quiet) {
  if (mode != ProgressMode::kAuto) return mode;
  if (quiet || ::isatty(STDERR_FILENO) != 1) return ProgressMode::kNone;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return ProgressMode::kNone;
  return ProgressMode::kTty;
}

ProgressDisplay::ProgressDisplay(ProgressMode mode, std::ostream& out) : mode_(mode), out_(out) {
  winsize size{};
  if (mode_ == ProgressMode::kTty && ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 20) {
    columns_ = size.ws_col;
  }
}

void ProgressDisplay::Update(const IndexProgress& progress) {
  if (mode_ == ProgressMode::kNone || mode_ == ProgressMode::kAuto) return;
  Clock::time_point now = Clock::now();
  bool changed = progress.phase != last_phase_ || progress.detail != last_detail_;
  if (mode_ == ProgressMode::kTty && !changed && shown_ && now - last_ < kInterval) {
    // Not drawn now, but kept current for Restore after the next printed line.
    line_ = Fitted(TtyLine(progress, std::chrono::duration<double>(now - start_).count()));
    return;
  }
  // A line erased for other output (Clear) comes back at once: it stays under that output.
  bool erased =
      mode_ == ProgressMode::kTty && !shown_ && last_phase_ != IndexProgress::Phase::kDone;
  if (!changed && !erased && now - last_ < kInterval) return;
  last_ = now;
  last_phase_ = progress.phase;
  last_detail_ = progress.detail;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (mode_ == ProgressMode::kJson) {
    out_ << JsonLine(progress, elapsed) << '\n' << std::flush;
    return;
  }
  if (progress.phase == IndexProgress::Phase::kDone) {
    Clear();
    line_.clear();
    return;
  }
  Clear();
  line_ = Fitted(TtyLine(progress, elapsed));
  Restore();
}

std::string ProgressDisplay::Fitted(std::string line) const {
  // A line that wraps cannot be redrawn in place with "\r". (ASCII only: one byte a column.)
  if (line.size() > columns_ - 1) line.resize(columns_ - 1);
  return line;
}

void ProgressDisplay::Restore() {
  if (mode_ != ProgressMode::kTty || shown_ || line_.empty()) return;
  out_ << "\r\033[K" << line_ << std::flush;
  shown_ = true;
}

void ProgressDisplay::Clear() {
  if (!shown_) return;
  out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

std::string ProgressDisplay::TtyLine(const IndexProgress& p, double elapsed) const {
  switch (p.phase) {
    case IndexProgress::Phase::kReading: {
      const double mb = 1024.0 * 1024.0;
      std::string line = "indexing  " + Grouped(p.files_done) + "/" + Grouped(p.files_total) +
                         " files  " + Fixed1(static_cast<double>(p.bytes_done) / mb) + "/" +
                         Fixed1(static_cast<double>(p.bytes_total) / mb) + " MB";
      if (elapsed >= 1.0 && p.bytes_done > 0) {
        double rate = static_cast<double>(p.bytes_done) / elapsed;  // bytes per second
        line += "  " + Fixed1(rate / mb) + " MB/s";
        if (p.bytes_total > p.bytes_done) {
          line += "  ETA " + Duration(static_cast<double>(p.bytes_total - p.bytes_done) / rate);
        }
      }
      return line + "  " + Duration(elapsed);
    }
    case IndexProgress::Phase::kCommitting:
      return "committing " + Grouped(p.files_done) + " files  " + Duration(elapsed);
    case IndexProgress::Phase::kMerging:
      return "merging the index" + (p.detail.empty() ? "" : " (" + p.detail + ")") + "  " +
             Duration(elapsed);
    case IndexProgress::Phase::kDone:
      return "";
  }
  return "";
}

std::string ProgressDisplay::JsonLine(const IndexProgress& p, double elapsed) const {
  nlohmann::json j;
  j["phase"] = PhaseName(p.phase);
  j["files"] = p.files_done;
  j["total"] = p.files_total;
  j["bytes"] = p.bytes_done;
  j["total_bytes"] = p.bytes_total;
  j["elapsed"] = std::round(elapsed * 1000.0) / 1000.0;
  if (!p.detail.empty()) j["table"] = p.detail;
  return j.dump();
}

}  // namespace pillar::cli
