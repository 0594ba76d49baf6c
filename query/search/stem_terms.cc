#include "query/search/stem_terms.h"

#include <string>
#include <vector>

#include "indexer/index/schema.h"

namespace pillar {
namespace {

bool IsStemTerm(const std::string& term) {
  return term.size() > schema::kPrefixStem.size() &&
         term.compare(0, schema::kPrefixStem.size(), schema::kPrefixStem) == 0;
}

bool HasStemTerm(const Xapian::Query& query) {
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    if (IsStemTerm(*t)) return true;
  }
  return false;
}

bool Rebuildable(Xapian::Query::op op) {
  switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return true;
    default:
      return false;
  }
}

}  // namespace

Xapian::Query ExpandBareStems(const Xapian::Query& query) {
  if (!HasStemTerm(query)) return query;
  Xapian::Query::op op = query.get_type();
  if (op == Xapian::Query::LEAF_TERM) {
    const std::string term = *query.get_terms_begin();
    return Xapian::Query(Xapian::Query::OP_SYNONYM, Xapian::Query(term),
                         Xapian::Query(term.substr(schema::kPrefixStem.size())));
  }
  if (!Rebuildable(op)) return query;
  std::vector<Xapian::Query> parts;
  parts.reserve(query.get_num_subqueries());
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    parts.push_back(ExpandBareStems(query.get_subquery(i)));
  }
  return Xapian::Query(op, parts.begin(), parts.end());
}

}  // namespace pillar
