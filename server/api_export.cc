// GET /api/export?format=...: the passages of the search filters, streamed.

#include "server/context.h"

namespace pillar::server {

void RegisterExportApi(httplib::Server&, Context&) {}

}  // namespace pillar::server
