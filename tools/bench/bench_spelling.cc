// bench_spelling: what Xapian's spelling correction would cost a Pillar index, and what it
// suggests, beside Pillar's own "did you mean" (query/search/spelling.h). Measured to choose
// between them (docs/query.md, "Spelling data, measured"); not used by Pillar itself.
//
//   bench_spelling XAPIAN_DIR WORD...
//       XAPIAN_DIR is changed: pass a copy of an index's xapian/ folder. Adds every
//       unprefixed term (the passage words, as the indexer would with FLAG_SPELLING) to the
//       spelling table with its collection frequency, in one transaction, and prints the
//       words added and the seconds taken (compare the folder's size before and after with
//       du). Then prints, for each WORD, Xapian's suggestion and Pillar's, with the time of
//       each lookup.

#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "query/search/spelling.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_spelling XAPIAN_DIR_COPY WORD...\n");
    return 2;
  }
  try {
    Xapian::WritableDatabase db(argv[1], Xapian::DB_OPEN);
    using Clock = std::chrono::steady_clock;
    Clock::time_point start = Clock::now();
    size_t words = 0;
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      const std::string& term = *it;
      if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // prefixed terms
      db.add_spelling(term, db.get_collection_freq(term));
      ++words;
    }
    db.commit();
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("words_added=%zu\nseconds=%.2f\n", words, seconds);
    for (int i = 2; i < argc; ++i) {
      Clock::time_point t0 = Clock::now();
      std::string xapian = db.get_spelling_suggestion(argv[i], 2);
      Clock::time_point t1 = Clock::now();
      std::string pillar = pillar::SuggestQuery(db, argv[i]);
      Clock::time_point t2 = Clock::now();
      std::printf("%s: xapian '%s' (%.2f ms), pillar '%s' (%.2f ms)\n", argv[i], xapian.c_str(),
                  std::chrono::duration<double, std::milli>(t1 - t0).count(), pillar.c_str(),
                  std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "bench_spelling: %s\n", e.get_description().c_str());
    return 1;
  }
  return 0;
}
