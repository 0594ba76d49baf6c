#pragma once

#include <xapian.h>

#include <filesystem>

#include "indexer/base/status.h"

namespace pillar {

// A Xapian error met while opening or reading the index at `index_dir`, as a Status that says
// what happened and what to do about it, never Xapian's bare words: another process writing
// (wait for it), a damaged or unreadable database (it is a cache: remove it and index again;
// the manual tags beside it are kept), an index changed while read (run again). Xapian's own
// description follows in parentheses for a bug report.
Status XapianErrorStatus(const std::filesystem::path& index_dir, const Xapian::Error& error);

}  // namespace pillar
