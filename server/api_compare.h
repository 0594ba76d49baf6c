#pragma once

#include <httplib.h>

#include "server/context.h"

namespace pillar::server {

// GET /api/compare (the web UI's Compare view, issue 19): query/compare/compare.h over HTTP.
// Parameters: concept (side a's concept; none: every passage), concept_b (side b's; default
// concept, e.g. the crosswalked au-physical for un-tier-2), a_org, a_year, a_doc and b_org, b_year,
// b_doc (each side's group: issuing bodies and document ids repeatable or comma-separated, a
// year or range as in the query language), q (a query both sides match), limit (passages per
// side, default 10, at most 100), words (distinguishing words per side, default 15, at most
// 100). 400 with the side named for an unknown concept, document or malformed year range.
void RegisterCompareApi(httplib::Server& http, Context& ctx);

}  // namespace pillar::server
