#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/tag.h"

struct sqlite3;

namespace pillar {

// W3C TextQuoteSelector: the passage text and up to 32 code points on each side of it in the
// document's extracted text.
struct QuoteSelector {
  std::string exact;
  std::string prefix;
  std::string suffix;
};

// W3C TextPositionSelector in Unicode code points over the document's extracted text, plus the
// same range in UTF-8 bytes (what Pillar uses internally).
struct PositionSelector {
  int64_t start = 0, end = 0;            // code points
  int64_t byte_start = 0, byte_end = 0;  // bytes
};

// Where an annotation is attached.
struct Anchor {
  std::string passage_id;  // the id it had when made, updated when it re-attaches elsewhere
  std::string doc_id;
  QuoteSelector quote;
  PositionSelector position;
};

// One manual decision about one passage.
struct Annotation {
  int64_t id = 0;
  enum class Action { kAdd, kRemove, kSet };
  Action action = Action::kAdd;
  // kAdd / kRemove: one concept. kSet: the complete reviewed set (possibly empty), which
  // replaces every rule tag and earlier manual decision on that passage.
  std::vector<std::string> concepts;
  Anchor anchor;
  std::string by;
  std::string when;  // ISO 8601 UTC
  std::string note;
  bool orphan = false;  // could not be placed in the current text of its document
  // Why the row could not be read in full (its action or concepts column damaged, e.g. by
  // hand-editing the file), or "" when it was. Such a row is still listed and re-anchored,
  // but its decision is not applied: the other rows are unaffected.
  std::string unreadable;
};

// How an annotation was placed by Reanchor().
struct Placement {
  int64_t annotation_id = 0;
  std::string passage_id;   // "" when orphaned
  bool was_orphan = false;  // orphan before this placement (so kOrphan here is not news)
  enum class How { kSameId, kExactQuote, kFuzzyQuote, kOrphan } how = How::kSameId;
};

// One entry of the change log (schema version 2): who changed which decision, when.
struct Change {
  int64_t id = 0;
  int64_t batch = 0;  // the changes of one command share a batch, and are undone together
  int64_t annotation_id = 0;
  std::string op;  // "record", "delete" or "restore"
  std::string by;
  std::string when;       // ISO 8601 UTC
  int64_t undoes = 0;     // for the changes an undo made: the batch it reversed, else 0
  int64_t undone_by = 0;  // the undo batch that reversed this change, else 0
};

// What UndoLast() reversed.
struct Undone {
  int64_t batch = 0;  // the batch reversed
  // The decisions it deleted (their recording undone) or restored (their deletion undone),
  // as they are now.
  std::vector<Annotation> deleted, restored;
};

// The schema version an AnnotationStore writes (`PRAGMA user_version`); older stores are
// upgraded on Open (version 1: the change log and deletion flag added), newer ones refused.
// OpenReadOnly reads version 1 stores as they are.
inline constexpr int kAnnotationSchemaVersion = 2;

// The SQLite store of manual tags and notes, kept beside the Xapian index (layout.h) and
// never inside it: deleting and rebuilding the index loses nothing here. WAL mode; every
// write is one IMMEDIATE transaction with a busy timeout, so concurrent `pillar tag` processes
// serialise instead of losing writes. Annotations are never deleted by re-indexing: one that
// no longer anchors is marked orphan and kept.
//
// The file holds two tables, `annotations` and the change log `changes` (schema version in
// `PRAGMA user_version`, see kAnnotationSchemaVersion); a deleted decision keeps its row,
// flagged `deleted`, and is left out of every read below; `concepts` is a JSON array of concept ids
// and `placed_how` says how the row was last placed ("recorded", "same-id", "exact-quote",
// "fuzzy-quote", "orphan"). One object may be shared by threads (calls are serialised); separate
// objects and processes on the same file serialise through SQLite's locks.
//
// Errors: IOError when SQLite cannot open, read or write the file (busy for longer than the
// 10 s timeout included), Corruption when the file is not an SQLite database, not an
// annotation store; a row whose action or concepts cannot be read is returned flagged
// (Annotation::unreadable), not as an error; Unsupported for a store written by a
// newer schema. Every message starts with the file name.
class AnnotationStore {
 public:
  // Opens or creates the store file (and its schema); the parent folder must exist. A file
  // that is not a store is refused (Corruption) and left untouched.
  static Result<std::unique_ptr<AnnotationStore>> Open(const std::filesystem::path& file);
  // Opens an existing store for reading only: nothing is written, not even the WAL set-up,
  // so a read-only file, a read-only folder or a full disk still lists. When SQLite cannot
  // take its shared-memory lock there (a WAL store in a folder it may not write), the file is
  // read as immutable: a reader beside a live writer may then miss its latest rows. NotFound
  // when the file does not exist; Record() and the other writes fail with IOError.
  static Result<std::unique_ptr<AnnotationStore>> OpenReadOnly(const std::filesystem::path& file);
  ~AnnotationStore();
  AnnotationStore(const AnnotationStore&) = delete;
  AnnotationStore& operator=(const AnnotationStore&) = delete;

  // Makes the anchor for `passage` from its document's extracted text `doc_text`
  // (REQUIRES: passage.begin <= passage.end <= doc_text.size(), both on code point
  // boundaries). `exact` is passage.text, prefix/suffix the up to 32 code points around the
  // byte range, the position both in code points and in bytes.
  static Anchor MakeAnchor(const Passage& passage, std::string_view doc_text);

