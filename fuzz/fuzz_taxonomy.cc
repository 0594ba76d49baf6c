// libFuzzer target: any bytes as a SKOS taxonomy file (Taxonomy::Load takes files, so the
// bytes are written to one); a taxonomy that loads then tags two sentences, in English and
// French, as indexing does.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "indexer/segment/analyzer.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::filesystem::path file = pillar::fuzz::WriteScratch("taxonomy.skos.xml", data, size);
  pillar::Result<pillar::Taxonomy> taxonomy = pillar::Taxonomy::Load({file});
  if (!taxonomy.ok()) return 0;
  for (const pillar::Concept& c : taxonomy->concepts()) {
    pillar::fuzz::Check(taxonomy->Find(c.id) != nullptr, "Find() of a loaded concept", c.id);
    (void)taxonomy->Crosswalk(c.id);
    (void)c.Label("fr");
  }
  for (const pillar::ConceptScheme& s : taxonomy->schemes()) (void)s.Label();
  pillar::RuleTagger tagger(*taxonomy);
  static const std::pair<const char*, const char*> kSentences[] = {
      {"en", "Peacekeepers patrol the camps to protect civilians from physical violence."},
      {"fr", "Les casques bleus assurent l'escorte des civils et la protection physique."},
  };
  for (const auto& [language, sentence] : kSentences) {
    pillar::Analyzer analyzer(language);
    std::vector<pillar::Tag> tags = tagger.TagTokens(analyzer.Tokenize(sentence), analyzer);
    for (const pillar::Tag& t : tags) {
      pillar::fuzz::Check(taxonomy->Find(t.concept_id) != nullptr, "a tag's concept", t.concept_id);
    }
  }
  return 0;
}
