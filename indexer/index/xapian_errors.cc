#include "indexer/index/xapian_errors.h"

#include <string>

#include "indexer/index/layout.h"

namespace pillar {

Status XapianErrorStatus(const std::filesystem::path& index_dir, const Xapian::Error& error) {
  const std::string dir = index_dir.string();
  const std::string detail = " (Xapian: " + error.get_description() + ")";
  // Xapian's errors are not polymorphic: their type is told by name.
  const std::string type = error.get_type();
  if (type == "DatabaseLockError") {
    return Status::IOError(dir +
                           ": the index is being written by another pillar process; wait "
                           "for it to finish (or stop it with Ctrl-C), then run this "
                           "again" +
                           detail);
  }
  if (type == "DatabaseModifiedError") {
    return Status::IOError(dir +
                           ": the index changed while it was read (a `pillar index` or "
                           "`pillar tag` committed); run this again" +
                           detail);
  }
  if (type == "DatabaseError" || type == "DatabaseCorruptError" || type == "DatabaseOpeningError" ||
      type == "DatabaseVersionError" || type == "DatabaseNotFoundError" ||
      type == "SerialisationError") {
    return Status::Corruption(
        dir + ": the index is damaged or unreadable. It is rebuilt from the documents: remove " +
        XapianPath(index_dir).string() + " and run `pillar index CORPUS --index " + dir +
        "` (manual tags and notes, in " + AnnotationsPath(index_dir).string() + ", are kept)" +
        detail);
  }
  return Status::IOError(dir + ": the index could not be read" + detail);
}

}  // namespace pillar
