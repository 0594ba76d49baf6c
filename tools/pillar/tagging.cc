#include "tools/pillar/tagging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/layout.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/index/xapian_errors.h"
#include "indexer/tag/tag_model.h"
#include "query/annotate/manual_tag.h"
#include "query/search/searcher.h"
#include "tools/pillar/interrupt.h"
#include "tools/pillar/moved_ids.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

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

}  // namespace

std::string DefaultUser() {
  for (const char* var : {"PILLAR_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  return "unknown";
}

Status LockIndex(const std::filesystem::path& index_dir,
                 std::optional<Xapian::WritableDatabase>* db) {
  return OpenIndexForWriting(
      index_dir, [] { return InterruptFlag().load() != 0; },
      [&index_dir] {
        // Tests wait for this line to know that `tag` waits for the lock.
        std::cerr << "pillar: waiting for the index lock held by "
                  << DescribeProcess(LockHolder(XapianPath(index_dir) / "flintlock"))
                  << ", which is writing " << index_dir.string()
                  << " (interrupt to give up; nothing is recorded then)\n";
      },
      db, "interrupted");
}

Status ReadPassage(Xapian::WritableDatabase& db, const std::filesystem::path& index_dir,
                   const std::string& passage_id, Passage* passage, std::string* doc_text) {
  ResolvedId resolved;
  Status read = ReadLockedPassage(db, index_dir, passage_id, &resolved, passage, doc_text);
  if (read.ok()) NoteMovedId(passage_id, resolved);
  return read;
}

std::vector<Tag> Tagging::TagsOf(const Passage& passage,
                                 const std::vector<Annotation>& history) const {
  std::vector<Annotation> placed;
  for (const Annotation& h : history) {
    if (!h.orphan) placed.push_back(h);
  }
  Analyzer analyzer(passage.language);
  RuleTagger tagger(taxonomy);
  if (model) tagger.UseModel(&*model);
  return ApplyManualDecisions(tagger.TagPassage(passage, analyzer.Tokenize(passage.text), analyzer),
                              placed);
}

Result<std::unique_ptr<Tagging>> LoadTagging(const std::filesystem::path& index_dir) {
  std::filesystem::path taxonomy_path;
  {
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(index_dir);
    if (!searcher.ok()) return searcher.status();
    taxonomy_path = (*searcher)->TaxonomyPath();
  }
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return taxonomy.status();
  auto tagging = std::make_unique<Tagging>(Tagging{std::move(taxonomy.value()), std::nullopt});
  if (std::filesystem::path model_path = ModelPathFor(taxonomy_path); !model_path.empty()) {
    Result<TagModel> loaded = TagModel::Load(model_path);
    if (!loaded.ok()) return loaded.status();
    tagging->model.emplace(std::move(loaded.value()));
  }
  return tagging;
}

std::vector<std::string> TagsKey(const std::vector<Tag>& tags) {
  std::vector<std::string> key;
  for (const Tag& t : tags) {
    key.push_back(t.concept_id + '\n' + t.source + '\n' +
                  (t.source == kTagSourceManual ? t.by : ""));
  }
  std::sort(key.begin(), key.end());
  return key;
}

Result<size_t> RetagPassages(const std::filesystem::path& index_dir, AnnotationStore& store,
                             const Tagging& tagging, const std::vector<std::string>& passage_ids,
                             int64_t previous_last) {
  std::optional<Xapian::WritableDatabase> db;
  Status locked = LockIndex(index_dir, &db);
  if (!locked.ok()) {
    if (InterruptFlag().load() != 0 || locked.code() == Status::Code::kNotFound ||
        locked.code() == Status::Code::kInvalidArgument) {
      return locked;
    }
    std::cerr << "pillar: warning: the change is saved but the index was not updated ("
              << locked.message() << "); it applies at the next `pillar index`\n";
    return size_t{0};
  }
  size_t changed = 0;
  try {
    bool all_applied =
        std::strtoll(db->get_metadata(std::string(schema::kMetaAnnotationsApplied)).c_str(),
                     nullptr, 10) == previous_last;
    std::set<std::string> done;
    for (const std::string& id : passage_ids) {
      if (!done.insert(id).second) continue;
      std::string key = std::string(schema::kPrefixId) + id;
      Xapian::PostingIterator p = db->postlist_begin(key);
      if (p == db->postlist_end(key)) continue;  // its document changed or left: nothing to do
      Xapian::Document doc = db->get_document(*p);
      Result<Passage> passage = DecodePassage(doc.get_data());
      if (!passage.ok()) continue;
      Result<std::vector<Annotation>> history = store.ForPassage(id);
      if (!history.ok()) return history.status();
      std::vector<Tag> tags = tagging.TagsOf(*passage, *history);
      if (TagsKey(tags) == TagsKey(passage->tags)) continue;
      passage->tags = std::move(tags);
      UpdatePassageTags(doc, *passage);
      db->replace_document(*p, doc);
      ++changed;
    }
    if (all_applied) {
      Result<int64_t> last = store.LastId();
      if (last.ok()) {
        db->set_metadata(std::string(schema::kMetaAnnotationsApplied), std::to_string(*last));
      }
    }
    db->commit();
    db->close();
  } catch (const Xapian::Error& e) {
    std::cerr << "pillar: warning: the change is saved but the index was not updated ("
              << e.get_description() << "); it applies at the next `pillar index`\n";
  }
  return changed;
}

}  // namespace pillar::cli
