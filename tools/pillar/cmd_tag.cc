// pillar tag (PASSAGE_ID | - | --query Q) (--add ID | --remove ID | --set ID,ID...) : manual
// tags, on one passage, on the ids read from standard input, or on every passage a query
// finds.

#include <xapian.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/clock.h"
#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/layout.h"
#include "indexer/index/schema.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/interrupt.h"
#include "tools/pillar/moved_ids.h"
#include "tools/pillar/render.h"
#include "tools/pillar/tagging.h"

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
  std::string query;
  bool query_given = false;
  std::vector<std::string> pillars, docs, langs;
  bool dry_run = false;
};

// The passages a batch names: ids read from standard input, one a line (the first word of
// the line; empty lines and lines starting with '#' are skipped).
std::vector<std::pair<size_t, std::string>> ReadIdsFromStdin() {
  std::vector<std::pair<size_t, std::string>> ids;
  std::string line;
  for (size_t n = 1; std::getline(std::cin, line); ++n) {
    std::string_view t = TrimAscii(line);
    if (t.empty() || t.front() == '#') continue;
    size_t end = t.find_first_of(" \t");
    ids.emplace_back(n, std::string(t.substr(0, end)));
  }
  return ids;
}

// One passage to decide on, as the index holds it now.
struct Target {
  Passage passage;
  std::string doc_text;
  std::vector<Tag> new_tags;
  bool changes = false;
};

