#pragma once

// Filters checked against the index, so that a filter never fails silently: a value the index
// does not hold (`--lang FR`, `type:Resolution`, `org:"African Union"`, `--pillar un-tier-4`)
// is either mapped to the value the index holds or refused with the nearest valid values, and
// a field the query language does not have (`author:mandela`) is refused with the known ones.

#include <xapian.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {

class Taxonomy;

// The fields of the query language (docs/query.md, Fields), in the order they are listed to a
// user who typed an unknown one.
const std::vector<std::string_view>& QueryFieldNames();

// Byte ranges [begin, end) of `query` that are body words: outside field names and field
// values (`lang:fr`, `org:"African Union"`), operators and document symbols. Phrases count
// (their words are body words). What "did you mean" may correct.
std::vector<std::pair<size_t, size_t>> BodyRanges(std::string_view query);

// Reads the index lazily: a value the index holds costs one term lookup; the lists of values
// (for case-insensitive matches and the nearest values of an error) and the taxonomy are read
// on the first miss and kept. One per database revision: `db` must outlive it and stay at the
// revision it was created at (Searcher drops it when the revision changes).
class FilterCheck {
 public:
  // `taxonomy_path`: the taxonomy the index was tagged with, for concept ids that no passage
  // carries (valid, they just match nothing); read only when such an id is asked for.
  FilterCheck(const Xapian::Database& db, std::filesystem::path taxonomy_path);
  ~FilterCheck();

  // The databases whose metadata holds the document records, for a title given as a doc
  // filter: each shard of a sharded index (Xapian reads a combined database's metadata from
  // its first shard only). By default `db` alone.
  void SetDocumentSources(std::vector<Xapian::Database> sources) {
    sources_ = std::move(sources);
  }

  // The value of filter field `field` ("doc", "org", "type", "lang", "pillar") as the index
  // holds it. Accepted: the value itself; any other case of it; for org, the issuing body as
  // printed (its slug: "African Union" -> "african-union"); for doc, a document symbol
  // ("S/RES/2719 (2023)") or a title (any case); for pillar, a concept id of the taxonomy even
  // if no passage carries it, or a concept's label when only one concept has it.
  // InvalidArgument otherwise, naming `where` (the option, or "in the query"), the value and
  // the nearest valid values.
  Result<std::string> Resolve(std::string_view field, const std::string& value,
                              std::string_view where);

  // Resolves every value of `values` in place (see Resolve).
  Status ResolveAll(std::string_view field, std::vector<std::string>* values,
                    std::string_view where);

  // Checks the fields of `text`, a query as PrepareQuery returns it, and returns it with
  // filter values as the index holds them. InvalidArgument for an unknown field (listing the
  // known ones), an unknown filter value (as Resolve), or a single year no document has
  // (listing the nearest years of the index). Field names are matched in any case (`Lang:fr`).
  // Not fields: quoted text, a URL (`http://...`), times (`10:30`), symbols.
  Result<std::string> CheckQuery(const std::string& text);

 private:
  // Every value of `field` in the index (its terms, prefix removed), read once.
  const std::vector<std::string>& Values(std::string_view field);
  // The taxonomy, loaded on first use; nullptr when it cannot be read.
  const Taxonomy* LoadedTaxonomy();
  std::optional<std::string> DocBySymbolOrTitle(const std::string& value);
  std::string NearestList(std::string_view field, const std::string& value);

  const Xapian::Database& db_;
  std::vector<Xapian::Database> sources_;
  std::filesystem::path taxonomy_path_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::unique_ptr<Taxonomy> taxonomy_;
  bool taxonomy_tried_ = false;
};

}  // namespace pillar
