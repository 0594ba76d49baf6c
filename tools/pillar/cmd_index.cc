// pillar index PATH... : read, split, tag and index documents.

#include <iostream>
#include <memory>

#include "indexer/index/index_writer.h"
#include "indexer/ingest/ocr.h"
#include "tools/pillar/command.h"
#include "tools/pillar/interrupt.h"
#include "tools/pillar/progress.h"
#include "tools/pillar/render.h"

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
  bool quiet = false;
  bool ocr = false;
  std::string ocr_lang = "eng";
  std::string progress = "auto";
  std::string shard;
};

int RunIndex(const IndexArgs& args) {
  IndexOptions options;
  options.index_dir = args.index_dir;
  if (!args.catalog.empty()) options.catalog = args.catalog;
  if (!args.taxonomy.empty()) options.taxonomy = args.taxonomy;
  options.no_taxonomy = args.no_taxonomy;
  options.jobs = args.jobs;
  options.force = args.force;
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
  ProgressDisplay display(ResolveProgressMode(*mode, args.quiet), std::cerr);
  options.on_progress = [&](const IndexProgress& p) { display.Update(p); };
  Result<IndexSummary> summary = IndexPaths(args.paths, options, [&](const FileReport& r) {
    // The progress line is redrawn under whatever is printed here.
    if (r.outcome == FileOutcome::kFailed || !args.quiet) display.Clear();
    switch (r.outcome) {
      case FileOutcome::kFailed:
        std::cerr << "pillar: " << TerminalSafe(r.path) << ": " << TerminalSafe(r.message) << "\n";
        break;
      case FileOutcome::kIndexed:
        if (!args.quiet)
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
        if (!args.quiet) std::cout << "unchanged " << TerminalSafe(r.path) << "\n";
        break;
      case FileOutcome::kRemoved:
        if (!args.quiet)
          std::cout << "removed   " << TerminalSafe(r.path) << " (" << TerminalSafe(r.doc_id)
                    << ")\n";
        break;
      case FileOutcome::kSkipped:
        if (!args.quiet)
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
  sub->add_flag("--quiet,-q", args->quiet, "Print only errors and the summary");
  sub->add_option("--progress", args->progress,
                  "auto: a live line on standard error when it is a terminal (files, MB, rate, "
                  "ETA, then the commit and merge), none with --quiet or in a pipe; tty: that "
                  "line always; json: one JSON object per line (phase, files, total, bytes, "
                  "total_bytes, elapsed) for scripts; none (default auto)")
      ->type_name("MODE")
      ->check(CLI::IsMember({"none", "auto", "tty", "json"}));
  sub->callback([args] { ExitCode() = RunIndex(*args); });
}

}  // namespace pillar::cli
