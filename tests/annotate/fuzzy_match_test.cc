#include "indexer/annotate/fuzzy_match.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

namespace pillar {
namespace {

// The textbook full-matrix edit distance, as the reference for the banded one.
size_t FullLevenshtein(std::u32string_view a, std::u32string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::u32string RandomText(std::mt19937& rng, size_t max_length) {
  static const std::u32string kAlphabet = U"abcé ح";
  std::uniform_int_distribution<size_t> length(0, max_length);
  std::uniform_int_distribution<size_t> letter(0, kAlphabet.size() - 1);
  std::u32string s(length(rng), U'a');
  for (auto& c : s) c = kAlphabet[letter(rng)];
  return s;
}

TEST_CASE(
    "BoundedLevenshtein gives the edit distance when it is within the bound and nothing otherwise",
    "[annotate]") {
  CHECK(BoundedLevenshtein(U"kitten", U"sitting", 3) == std::optional<size_t>(3));
  CHECK_FALSE(BoundedLevenshtein(U"kitten", U"sitting", 2).has_value());
  CHECK(BoundedLevenshtein(U"", U"", 0) == std::optional<size_t>(0));
  CHECK(BoundedLevenshtein(U"", U"abc", 3) == std::optional<size_t>(3));
  CHECK_FALSE(BoundedLevenshtein(U"", U"abc", 2).has_value());
  // An accented or Arabic letter is one code point, so one edit.
  CHECK(BoundedLevenshtein(ToCodePoints("été"), ToCodePoints("ete"), 5) ==
        std::optional<size_t>(2));
  CHECK(BoundedLevenshtein(ToCodePoints("حماية"), ToCodePoints("حمايه"), 5) ==
        std::optional<size_t>(1));
}

TEST_CASE("BoundedLevenshtein agrees with the full-matrix edit distance on random texts",
          "[annotate]") {
  std::mt19937 rng(20260813);
  for (int round = 0; round < 3000; ++round) {
    auto a = RandomText(rng, 18), b = RandomText(rng, 18);
    size_t bound = static_cast<size_t>(round % 20);
    size_t full = FullLevenshtein(a, b);
    auto banded = BoundedLevenshtein(a, b, bound);
    INFO("round " << round << " bound " << bound << " full " << full);
    if (full <= bound) {
      REQUIRE(banded == std::optional<size_t>(full));
    } else {
      REQUIRE_FALSE(banded.has_value());
    }
  }
}

TEST_CASE("EditSimilarity accepts exactly the pairs at or above the threshold", "[annotate]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    auto a = RandomText(rng, 40);
    // Mutate a copy a little so that both sides of the threshold occur.
    auto b = a;
    std::uniform_int_distribution<int> edits(0, 12);
    for (int e = edits(rng); e > 0 && !b.empty(); --e) b[rng() % b.size()] = U'x';
    if (rng() % 3 == 0) b += RandomText(rng, 6);
    const double threshold = round % 2 ? 0.8 : 0.6;
    const size_t longest = std::max(a.size(), b.size());
    const double truth =
        longest == 0 ? 1.0 : 1.0 - static_cast<double>(FullLevenshtein(a, b)) / longest;
    auto got = EditSimilarity(a, b, threshold);
    INFO("round " << round << " truth " << truth);
    if (truth >= threshold) {
      REQUIRE(got.has_value());
      REQUIRE(*got == Approx(truth));
    } else {
      REQUIRE_FALSE(got.has_value());
    }
  }
}

TEST_CASE("EditSimilarity rates a slightly reworded sentence above 0.8 and a different one below",
          "[annotate]") {
  auto old_text = ToCodePoints(
      "Decides that the mandate of the mission shall include the protection of civilians under "
      "threat of physical violence.");
  auto reworded = ToCodePoints(
      "Decides that the mandate of the Mission shall include the protection of civilians under "
      "imminent threat of physical violence.");
  auto other = ToCodePoints(
      "Requests the Secretary-General to report every ninety days on the implementation of "
      "this resolution.");
  auto similar = EditSimilarity(old_text, reworded, 0.8);
  REQUIRE(similar.has_value());
  CHECK(*similar > 0.85);
  CHECK(*similar < 1.0);
  CHECK_FALSE(EditSimilarity(old_text, other, 0.8).has_value());
  CHECK(EditSimilarity(old_text, old_text, 0.8) == std::optional<double>(1.0));
}

TEST_CASE("BoundedLevenshtein after a one-word edit of a 400 KB passage computes few cells",
          "[annotate][limits]") {
  // The case of issue 14: re-attaching a tag after one word of a 400 KB passage changed.
  // The work must follow the edit, not the passage length times the allowed distance (the
  // full band here would be 400,000 x 160,000 cells).
  std::string text;
  for (int k = 0; text.size() < 400'000; ++k) {
    text += "Paragraph " + std::to_string(k) + " on the protection of civilians. ";
  }
  std::string edited = text;
  edited.replace(edited.find("protection", 200'000), 10, "safeguarding");
  auto a = ToCodePoints(text), b = ToCodePoints(edited);
  size_t cells = 0;
  auto distance = BoundedLevenshtein(a, b, a.size() / 5, &cells);
  REQUIRE(distance.has_value());
  CHECK(*distance <= 12);
  CHECK(cells < 1000);
  auto similarity = EditSimilarity(a, b, 0.8);
  REQUIRE(similarity.has_value());
  CHECK(*similarity > 0.9999);

  // Edits everywhere: the comparison stays within its budget and says "not similar" when the
  // distance is beyond what the budget pays for, rather than running for minutes.
  std::u32string scattered = a;
  for (size_t k = 0; k < scattered.size(); k += 50) scattered[k] = U'#';
  cells = 0;
  auto far = BoundedLevenshtein(a, scattered, kMaxEditCells / (2 * a.size()), &cells);
  CHECK_FALSE(far.has_value());
  CHECK(cells <= 2 * kMaxEditCells);
}

}  // namespace
}  // namespace pillar
