#include "indexer/index/index_writer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fcntl.h>
#include <stdio.h>

#include <unistd.h>

#include <sys/statvfs.h>
#include <xapian.h>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/clock.h"
#include "indexer/base/encoding.h"
#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/id_aliases.h"
#include "indexer/index/layout.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/index/xapian_errors.h"
#include "indexer/ingest/catalog.h"
#include "indexer/ingest/coverage.h"
#include "indexer/segment/acronyms.h"
#include "indexer/ingest/html_reader.h"
#include "indexer/ingest/reader.h"
#include "indexer/segment/language.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"

namespace fs = std::filesystem;

namespace pillar {
namespace {

// The B-tree block size of every database Pillar creates (segments, the compacted index, a
// new empty index); Xapian's default is 8 KB and a database keeps the size it was created
// with. On the 100 MB bench corpus 32 KB blocks index 2-3% faster (less system time: fewer
// blocks rewritten per flush), make a 1% smaller index and do not slow queries (three
// interleaved runs each, docs/performance.md).
constexpr unsigned kBlockSize = 32768;

std::string Canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return PathText(ec ? fs::absolute(p) : c);
}

// Metadata comes from file names, catalogs and the files' own properties (a PDF's Info
// dictionary, DOCX core properties): whatever a reader let through, what is stored is UTF-8.
void SanitizeMetadata(DocumentMetadata& meta) {
  for (std::string* field : {&meta.id, &meta.title, &meta.issuer, &meta.symbol, &meta.date,
                             &meta.language, &meta.type, &meta.url, &meta.author, &meta.note}) {
    *field = EscapeInvalidUtf8(*field);
  }
}

// Whether the file a stored path (PathText) names is there.
bool StoredPathExists(const std::string& stored) {
  std::error_code ec;
  return fs::exists(stored, ec) || fs::exists(PathFromText(stored), ec);
}

bool SkippedInWalk(const fs::path& p) {
  std::string name = p.filename().string();
  if (name.empty() || name[0] == '.') return true;
  if (name == "catalog.xml") return true;
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return StartsWith(lower, "readme");
}

// One input file and the catalog record that applies to it.
struct Job {
  fs::path path;
  std::string canonical;
  const DocumentMetadata* catalog_record = nullptr;
  std::string error;  // set when the file failed before reading (e.g. unreadable folder)
  bool from_walk = false;  // found in a folder rather than named on the command line
  uint64_t size = 0;       // on disk when listed, for progress (0 when unknown)
};

struct Context;

// What a worker hands to the writer for one file.
struct Prepared {
  FileReport report;
  DocumentRecord record;
  ExtractedDocument doc;  // blocks and text (passage ranges point into doc.text)
  DocumentLanguages languages;  // blocks reliably in another language than the document's
  std::vector<Passage> passages;
  // The Xapian documents of `passages`, built by the worker; empty when `deferred`.
  std::vector<Xapian::Document> documents;
  // A document of more than kDeferPassages passages: its passages and Xapian documents are
  // made one at a time as they are written (WriteDocument), never all held at once; the
  // worker only counts them. `passages` is filled only when manual tags must be re-attached.
  bool deferred = false;
  const Context* ctx = nullptr;  // for making deferred passages
  // (stem, word) pairs first met while building `documents` (Analyzer::TakeNewForms), sorted.
  std::vector<std::pair<std::string, std::string>> forms;
  // The acronyms the document defines ("Rapid Support Forces (RSF)"), once each.
  std::vector<AcronymDefinition> acronyms;
};

// Everything a worker needs, shared read-only.
struct Context {
  const IndexOptions* options;
  const RuleTagger* tagger;
  std::string fingerprint_salt;  // taxonomy + schema: changes force re-tagging
  std::map<std::string, std::string> old_hashes;  // canonical path -> content hash
};

std::string Fingerprint(const std::string& bytes_hash, const DocumentMetadata* record,
                        const std::string& salt) {
  std::string meta;
  if (record) {
    DocumentRecord r;
    r.meta = *record;
    meta = EncodeDocumentRecord(r);
  }
  return bytes_hash + "-" + ContentHash(meta + salt);
}

// One Analyzer per language, made on first use.
class Analyzers {
 public:
  // With `record_forms`, each analyzer notes its new stem forms (Analyzer::set_record_forms).
  explicit Analyzers(bool record_forms) : record_forms_(record_forms) {}

  Analyzer& For(const std::string& language) {
    std::unique_ptr<Analyzer>& analyzer = by_language_[language];
    if (!analyzer) {
      analyzer = std::make_unique<Analyzer>(language);
      analyzer->set_record_forms(record_forms_);
    }
    return *analyzer;
  }

  template <typename F>
  void ForEach(F f) {
    for (auto& entry : by_language_) f(*entry.second);
  }

