// pillar open PASSAGE_ID : the original file, at the passage's page.

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <iostream>
#include <memory>

#include "query/search/searcher.h"
#include "tools/pillar/command.h"
#include "tools/pillar/moved_ids.h"
#include "tools/pillar/render.h"

namespace pillar::cli {
namespace {

struct OpenArgs {
  std::string id;
  std::filesystem::path index_dir;
  bool print = false;
  std::string opener = "xdg-open";
};

// `path` as a file: URI, each byte outside the unreserved set and '/' percent-encoded.
std::string FileUri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : path) {
    bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri;
}

int RunOpen(const OpenArgs& args) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(args.index_dir);
  if (!searcher.ok()) return Fail(searcher.status());
  // A passage id opens its document at its page; a document id opens the document.
  std::string doc_id = args.id;
  int page = 0;
  if (args.id.find('#') != std::string::npos) {
    Result<ResolvedId> resolved = (*searcher)->ResolvePassageId(args.id);
    if (!resolved.ok()) return Fail(resolved.status());
    NoteMovedId(args.id, *resolved);
    Result<Passage> passage = (*searcher)->GetPassage(resolved->id);
    if (!passage.ok()) return Fail(passage.status());
    doc_id = passage->doc_id;
    page = passage->page;
  }
  Result<DocumentRecord> doc = (*searcher)->GetDocument(doc_id);
  if (!doc.ok()) return Fail(doc.status());
  if (doc->path.empty()) {
    return Fail(Status::NotFound("document '" + doc_id + "' has no source file recorded"));
  }
  std::error_code ec;
  if (!std::filesystem::exists(doc->path, ec)) {
    return Fail(Status::NotFound(doc->path + ": the file of '" + doc_id +
                                 "' is no longer there (moved or deleted since it was indexed)"));
  }
  std::string uri = FileUri(doc->path);
  // PDF viewers (browsers, evince, okular) open a PDF at #page=N (RFC 8118); other formats
  // have no page to go to.
  if (page > 0 && doc->format == "pdf") uri += "#page=" + std::to_string(page);
  if (args.print) {
    std::cout << uri << "\n";
    return kExitOk;
  }
  // Run the opener without a shell (the URI is one argument, whatever it holds) and wait for
  // it: xdg-open returns once the viewer is started.
  pid_t pid = ::fork();
  if (pid < 0) return Fail(Status::IOError("cannot start " + args.opener));
  if (pid == 0) {
    execlp(args.opener.c_str(), args.opener.c_str(), uri.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return Fail(Status::IOError(args.opener + " " + uri + " failed" +
                                (code == 127 ? " (not installed? --print gives the URI)"
                                             : " (exit code " + std::to_string(code) + ")")));
  }
  return kExitOk;
}

}  // namespace

void RegisterOpen(CLI::App& app) {
  auto args = std::make_shared<OpenArgs>();
  CLI::App* sub = app.add_subcommand(
      "open",
      "Open the original file of a passage (at its page, for a PDF: #page=N) or of a document, "
      "with xdg-open");
  sub->add_option("ID", args->id, "A passage id (e.g. s-res-2719-2023#op-5) or a document id")
      ->required();
  AddIndexOption(sub, &args->index_dir);
  sub->add_flag("--print", args->print, "Print the file: URI instead of opening it");
  sub->add_option("--with", args->opener, "The program to open the URI with (default xdg-open)")
      ->type_name("PROGRAM");
  sub->callback([args] { ExitCode() = RunOpen(*args); });
}

}  // namespace pillar::cli
