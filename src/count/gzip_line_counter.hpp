// Counting the lines of a gzip file exactly as `zcat FILE | wc -l` does: the
// gzip decoder (gzip/gzip_decoder.hpp) feeds a sink that counts '\n' bytes.
//
// A line is a '\n' byte of the decompressed stream. A last line without '\n'
// is not counted (as wc -l) but flagged `unterminated`.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "gzip/gzip_decoder.hpp"

namespace juggle::count {

using gzip::GzipStatus;
using gzip::InflateBackend;

struct LineCount : gzip::GzipResult {
  std::uint64_t lines = 0;    // '\n' bytes decoded
  bool unterminated = false;  // bytes_out > 0 and the last byte is not '\n'
};

using CountWorkspace = gzip::GzipWorkspace;

// Counts the '\n' bytes of a decoded stream, for decoders run by others
// (a stream also being tokenized). Never empty chunks (OutputSink's contract).
class LineSink final : public gzip::OutputSink {
 public:
  void consume(std::span<const std::uint8_t> bytes) override;
  // The count of the stream that `decoded` describes.
  [[nodiscard]] LineCount result(const gzip::GzipResult& decoded) const noexcept;

 private:
  std::uint64_t lines_ = 0;
  std::uint8_t last_ = '\n';
};

// Decode every gzip member from `source` and count lines. Never throws for bad
// data (the status says what went wrong); throws only std::bad_alloc.
[[nodiscard]] LineCount count_gzip_lines(gzip::ByteSource& source, CountWorkspace& workspace,
                                         gzip::StreamStart start = gzip::StreamStart::file);

// Convenience wrappers over the two sources. A file's bytes [begin, end)
// count as a file of their own (a range of whole members, gzip/bgzf.hpp), or
// as what follows a member (`start`).
[[nodiscard]] LineCount count_gzip_buffer(std::span<const std::uint8_t> data, CountWorkspace& workspace);
[[nodiscard]] LineCount count_gzip_file(const std::string& path, CountWorkspace& workspace, std::uint64_t begin = 0,
                                        std::uint64_t end = UINT64_MAX,
                                        gzip::StreamStart start = gzip::StreamStart::file);

}  // namespace juggle::count
