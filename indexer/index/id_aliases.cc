#include "indexer/index/id_aliases.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "indexer/annotate/fuzzy_match.h"
#include "indexer/base/text.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/segment/locator.h"
#include "indexer/segment/passage_id.h"

namespace pillar {
namespace {

// Below this edit similarity an edited passage is another passage (the annotation store's
// fuzzy re-anchoring uses the same floor).
constexpr double kMinSimilarity = 0.8;
// Fuzzy matching compares every leftover old passage with every new one; past this many
// pairs (a document rewritten throughout) only exact matches become aliases.
constexpr size_t kMaxFuzzyPairs = 250000;
// Longest alias chain followed; more means a cycle (an id that moved back and forth).
constexpr int kMaxHops = 32;

bool IsLive(const Xapian::Database& db, const std::string& id) {
  const std::string term = std::string(schema::kPrefixId) + id;
  return db.postlist_begin(term) != db.postlist_end(term);
}

std::string AliasKey(const std::string& id) { return std::string(schema::kMetaAliasPrefix) + id; }

bool StartsWithDigit(const std::string& s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; }

}  // namespace

std::vector<std::pair<std::string, std::string>> MovedIds(const std::vector<PassageText>& before,
                                                          const std::vector<PassageText>& after) {
  std::set<std::string> after_ids, before_ids;
  std::map<std::string, std::vector<size_t>> after_by_text;
  for (size_t k = 0; k < after.size(); ++k) {
    after_ids.insert(after[k].id);
    after_by_text[NormalizeForId(after[k].text)].push_back(k);
  }
  for (const PassageText& p : before) before_ids.insert(p.id);

  std::vector<std::pair<std::string, std::string>> moves;
  std::vector<size_t> leftover;        // indices into `before` with no exact match
  std::set<size_t> taken;              // indices into `after` already aliased
  std::map<std::string, size_t> seen;  // normalised text -> repeats met in `before`
  for (size_t k = 0; k < before.size(); ++k) {
    std::string key = NormalizeForId(before[k].text);
    size_t repeat = seen[key]++;
    if (after_ids.count(before[k].id)) continue;
    auto found = after_by_text.find(key);
    if (found == after_by_text.end()) {
      leftover.push_back(k);
      continue;
    }
    size_t target = found->second[std::min(repeat, found->second.size() - 1)];
    moves.emplace_back(before[k].id, after[target].id);
    taken.insert(target);
  }

  std::vector<size_t> fresh;  // new passages whose ids the old version did not have
  for (size_t k = 0; k < after.size(); ++k) {
    if (!before_ids.count(after[k].id) && !taken.count(k)) fresh.push_back(k);
  }
  if (leftover.empty() || fresh.empty() || leftover.size() * fresh.size() > kMaxFuzzyPairs) {
    return moves;
  }
  std::vector<std::u32string> fresh_points;
  fresh_points.reserve(fresh.size());
  for (size_t k : fresh) fresh_points.push_back(ToCodePoints(after[k].text));
  for (size_t k : leftover) {
    const std::u32string old = ToCodePoints(before[k].text);
    // Positions compare as fractions of each version's length: an edited passage sits
    // about where it was.
    auto place = [](size_t i, size_t n) { return n ? static_cast<double>(i) / n : 0.0; };
    size_t best = fresh.size();
    double best_similarity = kMinSimilarity;
    for (size_t j = 0; j < fresh.size(); ++j) {
      std::optional<double> similarity = EditSimilarity(old, fresh_points[j], best_similarity);
      if (!similarity) continue;
      bool better = best == fresh.size() || *similarity > best_similarity + 1e-12;
      if (!better && std::abs(*similarity - best_similarity) <= 1e-12) {
        double here = place(k, before.size());
        better = std::abs(place(fresh[j], after.size()) - here) <
                 std::abs(place(fresh[best], after.size()) - here);
      }
      if (better) best = j, best_similarity = *similarity;
    }
    if (best != fresh.size()) moves.emplace_back(before[k].id, after[fresh[best]].id);
  }
  return moves;
}

std::vector<PassageText> IndexedPassageTexts(const Xapian::Database& db,
                                             const std::string& doc_id) {
  std::vector<std::pair<int, PassageText>> found;
  const std::string term = std::string(schema::kPrefixDoc) + doc_id;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    Result<Passage> p = DecodePassage(db.get_document(*it).get_data());
    if (!p.ok()) continue;  // an unreadable record has no id to keep
    found.push_back({p->ordinal, {std::move(p->id), std::move(p->text)}});
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<PassageText> out;
  out.reserve(found.size());
  for (auto& entry : found) out.push_back(std::move(entry.second));
  return out;
}

void RecordAliases(Xapian::WritableDatabase& db,
                   const std::vector<std::pair<std::string, std::string>>& moves) {
  for (const auto& [old_id, new_id] : moves) {
    if (old_id != new_id) db.set_metadata(AliasKey(old_id), new_id);
  }
}

std::vector<std::string> ShorthandFragments(const std::string& fragment) {
  std::string f;
  for (char c : fragment) {
    if (c == ' ') continue;
    f += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  auto strip = [&](std::string_view prefix) {
    if (!StartsWith(f, prefix)) return false;
    f.erase(0, prefix.size());
    if (!f.empty() && (f[0] == '-' || f[0] == '.')) f.erase(0, 1);
    return true;
  };
  auto body = [&]() {                                 // "5(a)(ii)" or "5-a-ii" -> "5-a-ii"
    std::string frag = FragmentForLocator(f, false);  // "para-" + body
    return frag.substr(frag.find('-') + 1);
  };
  if (strip("pp")) {
    if (!StartsWithDigit(f)) return {};
    return {"pp-" + body()};
  }
  if (strip("article") || strip("art")) {
    if (!StartsWithDigit(f)) return {};
    return {"art-" + body()};
  }
  // "paragraph 5", "para. 5", "op-5", "§5", or a bare number: "5", "5(a)", "12.3".
  if (!strip("paragraph") && !strip("para") && !strip("op")) strip("\xC2\xA7");
  if (!StartsWithDigit(f)) return {};
  const std::string b = body();
  return {"op-" + b, "para-" + b};
}

Result<ResolvedId> ResolvePassageId(const Xapian::Database& db, const std::string& requested) {
  if (IsLive(db, requested)) return ResolvedId{requested, ResolvedId::How::kLive};
  std::string current = requested;
  for (int hop = 0; hop < kMaxHops; ++hop) {
    std::string next = db.get_metadata(AliasKey(current));
    if (next.empty()) break;
    if (IsLive(db, next)) return ResolvedId{next, ResolvedId::How::kMoved};
    current = std::move(next);
  }
  const size_t hash = requested.find('#');
  if (hash != std::string::npos) {
    const std::string doc = requested.substr(0, hash);
    std::vector<std::string> matches;
    for (const std::string& fragment : ShorthandFragments(requested.substr(hash + 1))) {
      if (IsLive(db, doc + "#" + fragment)) matches.push_back(doc + "#" + fragment);
    }
    if (matches.size() == 1) return ResolvedId{matches[0], ResolvedId::How::kShorthand};
    if (matches.size() > 1) {
      return Status::InvalidArgument("'" + requested + "' is ambiguous: it could be " + matches[0] +
                                     " or " + matches[1]);
    }
  }
  return Status::NotFound("no passage '" + requested + "'");
}

}  // namespace pillar
