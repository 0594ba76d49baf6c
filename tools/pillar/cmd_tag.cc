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

// Opens the index for writing, waiting while another pillar process writes it (polling, so
// that SIGINT or SIGTERM can end the wait: the flag is looked at between attempts). On
// success *db holds the write lock. NotFound when there is no (finished) index; IOError when
// interrupted (InterruptFlag() is then set) or when the index cannot be written.
Status LockIndex(const std::filesystem::path& index_dir,
                 std::optional<Xapian::WritableDatabase>* db) {
  std::filesystem::path xapian_dir = XapianPath(index_dir);
  if (IsShardStub(xapian_dir)) {
    return Status::InvalidArgument(
        index_dir.string() +
        " lists the shards of a partitioned index: tag with --index set to the folder of the "
        "shard that holds the document, on its host (docs/scaling.md, Annotations)");
  }
  if (!HasCommittedRevision(xapian_dir)) {
    return Status::NotFound(index_dir.string() +
                            ": no index here, or it is unfinished; run "
                            "`pillar index PATH --index " +
                            index_dir.string() + "`");
  }
  bool told = false;
  for (;;) {
    if (InterruptFlag().load() != 0) return Status::IOError("interrupted");
    try {
      db->emplace(xapian_dir.string(), Xapian::DB_OPEN);
      return Status::Ok();
    } catch (const Xapian::DatabaseLockError&) {
      if (!told) {
        // Tests wait for this line to know that `tag` waits for the lock.
        std::cerr << "pillar: waiting for the index lock held by "
                  << DescribeProcess(LockHolder(xapian_dir / "flintlock")) << ", which is writing "
                  << index_dir.string() << " (interrupt to give up; nothing is recorded then)\n";
        told = true;
      }
      ::usleep(50 * 1000);
    } catch (const Xapian::Error& e) {
      return XapianErrorStatus(index_dir, e);
    }
  }
}

