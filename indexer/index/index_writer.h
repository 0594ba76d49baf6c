#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/index/shard_spec.h"
#include "indexer/ingest/ocr.h"
#include "indexer/segment/passage_splitter.h"

namespace pillar {

// Where a run is, for a live display (tools/pillar/progress.h).
struct IndexProgress {
  enum class Phase {
    kReading,     // reading, splitting, tagging and writing files (files_done of files_total)
    kCommitting,  // committing the index's transaction
    kMerging,     // compacting the shards of a bulk build into the index (`detail`: the table)
    kDone,        // the run is over (called once, when IndexPaths returns a summary)
  };
  Phase phase = Phase::kReading;
  size_t files_done = 0, files_total = 0;     // files handled (any outcome) of those listed
  uint64_t bytes_done = 0, bytes_total = 0;   // their sizes on disk
  std::string detail;
};

struct IndexOptions {
  std::filesystem::path index_dir;  // created when missing (see layout.h)
  // The catalog for every path; when unset, each PATH uses the catalog.xml found by
  // FindCatalogFor(PATH), if any.
  std::optional<std::filesystem::path> catalog;
  // The taxonomy with tagging rules. When unset: $PILLAR_TAXONOMY, else the taxonomy the
  // index was built with (recorded in it), else corpus/taxonomy/poc.skos.xml beside the
  // executable's source tree or in the working folder. IndexPaths refuses the run (nothing
  // indexed) when the chosen taxonomy is missing or malformed, or none is found.
  std::optional<std::filesystem::path> taxonomy;
  bool no_taxonomy = false;  // index with no rule tags, on purpose
  int jobs = 0;        // worker threads for reading, splitting and tagging; 0 = all cores
  bool force = false;  // re-index files even when their content hash is unchanged
  // How long to wait, polling, while another process holds the index's write lock before
  // failing with DatabaseLockError's message: `pillar tag` and pillar serve's tag writes hold
  // it for well under a second, a whole index run much longer. Zero fails at once.
  std::chrono::milliseconds lock_wait{10000};
  // Commit after about this much extracted text (bytes); 0 = one transaction for the run.
  // Xapian keeps a transaction's changes in memory, so this bounds memory on big corpora.
  uint64_t commit_every_bytes = 16ull << 20;
  // Passages each writer of a bulk build (an empty index, or a run that at least doubles
  // it) puts in its first segments before it starts the next (every fourth segment doubles
  // it, to bound how many there are); all are compacted into the index at the end. Small
  // segments keep Xapian's flushes small (docs/performance.md).
  size_t segment_passages = 20000;
  SplitOptions split;
  // OCR of PDF pages without a text layer (off by default). Part of each PDF's fingerprint:
  // turning it on or changing the languages re-reads the PDFs, and only them.
  OcrOptions ocr;
  // When set, read between files: once nonzero (a signal arrived, tools/pillar/interrupt.h),
  // the run takes no new file, writes the files already prepared, commits (an empty index's
  // shards are compacted and swapped in as usual), skips the sweep of vanished files and
  // returns with IndexSummary::stopped. The next run does the rest.
  const std::atomic<int>* stop = nullptr;
  // When set, called on the thread that called IndexPaths: once the files are listed, after
  // each file (in order, after on_file), at each phase change and at the end. Cheap calls are
  // the caller's job: this is called for every file.
  std::function<void(const IndexProgress&)> on_progress;
  // When set, only the files whose documents belong to this shard are indexed
  // (ShardOfDocument of the id the file's catalog record gives, else DocIdForFile); the others
  // are left for the other shards' runs, counted in IndexSummary::other_shards. The shard is
  // recorded in the index: a run with another K/N (or none) into it is refused.
  std::optional<ShardSpec> shard;
};

enum class FileOutcome {
  kIndexed,    // new or changed: its passages were (re)written
  kUnchanged,  // same content hash and catalog record as last time: skipped
  kFailed,     // could not be read or parsed; whatever was indexed before is kept
  kRemoved,    // the file vanished from an indexed folder: its passages were deleted
  kSkipped,    // found in a folder but not a document Pillar reads (e.g. XML of another
               // vocabulary); named on the command line, the same file is kFailed
};

struct FileReport {
  std::string path;
  std::string doc_id;
  FileOutcome outcome = FileOutcome::kIndexed;
  std::string message;  // why it failed (kFailed)
  size_t passages = 0;
  // kIndexed: the coverage warning ("FILE: passages hold 8% of the file's 4,931 words...",
  // indexer/ingest/coverage.h) when the passages hold too little of the file's text, else "".
  // Also added to IndexSummary::warnings and kept in the document record.
  std::string warning;
  // kIndexed: passages of the document's previous version whose ids changed (their old ids
  // now resolve as aliases, indexer/index/id_aliases.h).
  size_t ids_moved = 0;
  // kIndexed: how the file was read when that was a guess, e.g. "read as windows-1252 (not
  // UTF-8 and no encoding declared; ...)", else "". kSkipped: "" (the reason is `message`).
  std::string note;
};

// A manual decision that this run left without a passage (orphaned: kept in the annotation
// store, not applied).
struct OrphanReport {
  int64_t annotation_id = 0;
  std::string passage_id;  // the passage it was attached to
  std::string doc_id;
  std::string path;                   // the file of that document
  std::string action;                 // "add", "remove" or "set"
  std::vector<std::string> concepts;
  std::string by;
  std::string why;  // "its passage text changed" or "its document was removed"
};

struct IndexSummary {
  size_t indexed = 0, unchanged = 0, failed = 0, removed = 0, skipped = 0;
  std::vector<OrphanReport> orphans;  // decisions orphaned by this run (not those before)
  size_t other_shards = 0;             // files left to the other shards (IndexOptions::shard)
  size_t passages = 0;                 // passages written in this run
  size_t ids_moved = 0;                // passage ids that changed (old ids kept as aliases)
  std::vector<std::string> warnings;   // non-fatal problems (e.g. a malformed catalog)
  bool stopped = false;  // IndexOptions::stop ended the run early; what it reports is committed
};

// Indexes every file under `paths` (folders are walked recursively; hidden files, README.*
// and catalog.xml are skipped there, and so are files no reader handles) into
// options.index_dir, in Xapian transactions of about options.commit_every_bytes of text (one
// transaction for runs smaller than that): a crash or kill leaves the index as of the last
// committed batch, every document in it whole; the next run redoes the rest. Unchanged files are skipped by content hash; files that vanished
// from a given folder are swept. `on_file` (optional) is called once per file, in order.
// An index of another schema version is rebuilt from scratch (with a warning in the summary).
// Returns an error only when the run as a whole cannot happen (index locked or unwritable;
// with options.ocr, an OCR language not installed: Unsupported); per-file failures are
// counted in the summary.
Result<IndexSummary> IndexPaths(const std::vector<std::filesystem::path>& paths,
                                const IndexOptions& options,
                                const std::function<void(const FileReport&)>& on_file = {});

// The folder where a bulk build writes its shards (removed when the run ends, and at the start
// of the next run after a kill).
std::filesystem::path StagingPath(const std::filesystem::path& index_dir);

// The id a file gets when no catalog names it: the slug of its file name without extension.
std::string DocIdForFile(const std::filesystem::path& path);

}  // namespace pillar