 private:
  bool record_forms_;
  std::map<std::string, std::unique_ptr<Analyzer>> by_language_;
};

// Splits, tags and builds the Xapian documents of an extracted document. A passage whose
// block was reliably detected in another language than the document's (out.languages) gets
// that language, its analyzer (stemmer, elisions) and its tagging rules.
// A file of 1 million paragraphs held 2 GB of Xapian documents and 0.5 GB of passages before
// the first was written. Past this many passages a document is deferred (Prepared::deferred):
// the worker only counts its passages, and the writer splits, tags and builds them one at a
// time as it writes them, in bounded memory. Splitting twice costs less than the memory did.
constexpr size_t kDeferPassages = 20000;

// Gives each passage of `doc` its language, tags and tokens, one at a time, to `fn`.
// `analyzers` note the stem forms met.
template <typename Fn>
void ForEachTaggedPassage(const ExtractedDocument& doc, const DocumentLanguages& languages,
                          const Context& ctx, Analyzers& analyzers, Fn fn) {
  // A list item under the paragraph that introduces it ("... as follows:"), and each item
  // after it in the same section, carries that paragraph's first words as its nearest
  // heading (Passage::lead_in, LeadInWords).
  std::string lead_in;
  std::vector<std::string> lead_section;
  SplitPassagesTo(doc, ctx.options->split, [&](Passage&& p) {
    if (!p.footnote) {
      if (!lead_in.empty() && (p.list_item || IsListItem(p.text)) && p.section == lead_section) {
        p.lead_in = lead_in;
      } else {
        lead_in = IsLeadIn(p.text) ? LeadInWords(p.text) : std::string();
        lead_section = p.section;
      }
    }
    std::string_view own = languages.LanguageAt(p.begin);
    if (!own.empty()) p.language = own;
    Analyzer& analyzer = analyzers.For(p.language);
    std::vector<Token> tokens = analyzer.Tokenize(p.text);
    // Stemming a word is what notes its stem form for the synonym table (TakeNewForms
    // below): every indexed word, and its accent-folded form, which is indexed too. (The
    // tagger stems them again, from the analyzer's cache: sharing the stems was no faster.)
    for (const Token& t : tokens) {
      analyzer.Stem(t.term);
      if (const std::string* folded = analyzer.FoldedForm(t.term)) analyzer.Stem(*folded);
    }
    if (ctx.tagger) p.tags = ctx.tagger->TagPassage(p, tokens, analyzer);
    fn(p, tokens, analyzer);
  });
}

// Each analyzer's new stem forms, sorted so that the writer adds each stem's words together.
std::vector<std::pair<std::string, std::string>> TakeForms(Analyzers& analyzers) {
  std::vector<std::pair<std::string, std::string>> forms;
  analyzers.ForEach([&](Analyzer& analyzer) {
    for (auto& form : analyzer.TakeNewForms()) forms.push_back(std::move(form));
  });
  std::sort(forms.begin(), forms.end());
  return forms;
}

// Splits, tags and builds the Xapian documents of an extracted document. A passage whose
// block was reliably detected in another language than the document's (out.languages) gets
// that language, its analyzer (stemmer, elisions) and its tagging rules.
void BuildPassages(Prepared& out, ExtractedDocument& doc, const Context& ctx,
                   Analyzers& analyzers) {
  out.passages.clear();
  out.documents.clear();
  out.ctx = &ctx;
  size_t count = 0;
  SplitPassagesTo(doc, ctx.options->split, [&](Passage&&) { ++count; });
  out.deferred = count > kDeferPassages;
  out.record.passages = static_cast<int>(count);
  std::set<std::pair<std::string, std::string>> seen;  // a set: a file may define thousands
  for (auto* find : {&FindAcronymDefinitions, &FindListedAcronyms}) {
    for (AcronymDefinition& d : find(doc.text)) {
      if (seen.emplace(d.acronym, d.long_form).second) out.acronyms.push_back(std::move(d));
    }
  }
  if (out.deferred) return;
  out.passages.reserve(count);
  out.documents.reserve(count);
  ForEachTaggedPassage(doc, out.languages, ctx, analyzers,
                       [&](Passage& p, const std::vector<Token>& tokens, Analyzer& analyzer) {
                         out.documents.push_back(
                             BuildPassageDocument(p, doc.meta, tokens, analyzer));
                         out.passages.push_back(std::move(p));
                       });
  // A worker's analyzer reports each form once, with the first document that has it, and
  // every prepared document is written (WriteDocument records its forms). Sorted here, on
  // the worker, so that the writer adds each stem's words together.
  for (auto& form : TakeForms(analyzers)) out.forms.push_back(std::move(form));
  std::sort(out.forms.begin(), out.forms.end());
}

// The passages of a deferred document, made in full: only when its manual tags are re-attached.
void MaterializePassages(Prepared& item) {
  Analyzers analyzers(/*record_forms=*/true);
  ForEachTaggedPassage(item.doc, item.languages, *item.ctx, analyzers,
                       [&](Passage& p, const std::vector<Token>&, Analyzer&) {
                         item.passages.push_back(std::move(p));
                       });
  item.forms = TakeForms(analyzers);
}

Prepared PrepareFileUnguarded(const Job& job, const Context& ctx) {
  Prepared out;
  out.report.path = PathText(job.path);
  if (!job.error.empty()) {
    out.report.outcome = FileOutcome::kFailed;
    out.report.message = job.error;
    return out;
  }
  ReadOptions read;
  read.ocr = ctx.options->ocr;
  Result<std::string> bytes = ReadFileBytes(job.path, read.max_file_bytes);
  if (!bytes.ok()) {
    out.report.outcome = FileOutcome::kFailed;
    out.report.message = bytes.status().message();
    return out;
  }
  // A report Pillar wrote into the corpus folder would index its own snippets as a document.
  if (ReaderRegistry::Default().ForPath(job.path)->Name() == "html" && IsPillarReport(*bytes)) {
    out.report.outcome = job.from_walk ? FileOutcome::kSkipped : FileOutcome::kFailed;
    out.report.message = "a report written by pillar report, not a document";
    return out;
  }
  // What of the read options changes this file's text (OCR for a PDF) is part of its
  // fingerprint; "" for everything else, so fingerprints made before stay valid.
  std::string options_key = ReaderRegistry::Default().ForPath(job.path)->OptionsKey(read);
  std::string hash = Fingerprint(ContentHash(*bytes), job.catalog_record,
                                 ctx.fingerprint_salt + options_key);
  auto old = ctx.old_hashes.find(job.canonical);
  if (!ctx.options->force && old != ctx.old_hashes.end() && old->second == hash) {
    out.report.outcome = FileOutcome::kUnchanged;
    return out;
  }
  // The coverage check reads the file again its own way: keep the bytes when it measures them.
  // Plain text is not checked while indexing: its reader keeps every word by construction
  // (only white space and blank lines shape it), and a second pass over the largest corpora
  // cost ~3% of indexing time.
  std::string_view format = ReaderRegistry::Default().ForPath(job.path)->Name();
  std::string kept_bytes;
  if (CoverageMeasures(format) && format != "text") kept_bytes = *bytes;
  Result<ExtractedDocument> parsed =
      ParseDocumentBytes(job.path, std::move(bytes.value()), read);
  if (!parsed.ok()) {
    // An XML file of some other vocabulary found in a folder is not a document: skip it.
    bool other_xml = parsed.status().code() == Status::Code::kUnsupported &&
                     StartsWith(parsed.status().message(), "unknown XML vocabulary");
    out.report.outcome = job.from_walk && other_xml ? FileOutcome::kSkipped : FileOutcome::kFailed;
    out.report.message = parsed.status().message();
    return out;
  }
  ExtractedDocument& doc = parsed.value();
  DocumentMetadata from_file = doc.meta;
  doc.meta = job.catalog_record ? *job.catalog_record : DocumentMetadata();
  doc.meta.FillFrom(from_file);
  SanitizeMetadata(doc.meta);
  if (doc.meta.id.empty()) doc.meta.id = DocIdForFile(job.path);
  // The catalog's or the file's own language wins; else the one detected in its text; else,
  // when the text is too short or too mixed for CLD2 to be sure, English, as before detection.
  out.languages = DocumentLanguages(doc, /*whole_document=*/doc.meta.language.empty());
  if (doc.meta.language.empty()) doc.meta.language = out.languages.dominant();
  if (doc.meta.language.empty()) doc.meta.language = "en";
  if (doc.meta.title.empty()) doc.meta.title = PathText(job.path.stem());

  // One analyzer per worker thread and language. Workers are the threads of one run
  // (RunPipeline), so each run meets every word afresh and hands on all the stem forms its
  // documents hold (Prepared::forms), whatever earlier runs in this process wrote elsewhere.
  thread_local Analyzers analyzers(/*record_forms=*/true);

  out.record.meta = doc.meta;
  out.record.path = job.canonical;
  out.record.format = std::string(format);
  if (!kept_bytes.empty()) {
    Coverage coverage = MeasureCoverage(format, kept_bytes, doc.text);
    out.record.coverage = coverage.Share();
    out.record.warning = CoverageWarning(out.report.path, coverage);
    out.report.warning = out.record.warning;
  }
  out.record.content_hash = hash;
  out.record.indexed_at = UtcNow();
  BuildPassages(out, doc, ctx, analyzers);
  if (!doc.detected_encoding.empty()) out.report.note = "read as " + doc.detected_encoding;
  out.report.doc_id = doc.meta.id;
  out.doc = std::move(doc);
  out.report.passages = static_cast<size_t>(out.record.passages);
  out.report.outcome = FileOutcome::kIndexed;
  return out;
}

// PrepareFile, with anything a reader or the segmenter throws (out of memory on a file too
// large for the machine, a bug meeting an input never seen) reported as that file's failure:
// thrown out of a worker thread it would end the run with no word of which file.
Prepared PrepareFile(const Job& job, const Context& ctx) {
  try {
    return PrepareFileUnguarded(job, ctx);
  } catch (const std::bad_alloc&) {
    Prepared out;
    out.report.path = PathText(job.path);
    out.report.outcome = FileOutcome::kFailed;
    out.report.message = "out of memory while reading it; the other files go on";
    return out;
  } catch (const std::exception& e) {
    Prepared out;
    out.report.path = PathText(job.path);
    out.report.outcome = FileOutcome::kFailed;
    out.report.message = std::string("internal error while reading it (") + e.what() +
                         "); please report it with the file";
    return out;
  }
}

bool Stopped(const std::atomic<int>* stop) { return stop && stop->load() != 0; }

// Runs PrepareFile over `jobs` on `threads` workers and hands results to `consume` in input
// order, keeping at most a bounded number of prepared files in memory. Once `stop` is set,
// no worker starts another file and `consume` gets, in order, the files workers had started;
// returns false then (true when every job was consumed).
bool RunPipeline(const std::vector<Job>& jobs, const Context& ctx, int threads,
                 const std::atomic<int>* stop, const std::function<void(Prepared&)>& consume) {
  const size_t window = static_cast<size_t>(threads) * 4;
  std::vector<std::unique_ptr<Prepared>> slots(jobs.size());
  std::mutex mu;
  std::condition_variable ready, room;
  size_t next_job = 0, consumed = 0;
  bool halt = false;  // set (under mu) once `stop` was seen

  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        room.wait(lock,
                  [&] { return halt || next_job >= jobs.size() || next_job < consumed + window; });
        if (halt || next_job >= jobs.size() || Stopped(stop)) return;
        i = next_job++;
      }
      auto prepared = std::make_unique<Prepared>(PrepareFile(jobs[i], ctx));
      {
        std::lock_guard lock(mu);
        slots[i] = std::move(prepared);
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  bool complete = true;
  for (size_t i = 0; i < jobs.size(); ++i) {
    std::unique_ptr<Prepared> item;
    {
      std::unique_lock lock(mu);
      // A signal handler cannot notify a condition variable: look at `stop` now and then.
      while (slots[i] == nullptr && !(Stopped(stop) && i >= next_job)) {
        ready.wait_for(lock, std::chrono::milliseconds(50));
      }
      if (slots[i] == nullptr) {  // stopped, and no worker took this file
        complete = false;
        break;
      }
      item = std::move(slots[i]);
      consumed = i + 1;
      if (Stopped(stop)) halt = true;
    }
    room.notify_all();
    consume(*item);
  }
  {
    std::lock_guard lock(mu);
    halt = true;
  }
  room.notify_all();
  for (auto& t : pool) t.join();
  return complete;
}

std::string MetaKey(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + std::string(key);
}

// The ids and texts of a prepared document's passages, in order; a deferred document is
// split again for them (its passages are not held).
std::vector<PassageText> NewPassageTexts(const Prepared& item) {
  std::vector<PassageText> out;
  if (!item.deferred || !item.passages.empty()) {
    out.reserve(item.passages.size());
    for (const Passage& p : item.passages) out.push_back({p.id, p.text});
    return out;
  }
  SplitPassagesTo(item.doc, item.ctx->options->split,
                  [&](Passage&& p) { out.push_back({std::move(p.id), std::move(p.text)}); });
  return out;
}

// Writes a prepared document's passages and its metadata (record, text, file key).
void WriteDocument(Xapian::WritableDatabase& db, const Prepared& item) {
  const std::string& id = item.record.meta.id;
  for (const Xapian::Document& document : item.documents) db.add_document(document);
  std::vector<std::pair<std::string, std::string>> streamed_forms;
  if (item.deferred && !item.passages.empty()) {
    // Made in full for re-attaching manual tags, with their forms (MaterializePassages).
    Analyzers analyzers(/*record_forms=*/false);
    for (const Passage& p : item.passages) {
      Analyzer& analyzer = analyzers.For(p.language);
      db.add_document(
          BuildPassageDocument(p, item.record.meta, analyzer.Tokenize(p.text), analyzer));
    }
  } else if (item.deferred) {
    // One passage at a time: Xapian flushes its own buffers as they fill.
    Analyzers analyzers(/*record_forms=*/true);
    ForEachTaggedPassage(item.doc, item.languages, *item.ctx, analyzers,
                         [&](Passage& p, const std::vector<Token>& tokens, Analyzer& analyzer) {
                           db.add_document(
                               BuildPassageDocument(p, item.record.meta, tokens, analyzer));
                         });
    streamed_forms = TakeForms(analyzers);
  }
  // Each stem's words, for the query side to expand a stem to (ExpandStems). Xapian rewrites a
  // synonym entry whenever the next call names another stem: in stem order (BuildPassages
  // sorts them), once per stem.
  using Forms = std::vector<std::pair<std::string, std::string>>;
  for (const Forms* forms : {&item.forms, static_cast<const Forms*>(&streamed_forms)}) {
    for (const auto& [stem, word] : *forms) {
      db.add_synonym(std::string(schema::kPrefixStem) + stem, word);
    }
  }
  // Its acronyms, for the query side to search a long form's acronym and an acronym's long
  // forms too (AcronymTable::Load). Like the stem forms, an entry outlives the documents that
  // made it.
  for (const AcronymDefinition& d : item.acronyms) {
    db.add_synonym(std::string(schema::kSynonymAcronym) + AcronymKey(d.acronym),
                   d.acronym + "=" + d.long_form);
  }
  db.set_metadata(MetaKey(schema::kMetaDocPrefix, id), EncodeDocumentRecord(item.record));
  db.set_metadata(MetaKey(schema::kMetaTextPrefix, id), item.doc.text);
  db.set_metadata(MetaKey(schema::kMetaFilePrefix, item.record.path), id);
}

// Passes the name of each table Xapian starts compacting to a callback (progress).
class TableReporter : public Xapian::Compactor {
 public:
  explicit TableReporter(const std::function<void(const std::string&)>& on_table)
      : on_table_(on_table) {}
  void set_status(const std::string& table, const std::string& status) override {
    if (on_table_ && status.empty()) on_table_(table);  // "" marks a table's start
  }

