#include "tools/pillar/interrupt.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "tools/pillar/command.h"

namespace pillar::cli {
namespace {

// A lock-free atomic is safe to write from a signal handler (as volatile sig_atomic_t is),
// and the pipeline's threads read it without a data race.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);
// Whether standard error is a terminal, looked up before any signal: a progress line may be
// on it (tools/pillar/progress.h), which the handler's message erases rather than follows.
bool g_stderr_tty = false;

void Say(const char* text, size_t size) {
  static const char kErase[] = "\r\033[K";
  ssize_t ignored = 0;
  if (g_stderr_tty) ignored = ::write(STDERR_FILENO, kErase, sizeof(kErase) - 1);
  ignored = ::write(STDERR_FILENO, text, size);
  (void)ignored;
}

char g_remove[4096] = {0};  // RemoveOnSecondSignal's folder, "" for none

// Empties the folder open as `dir` (then closes it), `depth` levels down at most. Only
// async-signal-safe calls: getdents64 through syscall(2), unlinkat, openat, close.
void EmptyDir(int dir, int depth) {
  alignas(8) char buf[4096];
  for (;;) {
    long n = ::syscall(SYS_getdents64, dir, buf, sizeof(buf));
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      struct Entry {
        uint64_t ino;
        int64_t off;
        unsigned short reclen;
        unsigned char type;
        char name[1];
      };
      const Entry* e = reinterpret_cast<const Entry*>(buf + at);
      at += e->reclen;
      if (e->name[0] == '.' && (e->name[1] == 0 || (e->name[1] == '.' && e->name[2] == 0))) {
        continue;
      }
      if (e->type == DT_DIR) {
        if (depth > 0) {
          int sub = ::openat(dir, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (sub >= 0) EmptyDir(sub, depth - 1);
        }
        ::unlinkat(dir, e->name, AT_REMOVEDIR);
      } else {
        ::unlinkat(dir, e->name, 0);
      }
    }
  }
  ::close(dir);
}

extern "C" void OnInterrupt(int sig) {
  int expected = 0;
  if (g_signal.compare_exchange_strong(expected, sig)) {  // the first: note it, say so
    static const char kFirst[] =
        "pillar: interrupted: finishing what is in hand (interrupt again to stop at once)\n";
    Say(kFirst, sizeof(kFirst) - 1);
    return;
  }
  // The second: leave now. Only async-signal-safe calls here (write, unlinkat, _exit);
  // nothing is flushed or closed, and nothing needs to be: uncommitted work is discarded by
  // design, and the staging shards that held it are removed.
  static const char kMessage[] = "pillar: interrupted again: exiting at once\n";
  Say(kMessage, sizeof(kMessage) - 1);
  if (g_remove[0] != 0) {
    int dir = ::open(g_remove, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir >= 0) {
      EmptyDir(dir, 3);
      ::rmdir(g_remove);
    }
  }
  ::_exit(128 + sig);
}

}  // namespace

void InstallInterruptHandlers() {
  g_stderr_tty = ::isatty(STDERR_FILENO) == 1;
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

void RemoveOnSecondSignal(const std::filesystem::path& dir) {
  const std::string text = dir.string();
  if (text.size() >= sizeof(g_remove)) return;
  std::memcpy(g_remove, text.c_str(), text.size() + 1);
}

const std::atomic<int>& InterruptFlag() { return g_signal; }

int InterruptExitCode() {
  int sig = g_signal.load();
  return sig == 0 ? kExitSomeInputsFailed : 128 + sig;
}

std::string InterruptName() {
  switch (g_signal.load()) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

}  // namespace pillar::cli
