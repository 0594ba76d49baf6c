// pillar import zotero FILE : a Zotero export (CSL-JSON or Better BibTeX) into the catalog.
// pillar import w3c FILE    : W3C / Hypothesis annotations re-attached to the index's passages.

#include <xapian.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/layout.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/ingest/reader.h"
#include "indexer/ingest/zotero_import.h"
#include "indexer/segment/analyzer.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/tag_model.h"
#include "indexer/tag/taxonomy.h"
#include "query/cite/annotation_import.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/conventions.h"

namespace pillar::cli {
namespace {

struct ZoteroArgs {
  std::filesystem::path index_dir;  // import w3c
  std::filesystem::path file;
  std::filesystem::path corpus = ".";
  std::filesystem::path out;  // default: CORPUS/catalog.xml
  bool dry_run = false;
};

int RunImportZotero(const ZoteroArgs& args) {
  Result<ZoteroExport> parsed = LoadZoteroExport(args.file);
  if (!parsed.ok()) {
    return Fail(parsed.status().WithContext(args.file.string()));
  }
  for (const ZoteroItemError& e : parsed->errors) {
    std::cerr << "pillar: " << args.file.string() << ": " << e.where << ": " << e.message
              << " (left out)\n";
  }
  ZoteroImportOptions options;
  options.corpus = args.corpus;
  options.catalog = args.out.empty() ? args.corpus / "catalog.xml" : args.out;
  Result<ZoteroImportReport> report = ImportZotero(parsed->items, options);
  if (!report.ok()) return Fail(report.status());
  for (const ZoteroImportReport::Matched& m : report->matched) {
    std::cout << "matched    " << m.key << " -> " << m.file.generic_string() << " (" << m.doc_id
              << ", by " << ZoteroMatchName(m.how) << ")";
    if (!m.kept.empty()) {
      std::cout << "; hand-written";
      for (const std::string& f : m.kept) std::cout << " " << f;
      std::cout << " kept";
    }
    std::cout << "\n";
  }
  for (const ZoteroItem& item : report->unmatched_items) {
    std::cout << "unmatched  item " << item.key << " \"" << item.meta.title
              << "\" (no corpus file has its attachment, DOI, URL or title)\n";
  }
  for (const std::string& c : report->conflicts) std::cout << "conflict   " << c << "\n";
  for (const std::filesystem::path& f : report->unmatched_files) {
    std::cout << "unmatched  file " << f.generic_string() << " (no catalog record)\n";
  }
  std::cout << report->matched.size() << " matched, " << report->unmatched_items.size()
            << " items unmatched, " << report->unmatched_files.size() << " files without a record, "
            << report->kept_records << " other records kept; ";
  if (args.dry_run) {
    std::cout << "nothing written (--dry-run)\n";
  } else {
    Status st = WriteOutput(options.catalog, [&](std::ostream& out) -> Status {
      out << report->catalog_xml;
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    std::cout << "wrote " << options.catalog.string() << "\n";
  }
  return parsed->errors.empty() ? kExitOk : kExitSomeInputsFailed;
}

std::string Join(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// URLs compare without scheme, "www.", case and a trailing slash.
std::string NormalUrl(std::string_view url) {
  std::string u(TrimAscii(url));
  for (char& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view p : {"https://", "http://", "www."}) {
    if (StartsWith(u, p)) u.erase(0, p.size());
  }
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

// Re-attaches W3C / Hypothesis annotations to the index's passages as manual tags.
int RunImportW3c(const ZoteroArgs& args) {
  Result<std::string> bytes = ReadFileBytes(args.file, 1ull << 30);
  if (!bytes.ok()) return Fail(bytes.status().WithContext(args.file.string()));
  Result<std::vector<ImportedAnnotation>> parsed = ParseAnnotations(*bytes);
  if (!parsed.ok()) return Fail(parsed.status().WithContext(args.file.string()));

  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  std::filesystem::path taxonomy_path = (*searcher)->TaxonomyPath();
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  Result<std::vector<DocumentRecord>> docs = (*searcher)->Documents();
  if (!docs.ok()) return Fail(docs.status());
  std::map<std::string, std::vector<std::string>> by_url;  // normalised URL -> doc ids
  std::set<std::string> known;
  for (const DocumentRecord& d : *docs) {
    known.insert(d.meta.id);
    if (!d.meta.url.empty()) by_url[NormalUrl(d.meta.url)].push_back(d.meta.id);
  }
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<Annotation>> existing = (*store)->All();
  if (!existing.ok()) return Fail(existing.status());
  // An annotation already in the store (same passage, concept, author, time and note) is not
  // recorded twice: importing a file again changes nothing.
  std::set<std::string> have;
  auto key = [](const std::string& passage, const std::string& concept_id, const Annotation& a) {
    return passage + "\n" + concept_id + "\n" + a.by + "\n" + a.when + "\n" + a.note;
  };
  for (const Annotation& a : *existing) {
    if (a.action != Annotation::Action::kAdd) continue;
    for (const std::string& c : a.concepts) have.insert(key(a.anchor.passage_id, c, a));
  }

  std::map<std::string, std::string> texts;
  std::map<std::string, std::vector<Passage>> passages;
  std::set<std::string> touched;  // passage ids whose tags changed
  size_t recorded = 0, skipped_software = 0, failed = 0, already = 0;
  for (const ImportedAnnotation& a : *parsed) {
    auto fail = [&](const std::string& why) {
      std::cout << "unanchored " << a.where << ": " << why << "\n";
      ++failed;
    };
    if (a.software) {
      ++skipped_software;  // rule and model tags come back from the text at indexing
      continue;
    }
    std::vector<std::string> concepts = ResolveConcepts(a, *taxonomy);
    if (concepts.empty()) {
      fail("names no concept of the taxonomy");
      continue;
    }
    std::string doc_id = a.doc_id;
    if (doc_id.empty() || !known.count(doc_id)) {
      auto it = by_url.find(NormalUrl(a.source));
      if (it == by_url.end() || it->second.size() != 1) {
        fail(it == by_url.end() ? "no indexed document has the URL " + a.source
                                : "several documents have the URL " + a.source);
        continue;
      }
      doc_id = it->second[0];
    }
    if (!texts.count(doc_id)) {
      Result<std::string> text = (*searcher)->GetDocumentText(doc_id);
      if (!text.ok()) {
        fail(text.status().message());
        continue;
      }
      texts[doc_id] = std::move(text.value());
      SearchRequest one;
      one.docs = {doc_id};
      std::vector<Passage>& list = passages[doc_id];
      Status st = (*searcher)->ForEachPassage(
          one, [&](const Passage& p, const DocumentRecord&) { list.push_back(p); });
      if (!st.ok()) return Fail(st);
    }
    Result<ByteRange> range = AnchorInText(a, texts[doc_id]);
    if (!range.ok()) {
      fail(range.status().message() + " (" + doc_id + ")");
      continue;
    }
    const Passage* passage = PassageForRange(passages[doc_id], *range);
    if (!passage) {
      fail("the quoted text is in no passage of " + doc_id);
      continue;
    }
    for (const std::string& concept_id : concepts) {
      Annotation rec;
      rec.action = Annotation::Action::kAdd;
      rec.concepts = {concept_id};
      rec.anchor = AnnotationStore::MakeAnchor(*passage, texts[doc_id]);
      rec.by = a.by.empty() ? "unknown" : a.by;
      rec.when = a.when;
      rec.note = a.note;
      if (!have.insert(key(passage->id, concept_id, rec)).second) {
        ++already;
        continue;
      }
      if (args.dry_run) {
        ++recorded;
        continue;
      }
      Result<int64_t> id = (*store)->Record(rec);
      if (!id.ok()) return Fail(id.status());
      ++recorded;
      touched.insert(passage->id);
    }
    std::cout << "anchored   " << a.where << " -> " << passage->id << " (" << Join(concepts)
              << ")\n";
  }
  searcher->reset();

  // Bring the index up to date for the passages that got tags, as `pillar tag` does; when the
  // index cannot be written, the next `pillar index` applies them.
  if (!touched.empty()) {
    std::optional<TagModel> model;
    if (std::filesystem::path model_path = ModelPathFor(taxonomy_path); !model_path.empty()) {
      Result<TagModel> loaded = TagModel::Load(model_path);
      if (loaded.ok()) model.emplace(std::move(loaded.value()));
    }
    RuleTagger tagger(*taxonomy);
    if (model) tagger.UseModel(&*model);
    try {
      Xapian::WritableDatabase db(XapianPath(args.index_dir).string(), Xapian::DB_OPEN);
      for (const std::string& id : touched) {
        std::string term = std::string(schema::kPrefixId) + id;
        Xapian::PostingIterator p = db.postlist_begin(term);
        if (p == db.postlist_end(term)) continue;
        Xapian::Document doc = db.get_document(*p);
        Result<Passage> passage = DecodePassage(doc.get_data());
        if (!passage.ok()) continue;
        Result<std::vector<Annotation>> history = (*store)->ForPassage(id);
        if (!history.ok()) return Fail(history.status());
        std::vector<Annotation> placed;
        for (Annotation& h : *history) {
          if (!h.orphan) placed.push_back(std::move(h));
        }
        Analyzer analyzer(passage->language);
        passage->tags = ApplyManualDecisions(
            tagger.TagPassage(*passage, analyzer.Tokenize(passage->text), analyzer), placed);
        UpdatePassageTags(doc, *passage);
        db.replace_document(*p, doc);
      }
      db.commit();
    } catch (const Xapian::Error& e) {
      std::cerr << "pillar: warning: the tags are saved but the index was not updated ("
                << e.get_description() << "); they apply at the next `pillar index`\n";
    }
  }
  std::cout << recorded << " tags " << (args.dry_run ? "would be " : "") << "recorded, " << already
            << " already there, " << failed << " annotations not anchored, " << skipped_software
            << " made by a tagger program skipped (indexing makes them)\n";
  return failed ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void RegisterImport(CLI::App& app) {
  auto z = std::make_shared<ZoteroArgs>();
  auto kind = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "import",
      "Bring in what other tools made. `import zotero FILE`: a Zotero export (CSL JSON, or "
      "Better BibTeX .bib) into the catalog, each item matched to a corpus file by attachment "
      "path, then DOI/URL, then title; records merged with the catalog's (hand-written fields "
      "kept); unmatched items and files reported. `import w3c FILE`: W3C Web Annotations (from "
      "pillar export --format w3c or another tool) or Hypothesis annotations re-attached to "
      "the index's passages by their text quote and position, as manual tags with their notes, "
      "authors and times; those that do not anchor are reported. docs/citations.md");
  sub->add_option("KIND", *kind, "zotero | w3c")
      ->required()
      ->check(CLI::IsMember({"zotero", "w3c"}));
  sub->add_option("FILE", z->file,
                  "The file to import (zotero: .json CSL-JSON or .bib; w3c: W3C Web "
                  "Annotations or Hypothesis JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--corpus", z->corpus, "zotero: the folder of documents to match (default .)")
      ->type_name("DIR");
  sub->add_option("--out", z->out,
                  "zotero: the catalog to merge into and write (default CORPUS/catalog.xml)")
      ->type_name("FILE");
  AddIndexOption(sub, &z->index_dir);
  sub->add_flag("--dry-run", z->dry_run, "Report what would be done, write nothing");
  sub->callback([z, kind, sub] {
    if (*kind == "zotero" && sub->count("--index")) {
      ExitCode() = Fail(Status::InvalidArgument("import zotero writes a catalog: no --index"));
    } else if (*kind == "w3c" && (sub->count("--corpus") || sub->count("--out"))) {
      ExitCode() = Fail(Status::InvalidArgument("import w3c takes --index, not --corpus/--out"));
    } else {
      ExitCode() = *kind == "zotero" ? RunImportZotero(*z) : RunImportW3c(*z);
    }
  });
}

}  // namespace pillar::cli
