#pragma once

#include <xapian.h>

namespace pillar {

// The index writes a stem term (`Z` + prefix + stem) only where the stem differs from its
// word (see docs/schema.md): "patrol" is indexed as `patrol` alone, "patrols" as `patrols`
// and `Zpatrol`. So every stem term of a parsed query is looked up as the stem term or the
// bare word: `Zpatrol` becomes OP_SYNONYM(`Zpatrol`, `patrol`), which matches the passages
// a full stem term would and sums the same wdf.
//
// Only the operators a QueryParser builds around stem terms are rebuilt (AND, OR, AND_NOT,
// XOR, AND_MAYBE, FILTER, SYNONYM, MAX); subqueries without stem terms (phrases, NEAR,
// wildcards, value ranges, boolean filters) are kept as they are. Apply it to what
// QueryParser::parse_query returns, before any OP_SCALE_WEIGHT.
Xapian::Query ExpandBareStems(const Xapian::Query& query);

}  // namespace pillar