  // Records a decision; returns its id (ids grow: a larger id is a later decision). Appends:
  // earlier decisions are kept as history, and the latest decision per (passage, concept)
  // wins (a kSet overrides all before it). An empty `when` is stored as the current UTC time.
  // InvalidArgument when kAdd/kRemove do not name exactly one concept, a concept is empty or
  // not UTF-8, the passage or document id is empty, or a range is reversed.
  // Logged as one change (batch) by annotation.by.
  Result<int64_t> Record(const Annotation& annotation);
  // Records every decision in `annotations` in one transaction, logged as one batch (undone
  // together); returns their ids in order. Nothing is recorded when one is invalid.
  Result<std::vector<int64_t>> RecordAll(const std::vector<Annotation>& annotations);
  // Deletes decision `id` (logged as a change by `by`); returns it as it was. The row is
  // kept, flagged, so that an undo can restore it. NotFound when there is no such decision,
  // InvalidArgument when it is already deleted.
  Result<Annotation> Delete(int64_t id, std::string_view by);
  // Reverses the latest batch of changes made by `by` that is not an undo and not undone
  // yet: recorded decisions are deleted, deleted ones restored; the reversal is logged as a
  // batch of its own. Repeated calls walk further back. NotFound when there is none.
  Result<Undone> UndoLast(std::string_view by);
  // The change log, oldest first (empty for a version 1 store opened read-only).
  Result<std::vector<Change>> Changes() const;
  // The deleted decisions, oldest first (their passages' tags need computing again).
  Result<std::vector<Annotation>> Deleted() const;

  // Every annotation (history included) anchored to document `doc_id`, oldest first.
  Result<std::vector<Annotation>> ForDocument(std::string_view doc_id) const;
  // Every annotation of a passage id, oldest first. Orphans keep the passage id they last
  // had, so they are included here, flagged: callers skip them (see ApplyManualDecisions).
  Result<std::vector<Annotation>> ForPassage(std::string_view passage_id) const;
  // Everything, oldest first (for eval and export).
  Result<std::vector<Annotation>> All() const;
  // The id of the latest change (a decision recorded, deleted or restored; 0 when there is
  // none): it grows with every change, so an index that applied up to it is up to date.
  Result<int64_t> LastId() const;
  // Annotations currently marked orphan, oldest first.
  Result<std::vector<Annotation>> Orphans() const;

  // Re-attaches every annotation of `doc_id` (orphans included, so one whose passage comes
  // back re-attaches) to the document's new passages. In order:
  //   1. kSameId: a passage with the same id whose text equals the quote; selectors refreshed.
  //   2. kExactQuote: the quote found verbatim in `doc_text`; among several occurrences the one
  //      whose surrounding text best matches the stored prefix/suffix, then the nearest to the
  //      old byte position. It attaches to the passage containing the occurrence's first byte;
  //      the quote is kept and its position/prefix/suffix refreshed.
  //   3. kFuzzyQuote: the passage whose text is most similar to the quote, at least 0.8 by
  //      normalised code point edit similarity (ties: nearest to the old position); the
  //      selectors become that passage's (MakeAnchor).
  //   4. kOrphan: flagged orphan, passage id and selectors kept as they were.
  // Returns one Placement per annotation, oldest first. All updates are one transaction.
  // InvalidArgument when a passage's byte range is not inside `doc_text`.
  Result<std::vector<Placement>> Reanchor(std::string_view doc_id,
                                          const std::vector<Passage>& passages,
                                          std::string_view doc_text);

  // Marks every annotation of `doc_id` orphan (its document left the index). Ok when it has
  // none. When `newly` is given, the annotations that were not orphan before are appended.
  Status OrphanDocument(std::string_view doc_id, std::vector<Annotation>* newly = nullptr);

  const std::filesystem::path& file() const { return file_; }

 private:
  AnnotationStore(sqlite3* db, std::filesystem::path file, int version);

  // The rows matching `where` (which may use ?1 bound to `key`), deleted ones left out unless
  // `with_deleted`. REQUIRES: mutex_ held.
  Result<std::vector<Annotation>> Select(std::string_view where, std::string_view key,
                                         bool with_deleted = false) const;
  Result<int64_t> NextBatch() const;  // REQUIRES: mutex_ held, in a write transaction
  Status LogChange(int64_t batch, int64_t annotation_id, const char* op, std::string_view by,
                   const std::string& when, int64_t undoes);

  sqlite3* db_;  // owned; closed by the destructor
  std::filesystem::path file_;
  int version_;               // the schema version of the file (1 only when read-only)
  mutable std::mutex mutex_;  // one transaction at a time on db_
};

// The manual decisions in `history` (oldest first, one passage) applied to that passage's
// automatic tags: adds manual tags, suppresses removed ones, and for a kSet replaces all with
// exactly the reviewed set. Returns the resulting tags (manual ones with source "manual",
// score 1, the note as evidence). Decisions flagged orphan are skipped: they belong to no
// current passage; so are unreadable ones (Annotation::unreadable).
std::vector<Tag> ApplyManualDecisions(const std::vector<Tag>& automatic,
                                      const std::vector<Annotation>& history);

}  // namespace pillar
