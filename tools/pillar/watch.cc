#include "tools/pillar/watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pillar::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                             IN_DELETE_SELF | IN_MOVE_SELF;

bool Inside(const fs::path& path, const fs::path& dir) {
  if (dir.empty()) return false;
  auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

fs::path Absolute(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p) : abs;
}

}  // namespace

Result<std::unique_ptr<FolderWatcher>> FolderWatcher::Open(const std::vector<fs::path>& roots,
                                                           const fs::path& ignore) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return Status::IOError(std::string("cannot watch for changes (inotify): ") +
                           std::strerror(errno));
  }
  std::vector<fs::path> absolute;
  for (const fs::path& r : roots) absolute.push_back(Absolute(r));
  std::unique_ptr<FolderWatcher> watcher(new FolderWatcher(fd, absolute, Absolute(ignore)));
  for (const fs::path& root : watcher->roots_) {
    std::error_code ec;
    watcher->WatchTree(fs::is_directory(root, ec) ? root : root.parent_path());
  }
  if (watcher->watches_.empty()) {
    return Status::IOError("cannot watch any of the folders given (inotify: " +
                           std::string(std::strerror(errno)) + ")");
  }
  return watcher;
}

FolderWatcher::FolderWatcher(int fd, std::vector<fs::path> roots, fs::path ignore)
    : fd_(fd), roots_(std::move(roots)), ignore_(std::move(ignore)) {}

FolderWatcher::~FolderWatcher() { ::close(fd_); }

void FolderWatcher::WatchTree(const fs::path& dir) {
  if (Inside(dir, ignore_)) return;
  int wd = inotify_add_watch(fd_, dir.c_str(), kEvents | IN_ONLYDIR);
  if (wd < 0) return;  // gone already, or not readable: the walk reports what matters
  bool known =
      std::any_of(watches_.begin(), watches_.end(), [wd](const auto& w) { return w.first == wd; });
  if (!known) watches_.emplace_back(wd, dir);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec) && !it->is_symlink(type_ec) &&
        it->path().filename().string().front() != '.') {
      WatchTree(it->path());
    }
  }
}

bool FolderWatcher::Drain() {
  bool changed = false;
  alignas(inotify_event) char buffer[16 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) break;  // EAGAIN: nothing more for now
    for (char* at = buffer; at < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        changed = true;  // events were lost: a run finds what changed anyway
        continue;
      }
      auto w = std::find_if(watches_.begin(), watches_.end(),
                            [event](const auto& x) { return x.first == event->wd; });
      if (w == watches_.end()) continue;
      if (event->mask & IN_IGNORED) {
        watches_.erase(w);  // its folder went
        continue;
      }
      if (event->len == 0) {
        changed = true;  // the watched folder itself was moved or deleted
        continue;
      }
      const std::string name = event->name;
      const fs::path path = w->second / name;
      if (name.empty() || name.front() == '.' || Inside(path, ignore_)) continue;
      if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO))) {
        WatchTree(path);  // a new folder: watch it and whatever was put in it already
      }
      changed = true;
    }
  }
  return changed;
}

bool FolderWatcher::WaitForChange(std::chrono::milliseconds quiet, const std::atomic<int>& stop) {
  bool changed = false;
  Clock::time_point last_change{};
  while (stop.load() == 0) {
    // Sleep until an event, the end of the quiet time, or a second (to look at `stop`: a
    // signal may arrive just before poll() starts).
    int timeout_ms = 1000;
    if (changed) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(last_change + quiet - Clock::now());
      if (left.count() <= 0) return true;
      timeout_ms = static_cast<int>(std::min<int64_t>(left.count(), 1000));
    }
    pollfd pfd{fd_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, timeout_ms);
    if (ready > 0 && Drain()) {
      changed = true;
      last_change = Clock::now();
    }
  }
  return false;
}

}  // namespace pillar::cli
