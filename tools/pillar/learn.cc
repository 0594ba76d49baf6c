#include "tools/pillar/learn.h"

#include <iostream>

#include "indexer/annotate/annotation_store.h"

namespace pillar::cli {

Result<Passage> FindGoldPassage(Searcher& searcher, const GoldRow& row) {
  Result<Passage> p = searcher.GetPassage(row.passage_id);
  if (p.ok()) return p;
  auto hash = row.fields.find("text_fnv1a64");
  if (hash == row.fields.end() || hash->second.empty()) return p;
  std::vector<std::string> doc_ids = {row.passage_id.substr(0, row.passage_id.find('#'))};
  auto source = row.fields.find("source");
  if (source != row.fields.end() && !source->second.empty()) {
    if (Result<std::vector<DocumentRecord>> docs = searcher.Documents(); docs.ok()) {
      for (const DocumentRecord& d : *docs) {
        const std::string& path = d.path;
        const std::string& tail = source->second;
        if (path.size() >= tail.size() &&
            path.compare(path.size() - tail.size(), tail.size(), tail) == 0) {
          doc_ids.push_back(d.meta.id);
        }
      }
    }
  }
  for (const std::string& doc_id : doc_ids) {
    Result<std::vector<Passage>> passages = searcher.DocumentPassages(doc_id);
    if (!passages.ok()) continue;
    for (Passage& candidate : *passages) {
      if (GoldTextHash(candidate.text) == hash->second) return std::move(candidate);
    }
  }
  return p;
}

Result<std::vector<LabelledPassage>> GoldPassages(Searcher& searcher,
                                                  const std::filesystem::path& gold,
                                                  const std::string& split,
                                                  const std::vector<std::string>& concept_ids,
                                                  size_t* missing) {
  Result<std::vector<GoldRow>> rows = LoadGoldRows(gold);
  if (!rows.ok()) return rows.status();
  std::vector<LabelledPassage> out;
  // A file without a split column is all training data: none of it is test.
  const bool has_split = !rows->empty() && rows->front().fields.count("split") > 0;
  if (!has_split && split == "test") return out;
  for (const GoldRow& row : *rows) {
    auto s = row.fields.find("split");
    std::string row_split = s == row.fields.end() ? "" : s->second;
    if (has_split && !split.empty() && row_split != split) continue;
    if (split.empty() && row_split == "test") continue;
    Result<Passage> p = FindGoldPassage(searcher, row);
    if (!p.ok()) {
      std::cerr << "pillar: " << gold.string() << ": line " << row.line << ": passage '"
                << row.passage_id << "' is not in the index; skipped\n";
      if (missing) ++*missing;
      continue;
    }
    LabelledPassage lp;
    lp.passage = std::move(p.value());
    for (const std::string& id : concept_ids) lp.labels[id] = row.concepts.count(id) > 0;
    lp.from = "gold";
    out.push_back(std::move(lp));
  }
  return out;
}

Result<std::vector<LabelledPassage>> ReviewedPassages(Searcher& searcher,
                                                      const std::filesystem::path& store_file,
                                                      const std::vector<std::string>& concept_ids) {
  Result<std::unique_ptr<AnnotationStore>> store = AnnotationStore::OpenReadOnly(store_file);
  if (!store.ok()) return store.status();
  Result<std::vector<Annotation>> all = (*store)->All();
  if (!all.ok()) return all.status();
  std::map<std::string, std::map<std::string, bool>> labels;
  for (const Annotation& a : *all) {
    if (a.orphan || !a.unreadable.empty()) continue;
    std::map<std::string, bool>& l = labels[a.anchor.passage_id];
    if (a.action == Annotation::Action::kSet) {
      l.clear();
      for (const std::string& id : concept_ids) l[id] = false;
      for (const std::string& id : a.concepts) l[id] = true;
    } else {
      for (const std::string& id : a.concepts) l[id] = a.action == Annotation::Action::kAdd;
    }
  }
  std::vector<LabelledPassage> out;
  for (auto& [id, l] : labels) {
    Result<Passage> p = searcher.GetPassage(id);
    if (!p.ok()) continue;  // no longer in the index
    LabelledPassage lp;
    lp.passage = std::move(p.value());
    lp.labels = std::move(l);
    lp.from = "review";
    out.push_back(std::move(lp));
  }
  return out;
}

Analyzer& AnalyzerCache::For(const std::string& language) {
  auto& a = analyzers_[language];
  if (!a) a = std::make_unique<Analyzer>(language);
  return *a;
}

std::optional<TrainingExample> ExampleFor(const LabelledPassage& p, const RuleTagger& rules,
                                          AnalyzerCache& analyzers) {
  if (!IsBodyPassage(p.passage.text, p.passage.footnote)) return std::nullopt;
  Analyzer& analyzer = analyzers.For(p.passage.language);
  std::vector<Token> tokens = analyzer.Tokenize(p.passage.text);
  TrainingExample e;
  e.passage_id = p.passage.id;
  e.group = p.passage.doc_id;
  e.features =
      ModelFeatures(tokens, analyzer, p.passage.language, rules.TagTokens(tokens, analyzer));
  e.labels = p.labels;
  return e;
}

std::vector<std::string> ConceptIds(const Taxonomy& taxonomy) {
  std::vector<std::string> ids;
  for (const Concept& c : taxonomy.concepts()) ids.push_back(c.id);
  return ids;
}

Result<std::optional<TagModel>> LoadModelFor(const std::filesystem::path& taxonomy_path,
                                             const std::filesystem::path& explicit_path) {
  std::filesystem::path path = explicit_path.empty() ? ModelPathFor(taxonomy_path) : explicit_path;
  if (path.empty()) return std::optional<TagModel>();
  Result<TagModel> model = TagModel::Load(path);
  if (!model.ok()) return model.status();
  return std::optional<TagModel>(std::move(model.value()));
}

}  // namespace pillar::cli

namespace pillar::cli {

TagModel TrainFromPassages(const std::vector<LabelledPassage>& passages, const Taxonomy& taxonomy,
                           std::vector<ConceptTraining>* report, size_t* examples) {
  RuleTagger rules(taxonomy);
  AnalyzerCache analyzers;
  std::vector<TrainingExample> list;
  std::map<std::string, size_t> at;  // passage id -> index in list
  for (const LabelledPassage& p : passages) {
    std::optional<TrainingExample> e = ExampleFor(p, rules, analyzers);
    if (!e) continue;
    auto [it, fresh] = at.emplace(e->passage_id, list.size());
    if (fresh) {
      list.push_back(std::move(*e));
    } else {
      for (auto& [id, yes] : e->labels) list[it->second].labels[id] = yes;
    }
  }
  if (examples) *examples = list.size();
  TrainOptions options;
  options.concept_ids = ConceptIds(taxonomy);
  TagModel model = TagModel::Train(list, options, report);
  model.set_version("m-" + GoldTextHash(model.Text()).substr(0, 10));
  return model;
}

}  // namespace pillar::cli
