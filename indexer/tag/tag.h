#pragma once

#include <string>
#include <vector>

namespace pillar {

// Where a tag came from.
inline constexpr const char* kTagSourceRule = "rule";
inline constexpr const char* kTagSourceManual = "manual";
inline constexpr const char* kTagSourceModel = "model";

// One concept attached to one passage.
struct Tag {
  std::string concept_id;             // a taxonomy id, e.g. "un-tier-2"
  std::string source;                 // kTagSourceRule | kTagSourceManual | kTagSourceModel
  double score = 0;                   // rule score; 1 for manual tags
  std::vector<std::string> evidence;  // the rule patterns that fired, or the note of a manual tag
  std::string rule_version;           // version of the rules that produced a rule tag
  std::string by;                     // manual tags: who
  std::string when;                   // manual tags: ISO 8601 UTC timestamp
  std::string note;                   // manual tags: optional note
};

}  // namespace pillar
