#pragma once

// Old passage ids that still resolve (docs/ids.md).
//
// When a re-index gives a passage another id (its own text was edited, or the index was made
// with ordinal "#p-7" ids), the old id is recorded as an alias of the new one in the index's
// metadata ("alias:<old id>" -> new id). show, cite, tag and similar resolve an id through
// ResolvePassageId, which also accepts the ways people write a paragraph number ("#5",
// "#para-5", "#op-5", "#5(a)", "#pp3") for the id the document really uses.

#include <xapian.h>

#include <string>
#include <utility>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {

struct PassageText {
  std::string id;
  std::string text;
};

// The old ids of `before` (one version of a document's passages, in order) that `after` (the
// next version) no longer has, each with the new id it became: the passage with the same
// text (NormalizeForId; the k-th repeat of a text goes to its k-th repeat), else the new
// passage most like it (edit similarity >= 0.8, the nearest in order on a tie) among those
// whose ids are new. Old ids with neither are left out: their passage is gone. Deterministic.
std::vector<std::pair<std::string, std::string>> MovedIds(const std::vector<PassageText>& before,
                                                          const std::vector<PassageText>& after);

// The passages `db` holds for document `doc_id`, in document order.
std::vector<PassageText> IndexedPassageTexts(const Xapian::Database& db, const std::string& doc_id);

// Records each (old, new) pair as an alias. An alias chain (a -> b, later b -> c) is followed
// when resolving, so earlier aliases need no rewriting.
void RecordAliases(Xapian::WritableDatabase& db,
                   const std::vector<std::pair<std::string, std::string>>& moves);

struct ResolvedId {
  enum class How {
    kLive,       // the id names a passage of the index
    kMoved,      // an old id: the passage is now `id` (the caller says so on stderr)
    kShorthand,  // a paragraph number written another way ("#5" for "#op-5")
  };
  std::string id;
  How how = How::kLive;
};

// The passage id `requested` stands for. NotFound ("no passage 'X'") when none;
// InvalidArgument when a shorthand matches more than one passage (both named).
Result<ResolvedId> ResolvePassageId(const Xapian::Database& db, const std::string& requested);

// The ids a paragraph-number shorthand may mean, most likely first: "5", "para-5", "op-5",
// "para. 5" -> {"op-5", "para-5"}; "5(a)" -> {"op-5-a", "para-5-a"}; "pp3" -> {"pp-3"};
// "article 5" -> {"art-5"}. Empty for anything else (content ids, footnotes).
std::vector<std::string> ShorthandFragments(const std::string& fragment);

}  // namespace pillar
