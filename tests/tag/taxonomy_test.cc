#include "indexer/tag/taxonomy.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using testing::SourceDir;
using testing::TempDir;

std::filesystem::path RealTaxonomy() {
  return SourceDir() / "corpus" / "taxonomy" / "poc.skos.xml";
}

// A small taxonomy in the shipped format: one scheme, two concepts, one crosswalk.
const char* kHeader = R"(<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:pr="urn:pillar:rules#">
)";

std::string Xml(const std::string& body) { return kHeader + body + "</rdf:RDF>\n"; }

const char* kSmall = R"(
  <skos:ConceptScheme rdf:about="urn:t:s">
    <skos:notation>s</skos:notation>
    <skos:prefLabel xml:lang="en">Small scheme</skos:prefLabel>
  </skos:ConceptScheme>
  <skos:Concept rdf:about="urn:t:a">
    <skos:notation>a</skos:notation>
    <skos:inScheme rdf:resource="urn:t:s"/>
    <skos:prefLabel xml:lang="en">Alpha</skos:prefLabel>
    <skos:prefLabel xml:lang="fr">Alpha en français</skos:prefLabel>
    <skos:closeMatch rdf:resource="urn:t:b"/>
    <pr:rules version="3" threshold="1.5">
      <pr:term weight="1.0">patrol</pr:term>
      <pr:phrase weight="2.0">quick reaction force</pr:phrase>
      <pr:near window="8" weight="1.5">use force civilians</pr:near>
      <pr:term weight="-2" xml:lang="fr">protection</pr:term>
    </pr:rules>
  </skos:Concept>
  <skos:Concept rdf:about="urn:t:b">
    <skos:notation>b</skos:notation>
    <skos:inScheme rdf:resource="urn:t:s"/>
    <skos:prefLabel xml:lang="en">Beta</skos:prefLabel>
  </skos:Concept>
)";

Result<Taxonomy> LoadString(const TempDir& dir, const std::string& xml,
                            const std::string& name = "t.skos.xml") {
  return Taxonomy::Load({dir.Write(name, xml)});
}

TEST_CASE("Taxonomy reads schemes, concepts, labels, rules and crosswalks from SKOS", "[tag]") {
  TempDir dir;
  Result<Taxonomy> tax = LoadString(dir, Xml(kSmall));
  REQUIRE(tax.ok());
  REQUIRE(tax->schemes().size() == 1);
  CHECK(tax->schemes()[0].id == "s");
  CHECK(tax->schemes()[0].Label() == "Small scheme");
  CHECK(tax->schemes()[0].concepts == std::vector<std::string>{"a", "b"});
  const Concept* a = tax->Find("a");
  REQUIRE(a != nullptr);
  CHECK(a->iri == "urn:t:a");
  CHECK(a->scheme == "s");
  CHECK(a->Label("fr") == "Alpha en français");
  CHECK(a->Label("de") == "Alpha");
  CHECK(a->rules_version == "3");
  CHECK(a->threshold == 1.5);
  REQUIRE(a->rules.size() == 4);
  CHECK(a->rules[0].kind == Rule::Kind::kTerm);
  CHECK(a->rules[1].kind == Rule::Kind::kPhrase);
  CHECK(a->rules[1].words == std::vector<std::string>{"quick", "reaction", "force"});
  CHECK(a->rules[2].kind == Rule::Kind::kNear);
  CHECK(a->rules[2].window == 8);
  CHECK(a->rules[2].weight == 1.5);
  CHECK(a->rules[3].weight == -2);
  CHECK(a->rules[3].language == "fr");
  CHECK(a->rules[0].language.empty());
  // closeMatch is recorded in both directions.
  CHECK(a->close_matches == std::vector<std::string>{"b"});
  CHECK(tax->Find("b")->close_matches == std::vector<std::string>{"a"});
  CHECK(tax->Crosswalk("b") == std::vector<std::string>{"b", "a"});
  CHECK(tax->Crosswalk("nope") == std::vector<std::string>{"nope"});
  CHECK(tax->Find("nope") == nullptr);
}

TEST_CASE("Taxonomy resolves namespaces by URI, whatever the prefix", "[tag]") {
  TempDir dir;
  Result<Taxonomy> tax = LoadString(dir, R"(<?xml version="1.0"?>
<r:RDF xmlns:r="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
       xmlns="http://www.w3.org/2004/02/skos/core#" xmlns:rules="urn:pillar:rules#">
  <ConceptScheme r:about="urn:t:s"><notation>s</notation></ConceptScheme>
  <Concept r:about="urn:t:a">
    <notation>a</notation>
    <inScheme r:resource="urn:t:s"/>
    <rules:rules version="1" threshold="1"><rules:term>patrol</rules:term></rules:rules>
  </Concept>
</r:RDF>
)");
  REQUIRE(tax.ok());
  REQUIRE(tax->Find("a") != nullptr);
  CHECK(tax->Find("a")->rules.size() == 1);
  CHECK(tax->Find("a")->Label() == "a");  // no prefLabel: the id
}