 private:
  const std::function<void(const std::string&)>& on_table_;
};

// The bulk path for an empty index: one shard per writer thread in a staging folder beside
// the index, each fed whole documents from a bounded queue and written as a series of
// segments (Xapian databases of their own), then all compacted into one database that is
// swapped in for the empty one. A single Xapian writer is where nearly all indexing time
// goes, so this is what lets more cores help; compaction also packs the B-trees that
// incremental commits leave part-empty.
class ShardBuilder {
 public:
  ShardBuilder(fs::path staging, int writers, size_t segment_passages,
               const std::vector<std::pair<std::string, std::string>>& metadata)
      : staging_(std::move(staging)), segment_passages_(std::max<size_t>(1, segment_passages)) {
    std::error_code ec;
    fs::create_directories(staging_, ec);  // Xapian reports the folder it cannot create
    for (int k = 0; k < writers; ++k) {
      auto shard = std::make_unique<Shard>();
      shard->name = "shard-" + std::to_string(k);
      OpenSegment(*shard);
      if (k == 0) {
        for (const auto& [key, value] : metadata) shard->db.set_metadata(key, value);
      }
      shards_.push_back(std::move(shard));
    }
    for (auto& shard : shards_) {
      threads_.emplace_back([this, s = shard.get()] { Run(*s); });
    }
  }
  ~ShardBuilder() {
    Stop();
    for (auto& shard : shards_) {
      try {
        shard->db.close();
      } catch (const Xapian::Error&) {
        // The shard is about to be removed; whatever it failed to write does not matter.
      }
    }
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }

  // Queues a document for whichever writer is free; blocks while the queue is full. After a
  // writer failed, documents are dropped (Finish reports the failure) rather than queued.
  void Add(Prepared&& item) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return queue_.size() < 2 * shards_.size() || !error_.empty(); });
    if (!error_.empty()) return;
    queue_.push_back(std::make_unique<Prepared>(std::move(item)));
    ++documents_;
    ready_.notify_one();
  }

  size_t documents() const { return documents_; }

  // Waits for the writers, then compacts `base` (a committed database, when given: its
  // documents come first) and every shard into `dest` (a new folder). `on_table` (optional)
  // is called with the name of each table compaction starts ("postlist", "termlist"...).
  Status Finish(const fs::path& dest, const std::optional<fs::path>& base = std::nullopt,
                const std::function<void(const std::string&)>& on_table = {}) {
    Stop();
    if (!error_.empty()) return Status::IOError(error_);
    try {
      Xapian::Database all;
      if (base) all.add_database(Xapian::Database(base->string()));
      for (auto& shard : shards_) {
        shard->db.close();
        for (const fs::path& segment : shard->segments) {
          all.add_database(Xapian::Database(segment.string()));
        }
      }
      TableReporter reporter(on_table);
      all.compact(dest.string(), 0, kBlockSize, reporter);
    } catch (const Xapian::Error& e) {
      return Status::IOError(dest.string() + ": " + e.get_description());
    } catch (const std::bad_alloc&) {
      return Status::IOError(dest.string() + ": out of memory while merging the index");
    }
    return Status::Ok();
  }

 private:
  // One writer's output: a series of segments, the last one open in `db`.
  struct Shard {
    std::string name;
    std::vector<fs::path> segments;
    Xapian::WritableDatabase db;
    size_t in_segment = 0;  // passages written to the open segment
  };

  void OpenSegment(Shard& shard) {
    shard.segments.push_back(staging_ /
                             (shard.name + "-" + std::to_string(shard.segments.size())));
    // No fsync: a segment is thrown away if the run dies; compaction syncs the result.
    shard.db = Xapian::WritableDatabase(shard.segments.back().string(),
                                        Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC,
                                        kBlockSize);
    shard.in_segment = 0;
  }

  // Every flush rewrites the B-tree blocks that hold the tails of the terms it adds, and in a
  // growing database those are more and more blocks: two databases taking 300 MB of the bench
  // corpus whole wrote 38.9 GB through write(2) for a 1.7 GB index. So each writer starts a
  // new segment every `segment_passages_` passages (8.9 GB written, 11% less CPU with 20,000)
  // and the final compaction merges them all in one pass. Compaction holds every segment
  // open (four or five files each), so the segments of a writer double in size every fourth
  // one: with two writers, 1 GB of the bench corpus (2.5 million passages) makes 34
  // segments, 10 GB 58; with eight writers, 1 GB makes 72.
  size_t SegmentCapacity(size_t segment) const {
    return segment_passages_ << std::min<size_t>(segment / 4, 20);
  }

  // Passages a segment takes between flushes. Xapian's default (10,000 documents) holds a
  // large in-memory inverter whose maps outgrow the caches: on the 100 MB bench corpus
  // flushing every 2,500 passages was 14% less CPU than the default and peak RSS fell from
  // 458 to 169 MB. Smaller flushes cost more once the database they flush into is large, but
  // within segments of 20,000 passages 1,000 is best: 26.5 -> 25.0 s and 200 -> 107 MB
  // against 2,500 (three interleaved runs each); 500 and 300 were no faster, with more
  // system time.
  static constexpr size_t kFlushPassages = 1000;

  // Xapian 1.4 can end the process when a commit runs out of disk space part-way: an
  // exception thrown inside the library while another unwinds (std::terminate from
  // WritableDatabase::commit, about one run in ten of the disk-full test under ASan). So
  // before each commit a writer checks the free space where its segment lives, and fails as
  // a full disk would when it is less than the commit may write: the text since the last
  // commit four times over (positions, postings, the B-tree's copy-on-write blocks) plus 1 MiB.
  bool RoomToCommit(const Shard& shard, size_t text_bytes) {
    struct statvfs fs_info;
    if (::statvfs(shard.segments.back().c_str(), &fs_info) != 0) return true;  // Xapian will say
    const uint64_t free_bytes = static_cast<uint64_t>(fs_info.f_bavail) * fs_info.f_frsize;
    const uint64_t needed = static_cast<uint64_t>(text_bytes) * 4 + (1u << 20);
    if (free_bytes >= needed) return true;
    Fail(shard, "No space left on device: " + std::to_string(free_bytes) +
                    " bytes free, a commit of this segment may need " + std::to_string(needed));
    return false;
  }

  void Run(Shard& shard) {
    size_t pending = 0;
    size_t pending_bytes = 0;  // document text since the last commit
    for (;;) {
      std::unique_ptr<Prepared> item;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) break;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      room_.notify_one();
      try {
        pending_bytes += item->doc.text.size();
        WriteDocument(shard.db, *item);
        pending += static_cast<size_t>(item->record.passages);
        shard.in_segment += static_cast<size_t>(item->record.passages);
        if (shard.in_segment >= SegmentCapacity(shard.segments.size() - 1)) {
          if (!RoomToCommit(shard, pending_bytes)) return;
          shard.db.commit();
          shard.db.close();
          OpenSegment(shard);
          pending = 0;
          pending_bytes = 0;
        } else if (pending >= kFlushPassages) {
          if (!RoomToCommit(shard, pending_bytes)) return;
          shard.db.commit();
          pending = 0;
          pending_bytes = 0;
        }
      } catch (const Xapian::Error& e) {
        Fail(shard, e.get_description());
        return;
      } catch (const std::exception& e) {
        // Out of memory, or a file system error: an exception leaving a thread would end the
        // process with no word of which file or why.
        Fail(shard, e.what());
        return;
      }
    }
    try {
      if (!RoomToCommit(shard, pending_bytes)) return;
      shard.db.commit();
    } catch (const Xapian::Error& e) {
      Fail(shard, e.get_description());
    } catch (const std::exception& e) {
      Fail(shard, e.what());
    }
  }

  // Keeps the first writer error and stops all writers; Add drops documents from then on.
  void Fail(const Shard& shard, const std::string& why) {
    std::lock_guard lock(mu_);
    if (error_.empty()) error_ = shard.segments.back().string() + ": " + why;
    done_ = true;
    queue_.clear();
    room_.notify_all();
    ready_.notify_all();
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  fs::path staging_;
  size_t segment_passages_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::unique_ptr<Prepared>> queue_;
  bool done_ = false;
  std::string error_;
  size_t documents_ = 0;
};

// An index is extended through shards (see IndexPaths) only by runs of at least this many
// new files, and at least as many as it holds: compaction rewrites the whole index.
constexpr size_t kMinAppendFiles = 64;

// A reader open on the database being replaced only reopens when the revision on disk is
// above its own, and a freshly compacted database starts low: commit to `built` (its build
// time, kMetaBuiltAt) until its revision is above `live_revision`.
Status LiftRevision(const fs::path& built, Xapian::rev live_revision) {
  try {
    Xapian::WritableDatabase db(built.string(), Xapian::DB_OPEN);
    int n = 0;
    do {
      db.set_metadata(std::string(schema::kMetaBuiltAt), UtcNow() + "#" + std::to_string(++n));
      db.commit();
    } while (db.get_revision() <= live_revision);
    db.set_metadata(std::string(schema::kMetaBuiltAt), UtcNow());
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    return Status::IOError(built.string() + ": " + e.get_description());
  }
  return Status::Ok();
}

// Replaces the database folder `live` by `built` in one step (renameat2 RENAME_EXCHANGE),
// so a reader sees the old or the new index, never none; then removes the old one.
Status SwapInto(const fs::path& built, const fs::path& live) {
  if (::renameat2(AT_FDCWD, built.c_str(), AT_FDCWD, live.c_str(), RENAME_EXCHANGE) != 0) {
    // A file system without the exchange: two renames, with a moment without an index.
    std::error_code ec;
    fs::path old = live;
    old += ".old";
    fs::remove_all(old, ec);
    fs::rename(live, old, ec);
    if (ec) return Status::IOError(live.string() + ": " + ec.message());
    fs::rename(built, live, ec);
    if (ec) return Status::IOError(live.string() + ": " + ec.message());
    fs::remove_all(old, ec);
    return Status::Ok();
  }
  std::error_code ec;
  fs::remove_all(built, ec);  // now the old database
  return Status::Ok();
}

