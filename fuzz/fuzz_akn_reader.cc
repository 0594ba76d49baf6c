// libFuzzer target: any bytes as a .akn file, read as `pillar index` reads one.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pillar::fuzz::ReadAsFile("input.akn", data, size);
  return 0;
}
