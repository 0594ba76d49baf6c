#include "query/annotate/manual_tag.h"

#include <unistd.h>
#include <xapian.h>

#include <cstdlib>
#include <optional>

#include "indexer/base/clock.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/layout.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/index/xapian_errors.h"
#include "indexer/segment/analyzer.h"
#include "indexer/tag/rule_tagger.h"
#include "query/search/searcher.h"

namespace pillar {
namespace {

bool GiveUp(const ManualTagRequest& request) { return request.give_up && request.give_up(); }

}  // namespace

Status OpenIndexForWriting(const std::filesystem::path& index_dir,
                           const std::function<bool()>& give_up,
                           const std::function<void()>& on_wait,
                           std::optional<Xapian::WritableDatabase>* db,
                           const std::string& give_up_message) {
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
    if (give_up && give_up()) return Status::IOError(give_up_message);
    try {
      db->emplace(xapian_dir.string(), Xapian::DB_OPEN);
      return Status::Ok();
    } catch (const Xapian::DatabaseLockError&) {
      if (!told && on_wait) on_wait();
      told = true;
      ::usleep(50 * 1000);
    } catch (const Xapian::Error& e) {
      return XapianErrorStatus(index_dir, e);
    }
  }
}

Status ReadLockedPassage(Xapian::WritableDatabase& db, const std::filesystem::path& index_dir,
                         const std::string& passage_id, ResolvedId* resolved_out, Passage* passage,
                         std::string* doc_text) {
  try {
    Result<ResolvedId> resolved = ResolvePassageId(db, passage_id);
    if (!resolved.ok() && resolved.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(resolved.status().message() + " in " + index_dir.string());
    }
    if (!resolved.ok()) return resolved.status();
    *resolved_out = *resolved;
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

Result<ManualTagOutcome> RecordManualTag(const ManualTagRequest& request, const Taxonomy& taxonomy,
                                         const TagModel* model) {
  for (const std::string& id : request.concepts) {
    if (!taxonomy.Find(id)) {
      return Status::InvalidArgument("unknown concept '" + id +
                                     "'; `pillar taxonomy` lists the concept ids");
    }
  }
  ManualTagOutcome outcome;
  Annotation a;
  a.action = request.action;
  a.concepts = request.concepts;

  // Take the index's write lock before reading the passage, and hold it until the index is
  // updated: a `pillar index` that re-indexes the document meanwhile finishes first, and the
  // decision is anchored to, and written over, the passage as it is now. (Read before the
  // lock, an edited document's old passage was written back over the re-indexed one.)
  std::optional<Xapian::WritableDatabase> db;
  Status locked = OpenIndexForWriting(request.index_dir, request.give_up, request.on_wait, &db);
  if (!locked.ok() && GiveUp(request)) return locked;
  if (!locked.ok() && (locked.code() == Status::Code::kNotFound ||
                       locked.code() == Status::Code::kInvalidArgument)) {
    return locked;  // no index here, or a stub of shards: nothing recorded
  }
  Passage& passage = outcome.passage;
  std::string doc_text;
  if (db) {
    Status read = ReadLockedPassage(*db, request.index_dir, request.passage_id, &outcome.resolved,
                                    &passage, &doc_text);
    if (!read.ok()) return read;
  } else {
    // The index cannot be written (read-only, say): the decision is still recorded, from the
    // passage as a reader sees it, and applies when the document is indexed again.
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(request.index_dir);
    if (!searcher.ok()) return searcher.status();
    Result<ResolvedId> resolved = (*searcher)->ResolvePassageId(request.passage_id);
    if (!resolved.ok()) return resolved.status();
    outcome.resolved = *resolved;
    Result<Passage> p = (*searcher)->GetPassage(resolved->id);
    if (!p.ok()) return p.status();
    passage = std::move(p.value());
    Result<std::string> text = (*searcher)->GetDocumentText(passage.doc_id);
    if (!text.ok()) return text.status();
    doc_text = std::move(text.value());
  }
  if (GiveUp(request)) return Status::IOError("given up before the decision was recorded");

  // The store is the record of truth: write there first.
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(request.index_dir));
  if (!store.ok()) return store.status();
  a.anchor = AnnotationStore::MakeAnchor(passage, doc_text);
  a.by = request.by;
  a.when = UtcNow();
  a.note = request.note;
  // Whether every decision before this one shows in the index (kMetaAnnotationsApplied): then
  // this one, applied below, moves that mark on, and the next `pillar index` need not look.
  Result<int64_t> previous = (*store)->LastId();
  if (!previous.ok()) return previous.status();
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
  if (!id.ok()) return id.status();
  outcome.annotation_id = *id;
  // The mark counts changes (decisions recorded, deleted, restored), not decisions: it moves
  // to the change this decision made.
  Result<int64_t> now_last = (*store)->LastId();
  if (!now_last.ok()) return now_last.status();

  // Then bring the index up to date: rule tags from the text, manual decisions on top.
  Result<std::vector<Annotation>> history = (*store)->ForPassage(passage.id);
  if (!history.ok()) return history.status();
  std::vector<Annotation> placed;
  for (Annotation& h : *history) {
    if (!h.orphan) placed.push_back(std::move(h));
  }
  Analyzer analyzer(passage.language);
  RuleTagger tagger(taxonomy);
  if (model) tagger.UseModel(model);
  passage.tags = ApplyManualDecisions(
      tagger.TagPassage(passage, analyzer.Tokenize(passage.text), analyzer), placed);
  if (!db) {
    outcome.not_applied = locked.message();
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
        db->set_metadata(std::string(schema::kMetaAnnotationsApplied), std::to_string(*now_last));
      }
      db->commit();  // the passage and the mark together
      db->close();
    } catch (const Xapian::Error& e) {
      outcome.not_applied = e.get_description();
    }
  }
  return outcome;
}

}  // namespace pillar
