#pragma once

#include <string>

#include "indexer/index/id_aliases.h"

namespace pillar::cli {

// Says on stderr that an id the user gave has moved ("pillar: s-res-2719-2023#p-7 is now
// s-res-2719-2023#p-3f2a9c"), so that they can update what they cite; nothing for a live id or
// a paragraph-number shorthand. Standard output stays as it would be for the new id.
void NoteMovedId(const std::string& requested, const ResolvedId& resolved);

}  // namespace pillar::cli
