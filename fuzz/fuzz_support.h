#pragma once

// Shared by the libFuzzer targets in this folder (docs/reliability.md, "Fuzzing"). Each target
// is one small file with LLVMFuzzerTestOneInput; what they share is how a reader's output is
// checked, so that every reader is held to the same promises.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace pillar::fuzz {

// Aborts (a crash libFuzzer records, with the input) when `ok` is false. Used for promises the
// code makes that no sanitizer would notice: byte ranges inside the text, valid UTF-8.
void Check(bool ok, std::string_view what, std::string_view detail = {});

// A folder of this process's own under $TMPDIR, made on first use and removed at exit.
const std::filesystem::path& ScratchDir();

// Writes `size` bytes to ScratchDir()/name (replacing it) and returns the path. For the
// entry points that only take files (catalog, taxonomy).
std::filesystem::path WriteScratch(std::string_view name, const uint8_t* data, size_t size);

// Reads `data` as `pillar index` reads a file named ScratchDir()/file_name: the reader chosen by
// the name's extension through ParseDocumentBytes (UTF-8 checks, NFC, the reader), then the
// coverage measure and the passage splitter. An error Status is a fine outcome; a document
// must hold its promises: every block a non-empty range of the text on UTF-8 boundaries, the
// text, metadata, passages and error messages valid UTF-8 (they end up in JSON, whose writer
// aborts on anything else).
void ReadAsFile(std::string_view file_name, const uint8_t* data, size_t size);

}  // namespace pillar::fuzz
