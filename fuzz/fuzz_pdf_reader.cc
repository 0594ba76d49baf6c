// libFuzzer target: any bytes as a .pdf file, read as `pillar index` reads one.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pillar::fuzz::ReadAsFile("input.pdf", data, size);
  return 0;
}