TEST_CASE("The shipped taxonomy has the twelve concept ids of the design in three schemes",
          "[tag]") {
  Result<Taxonomy> tax = Taxonomy::Load({RealTaxonomy()});
  INFO(tax.status().ToString());
  REQUIRE(tax.ok());
  std::set<std::string> ids;
  for (const Concept& c : tax->concepts()) ids.insert(c.id);
  CHECK(ids == std::set<std::string>{"un-tier-1", "un-tier-2", "un-tier-3", "au-physical",
                                     "au-political", "au-rights", "au-environment",
                                     "ucp-presence", "ucp-accompaniment", "ucp-early-warning",
                                     "ucp-ceasefire-monitoring", "ucp-mediation"});
  REQUIRE(tax->schemes().size() == 3);
  std::vector<size_t> sizes;
  for (const ConceptScheme& s : tax->schemes()) {
    sizes.push_back(s.concepts.size());
    CHECK(s.Label("en") != s.id);
  }
  CHECK(sizes == std::vector<size_t>{3, 4, 5});
  for (const Concept& c : tax->concepts()) {
    INFO(c.id);
    auto has = [&](const char* lang) {
      return std::any_of(c.pref_labels.begin(), c.pref_labels.end(),
                         [&](const LangString& l) { return l.lang == lang && !l.text.empty(); });
    };
    CHECK(has("en"));
    CHECK(has("fr"));
    CHECK(c.Label("fr") != c.Label("en"));
    CHECK_FALSE(c.rules.empty());
    CHECK_FALSE(c.rules_version.empty());
  }
  CHECK(tax->Find("un-tier-2")->Label() == "Provision of physical protection");
  CHECK(tax->Find("au-physical")->scheme == tax->Find("au-rights")->scheme);
  // The crosswalk of the tiers to the pillars, recorded in both directions.
  const Concept* tier2 = tax->Find("un-tier-2");
  const Concept* physical = tax->Find("au-physical");
  auto linked = [](const Concept* from, const char* to) {
    auto in = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), to) != v.end();
    };
    return in(from->exact_matches) || in(from->close_matches);
  };
  CHECK(linked(tier2, "au-physical"));
  CHECK(linked(physical, "un-tier-2"));
  std::vector<std::string> walk = tax->Crosswalk("un-tier-2");
  CHECK(std::find(walk.begin(), walk.end(), "au-physical") != walk.end());
  walk = tax->Crosswalk("au-physical");
  CHECK(std::find(walk.begin(), walk.end(), "un-tier-2") != walk.end());
}

TEST_CASE("Malformed taxonomy XML is reported with the file, line and column", "[tag]") {
  TempDir dir;
  Result<Taxonomy> tax =
      LoadString(dir, Xml("  <skos:ConceptScheme rdf:about=\"urn:t:s\">\n    <skos:notation>s"
                          "</skos:notation>\n  </skos:Concept>\n"),
                 "bad.xml");
  REQUIRE_FALSE(tax.ok());
  CHECK(tax.status().code() == Status::Code::kCorruption);
  CHECK_THAT(tax.status().message(), Catch::Contains("bad.xml: line 7, column"));
}

