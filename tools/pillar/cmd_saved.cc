// pillar saved add|list|remove : saved searches and collections.

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "indexer/annotate/saved_searches.h"
#include "indexer/base/json.h"
#include "indexer/base/text.h"
#include "indexer/index/layout.h"
#include "tools/pillar/command.h"
#include "tools/pillar/render.h"
#include "tools/pillar/saved.h"
#include "tools/pillar/tagging.h"

namespace pillar::cli {
namespace {

struct SavedArgs {
  std::filesystem::path index_dir;
  std::string name;
  std::vector<std::string> words;
  std::vector<std::string> pillars, docs, langs;
  bool replace = false;
  bool json = false;
  std::string by;
};

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (size_t k = 0; k < words.size(); ++k) out += (k ? " " : "") + words[k];
  return out;
}

// "(a) AND (b)", or whichever is not empty.
std::string AndQueries(const std::string& a, const std::string& b) {
  if (TrimAscii(a).empty()) return b;
  if (TrimAscii(b).empty()) return a;
  return "(" + a + ") AND (" + b + ")";
}

// "(field:a OR field:b)" for a filter that must hold beside another of the same kind.
std::string FieldClause(const char* field, const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : " OR ") + std::string(field) + v;
  return "(" + out + ")";
}

int RunAdd(const SavedArgs& args) {
  // The query is checked now, so that a saved search runs later.
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  SavedSearch s;
  s.name = args.name;
  s.query = Joined(args.words);
  s.pillars = args.pillars;
  s.docs = args.docs;
  s.languages = args.langs;
  s.by = args.by.empty() ? DefaultUser() : args.by;
  SearchRequest request;
  request.query = s.query;
  request.pillars = s.pillars;
  request.docs = s.docs;
  request.languages = s.languages;
  request.limit = 0;
  request.suggest = false;
  Result<SearchResult> checked = (*searcher)->Search(request);
  if (!checked.ok()) return Fail(checked.status());
  Result<std::unique_ptr<SavedSearchStore>> store =
      SavedSearchStore::Open(SavedSearchesPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Status saved = (*store)->Save(s, args.replace);
  if (!saved.ok()) return Fail(saved);
  std::cout << "saved '" << TerminalSafe(s.name) << "' (" << checked->total
            << " passages match now)\n";
  return kExitOk;
}

int RunList(const SavedArgs& args) {
  Result<std::unique_ptr<SavedSearchStore>> store =
      SavedSearchStore::OpenReadOnly(SavedSearchesPath(args.index_dir));
  std::vector<SavedSearch> list;
  if (store.ok()) {
    Result<std::vector<SavedSearch>> all = (*store)->List();
    if (!all.ok()) return Fail(all.status());
    list = std::move(all.value());
  } else if (store.status().code() != Status::Code::kNotFound) {
    return Fail(store.status());
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const SavedSearch& s : list) {
      out.push_back({{"name", s.name},
                     {"query", s.query},
                     {"pillars", s.pillars},
                     {"docs", s.docs},
                     {"langs", s.languages},
                     {"by", s.by},
                     {"when", s.when}});
    }
    std::cout << DumpJson(out, 2) << "\n";
    return kExitOk;
  }
  for (const SavedSearch& s : list) {
    std::cout << TerminalSafe(s.name) << "  \"" << TerminalSafe(s.query) << "\"";
    for (const auto& p : s.pillars) std::cout << " --pillar " << TerminalSafe(p);
    for (const auto& d : s.docs) std::cout << " --doc " << TerminalSafe(d);
    for (const auto& l : s.languages) std::cout << " --lang " << TerminalSafe(l);
    std::cout << "  (" << TerminalSafe(s.by) << ", " << TerminalSafe(s.when) << ")\n";
  }
  std::cout << list.size() << " saved searches\n";
  return kExitOk;
}

