#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "indexer/base/status.h"
#include "indexer/tag/tag_model.h"
#include "indexer/tag/taxonomy.h"
#include "query/annotate/manual_tag.h"
#include "query/search/searcher.h"
#include "server/server.h"

namespace pillar::server {

// A pool of reader handles: each request borrows one Searcher (which is not thread-safe) and
// gives it back. A Searcher reopens onto the latest committed revision at each call, so the
// readers follow `pillar index` and tag writes; Xapian only ever shows committed revisions.
class ReaderPool {
 public:
  static Result<std::unique_ptr<ReaderPool>> Open(const std::filesystem::path& index_dir,
                                                  size_t size);

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Searcher> searcher)
        : pool_(pool), searcher_(std::move(searcher)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    Searcher& operator*() { return *searcher_; }
    Searcher* operator->() { return searcher_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Searcher> searcher_;
  };

  // A reader, waiting until `deadline` for one to be free; nullopt when none came free.
  std::optional<Lease> Acquire(std::chrono::steady_clock::time_point deadline);

 private:
  void Return(std::unique_ptr<Searcher> searcher);
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Searcher>> free_;
};

// The taxonomy and model the index was tagged with, which tag writes re-tag passages with:
// loaded at the first write and again when the index names another taxonomy file.
struct TaggingCache {
  std::filesystem::path taxonomy_path;
  std::optional<Taxonomy> taxonomy;
  std::optional<TagModel> model;

  Status Load(const std::filesystem::path& path);
};

// What every handler shares. Handlers run on the server's threads at once: everything here
// is either immutable after Create or guarded.
class Context {
 public:
  ServeOptions options;
  std::string token;  // "" when no token file was given
  std::unique_ptr<ReaderPool> readers;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> requests{0};
  // Tag writes are made one at a time (each also takes the index's write lock).
  std::mutex write_mutex;
  TaggingCache tagging;  // guarded by write_mutex
  // Set when the server is stopping: waits (for a reader, the index lock) give up.
  std::atomic<bool> stopping{false};

  // The deadline of the request being served on this thread.
  static std::chrono::steady_clock::time_point& Deadline();
  // Bytes a content provider streamed for the request being served on this thread (the
  // access log's count of a streamed response, which has no body in memory).
  static size_t& StreamedBytes();
};

// Sends `body` (a JSON text) with `status`.
void SendJson(httplib::Response& res, int status, const std::string& body);
void SendJson(httplib::Response& res, const nlohmann::json& body);
// Error messages name the server's index folder as "the index": a client learns nothing of
// the server's file system from them. Called once, before the server takes requests.
void HideIndexPathInErrors(const std::filesystem::path& index_dir);
// {"error": {"code": code, "message": message}} with `status`.
void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message);
// The error response of a failed Status: 400 invalid_argument, 404 not_found, 409 for
// AlreadyExists, 503 unavailable (busy), else 500 internal.
void SendStatus(httplib::Response& res, const Status& status);

// A reader for this request, or sends 503 and returns nullopt.
std::optional<ReaderPool::Lease> Reader(Context& ctx, httplib::Response& res);

// ETag of a response that depends only on the index and annotation store: their revisions.
// Sets ETag and Cache-Control; true (and 304 sent) when the client already has it.
bool NotModified(Context& ctx, Searcher& searcher, const httplib::Request& req,
                 httplib::Response& res);

// For writes: false (and 403 or 401 sent) when the server is read-only or the request lacks
// the token.
bool MayWrite(Context& ctx, const httplib::Request& req, httplib::Response& res);

// A size_t query parameter in [0, max], or `fallback` when absent; nullopt (400 sent) when
// it is not a number in range.
std::optional<size_t> SizeParam(const httplib::Request& req, httplib::Response& res,
                                const std::string& name, size_t fallback, size_t max);
// Every value of a repeatable parameter; each value may also list several, comma-separated.
std::vector<std::string> ListParam(const httplib::Request& req, const std::string& name);
// A flag: present with no value, "1", "true" or "yes".
bool FlagParam(const httplib::Request& req, const std::string& name);

// The query and filters of search, export and report (q, pillar, doc, lang, any); false (and
// 400 sent) when the query is longer than the limit. In api_search.cc.
bool ReadSearchRequest(Context& ctx, const httplib::Request& req, httplib::Response& res,
                       SearchRequest* request);

// The route registrations, one per area (a new area adds one function and one call in
// server.cc).
void RegisterSearchApi(httplib::Server& http, Context& ctx);
void RegisterPassageApi(httplib::Server& http, Context& ctx);
void RegisterDocumentApi(httplib::Server& http, Context& ctx);
void RegisterTagApi(httplib::Server& http, Context& ctx);
// Records `request` (its passage_id, action, concepts, note and by set) as a manual decision,
// under write_mutex and the index's write lock, and answers {passage, annotation_id, applied,
// warning} (with requested_id when the id had moved); 503 index_busy when another process held
// the lock past the request's time limit. What every tag write endpoint does once its body is
// read.
void RecordDecision(Context& ctx, ManualTagRequest request, httplib::Response& res);
void RegisterExportApi(httplib::Server& http, Context& ctx);
void RegisterMetaApi(httplib::Server& http, Context& ctx);
void RegisterStaticAssets(httplib::Server& http, Context& ctx);

// The OpenAPI document (server/openapi.json, embedded at build time).
std::string_view OpenApiText();

}  // namespace pillar::server
