#include "indexer/tag/rule_tagger.h"

#include <catch2/catch.hpp>

#include <thread>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::TempDir;

// One scheme whose concepts each exercise one kind of rule.
const char* kRules = R"(<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:pr="urn:pillar:rules#">
  <skos:ConceptScheme rdf:about="urn:t:s"><skos:notation>s</skos:notation></skos:ConceptScheme>
  <skos:Concept rdf:about="urn:t:physical">
    <skos:notation>physical</skos:notation>
    <skos:inScheme rdf:resource="urn:t:s"/>
    <pr:rules version="7" threshold="2.0">
      <pr:term weight="2.0">patrol</pr:term>
      <pr:phrase weight="2.0">quick reaction force</pr:phrase>
      <pr:near window="8" weight="2.0">use force civilians</pr:near>
      <pr:term weight="1.0">robust</pr:term>
      <pr:phrase weight="-3.0">force protection</pr:phrase>
      <pr:term weight="2.0" xml:lang="fr">patrouille</pr:term>
      <pr:phrase weight="2.0" xml:lang="fr">force de réaction rapide</pr:phrase>
    </pr:rules>
  </skos:Concept>
  <skos:Concept rdf:about="urn:t:french">
    <skos:notation>french-only</skos:notation>
    <skos:inScheme rdf:resource="urn:t:s"/>
    <pr:rules version="1" threshold="1.0">
      <pr:term weight="1.0" xml:lang="fr">médiation</pr:term>
      <pr:term weight="1.0" xml:lang="fr">escorte</pr:term>
    </pr:rules>
  </skos:Concept>
  <skos:Concept rdf:about="urn:t:dialogue">
    <skos:notation>dialogue</skos:notation>
    <skos:inScheme rdf:resource="urn:t:s"/>
    <pr:rules version="1" threshold="1.5">
      <pr:term weight="1.0">dialogue</pr:term>
      <pr:term weight="0.5">community</pr:term>
      <pr:term weight="0.5">mediation</pr:term>
    </pr:rules>
  </skos:Concept>
</rdf:RDF>
)";

class Fixture {
 public:
  Fixture() {
    Result<Taxonomy> loaded = Taxonomy::Load({dir_.Write("rules.skos.xml", kRules)});
    INFO(loaded.status().ToString());
    REQUIRE(loaded.ok());
    taxonomy_ = std::move(loaded).value();
  }
  std::vector<pillar::Tag> Run(const std::string& text, const std::string& lang = "en") {
    Analyzer analyzer(lang);
    RuleTagger tagger(taxonomy_);
    return tagger.TagTokens(analyzer.Tokenize(text), analyzer);
  }
  const pillar::Tag* Find(const std::vector<pillar::Tag>& tags, const std::string& id) {
    for (const pillar::Tag& t : tags) {
      if (t.concept_id == id) return &t;
    }
    return nullptr;
  }

 private:
  TempDir dir_;
  Taxonomy taxonomy_;
};

TEST_CASE("A term rule matches inflected forms through the analyzer's stems", "[tag]") {
  Fixture f;
  for (const char* text : {"Troops were patrolling the market.", "Night patrols continued.",
                           "They patrol by day."}) {
    INFO(text);
    std::vector<Tag> tags = f.Run(text);
    const Tag* t = f.Find(tags, "physical");
    REQUIRE(t != nullptr);
    CHECK(t->source == "rule");
    CHECK(t->score == 2.0);
    CHECK(t->rule_version == "7");
    CHECK(t->evidence == std::vector<std::string>{"patrol"});
  }
  CHECK(f.Run("The patron of the arts.").empty());
}

TEST_CASE("A phrase rule needs its words at consecutive positions", "[tag]") {
  Fixture f;
  CHECK(f.Find(f.Run("A quick-reaction force was deployed."), "physical") != nullptr);
  CHECK(f.Find(f.Run("Quick Reaction Forces stand ready."), "physical") != nullptr);
  CHECK(f.Find(f.Run("A quick and decisive reaction by the force."), "physical") == nullptr);
  CHECK(f.Find(f.Run("force reaction quick"), "physical") == nullptr);
}

TEST_CASE("A near rule needs all its words within the window, in any order", "[tag]") {
  Fixture f;
  // "civilians" (1) .. "use" (7) .. "force" (9): first to last is 8 positions.
  CHECK(f.Find(f.Run("Civilians may be protected by the use of force."), "physical") !=
        nullptr);
  CHECK(f.Find(f.Run("The use of force to protect civilians."), "physical") != nullptr);
  // Too far apart: 13 positions between "use" and "civilians".
  CHECK(f.Find(f.Run("The use of force is a matter for the council, which thinks of many "
                     "civilians."),
               "physical") == nullptr);
  // A missing word never fires.
  CHECK(f.Find(f.Run("The use of civilians."), "physical") == nullptr);
}