int RunRemove(const SavedArgs& args) {
  Result<std::unique_ptr<SavedSearchStore>> store =
      SavedSearchStore::OpenReadOnly(SavedSearchesPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  store = SavedSearchStore::Open(SavedSearchesPath(args.index_dir));
  if (!store.ok()) return Fail(store.status());
  Status removed = (*store)->Remove(args.name);
  if (!removed.ok()) return Fail(removed);
  std::cout << "removed '" << TerminalSafe(args.name) << "'\n";
  return kExitOk;
}

}  // namespace

Status ApplySavedSearch(const std::filesystem::path& index_dir, const std::string& name,
                        SearchRequest* request) {
  Result<std::unique_ptr<SavedSearchStore>> store =
      SavedSearchStore::OpenReadOnly(SavedSearchesPath(index_dir));
  if (!store.ok()) {
    if (store.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("no saved search '" + name + "': nothing is saved in " +
                              index_dir.string() + " (pillar saved add NAME QUERY)");
    }
    return store.status();
  }
  Result<SavedSearch> saved = (*store)->Get(name);
  if (!saved.ok()) return saved.status();
  std::string query = AndQueries(saved->query, request->query);
  // A filter the request has too must hold as well: as a query clause, since the filter
  // lists mean "any of them".
  auto merge = [&](const std::vector<std::string>& from, std::vector<std::string>* into,
                   const char* field) {
    if (from.empty()) return;
    if (into->empty()) {
      *into = from;
    } else {
      query = AndQueries(query, FieldClause(field, from));
    }
  };
  merge(saved->pillars, &request->pillars, "pillar:");
  merge(saved->docs, &request->docs, "doc:");
  merge(saved->languages, &request->languages, "lang:");
  request->query = query;
  return Status::Ok();
}

void AddCollectionOption(CLI::App* sub, std::string* name) {
  sub->add_option("--collection", *name,
                  "Only the passages of this collection: a saved search (pillar saved), its "
                  "query and filters joined to the others here")
      ->type_name("NAME");
}

void RegisterSaved(CLI::App& app) {
  auto args = std::make_shared<SavedArgs>();
  auto action = std::make_shared<std::string>();
  // One subcommand with the action as its first word (not nested subcommands): the option
  // checks, the config file and the completions all know one level.
  CLI::App* sub = app.add_subcommand(
      "saved",
      "Saved searches, kept in the index folder (saved.sqlite): `pillar saved add NAME QUERY "
      "[--pillar ID] [--doc ID] [--lang L]`, `pillar saved list`, `pillar saved remove NAME`. "
      "Run one with `pillar search --saved NAME`; as a collection it narrows `export` and "
      "`report` (--collection NAME)");
  sub->add_option("ACTION", *action, "add, list or remove")
      ->required()
      ->check(CLI::IsMember({"add", "list", "remove"}));
  sub->add_option("NAME", args->name, "The saved search's name (add, remove)");
  sub->add_option("QUERY", args->words,
                  "add: the query, as for pillar search (\"\" for every passage)");
  AddIndexOption(sub, &args->index_dir);
  sub->add_option("--pillar", args->pillars, "add: only passages tagged with this concept")
      ->type_name("ID");
  sub->add_option("--doc", args->docs, "add: only this document")->type_name("ID");
  sub->add_option("--lang", args->langs, "add: only this language")->type_name("L");
  sub->add_flag("--replace", args->replace, "add: replace a search saved under the same name");
  sub->add_option("--by", args->by, "add: who saves it (default: $PILLAR_USER or $USER)")
      ->type_name("NAME");
  sub->add_flag("--json", args->json, "list: a JSON array");
  sub->callback([args, action, sub] {
    if (*action == "list") {
      ExitCode() = RunList(*args);
      return;
    }
    if (args->name.empty()) {
      ExitCode() = Fail(Status::InvalidArgument("pillar saved " + *action + " needs a NAME"));
      return;
    }
    if (*action == "add") {
      if (sub->count("QUERY") == 0) {
        ExitCode() = Fail(Status::InvalidArgument(
            "pillar saved add NAME QUERY: give the query (\"\" for every passage)"));
        return;
      }
      ExitCode() = RunAdd(*args);
    } else {
      ExitCode() = RunRemove(*args);
    }
  });
}

}  // namespace pillar::cli
