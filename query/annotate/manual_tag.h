#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/status.h"
#include "indexer/index/id_aliases.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/tag_model.h"
#include "indexer/tag/taxonomy.h"

namespace pillar {

// One manual decision on a passage's tags: what `pillar tag` and POST/DELETE
// /api/passages/{id}/tags make.
struct ManualTagRequest {
  std::filesystem::path index_dir;
  std::string passage_id;  // a live id, an old one that moved, or DOC#5
  Annotation::Action action = Annotation::Action::kAdd;
  std::vector<std::string> concepts;
  std::string note;
  std::string by;
  // Polled while another process holds the index's write lock (every 50 ms) and once more
  // before the decision is recorded: true gives up, and nothing is recorded (IOError).
  std::function<bool()> give_up;
  // Called once when the lock is held by another process and the wait starts.
  std::function<void()> on_wait;
};

struct ManualTagOutcome {
  Passage passage;      // with its tags now (rules, model, then every manual decision)
  ResolvedId resolved;  // how passage_id resolved
  int64_t annotation_id = 0;
  // "" when the index shows the decision; else why it could not be updated (the decision is
  // saved in the annotation store and applies at the next `pillar index`).
  std::string not_applied;
};

// Records the decision in the annotation store (the record of truth), then rewrites the
// passage's tags in the index under its write lock, which is taken before the passage is read
// so that a re-index running meanwhile finishes first. InvalidArgument for a concept the
// taxonomy does not know; NotFound for no index or no such passage; IOError when give_up
// said so or a store could not be written.
Result<ManualTagOutcome> RecordManualTag(const ManualTagRequest& request, const Taxonomy& taxonomy,
                                         const TagModel* model);

// Opens the index for writing, waiting while another process writes it: polls every 50 ms,
// calls on_wait once when the wait starts, and looks at give_up between attempts (IOError
// `give_up_message` when it says so). On success *db holds the write lock. InvalidArgument for
// a shard stub (tags are written on the shard that holds the passage); NotFound when there is
// no (finished) index.
Status OpenIndexForWriting(
    const std::filesystem::path& index_dir, const std::function<bool()>& give_up,
    const std::function<void()>& on_wait, std::optional<Xapian::WritableDatabase>* db,
    const std::string& give_up_message = "gave up waiting for the index's write lock");

// Reads passage `passage_id` (any id that resolves: *resolved says how) and its document's
// text from the index `db` holds locked.
Status ReadLockedPassage(Xapian::WritableDatabase& db, const std::filesystem::path& index_dir,
                         const std::string& passage_id, ResolvedId* resolved, Passage* passage,
                         std::string* doc_text);

}  // namespace pillar
