// Hostile inputs: each fails alone, with one clear message, in bounded time and memory, and
// never reads a file it was not given.

#include <pthread.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "indexer/ingest/reader.h"
#include "indexer/ingest/xml_reader.h"
#include "tests/support/test_support.h"

namespace pillar {
namespace {

using pillar::testing::ShellQuote;

namespace fs = std::filesystem;
using testing::SourceDir;
using testing::TempDir;

fs::path Hostile(const std::string& name) { return SourceDir() / "tests/fixtures/hostile" / name; }

TEST_CASE("A billion-laughs DOCTYPE is refused, not expanded", "[ingest][hostile]") {
  Result<ExtractedDocument> doc = ReadDocument(Hostile("billion-laughs.xml"));
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Status::Code::kUnsupported);
  CHECK(doc.status().message() ==
        "DOCTYPE declares entities (entity expansion, as in a \"billion laughs\" attack); XML "
        "with entity declarations is refused");
}

TEST_CASE("An external entity never reads the file it names", "[ingest][hostile]") {
  TempDir dir, elsewhere;
  fs::path secret = elsewhere.Write("secret.txt", "TOPSECRET-7f3a9");
  for (const char* root : {"TEI", "akomaNtoso"}) {
    std::string xml = std::string("<?xml version=\"1.0\"?>\n<!DOCTYPE ") + root +
                      " [\n  <!ENTITY xxe SYSTEM \"file://" + secret.string() + "\">\n]>\n<" +
                      root + "><text><body><p n=\"1\">Leak: &xxe;</p></body></text>" +
                      "<mainBody><paragraph><num>1.</num><content><p>Leak: &xxe;</p></content>"
                      "</paragraph></mainBody></" + root + ">";
    fs::path file = dir.Write(std::string("xxe-") + root + ".xml", xml);
    Result<ExtractedDocument> doc = ReadDocument(file);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().message().find("an external entity would read another file or URL") !=
          std::string::npos);
  }
  // Through the whole command too: nothing indexed anywhere holds the secret.
  std::string out;
  std::string index = (dir.path() / "idx").string();
  int code = testing::RunCommand(testing::PillarBinary() + " index " + ShellQuote(dir.path().string()) +
                                     " --index " + ShellQuote(index) + " --quiet",
                                 &out, true);
  CHECK(code == 1);
  CHECK(out.find("TOPSECRET") == std::string::npos);
  testing::RunCommand(testing::PillarBinary() + " export --format jsonl --index " + ShellQuote(index),
                      &out, true);
  CHECK(out.find("TOPSECRET") == std::string::npos);
}

TEST_CASE("XML nested 100,000 deep is refused quickly on a small thread stack",
          "[ingest][hostile]") {
  struct Job {
    std::string xml;
    Status status;
  } job;
  job.xml = "<TEI><text><body>";
  for (int i = 0; i < 100000; ++i) job.xml += "<div>";
  job.xml += "<p>deep</p>";
  for (int i = 0; i < 100000; ++i) job.xml += "</div>";
  job.xml += "</body></text></TEI>";
  pthread_attr_t attr;
  REQUIRE(pthread_attr_init(&attr) == 0);
  REQUIRE(pthread_attr_setstacksize(&attr, 256 << 10) == 0);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    ExtractedDocument doc;
    j->status = XmlReader().Read("deep.xml", j->xml, &doc);
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, run, &job) == 0);
  REQUIRE(pthread_join(thread, nullptr) == 0);
  pthread_attr_destroy(&attr);
  CHECK(job.status.code() == Status::Code::kUnsupported);
  CHECK(job.status.message().rfind("elements nested deeper than 10000 levels (line 1, column ", 0) ==
        0);
}

TEST_CASE("Truncated, encrypted and random-byte PDFs fail with one clear message",
          "[ingest][hostile]") {
  Result<ExtractedDocument> doc = ReadDocument(Hostile("truncated.pdf"));
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message() == "truncated PDF (no %%EOF marker at the end of the file)");
  doc = ReadDocument(Hostile("random-bytes.pdf"));
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message() == "not a PDF file (no %PDF- header)");
  doc = ReadDocument(Hostile("encrypted.pdf"));
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Status::Code::kUnsupported);
  CHECK(doc.status().message() ==
        "encrypted PDF (a password is required); decrypt it first, e.g. with qpdf --decrypt");
}

TEST_CASE("pillar index reports each hostile file on one line, exits 1 and indexes the good ones",
          "[ingest][hostile][cli]") {
  TempDir dir;
  for (const char* name :
       {"billion-laughs.xml", "external-entity.tei.xml", "truncated.pdf", "random-bytes.pdf"}) {
    fs::copy_file(Hostile(name), dir.path() / name);
  }
  std::string deep = "<akomaNtoso>";
  for (int i = 0; i < 100000; ++i) deep += "<x>";
  dir.Write("deep.akn.xml", deep);
  fs::copy_file(SourceDir() / "corpus/sample/unsme-poc-strategy-draft.pdf",
                dir.path() / "good.pdf");
  fs::copy_file(SourceDir() / "corpus/sample/unsme-mandate-resolution-illustrative.akn.xml",
                dir.path() / "good.akn.xml");
  TempDir outside;  // stderr must not land in the folder being indexed
  std::string err_file = (outside.path() / "stderr.txt").string();
  std::string out;
  int code = testing::RunCommand(testing::PillarBinary() + " index " + ShellQuote(dir.path().string()) +
                                     " --index " + ShellQuote((outside.path() / "idx").string()) +
                                     " 2>" + ShellQuote(err_file),
                                 &out);
  CHECK(code == 1);
  std::ifstream in(err_file);
  std::stringstream err;
  err << in.rdbuf();
  std::string lines = err.str();
  INFO(lines);
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 5);
  CHECK(lines.find("billion-laughs.xml: DOCTYPE declares entities") != std::string::npos);
  CHECK(lines.find("external-entity.tei.xml: DOCTYPE declares entities (an external entity") !=
        std::string::npos);
  CHECK(lines.find("truncated.pdf: truncated PDF") != std::string::npos);
  CHECK(lines.find("random-bytes.pdf: not a PDF file") != std::string::npos);
  CHECK(lines.find("deep.akn.xml: elements nested deeper than 10000 levels") != std::string::npos);
  CHECK(out.find("good.pdf") != std::string::npos);
  CHECK(out.find("good.akn.xml") != std::string::npos);
  CHECK(out.find("2 indexed") != std::string::npos);
  CHECK(out.find("5 failed") != std::string::npos);
}

}  // namespace
}  // namespace pillar
