// pillar tag PASSAGE_ID (--add ID | --remove ID | --set ID,ID...) : manual tags.

#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/clock.h"
#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/layout.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/index/xapian_errors.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"
#include "query/annotate/manual_tag.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/moved_ids.h"
#include "tools/pillar/interrupt.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct TagArgs {
  std::string passage_id;
  std::filesystem::path index_dir;
  std::string add, remove;
  std::vector<std::string> set;
  bool set_given = false;
  std::string note;
  std::string by;
};

std::string DefaultUser() {
  for (const char* var : {"PILLAR_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  return "unknown";
}

// The process that has `lock_file` open, or 0 when none is found. Xapian's writer opens
// its flintlock file and holds an open-file-description lock on it, whose holder
// fcntl(F_GETLK) does not name (l_pid is -1); readers never open it. So the holder is found
// by looking through /proc/PID/fd (processes of other users are not readable and not found).
pid_t LockHolder(const std::filesystem::path& lock_file) {
  struct stat want;
  if (::stat(lock_file.c_str(), &want) != 0) return 0;
  std::error_code ec;
  for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = proc.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    if (pid == ::getpid()) continue;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
      struct stat st;
      if (::stat(fd.path().c_str(), &st) == 0 && st.st_dev == want.st_dev &&
          st.st_ino == want.st_ino) {
        return pid;
      }
    }
  }
  return 0;
}

// "pid 1234 (pillar index corpus)": the command line shortened, or "another process".
std::string DescribeProcess(pid_t pid) {
  if (pid == 0) return "another process";
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!cmdline.empty() && cmdline.back() == '\0') cmdline.pop_back();
  for (char& c : cmdline) {
    if (c == '\0') c = ' ';
  }
  if (cmdline.size() > 60) cmdline = cmdline.substr(0, CharStart(cmdline, 57)) + "...";
  std::string out = "pid " + std::to_string(pid);
  if (!cmdline.empty()) out += " (" + TerminalSafe(cmdline) + ")";
  return out;
}

int RunTag(const TagArgs& args) {
  InstallInterruptHandlers();
  int actions = !args.add.empty() + !args.remove.empty() + args.set_given;
  if (actions != 1) {
    return Fail(Status::InvalidArgument("give exactly one of --add, --remove or --set"));
  }
  std::filesystem::path taxonomy_path;
  {
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
    if (!searcher.ok()) return Fail(searcher.status());
    taxonomy_path = (*searcher)->TaxonomyPath();
  }
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  // The learned model, loaded before anything is recorded so that a bad one changes nothing.
  std::optional<TagModel> model;
  if (std::filesystem::path model_path = ModelPathFor(taxonomy_path); !model_path.empty()) {
    Result<TagModel> loaded = TagModel::Load(model_path);
    if (!loaded.ok()) return Fail(loaded.status());
    model.emplace(std::move(loaded.value()));
  }

  ManualTagRequest request;
  request.index_dir = args.index_dir;
  request.passage_id = args.passage_id;
  if (!args.add.empty()) {
    request.action = Annotation::Action::kAdd;
    request.concepts = {args.add};
  } else if (!args.remove.empty()) {
    request.action = Annotation::Action::kRemove;
    request.concepts = {args.remove};
  } else {
    request.action = Annotation::Action::kSet;
    for (const std::string& id : args.set) {
      if (!TrimAscii(id).empty()) request.concepts.emplace_back(TrimAscii(id));
    }
  }
  request.note = args.note;
  request.by = args.by.empty() ? DefaultUser() : args.by;
  request.give_up = [] { return InterruptFlag().load() != 0; };
  request.on_wait = [&args] {
    // Tests wait for this line to know that `tag` waits for the lock.
    std::cerr << "pillar: waiting for the index lock held by "
              << DescribeProcess(LockHolder(XapianPath(args.index_dir) / "flintlock"))
              << ", which is writing " << args.index_dir.string()
              << " (interrupt to give up; nothing is recorded then)\n";
  };
  Result<ManualTagOutcome> outcome =
      RecordManualTag(request, *taxonomy, model ? &*model : nullptr);
  if (!outcome.ok() && InterruptFlag().load() != 0) {
    std::cerr << "pillar: interrupted by " << InterruptName() << ": nothing was recorded\n";
    return InterruptExitCode();
  }
  if (!outcome.ok()) return Fail(outcome.status());
  NoteMovedId(args.passage_id, outcome->resolved);
  const Passage& passage = outcome->passage;
  if (!outcome->not_applied.empty()) {
    std::cerr << "pillar: warning: the tag is saved but the index was not updated ("
              << outcome->not_applied << "); it applies at the next `pillar index`\n";
  }
  if (InterruptFlag().load() != 0) {
    std::cerr << "pillar: interrupted by " << InterruptName()
              << ": the tag was recorded and applied before it stopped\n";
    return InterruptExitCode();
  }
  std::cout << passage.id << ": " << (passage.tags.empty() ? "no pillars" : TagsLine(passage.tags))
            << "\n";
  return kExitOk;
}

}  // namespace

void RegisterTag(CLI::App& app) {
  auto args = std::make_shared<TagArgs>();
  CLI::App* sub = app.add_subcommand(
      "tag",
      "Add, remove or set the pillars of a passage by hand. Kept in the annotation store beside "
      "the index and re-applied on every re-index, even after the document changes.");
  sub->add_option("PASSAGE_ID", args->passage_id, "e.g. s-res-2719-2023#op-5")->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--add", args->add, "Add this concept")->type_name("ID");
  sub->add_option("--remove", args->remove, "Remove this concept (suppresses a rule tag)")
      ->type_name("ID");
  sub->add_option("--set", args->set,
                  "Mark the passage reviewed with exactly these concepts (\"\" for none)")
      ->delimiter(',')
      ->type_name("ID,ID...")
      ->expected(0, 1000);
  sub->add_option("--note", args->note, "A note kept with the decision")->type_name("TEXT");
  sub->add_option("--by", args->by, "Who decides (default: $PILLAR_USER or $USER)")
      ->type_name("NAME");
  sub->callback([args, sub] {
    if (sub->count("--set") > 0) args->set_given = true;
    ExitCode() = RunTag(*args);
  });
}

}  // namespace pillar::cli
