#pragma once

#include <atomic>
#include <filesystem>
#include <string>

namespace pillar::cli {

// SIGINT and SIGTERM for the commands that write (`index`, `tag`). The first signal only sets
// a flag (InterruptFlag): the command stops taking new work, commits or abandons what it
// holds, closes the index and exits with InterruptExitCode(). A second signal exits at once
// with the same code: still safe, because Xapian and SQLite commits are atomic and whatever
// was not committed is simply not there.
//
// Installs the handlers (SA_RESTART, so that reads and writes in progress are not failed by
// the signal). Call once, before the work starts.
void InstallInterruptHandlers();

// A folder the second signal removes before it exits (a bulk build's staging shards, which
// can be gigabytes and hold nothing the next run uses). Removed with raw system calls only
// (openat, getdents64, unlinkat), which are safe in a signal handler; at most a few levels
// deep. Call before the work starts; a path longer than 4095 bytes is not registered.
void RemoveOnSecondSignal(const std::filesystem::path& dir);

// 0 until SIGINT or SIGTERM arrives, then the signal's number. Read by the indexing pipeline
// (IndexOptions::stop); written only by the handler.
const std::atomic<int>& InterruptFlag();

// 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as shells report a process
// that a signal ended; kExitSomeInputsFailed if no signal arrived.
int InterruptExitCode();

// "SIGINT" or "SIGTERM" (or "a signal").
std::string InterruptName();

}  // namespace pillar::cli
