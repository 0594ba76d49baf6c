// POST /api/passages/{id}/tags and DELETE /api/passages/{id}/tags/{concept}.

#include "server/context.h"

namespace pillar::server {

void RegisterTagApi(httplib::Server&, Context&) {}

}  // namespace pillar::server
