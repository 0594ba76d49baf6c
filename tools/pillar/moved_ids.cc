#include "tools/pillar/moved_ids.h"

#include <iostream>

#include "tools/pillar/render.h"

namespace pillar::cli {

void NoteMovedId(const std::string& requested, const ResolvedId& resolved) {
  if (resolved.how != ResolvedId::How::kMoved) return;
  std::cerr << "pillar: " << TerminalSafe(requested) << " is now " << TerminalSafe(resolved.id)
            << " (renamed when its document was re-indexed; docs/ids.md)\n";
}

}  // namespace pillar::cli
