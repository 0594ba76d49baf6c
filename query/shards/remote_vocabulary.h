#pragma once

// The stem -> words table of an index made of remote shards. Pillar expands a query's stems
// to the words the index holds with that stem from Xapian's synonym table (docs/schema.md),
// which Xapian 1.4's remote protocol does not carry: a combined database of remote shards
// has no synonyms. This rebuilds the entries a query needs from the shards' vocabulary
// (all-terms listings, which the protocol carries), by the rule the indexer records them
// with: a word goes under a stem when a passage in a language whose stemmer makes that stem of
// it (Analyzer::Stem) holds it. Kept per revision in an in-memory database, so that the query
// code reads it as it reads a local index's synonyms.

#include <xapian.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pillar {

class RemoteVocabulary {
 public:
  // `stem_of(language, word)`: the word's stem in that language, or the word.
  using StemFn = std::function<std::string(const std::string&, const std::string&)>;

  // Adds the entries of `stem` (without the "Z" prefix) read from `db`'s terms, once.
  void Learn(const Xapian::Database& db, const std::string& stem,
             const std::vector<std::string>& languages, const StemFn& stem_of);
  // The words under synonym key `key` ("Z" + stem), sorted (as Xapian lists synonyms).
  std::vector<std::string> Words(const std::string& key) const {
    auto it = table_.find(key);
    return it == table_.end() ? std::vector<std::string>() : it->second;
  }

 private:
  std::map<std::string, std::vector<std::string>> table_;
  std::set<std::string> learned_;
};

}  // namespace pillar