// Deletes every passage and metadata entry of a document.
void RemoveDocument(Xapian::WritableDatabase& db, const std::string& doc_id) {
  db.delete_document(std::string(schema::kPrefixDoc) + doc_id);
  db.set_metadata(MetaKey(schema::kMetaDocPrefix, doc_id), "");
  db.set_metadata(MetaKey(schema::kMetaTextPrefix, doc_id), "");
}

// IOError naming the folder when the index folder, or its xapian/ folder when it exists, may
// not be written by this process (permissions, a read-only mount).
Status CheckWritable(const fs::path& index_dir, const fs::path& xapian_dir) {
  for (const fs::path& dir : {index_dir, xapian_dir}) {
    std::error_code ec;
    if (dir == xapian_dir && !fs::exists(dir, ec)) continue;
    if (::access(dir.c_str(), W_OK) != 0) {
      return Status::IOError(PathText(dir) + ": cannot write to the index folder (" +
                             std::strerror(errno) + ")");
    }
  }
  return Status::Ok();
}

// The taxonomy an index was last built with (its absolute path), or "" for a new index, one
// built untagged, or one that cannot be opened (the writer reports that itself).
std::string RecordedTaxonomy(const fs::path& index_dir) {
  std::error_code ec;
  fs::path xapian_dir = XapianPath(index_dir);
  if (!fs::exists(xapian_dir, ec)) return {};
  try {
    return Xapian::Database(xapian_dir.string()).get_metadata(std::string(schema::kMetaTaxonomy));
  } catch (const Xapian::Error&) {
    return {};
  }
}

// Which taxonomy tags this run: --taxonomy, else $PILLAR_TAXONOMY, else the one the index was
// built with, else the one beside the program (DefaultTaxonomyPath); an empty path with
// --no-taxonomy. Returns InvalidArgument when the index's own taxonomy is gone or none is
// found: re-tagging every document with nothing must be asked for, not happen.
Result<fs::path> ChooseTaxonomy(const IndexOptions& options, const std::string& recorded) {
  if (options.no_taxonomy) return fs::path();
  if (options.taxonomy) return *options.taxonomy;
  if (const char* env = std::getenv("PILLAR_TAXONOMY"); env && *env) return fs::path(env);
  if (!recorded.empty()) {
    std::error_code ec;
    if (fs::is_regular_file(recorded, ec)) return fs::path(recorded);
    return Status::InvalidArgument(
        "the index was tagged with the taxonomy " + EscapeInvalidUtf8(recorded) +
        ", which is no longer there; nothing was indexed. Give it (or another) with --taxonomy "
        "FILE or $PILLAR_TAXONOMY, or index untagged with --no-taxonomy");
  }
  fs::path found = DefaultTaxonomyPath();
  if (found.empty()) {
    return Status::InvalidArgument(
        "no taxonomy found (looked for corpus/taxonomy/poc.skos.xml near the program and in "
        "the current folder, and for share/pillar/taxonomy/poc.skos.xml in the program's "
        "install prefix); nothing was indexed. Give one with --taxonomy FILE or "
        "$PILLAR_TAXONOMY, or index untagged with --no-taxonomy");
  }
  return found;
}

OrphanReport OrphanFor(const Annotation& a, const std::string& path, const char* why) {
  OrphanReport r;
  r.annotation_id = a.id;
  r.passage_id = a.anchor.passage_id;
  r.doc_id = a.anchor.doc_id;
  r.path = path;
  r.action = a.action == Annotation::Action::kAdd      ? "add"
             : a.action == Annotation::Action::kRemove ? "remove"
                                                       : "set";
  r.concepts = a.concepts;
  r.by = a.by;
  r.why = why;
  return r;
}

// Brings the manual tags of the passages in `db` up to date with the annotation store, when
// it holds decisions recorded after kMetaAnnotationsApplied (a `pillar tag` killed between
// recording a decision and updating the index, or one that could not write the index):
// each passage with decisions, except those of `rewritten` documents (written in this run
// with their decisions applied), gets its rule tags and manual decisions again, and is
// rewritten only if that changes it. Then records the store's last id as applied. Reads
// every decision, but only in a run after some were recorded.
Status ApplyPendingDecisions(Xapian::WritableDatabase& db, AnnotationStore& store,
                             const RuleTagger* tagger, const std::set<std::string>& rewritten) {
  const std::string key(schema::kMetaAnnotationsApplied);
  Result<int64_t> last = store.LastId();
  if (!last.ok()) return last.status();
  std::string applied = db.get_metadata(key);
  if (*last == std::strtoll(applied.c_str(), nullptr, 10)) return Status::Ok();  // "" is 0
  Result<std::vector<Annotation>> all = store.All();
  if (!all.ok()) return all.status();
  std::map<std::string, std::vector<Annotation>> by_passage;
  // A passage whose decisions were deleted (or undone) gets its tags computed again, with
  // the decisions it has left, if any.
  Result<std::vector<Annotation>> deleted = store.Deleted();
  if (!deleted.ok()) return deleted.status();
  for (const Annotation& a : *deleted) {
    if (!a.orphan && !rewritten.count(a.anchor.doc_id)) by_passage[a.anchor.passage_id];
  }
  for (Annotation& a : *all) {
    if (!a.orphan && !rewritten.count(a.anchor.doc_id)) {
      by_passage[a.anchor.passage_id].push_back(std::move(a));
    }
  }
  Analyzers analyzers(/*record_forms=*/false);
  for (const auto& [passage_id, history] : by_passage) {
    std::string id_term = std::string(schema::kPrefixId) + passage_id;
    Xapian::PostingIterator p = db.postlist_begin(id_term);
    if (p == db.postlist_end(id_term)) continue;  // placed in no current passage
    Xapian::Document doc = db.get_document(*p);
    std::string before = doc.get_data();
    Result<Passage> passage = DecodePassage(before);
    if (!passage.ok()) continue;
    Analyzer& analyzer = analyzers.For(passage->language);
    std::vector<Tag> automatic;
    if (tagger) {
      automatic = tagger->TagPassage(*passage, analyzer.Tokenize(passage->text), analyzer);
    }
    passage->tags = ApplyManualDecisions(automatic, history);
    UpdatePassageTags(doc, *passage);
    if (doc.get_data() != before) db.replace_document(*p, doc);
  }
  db.set_metadata(key, std::to_string(*last));
  return Status::Ok();
}

