// libFuzzer target: any bytes as a .tei file, read as `pillar index` reads one. A teiCorpus's
// <xi:include>s are followed inside the file's folder, which holds a member TEI file and a
// listPerson file for the seeds to include.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_support.h"

namespace {

void WriteIncludes() {
  static const bool written = [] {
    constexpr std::string_view kMember =
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt>"
        "<title>Sitting 2</title></titleStmt></fileDesc></teiHeader><text><body><div>"
        "<head>Debate</head><u who=\"#p1\"><seg>We protect civilians.</seg></u>"
        "</div></body></text></TEI>";
    constexpr std::string_view kPersons =
        "<listPerson xmlns=\"http://www.tei-c.org/ns/1.0\"><person xml:id=\"p1\"><persName>"
        "<forename>Ana</forename><surname>Silva</surname></persName></person></listPerson>";
    pillar::fuzz::WriteScratch("member.xml", reinterpret_cast<const uint8_t*>(kMember.data()),
                               kMember.size());
    pillar::fuzz::WriteScratch("persons.xml", reinterpret_cast<const uint8_t*>(kPersons.data()),
                               kPersons.size());
    return true;
  }();
  (void)written;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  WriteIncludes();
  pillar::fuzz::ReadAsFile("input.tei", data, size);
  return 0;
}
