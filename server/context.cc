#include "server/context.h"

#include <sys/stat.h>

#include <charconv>

#include "indexer/base/json.h"
#include "indexer/index/layout.h"

namespace pillar::server {

Result<std::unique_ptr<ReaderPool>> ReaderPool::Open(const std::filesystem::path& index_dir,
                                                     size_t size) {
  auto pool = std::make_unique<ReaderPool>();
  for (size_t k = 0; k < std::max<size_t>(size, 1); ++k) {
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(index_dir);
    if (!searcher.ok()) return searcher.status();
    pool->free_.push_back(std::move(searcher.value()));
  }
  return pool;
}

ReaderPool::Lease::~Lease() {
  if (pool_ && searcher_) pool_->Return(std::move(searcher_));
}

std::optional<ReaderPool::Lease> ReaderPool::Acquire(
    std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!freed_.wait_until(lock, deadline, [&] { return !free_.empty(); })) return std::nullopt;
  std::unique_ptr<Searcher> searcher = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(searcher));
}

void ReaderPool::Return(std::unique_ptr<Searcher> searcher) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(searcher));
  }
  freed_.notify_one();
}

std::chrono::steady_clock::time_point& Context::Deadline() {
  thread_local std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
  return deadline;
}

size_t& Context::StreamedBytes() {
  thread_local size_t bytes = 0;
  return bytes;
}

void SendJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body + "\n", "application/json; charset=utf-8");
}

void SendJson(httplib::Response& res, const nlohmann::json& body) {
  SendJson(res, 200, DumpJson(body));
}

namespace {
std::string& HiddenIndexPath() {
  static std::string path;
  return path;
}
}  // namespace

void HideIndexPathInErrors(const std::filesystem::path& index_dir) {
  HiddenIndexPath() = index_dir.string();
}

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  std::string shown = message;
  const std::string& hidden = HiddenIndexPath();
  if (!hidden.empty()) {
    for (size_t at = shown.find(hidden); at != std::string::npos;
         at = shown.find(hidden, at + 9)) {
      shown.replace(at, hidden.size(), "the index");
    }
  }
  nlohmann::json body = {{"error", {{"code", code}, {"message", shown}}}};
  // Headers set for a success (ETag, Cache-Control) do not describe an error.
  res.headers.erase("ETag");
  res.set_header("Cache-Control", "no-store");
  SendJson(res, status, DumpJson(body));
}

void SendStatus(httplib::Response& res, const Status& status) {
  switch (status.code()) {
    case Status::Code::kInvalidArgument:
      return SendError(res, 400, "invalid_argument", status.message());
    case Status::Code::kNotFound:
      return SendError(res, 404, "not_found", status.message());
    default:
      return SendError(res, 500, "internal", status.message());
  }
}

std::optional<ReaderPool::Lease> Reader(Context& ctx, httplib::Response& res) {
  std::optional<ReaderPool::Lease> lease = ctx.readers->Acquire(Context::Deadline());
  if (!lease) {
    SendError(res, 503, "busy", "every reader stayed busy for the request's time limit; try again");
  }
  return lease;
}

namespace {

// "<size>.<mtime ns>" of `file`, or "-" when it does not exist.
std::string FileState(const std::filesystem::path& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace

bool NotModified(Context& ctx, Searcher& searcher, const httplib::Request& req,
                 httplib::Response& res) {
  Result<uint64_t> revision = searcher.Revision();
  if (!revision.ok()) return false;
  // The annotation store (SQLite, WAL) changes only with a tag decision; its files' size and
  // time say whether one was made.
  std::filesystem::path store = AnnotationsPath(ctx.options.index_dir);
  std::string etag = "\"r" + std::to_string(*revision) + "-" +
                     std::to_string(std::hash<std::string>{}(FileState(store) + "|" +
                                                             FileState(store.string() + "-wal"))) +
                     "\"";
  res.set_header("ETag", etag);
  // Cached copies must be checked again (the index changes), cheaply with If-None-Match.
  res.set_header("Cache-Control", "no-cache");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return true;
  }
  return false;
}

namespace {

// Compares in time that depends only on the lengths: how much of a guess matched is not
// told by how long the comparison took.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::string& longer = a.size() >= b.size() ? a : b;
  for (size_t k = 0; k < longer.size(); ++k) {
    unsigned char x = k < a.size() ? static_cast<unsigned char>(a[k]) : 0;
    unsigned char y = k < b.size() ? static_cast<unsigned char>(b[k]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

}  // namespace

bool MayWrite(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  if (ctx.options.read_only) {
    SendError(res, 403, "read_only", "this server was started with --read-only");
    return false;
  }
  if (ctx.token.empty()) return true;
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.empty()) {
    res.set_header("WWW-Authenticate", "Bearer");
    SendError(res, 401, "unauthorized", "writes need the header Authorization: Bearer TOKEN");
    return false;
  }
  if (header.compare(0, prefix.size(), prefix) != 0 ||
      !ConstantTimeEquals(header.substr(prefix.size()), ctx.token)) {
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    SendError(res, 401, "unauthorized", "the bearer token is wrong");
    return false;
  }
  return true;
}

std::optional<size_t> SizeParam(const httplib::Request& req, httplib::Response& res,
                                const std::string& name, size_t fallback, size_t max) {
  if (!req.has_param(name.c_str())) return fallback;
  std::string value = req.get_param_value(name.c_str());
  size_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty() || out > max) {
    SendError(res, 400, "invalid_argument",
              "parameter " + name + " must be a whole number from 0 to " + std::to_string(max) +
                  ", not '" + value + "'");
    return std::nullopt;
  }
  return out;
}

std::vector<std::string> ListParam(const httplib::Request& req, const std::string& name) {
  std::vector<std::string> out;
  size_t n = req.get_param_value_count(name.c_str());
  for (size_t k = 0; k < n; ++k) {
    std::string value = req.get_param_value(name.c_str(), k);
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      if (comma > start) out.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

bool FlagParam(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name.c_str())) return false;
  std::string v = req.get_param_value(name.c_str());
  return v.empty() || v == "1" || v == "true" || v == "yes";
}

}  // namespace pillar::server