// Opens (or creates) the index's Xapian database for writing, polling every 50 ms for up to
// options.lock_wait while another process holds the write lock (a tag write is over in well
// under a second) or until options.stop is set. Throws DatabaseLockError after that, and what
// Xapian throws otherwise.
Xapian::WritableDatabase OpenWaitingForLock(const fs::path& xapian_dir,
                                            const IndexOptions& options) {
  const auto deadline = std::chrono::steady_clock::now() + options.lock_wait;
  while (true) {
    try {
      return Xapian::WritableDatabase(xapian_dir.string(), Xapian::DB_CREATE_OR_OPEN,
                                      kBlockSize);
    } catch (const Xapian::DatabaseLockError&) {
      bool stopped = options.stop != nullptr && options.stop->load() != 0;
      if (stopped || std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

// Opens (or creates) the index's Xapian database for writing. A folder that a first build
// left without a committed revision (killed in its first moments: Xapian cannot open it, and
// it holds nothing) is removed and created anew, with a note in the summary. Throws what
// Xapian throws otherwise (DatabaseLockError when another process writes the index).
Xapian::WritableDatabase OpenOrRebuildUnfinished(const fs::path& xapian_dir,
                                                 const IndexOptions& options,
                                                 IndexSummary& summary) {
  std::error_code ec;
  bool unfinished = fs::is_directory(xapian_dir, ec) && !HasCommittedRevision(xapian_dir);
  try {
    Xapian::WritableDatabase db = OpenWaitingForLock(xapian_dir, options);
    if (unfinished) {
      summary.warnings.push_back(xapian_dir.string() +
                                 ": an interrupted first build had committed nothing; the "
                                 "index is built anew");
    }
    return db;
  } catch (const Xapian::DatabaseLockError&) {
    throw;  // another writer: never remove what it is building
  } catch (const Xapian::DatabaseError&) {
    // Xapian took the write lock before it found no revision to open: no other process is
    // writing this folder, and a folder without a revision holds nothing to lose.
    if (!unfinished) throw;
  }
  fs::remove_all(xapian_dir, ec);
  summary.warnings.push_back(xapian_dir.string() +
                             ": an interrupted first build had committed nothing; the index "
                             "is built anew");
  return Xapian::WritableDatabase(xapian_dir.string(), Xapian::DB_CREATE_OR_OPEN, kBlockSize);
}

}  // namespace

fs::path StagingPath(const fs::path& index_dir) { return index_dir / "staging"; }

std::string DocIdForFile(const fs::path& path) {
  std::string id = Slugify(PathText(path.stem()));
  return id.empty() ? "document" : id;
}

Result<IndexSummary> IndexPaths(const std::vector<fs::path>& paths, const IndexOptions& options,
                                const std::function<void(const FileReport&)>& on_file) {
  if (options.ocr.enabled) {
    // A missing language pack would fail every scanned page: say so once, before starting.
    Status ocr = CheckOcrLanguages(options.ocr.languages);
    if (!ocr.ok()) return ocr;
  }
  IndexSummary summary;
  auto report = [&](const FileReport& raw) {
    // Reports reach the terminal and JSON: names and messages carry file names that may not
    // be UTF-8, and readers' messages quote them as they are.
    FileReport r = raw;
    r.path = EscapeInvalidUtf8(r.path);
    r.message = EscapeInvalidUtf8(r.message);
    r.warning = EscapeInvalidUtf8(r.warning);
    r.note = EscapeInvalidUtf8(r.note);
    switch (r.outcome) {
      case FileOutcome::kIndexed:
        ++summary.indexed;
        summary.passages += r.passages;
        summary.ids_moved += r.ids_moved;
        break;
      case FileOutcome::kUnchanged: ++summary.unchanged; break;
      case FileOutcome::kFailed: ++summary.failed; break;
      case FileOutcome::kRemoved: ++summary.removed; break;
      case FileOutcome::kSkipped: ++summary.skipped; break;
    }
    if (!r.warning.empty()) summary.warnings.push_back(r.warning);
    if (on_file) on_file(r);
  };

  // Catalogs: the explicit one, or one per PATH found beside it.
  std::map<std::string, std::unique_ptr<Catalog>> catalogs;
  auto load_catalog = [&](const fs::path& file) -> const Catalog* {
    std::string key = Canonical(file);
    auto it = catalogs.find(key);
    if (it != catalogs.end()) return it->second.get();
    Result<Catalog> loaded = Catalog::Load(file);
    if (!loaded.ok()) {
      FileReport r;
      r.path = file.string();
      r.outcome = FileOutcome::kFailed;
      r.message = "catalog not used: " + loaded.status().message();
      report(r);
      catalogs[key] = nullptr;
      return nullptr;
    }
    // Files moved since the catalog was written lose their titles and metadata silently
    // unless the run says so: once per catalog, the first few entries and how many.
    std::vector<std::string> lost = loaded->EntriesWithoutFile();
    if (!lost.empty()) {
      constexpr size_t kNamed = 5;
      std::string names;
      for (size_t i = 0; i < lost.size() && i < kNamed; ++i) {
        names += (i ? ", " : "") + lost[i];
      }
      if (lost.size() > kNamed) names += " and " + std::to_string(lost.size() - kNamed) + " more";
      summary.warnings.push_back(EscapeInvalidUtf8(
          file.string() + ": " + std::to_string(lost.size()) + " of " +
          std::to_string(loaded->size()) +
          " catalog entries name a file that does not exist, so their records apply to "
          "nothing: " + names + " (file= paths are relative to the catalog's folder)"));
    }
    return (catalogs[key] = std::make_unique<Catalog>(std::move(loaded.value()))).get();
  };

  // Taxonomy and tagger: the run refuses rather than index without the rules it is meant
  // to apply (every document would be re-indexed untagged, silently).
  std::unique_ptr<Taxonomy> taxonomy;
  std::unique_ptr<TagModel> model;  // declared before the tagger that points at it
  std::unique_ptr<RuleTagger> tagger;
  std::string salt = std::string(schema::kSchemaVersion) + std::string(schema::kIdScheme) +
                     std::string(schema::kDerivedScheme) + std::string(schema::kReaderScheme);
  Result<fs::path> chosen = ChooseTaxonomy(options, RecordedTaxonomy(options.index_dir));
  if (!chosen.ok()) return chosen.status();
  fs::path taxonomy_path = *chosen;
  if (!taxonomy_path.empty()) {
    Result<Taxonomy> loaded = Taxonomy::Load({taxonomy_path});
    if (!loaded.ok()) {
      return Status::InvalidArgument(
          "taxonomy not usable, nothing was indexed: " +
          EscapeInvalidUtf8(loaded.status().message()) +
          " (fix it, give another with --taxonomy FILE, or index untagged with --no-taxonomy)");
    }
    taxonomy = std::make_unique<Taxonomy>(std::move(loaded.value()));
    tagger = std::make_unique<RuleTagger>(*taxonomy);
    Result<std::string> bytes = ReadFileBytes(taxonomy_path, 64ull << 20);
    if (bytes.ok()) salt += ContentHash(*bytes);
    // The learned model beside the taxonomy (issue 16); a new model re-tags like new rules.
    if (fs::path model_path = ModelPathFor(taxonomy_path); !model_path.empty()) {
      Result<TagModel> loaded_model = TagModel::Load(model_path);
      if (!loaded_model.ok()) {
        return Status::InvalidArgument("tag model not usable, nothing was indexed: " +
                                       EscapeInvalidUtf8(loaded_model.status().message()) +
                                       " (fix it, or set PILLAR_MODEL=none to index without it)");
      }
      model = std::make_unique<TagModel>(std::move(loaded_model.value()));
      tagger->UseModel(model.get());
      Result<std::string> model_bytes = ReadFileBytes(model_path, 256ull << 20);
      if (model_bytes.ok()) salt += ContentHash(*model_bytes);
    }
  }

  // Collect the files.
  std::vector<Job> jobs;
  std::vector<std::string> walked_roots;
  std::set<std::string> seen;
  for (const fs::path& root : paths) {
    const Catalog* catalog =
        options.catalog ? load_catalog(*options.catalog) : nullptr;
    if (!options.catalog) {
      if (auto found = FindCatalogFor(root)) catalog = load_catalog(*found);
    }
    auto add = [&](const fs::path& file, std::string error = {}, bool from_walk = false) {
      Job job;
      job.from_walk = from_walk;
      job.path = file;
      job.canonical = Canonical(file);
      if (!seen.insert(job.canonical).second) return;
      job.catalog_record = catalog ? catalog->ForFile(file) : nullptr;
      job.error = std::move(error);
      std::error_code size_ec;
      job.size = job.error.empty() ? fs::file_size(file, size_ec) : 0;
      if (size_ec) job.size = 0;
      jobs.push_back(std::move(job));
    };
    std::error_code ec;
    fs::file_status st = fs::status(root, ec);
    if (ec || !fs::exists(st)) {
      add(root, "no such file or folder");
      continue;
    }
    if (!fs::is_directory(st)) {
      if (!ReaderRegistry::Default().ForPath(root)) {
        add(root, "no reader for files named '*" + root.extension().string() + "'");
      } else {
        add(root);
      }
      continue;
    }
    walked_roots.push_back(Canonical(root));
    std::vector<fs::path> files, broken;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      add(root, "cannot read folder: " + ec.message());
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::path& p = it->path();
      if (SkippedInWalk(p)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!ReaderRegistry::Default().ForPath(p)) continue;
      if (it->is_symlink(ec) && !fs::exists(p, ec)) {
        broken.push_back(p);
      } else if (it->is_regular_file(ec)) {
        files.push_back(p);
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) add(f, {}, true);
    for (const fs::path& f : broken) add(f, "broken symbolic link");
  }

  if (options.shard) {
    // Each shard's run lists every file and keeps its own share: the id a file's catalog
    // record gives, else the one its name gives, decides (known before the file is read, so
    // no host reads another's files). Failures to list stay with every shard: they are news.
    std::vector<Job> mine;
    for (Job& job : jobs) {
      const std::string key = job.catalog_record && !job.catalog_record->id.empty()
                                  ? job.catalog_record->id
                                  : DocIdForFile(job.path);
      if (!job.error.empty() || ShardOfDocument(key, options.shard->n) == options.shard->k) {
        mine.push_back(std::move(job));
      } else {
        ++summary.other_shards;
      }
    }
    jobs = std::move(mine);
  }

  IndexProgress progress;
  progress.files_total = jobs.size();
  for (const Job& job : jobs) progress.bytes_total += job.size;
  auto phase = [&](IndexProgress::Phase p, std::string detail = {}) {
    progress.phase = p;
    progress.detail = std::move(detail);
    if (options.on_progress) options.on_progress(progress);
  };

  fs::path xapian_dir = XapianPath(options.index_dir);
  try {
    std::error_code ec;
    fs::create_directories(options.index_dir, ec);
    if (ec) return Status::IOError(options.index_dir.string() + ": " + ec.message());
    // Xapian reports a lock file it may not create as a lock held by someone else: say what
    // is really wrong before it gets the chance.
    if (IsShardStub(xapian_dir)) {
      return Status::InvalidArgument(
          xapian_dir.string() +
          " is a stub listing the shards of a partitioned index: index each shard in its own "
          "folder with `pillar index PATH --shard K/N --index SHARD_DIR` (docs/scaling.md)");
    }
    if (Status writable = CheckWritable(options.index_dir, xapian_dir); !writable.ok()) {
      return writable;
    }
    Xapian::WritableDatabase db = OpenOrRebuildUnfinished(xapian_dir, options, summary);
    std::string version = db.get_metadata(std::string(schema::kMetaSchema));
    if (!(version.empty() && db.get_doccount() == 0) && version != schema::kSchemaVersion) {
      // The Xapian index is a derived cache: rebuild it in the new format. Manual tags live
      // in the annotation store and are re-applied as documents are indexed again.
      db.close();
      fs::remove_all(xapian_dir, ec);
      if (ec) return Status::IOError(xapian_dir.string() + ": " + ec.message());
      db = Xapian::WritableDatabase(xapian_dir.string(), Xapian::DB_CREATE_OR_OPEN, kBlockSize);
      summary.warnings.push_back(
          "the index had schema version '" + version + "' and was rebuilt in version '" +
          std::string(schema::kSchemaVersion) +
          "'; documents from folders not given in this run must be indexed again");
    }
    {
      // A shard holds its share of one partition: indexing another share, or everything,
      // into it would mix partitions (docs/scaling.md).
      const std::string recorded = db.get_metadata(std::string(schema::kMetaShard));
      const std::string wanted = options.shard ? options.shard->ToString() : std::string();
      if (recorded != wanted && db.get_doccount() > 0) {
        return Status::InvalidArgument(
            options.index_dir.string() + ": " +
            (recorded.empty() ? std::string("the index holds every document, not a shard")
                              : "the index holds shard " + recorded) +
            "; " +
            (wanted.empty() ? "index it with --shard " + recorded
                            : "--shard " + wanted + " needs an index folder of its own") +
            " (docs/scaling.md)");
      }
      if (recorded != wanted) db.set_metadata(std::string(schema::kMetaShard), wanted);
    }
    if (taxonomy) {
      // Written only when it changes: an unchanged run must leave the index untouched.
      std::error_code abs_ec;
      std::string recorded = fs::absolute(taxonomy_path, abs_ec).string();
      if (db.get_metadata(std::string(schema::kMetaTaxonomy)) != recorded) {
        db.set_metadata(std::string(schema::kMetaTaxonomy), recorded);
      }
    }
    if (db.get_metadata(std::string(schema::kMetaSchema)).empty()) {
      db.set_metadata(std::string(schema::kMetaSchema), std::string(schema::kSchemaVersion));
    }

    Result<std::unique_ptr<AnnotationStore>> store =
        AnnotationStore::Open(AnnotationsPath(options.index_dir));
    if (!store.ok()) return store.status();

    // What earlier runs recorded: canonical path -> doc id, and doc id -> record.
    Context ctx;
    ctx.options = &options;
    ctx.tagger = tagger.get();
    ctx.fingerprint_salt = salt;
    std::map<std::string, std::string> path_to_doc;
    std::map<std::string, std::string> doc_to_path;
    const std::string file_prefix(schema::kMetaFilePrefix);
    for (auto it = db.metadata_keys_begin(file_prefix); it != db.metadata_keys_end(file_prefix);
         ++it) {
      std::string path = (*it).substr(file_prefix.size());
      std::string doc_id = db.get_metadata(*it);
      Result<DocumentRecord> rec =
          DecodeDocumentRecord(db.get_metadata(MetaKey(schema::kMetaDocPrefix, doc_id)));
      path_to_doc[path] = doc_id;
      doc_to_path[doc_id] = path;
      if (rec.ok()) ctx.old_hashes[path] = rec->content_hash;
    }

    db.begin_transaction();
    uint64_t batch_bytes = 0;  // text written since the last commit
    std::set<std::string> claimed_ids;  // doc ids written in this run
    int threads = options.jobs > 0 ? options.jobs
                                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    // An empty index is built in shards and swapped in at the end (see ShardBuilder); what a
    // killed bulk run left behind goes first (the index it was building was empty).
    const fs::path staging = StagingPath(options.index_dir);
    const fs::path built = options.index_dir / "xapian.new";
    fs::remove_all(staging, ec);
    fs::remove_all(built, ec);
    std::unique_ptr<ShardBuilder> shards;
    // A run that at least doubles a non-empty index appends in shards too: its new files
    // (paths and doc ids the index does not have) go to the shards, changed and removed files
    // are handled in the index as usual, and at the end the committed index and the shards
    // are compacted together and swapped in. A kill before the swap loses only the new
    // files, which the next run finds missing and indexes.
    bool appending = false;
    if (!path_to_doc.empty()) {
      size_t new_files = 0;
      for (const Job& job : jobs) new_files += job.error.empty() && !path_to_doc.count(job.canonical);
      appending = new_files >= std::max<size_t>(kMinAppendFiles, path_to_doc.size());
    }
    if (appending) {
      shards = std::make_unique<ShardBuilder>(staging, threads, options.segment_passages,
                                              std::vector<std::pair<std::string, std::string>>());
    } else if (path_to_doc.empty() && db.get_doccount() == 0) {
      // The empty index is committed with its schema first, so that a killed build leaves an
      // empty index that opens, not one that looks like an older schema.
      db.commit_transaction();
      db.begin_transaction();
      std::vector<std::pair<std::string, std::string>> metadata;
      for (auto it = db.metadata_keys_begin(); it != db.metadata_keys_end(); ++it) {
        metadata.emplace_back(*it, db.get_metadata(*it));
      }
      shards = std::make_unique<ShardBuilder>(staging, threads, options.segment_passages,
                                              metadata);
    }
    phase(IndexProgress::Phase::kReading);
    auto consume = [&](Prepared& item) {
      FileReport& r = item.report;
      if (r.outcome != FileOutcome::kIndexed) {
        report(r);
        return;
      }
      const std::string& path = item.record.path;
      // A doc id already used by another live file gets a numeric suffix.
      std::string id = item.record.meta.id;
      auto taken = [&](const std::string& candidate) {
        if (claimed_ids.count(candidate)) return true;
        auto owner = doc_to_path.find(candidate);
        return owner != doc_to_path.end() && owner->second != path && StoredPathExists(owner->second);
      };
      if (taken(id)) {
        int n = 2;
        while (taken(id + "-" + std::to_string(n))) ++n;
        id += "-" + std::to_string(n);
        item.doc.meta.id = id;
        item.record.meta.id = id;
        Analyzers analyzers(/*record_forms=*/false);
        BuildPassages(item, item.doc, ctx, analyzers);
        r.doc_id = id;
      }
      claimed_ids.insert(id);

      // Manual decisions: re-attach to the new passages and apply them. A deferred document
      // makes its passages in full only when it has some.
      if (item.deferred) {
        Result<std::vector<Annotation>> any = (*store)->ForDocument(id);
        if (!any.ok() || !any->empty()) MaterializePassages(item);
      }
      Result<std::vector<Placement>> placed = (*store)->Reanchor(id, item.passages, item.doc.text);
      if (placed.ok() && !placed->empty()) {
        std::set<int64_t> newly_orphaned;
        for (const Placement& pl : *placed) {
          if (pl.how == Placement::How::kOrphan && !pl.was_orphan) {
            newly_orphaned.insert(pl.annotation_id);
          }
        }
        Result<std::vector<Annotation>> history = (*store)->ForDocument(id);
        if (history.ok()) {
          std::map<std::string, std::vector<Annotation>> by_passage;
          for (Annotation& a : *history) {
            if (newly_orphaned.count(a.id)) {
              summary.orphans.push_back(OrphanFor(a, path, "its passage text changed"));
            }
            if (!a.unreadable.empty()) {
              summary.warnings.push_back(
                  path + ": manual tag #" + std::to_string(a.id) + " not applied: " +
                  a.unreadable + " (see pillar annotations; the other manual tags are applied)");
            }
            if (!a.orphan) by_passage[a.anchor.passage_id].push_back(std::move(a));
          }
          Analyzers analyzers(/*record_forms=*/false);
          for (size_t k = 0; k < item.passages.size(); ++k) {
            auto found = by_passage.find(item.passages[k].id);
            if (found == by_passage.end()) continue;
            Passage& p = item.passages[k];
            p.tags = ApplyManualDecisions(p.tags, found->second);
            if (item.deferred) continue;  // built from p when written
            Analyzer& analyzer = analyzers.For(p.language);
            item.documents[k] =
                BuildPassageDocument(p, item.record.meta, analyzer.Tokenize(p.text), analyzer);
          }
        }
      } else if (!placed.ok()) {
        summary.warnings.push_back(path + ": manual tags not re-attached: " +
                                   placed.status().message());
      }

      if (shards && !path_to_doc.count(path) && !doc_to_path.count(id)) {
        path_to_doc[path] = id;
        doc_to_path[id] = path;
        report(r);
        shards->Add(std::move(item));
        return;
      }
      // Replace the document's passages: all old ones go, then the new ones are added. (Their
      // ids start with the doc id, so no other document can hold them: add_document saves
      // replace_document's lookup of each unique term.)
      auto previous = path_to_doc.find(path);
      if (previous != path_to_doc.end() && previous->second != id) {
        RemoveDocument(db, previous->second);
      }
      if (doc_to_path.count(id)) {
        // Passages renamed by this version (their own text edited, or an index made with
        // another id scheme) keep their old ids as aliases.
        std::vector<std::pair<std::string, std::string>> moves =
            MovedIds(IndexedPassageTexts(db, id), NewPassageTexts(item));
        RecordAliases(db, moves);
        r.ids_moved = moves.size();
        db.delete_document(std::string(schema::kPrefixDoc) + id);
      }
      WriteDocument(db, item);
      path_to_doc[path] = id;
      doc_to_path[id] = path;
      report(r);
      // Xapian holds a transaction's changes in memory until it commits: a batch of about
      // commit_every_bytes of documents is one transaction, which bounds memory on large
      // corpora. Each committed batch holds whole documents with their metadata.
      batch_bytes += item.doc.text.size();
      if (options.commit_every_bytes > 0 && batch_bytes >= options.commit_every_bytes) {
        db.commit_transaction();
        db.begin_transaction();
        batch_bytes = 0;
      }
    };
    // Files are consumed in the order of `jobs`: the k-th consumed is jobs[k]. Counted before
    // it is written, so that a display redrawn under the file's report counts it.
    bool complete = RunPipeline(jobs, ctx, threads, options.stop, [&](Prepared& item) {
      progress.bytes_done += jobs[progress.files_done++].size;
      phase(IndexProgress::Phase::kReading);
      consume(item);
    });

    // Sweep files that vanished from the folders given (not after a stop: the next run does).
    summary.stopped = !complete;
    for (const auto& [path, doc_id] : path_to_doc) {
      if (summary.stopped) break;
      if (seen.count(path)) continue;
      const std::string& file = path;  // clang 14 (preset "fuzz") cannot capture a binding
      bool under_root = std::any_of(walked_roots.begin(), walked_roots.end(),
                                    [&](const std::string& root) {
                                      return StartsWith(file, root + "/");
                                    });
      if (!under_root || StoredPathExists(path)) continue;
      db.set_metadata(MetaKey(schema::kMetaFilePrefix, path), "");
      // The id may have passed to another file in this run; then its passages stay.
      if (doc_to_path[doc_id] != path) continue;
      RemoveDocument(db, doc_id);
      std::vector<Annotation> newly_orphaned;
      Status orphaned = (*store)->OrphanDocument(doc_id, &newly_orphaned);
      if (!orphaned.ok()) summary.warnings.push_back(orphaned.message());
      for (const Annotation& a : newly_orphaned) {
        summary.orphans.push_back(OrphanFor(a, path, "its document was removed"));
      }
      FileReport r;
      r.path = path;
      r.doc_id = doc_id;
      r.outcome = FileOutcome::kRemoved;
      report(r);
    }
    if (!summary.stopped) {
      Status pending = ApplyPendingDecisions(db, **store, tagger.get(), claimed_ids);
      if (!pending.ok()) {
        summary.warnings.push_back("manual tags recorded since the last run not applied: " +
                                   pending.message());
      }
    }
    phase(IndexProgress::Phase::kCommitting);
    db.commit_transaction();
    if (shards && shards->documents() > 0) {
      phase(IndexProgress::Phase::kMerging);
      auto table = [&](const std::string& name) { phase(IndexProgress::Phase::kMerging, name); };
      Status finished = shards->Finish(built, appending ? std::optional<fs::path>(xapian_dir)
                                                        : std::nullopt,
                                       table);
      if (finished.ok()) finished = LiftRevision(built, db.get_revision());
      if (finished.ok()) finished = SwapInto(built, xapian_dir);
      if (!finished.ok()) {
        fs::remove_all(built, ec);
        return finished;
      }
    }
    db.close();
  } catch (const Xapian::DatabaseLockError& e) {
    if (Status writable = CheckWritable(options.index_dir, xapian_dir); !writable.ok()) {
      return writable;
    }
    return XapianErrorStatus(options.index_dir, e);
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus(options.index_dir, e);
  }
  phase(IndexProgress::Phase::kDone);
  return summary;
}

}  // namespace pillar
