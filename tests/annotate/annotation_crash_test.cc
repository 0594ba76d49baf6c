// A process killed in the middle of writing leaves the annotation store consistent.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "indexer/annotate/annotation_store.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::TempDir;

Annotation Add(int n) {
  Annotation a;
  a.action = Annotation::Action::kAdd;
  a.concepts = {"un-tier-2"};
  a.anchor.passage_id = "doc#para-" + std::to_string(n);
  a.anchor.doc_id = "doc";
  a.anchor.quote.exact = "Paragraph " + std::to_string(n) + " on patrols.";
  a.anchor.position = {0, 10, 0, 10};
  a.by = "writer";
  a.note = std::string(2000, 'x');  // large rows: a kill lands inside a write more often
  return a;
}

TEST_CASE("Killing a writer mid-transaction leaves the store consistent and complete up to "
          "its last commit",
          "[annotate][crash]") {
  TempDir dir;
  auto file = dir.path() / "annotations.sqlite";
  {
    auto store = AnnotationStore::Open(file);
    REQUIRE(store.ok());
    REQUIRE((*store)->Record(Add(0)).ok());
  }
  for (int round = 0; round < 5; ++round) {
    int pipe_fd[2];
    REQUIRE(::pipe(pipe_fd) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(pipe_fd[0]);
      auto store = AnnotationStore::Open(file);
      if (!store.ok()) ::_exit(3);
      for (int n = 1;; ++n) {
        if (!(*store)->Record(Add(n)).ok()) ::_exit(4);
        if (n == 20) (void)!::write(pipe_fd[1], "x", 1);  // tell the parent writes are flowing
      }
    }
    ::close(pipe_fd[1]);
    char c;
    REQUIRE(::read(pipe_fd[0], &c, 1) == 1);
    ::usleep(static_cast<useconds_t>(1000 * (round + 1)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(pipe_fd[0]);
    REQUIRE(WIFSIGNALED(status));

    // The store opens, passes SQLite's integrity check, and every row it holds is whole.
    auto store = AnnotationStore::Open(file);
    REQUIRE(store.ok());
    auto all = (*store)->All();
    REQUIRE(all.ok());
    CHECK(all->size() >= 21);
    for (const Annotation& a : *all) {
      CHECK(a.concepts == std::vector<std::string>{"un-tier-2"});
      CHECK(a.by == "writer");
      CHECK(a.anchor.quote.exact.rfind("Paragraph ", 0) == 0);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
    // And it takes new writes.
    CHECK((*store)->Record(Add(999)).ok());
  }
}

}  // namespace
}  // namespace pillar