TEST_CASE("Semantic errors in a taxonomy name the file and the line of the element", "[tag]") {
  TempDir dir;
  const std::string scheme =
      "  <skos:ConceptScheme rdf:about=\"urn:t:s\"><skos:notation>s</skos:notation>"
      "</skos:ConceptScheme>\n";
  auto concept_xml = [](const std::string& id, const std::string& extra) {
    return "  <skos:Concept rdf:about=\"urn:t:" + id + "\">\n    <skos:notation>" + id +
           "</skos:notation>\n    <skos:inScheme rdf:resource=\"urn:t:s\"/>\n" + extra +
           "  </skos:Concept>\n";
  };
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {scheme + concept_xml("a", "") + concept_xml("a", ""),
       "line 10: duplicate concept id 'a' (first at "},
      {scheme + concept_xml("a", "    <skos:closeMatch rdf:resource=\"urn:t:zz\"/>\n"),
       "line 9: concept 'a' refers to unknown concept <urn:t:zz>"},
      {scheme + concept_xml("a", "    <pr:rules>\n      <pr:term> , </pr:term>\n"
                                 "    </pr:rules>\n"),
       "line 10: <pr:term> rule has no words"},
      {scheme + concept_xml("a", "    <pr:rules>\n      <pr:regex>x+</pr:regex>\n"
                                 "    </pr:rules>\n"),
       "line 10: unknown rule element <pr:regex>"},
      {scheme + concept_xml("a", "    <pr:weights/>\n"), "line 9: unknown element <pr:weights>"},
      {scheme + concept_xml("a", "    <pr:rules>\n      <pr:term weight=\"heavy\">x</pr:term>\n"
                                 "    </pr:rules>\n"),
       "line 10: weight 'heavy' is not a number"},
      {scheme + concept_xml("a", "    <pr:rules>\n      <pr:near>use force</pr:near>\n"
                                 "    </pr:rules>\n"),
       "line 10: pr:near needs a window attribute"},
      {scheme + "  <skos:Concept>\n    <skos:inScheme rdf:resource=\"urn:t:s\"/>\n"
                "  </skos:Concept>\n",
       "line 6: skos:Concept without skos:notation"},
      {scheme + "  <skos:Concept rdf:about=\"urn:t:q\">\n    <skos:notation>q</skos:notation>\n"
                "  </skos:Concept>\n",
       "line 6: concept 'q' belongs to no scheme"},
      {scheme + concept_xml("a", "    <skos:inScheme rdf:resource=\"urn:t:other\"/>\n"),
       "line 9: concept 'a' is in unknown scheme <urn:t:other>"},
  };
  for (const Case& c : cases) {
    Result<Taxonomy> tax = LoadString(dir, Xml(c.body), "sem.xml");
    INFO(c.body);
    REQUIRE_FALSE(tax.ok());
    CHECK(tax.status().code() == Status::Code::kCorruption);
    CHECK_THAT(tax.status().message(), Catch::StartsWith((dir.path() / "sem.xml").string()));
    CHECK_THAT(tax.status().message(), Catch::Contains(c.message));
  }
}

TEST_CASE("A missing taxonomy file is NotFound and names the file", "[tag]") {
  TempDir dir;
  Result<Taxonomy> tax = Taxonomy::Load({dir.path() / "absent.xml"});
  REQUIRE_FALSE(tax.ok());
  CHECK(tax.status().code() == Status::Code::kNotFound);
  CHECK_THAT(tax.status().message(), Catch::Contains("absent.xml"));
}

TEST_CASE("A user's own scheme file merges with the shipped taxonomy", "[tag]") {
  TempDir dir;
  auto extra = dir.Write("codebook.skos.xml", Xml(R"(
  <skos:ConceptScheme rdf:about="urn:me:codebook">
    <skos:notation>my-codebook</skos:notation>
    <skos:prefLabel xml:lang="en">My thematic codebook</skos:prefLabel>
  </skos:ConceptScheme>
  <skos:Concept rdf:about="urn:me:cash">
    <skos:notation>my-cash</skos:notation>
    <skos:inScheme rdf:resource="urn:me:codebook"/>
    <skos:prefLabel xml:lang="en">Cash transfers</skos:prefLabel>
    <skos:closeMatch rdf:resource="urn:pillar:poc:au-environment"/>
    <pr:rules version="1" threshold="1"><pr:phrase>cash transfer</pr:phrase></pr:rules>
  </skos:Concept>
)"));
  Result<Taxonomy> tax = Taxonomy::Load({RealTaxonomy(), extra});
  INFO(tax.status().ToString());
  REQUIRE(tax.ok());
  CHECK(tax->schemes().size() == 4);
  CHECK(tax->concepts().size() == 13);
  REQUIRE(tax->Find("my-cash") != nullptr);
  CHECK(tax->Find("my-cash")->scheme == "my-codebook");
  // The crosswalk into the shipped taxonomy is resolved both ways.
  std::vector<std::string> walk = tax->Crosswalk("au-environment");
  CHECK(std::find(walk.begin(), walk.end(), "my-cash") != walk.end());

  // Loading the same file twice is a duplicate, named in the second file.
  Result<Taxonomy> twice = Taxonomy::Load({RealTaxonomy(), RealTaxonomy()});
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.status().message(), Catch::Contains("duplicate scheme id"));
}

TEST_CASE("DefaultTaxonomyPath prefers $PILLAR_TAXONOMY", "[tag]") {
  const char* old = std::getenv("PILLAR_TAXONOMY");
  std::string saved = old ? old : "";
  ::setenv("PILLAR_TAXONOMY", "/somewhere/mine.xml", 1);
  CHECK(DefaultTaxonomyPath() == "/somewhere/mine.xml");
  if (old) {
    ::setenv("PILLAR_TAXONOMY", saved.c_str(), 1);
  } else {
    ::unsetenv("PILLAR_TAXONOMY");
  }
}

}  // namespace
}  // namespace pillar
