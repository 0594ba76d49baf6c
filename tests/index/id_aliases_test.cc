// Old passage ids that moved still resolve (docs/ids.md, issue 17).

#include "indexer/index/id_aliases.h"

#include <catch2/catch.hpp>
#include <map>

#include "tests/support/test_support.h"

namespace pillar {
namespace {

using Moves = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("Old ordinal ids map to the passages with the same text, repeats in order",
          "[index][ids]") {
  std::vector<PassageText> before = {
      {"d#p-1", "Patrols increased."}, {"d#p-2", "No comment."}, {"d#p-3", "No comment."}};
  std::vector<PassageText> after = {{"d#p-aaaaaa", "Patrols  increased."},
                                    {"d#p-bbbbbb", "No comment."},
                                    {"d#p-bbbbbb~2", "No comment."}};
  CHECK(MovedIds(before, after) ==
        Moves{{"d#p-1", "d#p-aaaaaa"}, {"d#p-2", "d#p-bbbbbb"}, {"d#p-3", "d#p-bbbbbb~2"}});
}

TEST_CASE("An edited passage's old id maps to its new version, a removed one to nothing",
          "[index][ids]") {
  std::vector<PassageText> before = {
      {"d#p-111111", "The mission increased patrols near the camps in March."},
      {"d#p-222222", "A paragraph that was deleted from the report altogether."},
      {"d#para-3", "3. Unchanged numbered paragraph."}};
  std::vector<PassageText> after = {
      {"d#p-333333", "The mission doubled patrols near the camps in March."},
      {"d#para-3", "3. Unchanged numbered paragraph."},
      {"d#p-444444", "Something entirely new about elections and budgets."}};
  CHECK(MovedIds(before, after) == Moves{{"d#p-111111", "d#p-333333"}});
}

TEST_CASE("Paragraph-number shorthands name the op-, para-, pp- and art- ids", "[index][ids]") {
  CHECK(ShorthandFragments("5") == std::vector<std::string>{"op-5", "para-5"});
  CHECK(ShorthandFragments("para-5") == std::vector<std::string>{"op-5", "para-5"});
  CHECK(ShorthandFragments("para. 5") == std::vector<std::string>{"op-5", "para-5"});
  CHECK(ShorthandFragments("OP5") == std::vector<std::string>{"op-5", "para-5"});
  CHECK(ShorthandFragments("5(a)(ii)") == std::vector<std::string>{"op-5-a-ii", "para-5-a-ii"});
  CHECK(ShorthandFragments("12.3") == std::vector<std::string>{"op-12.3", "para-12.3"});
  CHECK(ShorthandFragments("PP3") == std::vector<std::string>{"pp-3"});
  CHECK(ShorthandFragments("Article 5") == std::vector<std::string>{"art-5"});
  CHECK(ShorthandFragments("p-3f2a9c").empty());
  CHECK(ShorthandFragments("fn-3").empty());
}

TEST_CASE("An alias chain resolves to the live id and a cycle ends", "[index][ids]") {
  testing::TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE_OR_OPEN);
  Xapian::Document doc;
  doc.add_boolean_term("Qd#p-cccccc");
  db.add_document(doc);
  RecordAliases(db, {{"d#p-1", "d#p-aaaaaa"}});
  RecordAliases(db, {{"d#p-aaaaaa", "d#p-cccccc"}});
  RecordAliases(db, {{"d#p-x", "d#p-y"}, {"d#p-y", "d#p-x"}});
  db.commit();
  Result<ResolvedId> live = ResolvePassageId(db, "d#p-cccccc");
  REQUIRE(live.ok());
  CHECK(live->how == ResolvedId::How::kLive);
  Result<ResolvedId> moved = ResolvePassageId(db, "d#p-1");
  REQUIRE(moved.ok());
  CHECK(moved->id == "d#p-cccccc");
  CHECK(moved->how == ResolvedId::How::kMoved);
  Result<ResolvedId> cycle = ResolvePassageId(db, "d#p-x");
  REQUIRE(!cycle.ok());
  CHECK(cycle.status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace pillar
