// pillar index PATH... : read, split, tag and index documents.

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "indexer/base/json.h"
#include "indexer/index/index_writer.h"
#include "indexer/ingest/ocr.h"
#include "tools/pillar/command.h"
#include "tools/pillar/interrupt.h"
#include "tools/pillar/progress.h"
#include "tools/pillar/render.h"
#include "tools/pillar/watch.h"

namespace pillar::cli {
namespace {

struct IndexArgs {
  std::vector<std::filesystem::path> paths;
  std::filesystem::path index_dir;
  std::filesystem::path catalog;
  std::filesystem::path taxonomy;
  bool no_taxonomy = false;
  int jobs = 0;
  uint64_t commit_every_mb = 16;
  bool force = false;
  double lock_wait_s = 10;
  bool quiet = false;
  bool ocr = false;
  std::string ocr_lang = "eng";
  std::string progress = "auto";
  bool json = false;
  bool watch = false;
  int debounce_ms = 500;
  std::string shard;
};

// The manual decisions this run orphaned, on stderr: they are kept, but apply to nothing
// until their text comes back (pillar annotations --orphans).
void ReportOrphans(const IndexSummary& summary) {
  for (const OrphanReport& o : summary.orphans) {
    std::cerr << "pillar: " << TerminalSafe(o.path) << ": manual tag #" << o.annotation_id << " ("
              << o.action;
    for (const std::string& c : o.concepts) std::cerr << " " << TerminalSafe(c);
    std::cerr << " by " << TerminalSafe(o.by) << ") on " << TerminalSafe(o.passage_id)
              << " is orphaned: " << o.why
              << "; kept, not applied (pillar annotations --orphans)\n";
  }
}

nlohmann::json SummaryJson(const IndexSummary& summary, const IndexArgs& args) {
  nlohmann::json orphans = nlohmann::json::array();
  for (const OrphanReport& o : summary.orphans) {
    orphans.push_back({{"annotation_id", o.annotation_id},
                       {"passage_id", o.passage_id},
                       {"doc_id", o.doc_id},
                       {"path", o.path},
                       {"action", o.action},
                       {"concepts", o.concepts},
                       {"by", o.by},
                       {"why", o.why}});
  }
  return {{"index", args.index_dir.string()}, {"indexed", summary.indexed},
          {"unchanged", summary.unchanged},   {"removed", summary.removed},
          {"skipped", summary.skipped},       {"failed", summary.failed},
          {"passages", summary.passages},     {"ids_moved", summary.ids_moved},
          {"warnings", summary.warnings},     {"orphans", orphans},
          {"other_shards", summary.other_shards},
          {"stopped", summary.stopped}};
}

// --watch: after the first run, sleeps until files change under the paths, waits until they
// have been quiet for the debounce time, and runs again; until SIGINT or SIGTERM. A stop
// while waiting ends with exit code 0 (the index is as the last run left it, committed); a
// stop during a run with the run's interrupted code.
int Watch(const IndexArgs& args, const std::function<int()>& run) {
  Result<std::unique_ptr<FolderWatcher>> watcher = FolderWatcher::Open(args.paths, args.index_dir);
  if (!watcher.ok()) return Fail(watcher.status());
  std::cerr << "pillar: watching " << (*watcher)->watched_folders()
            << " folders for changes (debounce " << args.debounce_ms
            << " ms); SIGINT or SIGTERM stops\n";
  while ((*watcher)->WaitForChange(std::chrono::milliseconds(args.debounce_ms), InterruptFlag())) {
    run();
    if (InterruptFlag().load() != 0) return InterruptExitCode();
  }
  std::cerr << "pillar: watch stopped by " << InterruptName() << "; the index is up to date as "
            << "of the last run\n";
  return kExitOk;
}

int RunIndex(const IndexArgs& args) {
  IndexOptions options;
  options.index_dir = args.index_dir;
  if (!args.catalog.empty()) options.catalog = args.catalog;
  if (!args.taxonomy.empty()) options.taxonomy = args.taxonomy;
  options.no_taxonomy = args.no_taxonomy;
  options.jobs = args.jobs;
  options.force = args.force;
  options.lock_wait =
      std::chrono::milliseconds(static_cast<int64_t>(std::max(0.0, args.lock_wait_s) * 1000));
  options.commit_every_bytes = args.commit_every_mb << 20;
  options.ocr.enabled = args.ocr;
  options.ocr.languages = args.ocr_lang;
  if (!args.shard.empty()) {
    Result<ShardSpec> shard = ParseShardSpec(args.shard);
    if (!shard.ok()) return Fail(Status::InvalidArgument("--shard: " + shard.status().message()));
    options.shard = *shard;
  }
  InstallInterruptHandlers();
  options.stop = &InterruptFlag();
  // Ctrl-C twice during a bulk build's merge must not leave gigabytes of shards behind.
  RemoveOnSecondSignal(StagingPath(args.index_dir));
  if (args.ocr) {
    Status languages = CheckOcrLanguages(args.ocr_lang);
    if (!languages.ok()) {
      return Fail(
          Status::InvalidArgument("--ocr-lang " + args.ocr_lang + ": " + languages.message()));
    }
  }
  Result<ProgressMode> mode = ParseProgressMode(args.progress);
  if (!mode.ok()) return Fail(mode.status());
  const bool quiet = args.quiet || args.json;  // --json: one object on stdout, nothing else
  ProgressDisplay display(ResolveProgressMode(*mode, quiet), std::cerr);
  options.on_progress = [&](const IndexProgress& p) { display.Update(p); };
  // One run over the paths; with --watch, again after each change.
  auto run = [&]() -> int {
    Result<IndexSummary> summary = IndexPaths(args.paths, options, [&](const FileReport& r) {
      // The progress line is redrawn under whatever is printed here.
      if (r.outcome == FileOutcome::kFailed || !quiet) display.Clear();
      switch (r.outcome) {
        case FileOutcome::kFailed:
          std::cerr << "pillar: " << TerminalSafe(r.path) << ": " << TerminalSafe(r.message)
                    << "\n";
          break;
        case FileOutcome::kIndexed:
          if (!quiet)
            std::cout << "indexed   " << TerminalSafe(r.path) << " (" << TerminalSafe(r.doc_id)
                      << ", " << r.passages << " passages"
                      << (r.ids_moved == 0   ? ""
                          : r.ids_moved == 1 ? ", 1 id moved"
                                             : ", " + std::to_string(r.ids_moved) + " ids moved")
                      << (r.note.empty() ? "" : "; " + TerminalSafe(r.note)) << ")\n";
          else if (!r.note.empty())
            std::cerr << "pillar: note: " << TerminalSafe(r.path) << ": " << TerminalSafe(r.note)
                      << "\n";
          break;
        case FileOutcome::kUnchanged:
          if (!quiet) std::cout << "unchanged " << TerminalSafe(r.path) << "\n";
          break;
        case FileOutcome::kRemoved:
          if (!quiet)
            std::cout << "removed   " << TerminalSafe(r.path) << " (" << TerminalSafe(r.doc_id)
                      << ")\n";
          break;
        case FileOutcome::kSkipped:
          if (!quiet)
            std::cout << "skipped   " << TerminalSafe(r.path) << " (" << TerminalSafe(r.message)
                      << ")\n";
          break;
      }
      std::cout.flush();  // before the progress line comes back below it
      display.Restore();
    });
    display.Clear();
    if (!summary.ok()) return Fail(summary.status());
    for (const std::string& w : summary->warnings)
      std::cerr << "pillar: warning: " << TerminalSafe(w) << "\n";
    ReportOrphans(*summary);
    if (args.json) {
      std::cout << DumpJson(SummaryJson(*summary, args), 2) << "\n";
    } else {
      std::cout << summary->indexed << " indexed, " << summary->unchanged << " unchanged, "
                << summary->removed << " removed, " << summary->skipped << " skipped, "
                << summary->failed << " failed; " << summary->passages << " passages written to "
                << args.index_dir.string();
      if (!args.shard.empty()) {
        std::cout << " (shard " << args.shard << "; " << summary->other_shards
                  << " files left to the other shards)";
      }
      std::cout << "\n";
      if (summary->ids_moved > 0) {
        // Citations and exports made before name the old ids: say that they moved, and that
        // they still work (docs/ids.md).
        std::cout << summary->ids_moved
                  << (summary->ids_moved == 1 ? " passage id moved; the old id still resolves"
                                              : " passage ids moved; the old ids still resolve")
                  << " (pillar show OLD_ID names the new one)\n";
      }
      if (!summary->orphans.empty()) {
        std::cout << summary->orphans.size()
                  << (summary->orphans.size() == 1 ? " manual tag orphaned"
                                                   : " manual tags orphaned")
                  << " by this run (listed on standard error)\n";
      }
    }
    if (InterruptFlag().load() != 0) {
      std::cerr << "pillar: interrupted by " << InterruptName() << ": the " << summary->indexed
                << " files indexed above (" << summary->passages << " passages) are committed; "
                << (summary->stopped ? "the other files were not read, and vanished files not "
                                       "swept: run the same command again to finish"
                                     : "every file had been handled before it stopped")
                << "\n";
      return InterruptExitCode();
    }
    return summary->failed > 0 ? kExitSomeInputsFailed : kExitOk;
  };
  int code = run();
  if (!args.watch || InterruptFlag().load() != 0 || code == kExitUsage) return code;
  return Watch(args, run);
}

}  // namespace

void RegisterIndex(CLI::App& app) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* sub = app.add_subcommand(
      "index",
      "Index files and folders (text, Markdown, HTML, PDF, DOCX, Akoma Ntoso and TEI XML). "
      "Unchanged files are skipped, changed ones re-indexed, vanished ones removed; manual tags "
      "are re-attached.");
  sub->add_option("PATH", args->paths, "Files or folders to index")->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--catalog", args->catalog,
                  "Catalog XML with bibliographic records (default: catalog.xml found in or "
                  "above each PATH)")
      ->type_name("FILE");
  CLI::Option* taxonomy =
      sub->add_option("--taxonomy", args->taxonomy,
                      "SKOS taxonomy with tagging rules (default: $PILLAR_TAXONOMY, else the "
                      "one the index was built with, else corpus/taxonomy/poc.skos.xml). A "
                      "missing or malformed taxonomy stops the run before anything is indexed")
          ->type_name("FILE");
  sub->add_flag("--no-taxonomy", args->no_taxonomy,
                "Index without rule tags (manual tags are still re-attached)")
      ->excludes(taxonomy);
  sub->add_option("--jobs,-j", args->jobs,
                  "Worker threads, and writer threads when building an empty index (default: "
                  "all cores; at most 64)")
      ->type_name("N")
      ->check(CLI::Range(0, 64));
  sub->add_option("--commit-every", args->commit_every_mb,
                  "Into an index that has documents: commit after about this many MB of text "
                  "(default 16; 0 = the whole run is one transaction). A crash keeps every "
                  "committed batch; the next run does the rest. An empty index, or the new "
                  "files of a run that at least doubles the index, is built in shards and "
                  "swapped in whole at the end; at most 1048576")
      ->type_name("MB")
      ->check(CLI::Range(0, 1 << 20));
  CLI::Option* ocr =
      sub->add_flag("--ocr", args->ocr,
                    "Read PDF pages that have no text layer (scanned pages) with Tesseract OCR; "
                    "their passages are marked \"ocr\". Slow: seconds per page. Turning it on "
                    "re-reads the PDFs indexed without it");
  sub->add_option("--ocr-lang", args->ocr_lang,
                  "Tesseract languages for --ocr, joined by '+' (default eng; e.g. eng+fra). "
                  "Each needs its package tesseract-ocr-LANG; name only the languages the scans "
                  "are in: every extra one slows OCR and adds misreadings")
      ->type_name("LANGS")
      ->needs(ocr);
  sub->add_option("--shard", args->shard,
                  "Index only this shard's share of the documents: K of N shards, e.g. 1/2 "
                  "(by a hash of each document's id; every host runs the same command with "
                  "its own K and its own --index, and a re-run moves nothing). Search the "
                  "shards as one index through a stub (pillar shards stub; docs/scaling.md)")
      ->type_name("K/N");
  sub->add_flag("--force", args->force, "Re-index files even when unchanged");
  sub->add_option("--lock-wait", args->lock_wait_s,
                  "Seconds to wait while another pillar process (a tag write, pillar serve) "
                  "holds the index's write lock before giving up (default 10; 0: at once)")
      ->type_name("S")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--quiet,-q", args->quiet, "Print only errors and the summary");
  sub->add_flag("--json", args->json,
                "Print the summary as one JSON object (indexed, unchanged, removed, skipped, "
                "failed, passages, ids_moved, warnings, orphans: the manual tags this run "
                "orphaned) instead of the per-file lines");
  sub->add_option("--progress", args->progress,
                  "auto: a live line on standard error when it is a terminal (files, MB, rate, "
                  "ETA, then the commit and merge), none with --quiet or in a pipe; tty: that "
                  "line always; json: one JSON object per line (phase, files, total, bytes, "
                  "total_bytes, elapsed) for scripts; none (default auto)")
      ->type_name("MODE")
      ->check(CLI::IsMember({"none", "auto", "tty", "json"}));
  CLI::Option* watch = sub->add_flag(
      "--watch", args->watch,
      "After indexing, keep watching the paths (inotify) and index again when files are "
      "changed, added or deleted, once they have been quiet for the debounce time; until "
      "SIGINT or SIGTERM (exit 0 when stopped while waiting)");
  sub->add_option("--debounce", args->debounce_ms,
                  "With --watch: milliseconds without a further change before indexing again "
                  "(default 500; 10 to 600000)")
      ->type_name("MS")
      ->check(CLI::Range(10, 600000))
      ->needs(watch);
  sub->callback([args] { ExitCode() = RunIndex(*args); });
}

}  // namespace pillar::cli
