// pillar tag PASSAGE_ID (--add ID | --remove ID | --set ID,ID...) : manual tags.

#include <iostream>
#include <memory>

#include <xapian.h>

#include "indexer/annotate/annotation_store.h"
#include "indexer/base/clock.h"
#include "indexer/base/text.h"
#include "indexer/index/document_builder.h"
#include "indexer/index/layout.h"
#include "indexer/index/passage_codec.h"
#include "indexer/index/schema.h"
#include "indexer/tag/rule_tagger.h"
#include "indexer/tag/taxonomy.h"
#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct TagArgs {
  std::string passage_id;
  std::filesystem::path index_dir;
  std::string add, remove;
  std::vector<std::string> set;
  bool set_given = false;
  std::string note;
  std::string by;
};

std::string DefaultUser() {
  for (const char* var : {"PILLAR_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  return "unknown";
}

int RunTag(const TagArgs& args) {
  int actions = !args.add.empty() + !args.remove.empty() + args.set_given;
  if (actions != 1) {
    return Fail(Status::InvalidArgument("give exactly one of --add, --remove or --set"));
  }
  std::filesystem::path taxonomy_path;
  {
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
    if (!searcher.ok()) return Fail(searcher.status());
    taxonomy_path = (*searcher)->TaxonomyPath();
  }
  Result<Taxonomy> taxonomy = Taxonomy::Load({taxonomy_path});
  if (!taxonomy.ok()) return Fail(taxonomy.status());

  Annotation a;
  if (!args.add.empty()) {
    a.action = Annotation::Action::kAdd;
    a.concepts = {args.add};
  } else if (!args.remove.empty()) {
    a.action = Annotation::Action::kRemove;
    a.concepts = {args.remove};
  } else {
    a.action = Annotation::Action::kSet;
    for (const std::string& id : args.set) {
      if (!TrimAscii(id).empty()) a.concepts.emplace_back(TrimAscii(id));
    }
  }
  for (const std::string& id : a.concepts) {
    if (!taxonomy->Find(id)) {
      return Fail(Status::InvalidArgument("unknown concept '" + id +
                                          "'; `pillar taxonomy` lists the concept ids"));
    }
  }

  // Read the passage and its document text from the index.
  Passage passage;
  std::string doc_text;
  {
    Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
    if (!searcher.ok()) return Fail(searcher.status());
    Result<Passage> p = (*searcher)->GetPassage(args.passage_id);
    if (!p.ok()) return Fail(p.status());
    passage = std::move(p.value());
    Result<std::string> text = (*searcher)->GetDocumentText(passage.doc_id);
    if (!text.ok()) return Fail(text.status());
    doc_text = std::move(text.value());
  }

  // The store is the record of truth: write there first.
  Result<std::unique_ptr<AnnotationStore>> store =
      AnnotationStore::Open(AnnotationsPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  a.anchor = AnnotationStore::MakeAnchor(passage, doc_text);
  a.by = args.by.empty() ? DefaultUser() : args.by;
  a.when = UtcNow();
  a.note = args.note;
  Result<int64_t> id = (*store)->Record(a);
  if (!id.ok()) return Fail(id.status());

  // Then bring the index up to date: rule tags from the text, manual decisions on top.
  Result<std::vector<Annotation>> history = (*store)->ForPassage(passage.id);
  if (!history.ok()) return Fail(history.status());
  std::vector<Annotation> placed;
  for (Annotation& h : *history) {
    if (!h.orphan) placed.push_back(std::move(h));
  }
  Analyzer analyzer(passage.language);
  RuleTagger tagger(*taxonomy);
  passage.tags = ApplyManualDecisions(tagger.TagTokens(analyzer.Tokenize(passage.text), analyzer),
                                      placed);
  try {
    Xapian::WritableDatabase db(XapianPath(args.index_dir).string(),
                                Xapian::DB_OPEN | Xapian::DB_RETRY_LOCK);
    std::string key = std::string(schema::kPrefixId) + passage.id;
    Xapian::PostingIterator p = db.postlist_begin(key);
    if (p != db.postlist_end(key)) {
      Xapian::Document doc = db.get_document(*p);
      UpdatePassageTags(doc, passage);
      db.replace_document(*p, doc);
      db.commit();
    }
  } catch (const Xapian::Error& e) {
    std::cerr << "pillar: warning: the tag is saved but the index was not updated ("
              << e.get_description() << "); it applies at the next `pillar index`\n";
  }
  std::cout << passage.id << ": " << (passage.tags.empty() ? "no pillars" : TagsLine(passage.tags))
            << "\n";
  return kExitOk;
}

}  // namespace

void RegisterTag(CLI::App& app) {
  auto args = std::make_shared<TagArgs>();
  CLI::App* sub = app.add_subcommand(
      "tag",
      "Add, remove or set the pillars of a passage by hand. Kept in the annotation store beside "
      "the index and re-applied on every re-index, even after the document changes.");
  sub->add_option("PASSAGE_ID", args->passage_id, "e.g. s-res-2719-2023#op-5")->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--add", args->add, "Add this concept")->type_name("ID");
  sub->add_option("--remove", args->remove, "Remove this concept (suppresses a rule tag)")
      ->type_name("ID");
  sub->add_option("--set", args->set,
                  "Mark the passage reviewed with exactly these concepts (\"\" for none)")
      ->delimiter(',')
      ->type_name("ID,ID...")
      ->expected(0, 1000);
  sub->add_option("--note", args->note, "A note kept with the decision")->type_name("TEXT");
  sub->add_option("--by", args->by, "Who decides (default: $PILLAR_USER or $USER)")
      ->type_name("NAME");
  sub->callback([args, sub] {
    if (sub->count("--set") > 0) args->set_given = true;
    ExitCode() = RunTag(*args);
  });
}

}  // namespace pillar::cli
