#pragma once

#include <httplib.h>

#include "server/context.h"

namespace pillar::server {

// PUT /api/passages/{id}/tags with {"concepts": [...], "note", "by"}: sets exactly these
// concepts and marks the passage reviewed, as `pillar tag --set` does (the web UI's "Set" and
// its `r` key, issue 19). An empty list reviews the passage as having no pillar. Answers as
// POST .../tags does: {passage, annotation_id, applied, warning}. 400 for a body that is not
// an object with a "concepts" array of strings or for an unknown concept, 404 for an unknown
// passage, 403/401 as every write.
void RegisterReviewApi(httplib::Server& http, Context& ctx);

}  // namespace pillar::server
