// pillar: search and annotation engine for protection-of-civilians policy documents.

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <iostream>

#include "indexer/index/layout.h"
#include "tools/pillar/command.h"

namespace pillar::cli {

int& ExitCode() {
  static int code = kExitOk;
  return code;
}

void AddIndexOption(CLI::App* sub, std::filesystem::path* dir) {
  *dir = DefaultIndexDir();
  sub->add_option("--index", *dir, "Index folder (default: $PILLAR_INDEX or ./pillar-index)")
      ->type_name("DIR");
}

int Fail(const Status& status) {
  std::cerr << "pillar: " << status.message() << "\n";
  if (status.code() == Status::Code::kInvalidArgument || status.code() == Status::Code::kNotFound) {
    return kExitUsage;
  }
  return kExitSomeInputsFailed;
}

bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

}  // namespace pillar::cli

int main(int argc, char** argv) {
  using namespace pillar::cli;
  CLI::App app{
      "pillar: find, tag and cite passages of policy documents on the protection of civilians.\n"
      "Exit codes: 0 ok, 1 some inputs failed (the rest was done), 2 usage error."};
  app.name("pillar");
  app.require_subcommand(1);
  app.set_version_flag("--version", "pillar 0.1.0");
  RegisterIndex(app);
  RegisterSearch(app);
  RegisterSimilar(app);
  RegisterShow(app);
  RegisterExport(app);
  RegisterDocs(app);
  RegisterTaxonomy(app);
  RegisterTag(app);
  RegisterAnnotations(app);
  RegisterEval(app);
  RegisterCite(app);
  RegisterReport(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ExitCode();
}