// Reads passage `passage_id` and its document's text from the locked index `db`.
Status ReadPassage(Xapian::WritableDatabase& db, const std::filesystem::path& index_dir,
                   const std::string& passage_id, Passage* passage, std::string* doc_text) {
  try {
    Result<ResolvedId> resolved = ResolvePassageId(db, passage_id);
    if (!resolved.ok() && resolved.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(resolved.status().message() + " in " + index_dir.string());
    }
    if (!resolved.ok()) return resolved.status();
    NoteMovedId(passage_id, *resolved);
    std::string key = std::string(schema::kPrefixId) + resolved->id;
    Xapian::PostingIterator p = db.postlist_begin(key);
    if (p == db.postlist_end(key)) {
      return Status::NotFound("no passage '" + passage_id + "' in " + index_dir.string());
    }
    Result<Passage> decoded = DecodePassage(db.get_document(*p).get_data());
    if (!decoded.ok()) return decoded.status();
    *passage = std::move(decoded.value());
    *doc_text = db.get_metadata(std::string(schema::kMetaTextPrefix) + passage->doc_id);
    if (doc_text->empty()) {
      return Status::NotFound("no text for document '" + passage->doc_id + "'");
    }
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus(index_dir, e);
  }
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

  Annotation a;
  if (!args.add.empty()) {
    a.action = Annotation::Action::kAdd;
    a.concepts = {args.add};
  } else if (!args.remove.empty()) {
    a.action = Annotation::Action::kRemove;
    a.concepts = {args.remove};
  } else {
    a.action = Annotation::Action::kSet;
    for (const std::string& id : args.set) {
      if (!TrimAscii(id).empty()) a.concepts.emplace_back(TrimAscii(id));
    }
  }
  for (const std::string& id : a.concepts) {
    if (!taxonomy->Find(id)) {
      return Fail(Status::InvalidArgument("unknown concept '" + id +
                                          "'; `pillar taxonomy` lists the concept ids"));
    }
  }

  // Take the index's write lock before reading the passage, and hold it until the index is
  // updated: a `pillar index` that re-indexes the document meanwhile finishes first, and the
  // decision is anchored to, and written over, the passage as it is now. (Read before the
  // lock, an edited document's old passage was written back over the re-indexed one.)
  std::optional<Xapian::WritableDatabase> db;
  Status locked = LockIndex(args.index_dir, &db);
  if (!locked.ok() && InterruptFlag().load() != 0) {
    std::cerr << "pillar: interrupted by " << InterruptName()
              << " while waiting for the index: nothing was recorded\n";
    return InterruptExitCode();
  }
  if (!locked.ok() && (locked.code() == Status::Code::kNotFound ||
                       locked.code() == Status::Code::kInvalidArgument)) {
    return Fail(locked);  // no index here, or a stub of shards: nothing recorded
  }
  Passage passage;
  std::string doc_text;
  if (db) {
    Status read = ReadPassage(*db, args.index_dir, args.passage_id, &passage, &doc_text);
    if (!read.ok()) return Fail(read);
  } else {
    // The index cannot be written (read-only, say): the decision is still recorded, from the
    // passage as a reader sees it, and applies when the document is indexed again.
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
    if (!searcher.ok()) return Fail(searcher.status());
    Result<ResolvedId> resolved = (*searcher)->ResolvePassageId(args.passage_id);
    if (!resolved.ok()) return Fail(resolved.status());
    NoteMovedId(args.passage_id, *resolved);
    Result<Passage> p = (*searcher)->GetPassage(resolved->id);
    if (!p.ok()) return Fail(p.status());
    passage = std::move(p.value());
    Result<std::string> text = (*searcher)->GetDocumentText(passage.doc_id);
    if (!text.ok()) return Fail(text.status());
    doc_text = std::move(text.value());
  }
  if (InterruptFlag().load() != 0) {
    std::cerr << "pillar: interrupted by " << InterruptName() << ": nothing was recorded\n";
    return InterruptExitCode();
  }

  // The store is the record of truth: write there first.
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  a.anchor = AnnotationStore::MakeAnchor(passage, doc_text);
  a.by = args.by.empty() ? DefaultUser() : args.by;
  a.when = UtcNow();
  a.note = args.note;
  // Whether every decision before this one shows in the index (kMetaAnnotationsApplied): then
  // this one, applied below, moves that mark on, and the next `pillar index` need not look.
  Result<int64_t> previous = (*store)->LastId();
  if (!previous.ok()) return Fail(previous.status());
  bool all_applied = false;
  if (db) {
    try {
      all_applied =
          std::strtoll(db->get_metadata(std::string(schema::kMetaAnnotationsApplied)).c_str(),
                       nullptr, 10) == *previous;
    } catch (const Xapian::Error&) {
    }
  }
  Result<int64_t> id = (*store)->Record(a);
  if (!id.ok()) return Fail(id.status());

  // Then bring the index up to date: rule tags from the text, manual decisions on top.
  Result<std::vector<Annotation>> history = (*store)->ForPassage(passage.id);
  if (!history.ok()) return Fail(history.status());
  std::vector<Annotation> placed;
  for (Annotation& h : *history) {
    if (!h.orphan) placed.push_back(std::move(h));
  }
  Analyzer analyzer(passage.language);
  RuleTagger tagger(*taxonomy);
  if (model) tagger.UseModel(&*model);
  passage.tags = ApplyManualDecisions(
      tagger.TagPassage(passage, analyzer.Tokenize(passage.text), analyzer), placed);
  if (!db) {
    std::cerr << "pillar: warning: the tag is saved but the index was not updated ("
              << locked.message() << "); it applies at the next `pillar index`\n";
  } else {
    try {
      std::string key = std::string(schema::kPrefixId) + passage.id;
      Xapian::PostingIterator p = db->postlist_begin(key);
      if (p != db->postlist_end(key)) {
        Xapian::Document doc = db->get_document(*p);
        UpdatePassageTags(doc, passage);
        db->replace_document(*p, doc);
      }
      if (all_applied) {
        db->set_metadata(std::string(schema::kMetaAnnotationsApplied), std::to_string(*id));
      }
      db->commit();  // the passage and the mark together
      db->close();
    } catch (const Xapian::Error& e) {
      std::cerr << "pillar: warning: the tag is saved but the index was not updated ("
                << e.get_description() << "); it applies at the next `pillar index`\n";
    }
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