TEST_CASE("Each rule fires once and scores add up to the threshold", "[tag]") {
  Fixture f;
  // "robust" alone (1.0) is under the threshold 2.0.
  CHECK(f.Run("A robust posture.").empty());
  // Two patrols still count once; robust adds 1.
  std::vector<Tag> tags = f.Run("Robust patrols, more patrols, and patrolling again.");
  REQUIRE(tags.size() == 1);
  CHECK(tags[0].score == 3.0);
  CHECK(tags[0].evidence == std::vector<std::string>{"patrol", "robust"});
  // Fractional weights reach the threshold despite floating point (1.0 + 0.5 = 1.5).
  tags = f.Run("Dialogue with the community.");
  REQUIRE(tags.size() == 1);
  CHECK(tags[0].concept_id == "dialogue");
  CHECK(tags[0].score == 1.5);
}

TEST_CASE("A negative pattern suppresses a tag (force protection)", "[tag]") {
  Fixture f;
  CHECK(f.Run("Force protection measures for mission staff require patrols of the camp "
              "perimeter.")
            .empty());
  // Enough positive evidence still wins, and the negative pattern shows in the evidence.
  std::vector<Tag> tags = f.Run(
      "A quick reaction force and robust patrols protect civilians, beyond force protection.");
  const Tag* t = f.Find(tags, "physical");
  REQUIRE(t != nullptr);
  CHECK(t->score == 2.0);  // 2 + 2 + 1 - 3
  CHECK(t->evidence ==
        std::vector<std::string>{"patrol", "quick reaction force", "robust", "-force protection"});
}

TEST_CASE("A French rule applies only to French passages", "[tag]") {
  Fixture f;
  CHECK(f.Find(f.Run("La médiation entre les communautés.", "fr"), "french-only") != nullptr);
  CHECK(f.Find(f.Run("La médiation entre les communautés.", "en"), "french-only") == nullptr);
  CHECK(f.Find(f.Run("Mediation between communities and dialogue.", "en"), "dialogue") !=
        nullptr);
  // fr-CA is French too.
  CHECK(f.Find(f.Run("La médiation.", "fr-CA"), "french-only") != nullptr);
}

TEST_CASE("Case and inflection go through the analyzer (Patrouilles matches patrouille)",
          "[tag]") {
  Fixture f;
  std::vector<Tag> tags = f.Run("Patrouilles de nuit autour du camp.", "fr");
  const Tag* t = f.Find(tags, "physical");
  REQUIRE(t != nullptr);
  CHECK(t->evidence == std::vector<std::string>{"patrouille"});
  CHECK(f.Find(f.Run("Une Force de Réaction Rapide.", "fr"), "physical") != nullptr);
  // The English "patrol" rule does not see French "patrouilles" (different stems).
  CHECK(f.Find(f.Run("Patrouilles de nuit.", "en"), "physical") == nullptr);
}

TEST_CASE("An elided article does not hide the word behind it (l'escorte)", "[tag]") {
  Fixture f;
  CHECK(f.Find(f.Run("Elle assure l'escorte des convois.", "fr"), "french-only") != nullptr);
  CHECK(f.Find(f.Run("Elle assure l’escorte des convois.", "fr"), "french-only") != nullptr);
  CHECK(f.Find(f.Run("Une demande d'escortes.", "fr"), "french-only") != nullptr);
}

TEST_CASE("Tags come sorted by score with every fired rule as evidence", "[tag]") {
  Fixture f;
  std::vector<Tag> tags = f.Run(
      "Dialogue and community mediation, while the quick reaction force keeps patrolling and "
      "may use force to protect civilians.");
  REQUIRE(tags.size() == 2);
  CHECK(tags[0].concept_id == "physical");
  CHECK(tags[0].score == 6.0);
  CHECK(tags[0].evidence == std::vector<std::string>{"patrol", "quick reaction force",
                                                     "use force civilians"});
  CHECK(tags[1].concept_id == "dialogue");
  CHECK(tags[1].score == 2.0);
  CHECK(tags[1].evidence == std::vector<std::string>{"dialogue", "community", "mediation"});
}

TEST_CASE("RuleTagger is safe to use from several threads with their own analyzers", "[tag]") {
  TempDir dir;
  Result<Taxonomy> tax = Taxonomy::Load({dir.Write("rules.skos.xml", kRules)});
  REQUIRE(tax.ok());
  RuleTagger tagger(*tax);
  std::vector<int> counts(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const bool fr = t % 2 == 1;
      Analyzer analyzer(fr ? "fr" : "en");
      std::string text = fr ? "Patrouilles et médiation." : "Patrols and a quick reaction force.";
      for (int i = 0; i < 200; ++i) {
        counts[t] += static_cast<int>(tagger.TagTokens(analyzer.Tokenize(text), analyzer).size());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(counts == std::vector<int>{200, 400, 200, 400});
}

}  // namespace
}  // namespace pillar
