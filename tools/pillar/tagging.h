#pragma once

// What `pillar tag` and `pillar annotations --undo/--delete` share: the index's write lock,
// reading a passage under it, and computing a passage's tags again from its rule tags and the
// manual decisions in the annotation store.

#include <xapian.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/status.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"

namespace pillar::cli {

// $PILLAR_USER, else $USER, else $LOGNAME, else "unknown".
std::string DefaultUser();

// Opens the index for writing, waiting while another pillar process writes it (polling, so
// that SIGINT or SIGTERM can end the wait: the flag is looked at between attempts). On
// success *db holds the write lock. NotFound when there is no (finished) index; IOError when
// interrupted (InterruptFlag() is then set) or when the index cannot be written.
Status LockIndex(const std::filesystem::path& index_dir,
                 std::optional<Xapian::WritableDatabase>* db);

// Reads passage `passage_id` (any id that resolves) and its document's text from the locked
// index `db`.
Status ReadPassage(Xapian::WritableDatabase& db, const std::filesystem::path& index_dir,
                   const std::string& passage_id, Passage* passage, std::string* doc_text);

// The index's taxonomy with its learned model (when one is installed beside it), loaded
// before anything is recorded so that a bad one changes nothing.
struct Tagging {
  Taxonomy taxonomy;
  std::optional<TagModel> model;
  // The rule (and model) tags of `passage` with `history` (its manual decisions, oldest
  // first; orphans skipped) applied on top.
  std::vector<Tag> TagsOf(const Passage& passage, const std::vector<Annotation>& history) const;
};
Result<std::unique_ptr<Tagging>> LoadTagging(const std::filesystem::path& index_dir);

// A key that changes when a passage's tags change in a way a reader sees: concept, source
// and, for manual tags, who decided.
std::vector<std::string> TagsKey(const std::vector<Tag>& tags);

// Computes the tags of each passage in `passage_ids` again from the store (after decisions
// were deleted or restored) and writes those that changed into the index, under its write
// lock, in one commit; when every change before `previous_last` was applied, the index's
// applied mark moves to the store's last change. When the index cannot be written, a warning
// says the change applies at the next `pillar index`. Passages no longer in the index are
// skipped. Returns how many passages changed.
Result<size_t> RetagPassages(const std::filesystem::path& index_dir, AnnotationStore& store,
                             const Tagging& tagging, const std::vector<std::string>& passage_ids,
                             int64_t previous_last);

}  // namespace pillar::cli
