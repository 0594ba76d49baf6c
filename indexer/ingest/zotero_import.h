#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/ingest/extracted_document.h"

namespace pillar {

// Zotero in: a library exported from Zotero as CSL-JSON ("Export Collection..." > CSL JSON, or
// Better BibTeX's Better CSL JSON) or as Better BibTeX (.bib) becomes catalog records
// (catalog.h), matched to the corpus's files. The catalog stays the one exchange point:
// `pillar index` reads it as it reads a hand-written one. docs/citations.md, "Zotero in".

// One item of the export, mapped to Pillar's fields.
struct ZoteroItem {
  std::string key;                 // CSL `id` / BibTeX citation key
  std::string where;               // "item 3" (JSON) or "line 12" (BibTeX), for messages
  DocumentMetadata meta;           // id empty; the fields the item gives
  std::string doi;                 // lowercased, without "https://doi.org/" or "doi:"
  std::vector<std::string> files;  // attachment paths as exported (Zotero storage paths)
};

// A problem with one item: it is left out, the others are read.
struct ZoteroItemError {
  std::string where;
  std::string message;
};

struct ZoteroExport {
  std::vector<ZoteroItem> items;
  std::vector<ZoteroItemError> errors;
};

// Parses CSL-JSON (an array of items, or {"items": [...]}) text. Corruption with line and
// column when the JSON itself is malformed; items that are not objects, or have neither
// title nor attachment, are reported in `errors`.
//   title -> title; author: {"literal"} -> issuer, {"family","given"} -> author ("Given
//   Family; ..."); authority, else publisher, is the issuer when no literal author;
//   number -> symbol; issued (date-parts or raw) -> date; language -> ISO 639-1;
//   type legislation -> resolution, report -> genre (policy, guidelines...) or report,
//   article* / webpage / post* -> article; URL -> url; DOI; file ("a;b") -> files.
Result<ZoteroExport> ParseCslJsonExport(std::string_view text);

// Parses a Better BibTeX (or Zotero BibTeX/BibLaTeX) export: @type{key, field = {..}, ...}.
// Braces and the TeX escapes Zotero writes are undone; a {{double-braced}} author is an
// institution (issuer); `institution`/`publisher` -> issuer when none; number -> symbol;
// date, else year + month -> date; langid/language -> ISO 639-1; url, doi; `file` (BBT
// "path;path", or Zotero's "description:path:mime") -> files. An entry that does not parse
// is reported with its line and the rest is read.
Result<ZoteroExport> ParseBibtexExport(std::string_view text);

// Reads `file` and parses it by its content: JSON when it starts with '[' or '{', else BibTeX.
// IOError when unreadable.
Result<ZoteroExport> LoadZoteroExport(const std::filesystem::path& file);

// How an item was matched to a file.
enum class ZoteroMatch { kAttachment, kDoi, kUrl, kTitle };
std::string_view ZoteroMatchName(ZoteroMatch how);  // "attachment", "DOI", "URL", "title"

struct ZoteroImportOptions {
  std::filesystem::path corpus;   // the folder whose files items are matched to
  std::filesystem::path catalog;  // the catalog to merge with (read when it exists)
};

struct ZoteroImportReport {
  struct Matched {
    std::string key, title;
    std::filesystem::path file;  // the corpus file
    ZoteroMatch how = ZoteroMatch::kAttachment;
    std::string doc_id;             // the catalog id of its record
    bool hand_written = false;      // merged into a record the import did not write
    std::vector<std::string> kept;  // fields of a hand-written record that differ, kept
  };
  std::vector<Matched> matched;
  std::vector<ZoteroItem> unmatched_items;
  // Several items claim one file: the first keeps it; "KEY: file already matched by KEY0".
  std::vector<std::string> conflicts;
  // Corpus files with no catalog record after the import (relative to the corpus).
  std::vector<std::filesystem::path> unmatched_files;
  size_t kept_records = 0;  // records of the old catalog left as they were
  std::string catalog_xml;  // the merged catalog to write
};

// Matches `items` to the files Pillar would index under options.corpus (hidden files,
// README.* and catalog.xml left out), each item by the first that works of: an attachment
// path equal to a corpus file, or whose file name is one corpus file's name; its DOI or URL
// equal to a file's URL; its title equal to a file's title (case, spaces and punctuation
// aside). A file's URL and title are its record's in the old catalog, else what the file says
// about itself (read only when an item needs it). One file takes one item.
//
// The merge keeps every record of the old catalog (and its comments). A record the import
// wrote before (source="zotero") is updated from the item; a hand-written one keeps its
// fields, gets the ones it lacks, and the ones that differ are listed in `kept`. A new
// record's id is the one `pillar index` gives the file without a catalog (DocIdForFile), so
// tags made before the import stay attached. Corruption when the old catalog is malformed
// (nothing is written then); InvalidArgument when the corpus is not a folder.
Result<ZoteroImportReport> ImportZotero(const std::vector<ZoteroItem>& items,
                                        const ZoteroImportOptions& options);

}  // namespace pillar
