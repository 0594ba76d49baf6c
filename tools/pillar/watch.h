#pragma once

// `pillar index --watch`: waits on inotify for files to change under the folders given.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "indexer/base/status.h"

namespace pillar::cli {

// Watches folders (recursively) and files for changes with inotify. Blocking: the process
// sleeps in poll() until the kernel reports an event or a second passes (to look at the stop
// flag), so an idle watcher uses no CPU to speak of.
class FolderWatcher {
 public:
  // Watches every folder under each of `roots` (a file root: its folder, for that file's
  // events only). Changes under `ignore` (the index folder, when it lies inside a root) and to
  // hidden files (editors' swap files) are not changes. IOError when inotify cannot be set up.
  static Result<std::unique_ptr<FolderWatcher>> Open(
      const std::vector<std::filesystem::path>& roots, const std::filesystem::path& ignore);
  ~FolderWatcher();
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

  // Waits for a change, then until `quiet` passes without another (debounce: a file saved in
  // several writes, or a folder copied in, is one re-index). Returns true when something
  // changed, false when `stop` became non-zero first.
  bool WaitForChange(std::chrono::milliseconds quiet, const std::atomic<int>& stop);

  size_t watched_folders() const { return watches_.size(); }

 private:
  FolderWatcher(int fd, std::vector<std::filesystem::path> roots, std::filesystem::path ignore);
  // Adds watches on `dir` and every folder below it not yet watched.
  void WatchTree(const std::filesystem::path& dir);
  // Reads the pending events; true when one of them is a change that counts.
  bool Drain();

  int fd_;
  std::vector<std::filesystem::path> roots_;
  std::filesystem::path ignore_;
  std::vector<std::pair<int, std::filesystem::path>> watches_;  // watch descriptor, folder
};

}  // namespace pillar::cli
