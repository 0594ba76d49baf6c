// GET /api/export?format=...: the passages of the search filters, streamed as they are read
// (`pillar export`).

#include <streambuf>

#include "query/cite/export.h"
#include "server/context.h"

namespace pillar::server {

namespace {

// Raised to stop an export whose client went away (or the server is stopping): unwinds out
// of the passage loop, and the connection is closed without its last chunk, so the client
// sees a cut stream and not a short, complete-looking one.
struct StreamAborted {};

// An ostream buffer that sends 64 KB chunks to the client.
class SinkBuffer : public std::streambuf {
 public:
  SinkBuffer(httplib::DataSink& sink, const std::atomic<bool>& stopping)
      : sink_(sink), stopping_(stopping) {
    buffer_.resize(64 * 1024);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  bool Flush() {
    std::ptrdiff_t n = pptr() - pbase();
    if (n > 0 && (stopping_.load() || !sink_.write(pbase(), static_cast<size_t>(n)))) {
      return false;
    }
    Context::StreamedBytes() += static_cast<size_t>(n);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!Flush()) throw StreamAborted();
    if (c != traits_type::eof()) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    if (!Flush()) throw StreamAborted();
    return 0;
  }

 private:
  httplib::DataSink& sink_;
  const std::atomic<bool>& stopping_;
  std::vector<char> buffer_;
};

const char* ExportContentType(const std::string& format) {
  if (format == "jsonl") return "application/x-ndjson; charset=utf-8";
  if (format == "csv") return "text/csv; charset=utf-8";
  if (format == "w3c") return "application/ld+json; charset=utf-8";
  if (format == "csl-json") return "application/json; charset=utf-8";
  if (format == "ris") return "application/x-research-info-systems; charset=utf-8";
  return "text/plain; charset=utf-8";  // bibtex, biblatex
}

}  // namespace

void RegisterExportApi(httplib::Server& http, Context& ctx) {
  http.Get("/api/export", [&ctx](const httplib::Request& req, httplib::Response& res) {
    SearchRequest request;
    if (!ReadSearchRequest(ctx, req, res, &request)) return;
    ExportOptions options;
    if (req.has_param("format")) options.format = req.get_param_value("format");
    options.excel = FlagParam(req, "excel");
    const std::vector<std::string>& formats = ExportFormats();
    if (std::find(formats.begin(), formats.end(), options.format) == formats.end()) {
      std::string names;
      for (const std::string& f : formats) names += (names.empty() ? "" : ", ") + f;
      return SendError(res, 400, "invalid_argument",
                       "format must be one of " + names + ", not '" + options.format + "'");
    }
    if (options.excel && options.format != "csv") {
      return SendError(res, 400, "invalid_argument", "excel applies to format csv only");
    }
    std::optional<ReaderPool::Lease> reader = Reader(ctx, res);
    if (!reader) return;
    if (NotModified(ctx, **reader, req, res)) return;
    std::shared_ptr<Taxonomy> taxonomy;
    if (options.format == "csv" || options.format == "w3c") {
      Result<Taxonomy> loaded = Taxonomy::Load({(*reader)->TaxonomyPath()});
      if (!loaded.ok()) return SendStatus(res, loaded.status());
      taxonomy = std::make_shared<Taxonomy>(std::move(loaded.value()));
    }
    // The query and filters are checked before the first byte goes out, so that a bad one
    // is a 400 and not a cut stream.
    SearchRequest probe = request;
    probe.limit = 0;
    probe.facets = false;
    probe.suggest = false;
    if (Result<SearchResult> checked = (*reader)->Search(probe); !checked.ok()) {
      return SendStatus(res, checked.status());
    }
    // The reader stays borrowed while the stream is written (after this handler returns).
    auto held = std::make_shared<ReaderPool::Lease>(std::move(*reader));
    const std::atomic<bool>& stopping = ctx.stopping;
    res.set_chunked_content_provider(
        ExportContentType(options.format),
        [held, taxonomy, request, options, &stopping](size_t, httplib::DataSink& sink) {
          SinkBuffer buffer(sink, stopping);
          std::ostream out(&buffer);
          out.exceptions(std::ios::badbit);  // StreamAborted comes through
          try {
            Status st = WriteExport(**held, request, options, taxonomy.get(), out);
            if (!st.ok() || !buffer.Flush()) return false;
          } catch (const StreamAborted&) {
            return false;
          } catch (const std::ios::failure&) {
            return false;
          }
          sink.done();
          return true;
        });
  });
}

}  // namespace pillar::server