int RunTag(const TagArgs& args) {
  InstallInterruptHandlers();
  int actions = !args.add.empty() + !args.remove.empty() + args.set_given;
  if (actions != 1) {
    return Fail(Status::InvalidArgument("give exactly one of --add, --remove or --set"));
  }
  const bool from_stdin = args.passage_id == "-";
  const bool batch = from_stdin || args.query_given;
  if (args.query_given == !args.passage_id.empty()) {
    return Fail(Status::InvalidArgument(
        args.query_given ? "give PASSAGE_ID, '-' (ids on standard input) or --query, not both"
                         : "give PASSAGE_ID, '-' (ids on standard input) or --query Q"));
  }
  if (!args.query_given && (!args.pillars.empty() || !args.docs.empty() || !args.langs.empty())) {
    return Fail(Status::InvalidArgument("--pillar, --doc and --lang filter --query"));
  }
  if (args.dry_run && !batch) {
    return Fail(Status::InvalidArgument("--dry-run goes with --query or '-'"));
  }
  Result<std::unique_ptr<Tagging>> tagging = LoadTagging(args.index_dir);
  if (!tagging.ok()) return Fail(tagging.status());

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
    if (!(*tagging)->taxonomy.Find(id)) {
      return Fail(Status::InvalidArgument("unknown concept '" + id +
                                          "'; `pillar taxonomy` lists the concept ids"));
    }
  }
  a.by = args.by.empty() ? DefaultUser() : args.by;
  a.note = args.note;

  // The passages named: (where, id) pairs; `where` says where a bad id came from.
  std::vector<std::pair<std::string, std::string>> named;
  size_t failed = 0;
  if (args.query_given) {
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
    if (!searcher.ok()) return Fail(searcher.status());
    SearchRequest request;
    request.query = args.query;
    request.pillars = args.pillars;
    request.docs = args.docs;
    request.languages = args.langs;
    request.facets = false;
    request.suggest = false;
    request.any_word_fallback = false;
    Status st = (*searcher)->ForEachPassage(
        request, [&](const Passage& p, const DocumentRecord&) { named.emplace_back("", p.id); });
    if (!st.ok()) return Fail(st);
  } else if (from_stdin) {
    for (auto& [line, id] : ReadIdsFromStdin()) {
      named.emplace_back("standard input line " + std::to_string(line), std::move(id));
    }
  } else {
    named.emplace_back("", args.passage_id);
  }

  // Take the index's write lock before reading the passages, and hold it until the index is
  // updated: a `pillar index` that re-indexes a document meanwhile finishes first, and the
  // decisions are anchored to, and written over, the passages as they are now. (Read before
  // the lock, an edited document's old passage was written back over the re-indexed one.) A
  // dry run changes nothing and reads without the lock.
  std::optional<Xapian::WritableDatabase> db;
  Status locked = Status::IOError("a dry run does not write the index");
  if (!args.dry_run) {
    locked = LockIndex(args.index_dir, &db);
    if (!locked.ok() && InterruptFlag().load() != 0) {
      std::cerr << "pillar: interrupted by " << InterruptName()
                << " while waiting for the index: nothing was recorded\n";
      return InterruptExitCode();
    }
    if (!locked.ok() && (locked.code() == Status::Code::kNotFound ||
                         locked.code() == Status::Code::kInvalidArgument)) {
      return Fail(locked);  // no index here, or a stub of shards: nothing recorded
    }
  }
  std::unique_ptr<Searcher> reader;  // when the index is not locked
  if (!db) {
    // The index cannot be written (read-only, say): the decision is still recorded, from the
    // passage as a reader sees it, and applies when the document is indexed again.
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
    if (!searcher.ok()) return Fail(searcher.status());
    reader = std::move(searcher.value());
  }
  auto read = [&](const std::string& id, Target* t) -> Status {
    if (db) return ReadPassage(*db, args.index_dir, id, &t->passage, &t->doc_text);
    Result<ResolvedId> resolved = reader->ResolvePassageId(id);
    if (!resolved.ok()) return resolved.status();
    NoteMovedId(id, *resolved);
    Result<Passage> p = reader->GetPassage(resolved->id);
    if (!p.ok()) return p.status();
    t->passage = std::move(p.value());
    Result<std::string> text = reader->GetDocumentText(t->passage.doc_id);
    if (!text.ok()) return text.status();
    t->doc_text = std::move(text.value());
    return Status::Ok();
  };

  // The store is the record of truth: it is read for each passage's history, written first.
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  std::vector<Target> targets;
  std::set<std::string> seen;
  for (const auto& [where, id] : named) {
    if (InterruptFlag().load() != 0) break;
    Target t;
    Status st = read(id, &t);
    if (!st.ok()) {
      if (!batch) return Fail(st);
      std::cerr << "pillar: " << where << ": " << TerminalSafe(st.message()) << "\n";
      ++failed;
      continue;
    }
    if (!seen.insert(t.passage.id).second) continue;  // named twice
    Result<std::vector<Annotation>> history = (*store)->ForPassage(t.passage.id);
    if (!history.ok()) return Fail(history.status());
    Annotation next = a;
    next.when = UtcNow();
    history->push_back(next);
    t.new_tags = (*tagging)->TagsOf(t.passage, *history);
    // One named passage is always recorded (a decision confirmed is a decision), and so is
    // --set (marking a passage reviewed is a coder's decision even when it changes no tag);
    // in a batch, passages an --add or --remove does not change are left alone, so the log
    // holds real changes.
    t.changes = !batch || a.action == Annotation::Action::kSet ||
                TagsKey(t.new_tags) != TagsKey(t.passage.tags);
    targets.push_back(std::move(t));
  }
  if (InterruptFlag().load() != 0) {
    std::cerr << "pillar: interrupted by " << InterruptName() << ": nothing was recorded\n";
    return InterruptExitCode();
  }
  size_t changing = 0;
  for (const Target& t : targets) changing += t.changes ? 1 : 0;
  const size_t unchanged = targets.size() - changing;

  if (args.dry_run) {
    for (const Target& t : targets) {
      if (t.changes) {
        std::cout << "would tag " << TerminalSafe(t.passage.id) << ": "
                  << (t.new_tags.empty() ? "no pillars" : TagsLine(t.new_tags)) << "\n";
      }
    }
    std::cout << "dry run: would change " << changing << " of " << targets.size() << " passages ("
              << unchanged << " already so); nothing was recorded\n";
    return failed > 0 ? kExitSomeInputsFailed : kExitOk;
  }

  // Whether every decision before these shows in the index (kMetaAnnotationsApplied): then
  // these, applied below, move that mark on, and the next `pillar index` need not look.
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
  std::vector<Annotation> decisions;
  const std::string now = UtcNow();
  for (const Target& t : targets) {
    if (!t.changes) continue;
    Annotation d = a;
    d.anchor = AnnotationStore::MakeAnchor(t.passage, t.doc_text);
    d.when = now;
    decisions.push_back(std::move(d));
  }
  if (!decisions.empty()) {
    Result<std::vector<int64_t>> ids = (*store)->RecordAll(decisions);
    if (!ids.ok()) return Fail(ids.status());
  }

  // Then bring the index up to date: rule tags from the text, manual decisions on top (the
  // tags computed above, from the same history).
  if (!db) {
    if (!decisions.empty()) {
      std::cerr << "pillar: warning: the tag is saved but the index was not updated ("
                << locked.message() << "); it applies at the next `pillar index`\n";
    }
  } else {
    try {
      for (Target& t : targets) {
        if (!t.changes) continue;
        t.passage.tags = t.new_tags;
        std::string key = std::string(schema::kPrefixId) + t.passage.id;
        Xapian::PostingIterator p = db->postlist_begin(key);
        if (p != db->postlist_end(key)) {
          Xapian::Document doc = db->get_document(*p);
          UpdatePassageTags(doc, t.passage);
          db->replace_document(*p, doc);
        }
      }
      if (all_applied) {
        Result<int64_t> last = (*store)->LastId();
        if (last.ok()) {
          db->set_metadata(std::string(schema::kMetaAnnotationsApplied), std::to_string(*last));
        }
      }
      db->commit();  // the passages and the mark together
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
  for (const Target& t : targets) {
    if (!t.changes) continue;
    std::cout << t.passage.id << ": " << (t.new_tags.empty() ? "no pillars" : TagsLine(t.new_tags))
              << "\n";
  }
  if (batch) {
    std::cout << "changed " << changing << " of " << targets.size() << " passages (" << unchanged
              << " already so)";
    if (failed > 0) std::cout << "; " << failed << " ids not found";
    std::cout << "\n";
  }
  return failed > 0 ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void RegisterTag(CLI::App& app) {
  auto args = std::make_shared<TagArgs>();
  CLI::App* sub = app.add_subcommand(
      "tag",
      "Add, remove or set the pillars of a passage, of passage ids read from standard input "
      "('-'), or of every passage a query finds (--query). Kept in the annotation store beside "
      "the index, logged with who and when, and re-applied on every re-index, even after the "
      "document changes.");
  sub->add_option("PASSAGE_ID", args->passage_id,
                  "e.g. s-res-2719-2023#op-5; '-' reads ids from standard input, one a line");
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
  sub->add_option("--query", args->query,
                  "Decide on every passage this query finds (the search query language; \"\" "
                  "is every passage); passages the decision would not change are left alone")
      ->type_name("Q");
  sub->add_option("--pillar", args->pillars, "With --query: only passages tagged with this concept")
      ->type_name("ID");
  sub->add_option("--doc", args->docs, "With --query: only this document id")->type_name("ID");
  sub->add_option("--lang", args->langs, "With --query: only this language")->type_name("L");
  sub->add_flag("--dry-run", args->dry_run,
                "With --query or '-': say which passages would change, and record nothing");
  sub->callback([args, sub] {
    if (sub->count("--set") > 0) args->set_given = true;
    args->query_given = sub->count("--query") > 0;
    ExitCode() = RunTag(*args);
  });
}

}  // namespace pillar::cli
