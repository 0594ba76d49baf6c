#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/base/status.h"

namespace pillar {

// One tagging rule of a concept (see corpus/taxonomy/README.md and docs/tagging.md).
struct Rule {
  enum class Kind {
    kTerm,    // pr:term: the word occurs (a multi-word term behaves as a phrase)
    kPhrase,  // pr:phrase: the words at consecutive positions, in order
    kNear,    // pr:near: all the words, in any order, first to last <= window positions apart
    kMask,    // pr:mask: where the words occur as a phrase (and `span` words after them), the
              //   concept's other rules do not see the passage's words: scope and negation
              //   ("non-use of force", "without prejudice to")
  };
  Kind kind = Kind::kTerm;
  std::string text;                // the pattern as written, NFC ("quick reaction force")
  std::vector<std::string> words;  // its words as the Analyzer splits them, lowercased, in order
  double weight = 1.0;             // negative weights are negative patterns
  int window = 0;                  // kNear: the largest distance from first to last word
  std::string language;            // the rule's own xml:lang; "" = applies to every language
  bool exact = false;              // form="exact": words match their written form (lowercased),
                                   //   not their stem ("corrections" but not "corrected")
  int span = 0;                    // kMask: how many words after the phrase are masked too
};

struct LangString {
  std::string lang;
  std::string text;
};

// A SKOS concept with Pillar's rules.
struct Concept {
  std::string id;      // skos:notation, e.g. "un-tier-2" (the public contract)
  std::string iri;     // rdf:about
  std::string scheme;  // id (notation) of its concept scheme
  std::vector<LangString> pref_labels, alt_labels, hidden_labels, definitions;
  std::vector<std::string> broader;          // concept ids (skos:broader, inverse of narrower)
  std::vector<std::string> close_matches;    // concept ids (closeMatch), both directions
  std::vector<std::string> exact_matches;    // concept ids (exactMatch), both directions
  std::vector<std::string> related_matches;  // concept ids (relatedMatch), both directions;
                                             // not part of Crosswalk()
  std::string rules_version;                 // pr:rules/@version
  double threshold = 1.0;                    // pr:rules/@threshold
  std::vector<Rule> rules;                   // empty: the concept is never rule-tagged

  // The prefLabel in `lang`, else English, else the id.
  std::string Label(std::string_view lang = "en") const;
};

struct ConceptScheme {
  std::string id;  // skos:notation, e.g. "un-tiers"
  std::string iri;
  std::vector<LangString> pref_labels;
  std::vector<std::string> concepts;  // concept ids in file order
  std::string Label(std::string_view lang = "en") const;
};

// A set of SKOS concept schemes read from RDF/XML files (pugixml). Users add schemes or
// concepts by adding files; nothing is compiled in.
class Taxonomy {
 public:
  // Loads and merges the files in order; references by IRI (inScheme, broader, matches) may
  // point into an earlier or later file, so a user's file can add a scheme that crosswalks to
  // the shipped one. Elements are recognised by namespace URI, not by prefix.
  // NotFound/IOError name an unreadable file. Corruption names the file and line (and column
  // for malformed XML or invalid UTF-8): a concept or scheme without skos:notation, duplicate
  // ids or IRIs, a concept in no scheme or an unknown one, a rule without words, a weight,
  // threshold or window that is not a number, an unknown pr: element, a reference (crosswalk,
  // broader) to an unknown concept.
  static Result<Taxonomy> Load(const std::vector<std::filesystem::path>& files);

  const std::vector<ConceptScheme>& schemes() const { return schemes_; }
  const std::vector<Concept>& concepts() const { return concepts_; }
  // The concept with this id, or nullptr. The pointer lives as long as the taxonomy.
  const Concept* Find(std::string_view id) const;

  // `id` followed by its exactMatch and closeMatch concepts (one hop), without repeats.
  std::vector<std::string> Crosswalk(std::string_view id) const;

 private:
  std::vector<ConceptScheme> schemes_;
  std::vector<Concept> concepts_;
  std::unordered_map<std::string, size_t> by_id_;  // concept id -> index in concepts_
};

// The default taxonomy file: $PILLAR_TAXONOMY if set (whether or not it exists, so that Load
// reports a wrong setting), else corpus/taxonomy/poc.skos.xml found in the running
// executable's folder or up to four folders above it (a build tree inside the source tree, an
// installed share layout), else in the current folder. "" if none exists.
std::filesystem::path DefaultTaxonomyPath();

}  // namespace pillar
