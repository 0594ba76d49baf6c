#include "query/shards/remote_vocabulary.h"

#include "indexer/index/schema.h"

namespace pillar {

void RemoteVocabulary::Learn(const Xapian::Database& db, const std::string& stem,
                             const std::vector<std::string>& languages, const StemFn& stem_of) {
  if (stem.empty() || !learned_.insert(stem).second) return;
  // A word with this stem starts with it, but for the stem's last letter (English "happi"
  // of "happy", French "protég" of "protégé"): list the words with the stem less one letter.
  size_t keep = stem.size() > 3 ? stem.size() - 1 : stem.size();
  while (keep > 0 && (static_cast<unsigned char>(stem[keep]) & 0xC0) == 0x80) --keep;
  const std::string prefix = stem.substr(0, keep);
  std::vector<std::string>& words = table_[std::string(schema::kPrefixStem) + stem];
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const std::string word = *t;
    if (word == stem || word.empty() || (word[0] >= 'A' && word[0] <= 'Z')) continue;
    // The indexer stems each passage's words in the passage's language: the word is filed
    // under this stem when a passage in a language whose stemmer gives it holds the word.
    std::vector<Xapian::Query> giving;
    for (const std::string& language : languages) {
      if (stem_of(language, word) == stem) {
        giving.emplace_back(std::string(schema::kPrefixLang) + language);
      }
    }
    if (giving.empty()) continue;
    bool held = giving.size() == languages.size();
    if (!held) {
      Xapian::Enquire enquire(db);
      enquire.set_query(
          Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(word),
                        Xapian::Query(Xapian::Query::OP_OR, giving.begin(), giving.end())));
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      held = !enquire.get_mset(0, 1).empty();
    }
    if (held) words.push_back(word);  // allterms lists them sorted
  }
}

}  // namespace pillar
