#include "tools/pillar/interrupt.h"

#include <signal.h>
#include <unistd.h>

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

extern "C" void OnInterrupt(int sig) {
  int expected = 0;
  if (g_signal.compare_exchange_strong(expected, sig)) {  // the first: note it, say so
    static const char kFirst[] =
        "pillar: interrupted: finishing what is in hand (interrupt again to stop at once)\n";
    Say(kFirst, sizeof(kFirst) - 1);
    return;
  }
  // The second: leave now. Only async-signal-safe calls here (write, _exit); nothing is
  // flushed or closed, and nothing needs to be: uncommitted work is discarded by design.
  static const char kMessage[] = "pillar: interrupted again: exiting at once\n";
  Say(kMessage, sizeof(kMessage) - 1);
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
