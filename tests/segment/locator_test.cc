#include "indexer/segment/locator.h"

#include <catch2/catch.hpp>

namespace pillar {
namespace {

TEST_CASE("DetectLocator reads paragraph numbers as printed", "[segment][locator]") {
  CHECK(DetectLocator("12. Requests the Secretary-General").label == "12");
  CHECK(DetectLocator("12. Requests").kind == LocatorKind::kNumber);
  CHECK(DetectLocator("12.3 Missions shall").label == "12.3");
  CHECK(DetectLocator("12.3 Missions").kind == LocatorKind::kDecimal);
  CHECK(DetectLocator("2.1.4. Early warning").label == "2.1.4");
  CHECK(DetectLocator("Article 5. The Union shall").label == "Article 5");
  CHECK(DetectLocator("Article 12: Scope").label == "Article 12");
  CHECK(DetectLocator("(a) Protection of civilians;").label == "a");
  CHECK(DetectLocator("b) second point").label == "b");
  CHECK(DetectLocator("(iv) to support").kind == LocatorKind::kRoman);
}

TEST_CASE("DetectLocator ignores numbers that are not paragraph markers", "[segment][locator]") {
  CHECK(DetectLocator("2023 was a year of").kind == LocatorKind::kNone);
  CHECK(DetectLocator("12.5% of the budget").kind == LocatorKind::kNone);
  CHECK(DetectLocator("Recalling its resolutions").kind == LocatorKind::kNone);
  CHECK(DetectLocator("(see annex) for details").kind == LocatorKind::kNone);
  CHECK(DetectLocator("Articles 3 and 4 apply").kind == LocatorKind::kNone);
}

TEST_CASE("DetectLocator tells the letter (i) from the roman numeral (i)", "[segment][locator]") {
  CHECK(DetectLocator("(i) first sub-point", 'a').kind == LocatorKind::kRoman);
  CHECK(DetectLocator("(i) ninth letter", 'h').kind == LocatorKind::kLetter);
  CHECK(DetectLocator("(v) fifth", 0).kind == LocatorKind::kRoman);
  CHECK(DetectLocator("(v) letter after u", 'u').kind == LocatorKind::kLetter);
}

TEST_CASE("FragmentForLocator makes shell-safe id fragments", "[segment][locator]") {
  CHECK(FragmentForLocator("5", true) == "op-5");
  CHECK(FragmentForLocator("5(a)(ii)", true) == "op-5-a-ii");
  CHECK(FragmentForLocator("PP3", true) == "pp-3");
  CHECK(FragmentForLocator("12.3", false) == "para-12.3");
  CHECK(FragmentForLocator("Article 5(b)", false) == "art-5-b");
  CHECK(FragmentForLocator("Section 9(1)(a)", false) == "sec-9-1-a");
  CHECK(FragmentForLocator("", false).empty());
}

}  // namespace
}  // namespace pillar
