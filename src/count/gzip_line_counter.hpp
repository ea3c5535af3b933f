// Counting the lines of a gzip file exactly as `zcat FILE | wc -l` does.
//
// Design. A file is streamed through two fixed buffers owned by a
// CountWorkspace (one per thread, reused for every file), so memory does not
// depend on file size and no allocation happens per file. The gzip framing is
// parsed here, byte by byte where it is small (headers, trailers) and handed
// in bulk to a raw deflate backend where it is large (the data). Every member
// of a concatenated file is decoded and verified (CRC-32 and ISIZE), like
// gzip. Bytes after the last member are ignored with a warning unless they are
// all zero (tape padding, which gzip also accepts silently).
//
// What a line is: the number of '\n' bytes in the decompressed stream. A last
// line without '\n' is not counted (as wc -l) but flagged `unterminated`.
//
// On an error the counts of what decoded before it are still returned (zcat
// would have printed those bytes); how far a decoder gets into corrupt data
// differs between backends, so only the status, not those partial counts, is
// backend-independent for a failed file.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "count/byte_source.hpp"
#include "count/gzip_status.hpp"
#include "count/inflater.hpp"

namespace juggle::count {

struct LineCount {
  std::uint64_t lines = 0;          // '\n' bytes decoded
  std::uint64_t bytes_in = 0;       // compressed bytes read, trailing bytes included
  std::uint64_t bytes_out = 0;      // decompressed bytes
  std::uint64_t trailing_bytes = 0; // bytes after the last complete member
  std::uint32_t crc32 = 0;          // CRC-32 of all decompressed bytes (members combined)
  std::uint32_t members = 0;        // complete, verified members
  bool unterminated = false;        // bytes_out > 0 and the last byte is not '\n'
  bool trailing_garbage = false;    // trailing bytes that are not all zero (a warning)
  GzipStatus status = GzipStatus::ok;
  int sys_errno = 0;                // with read_error
};

// Buffers and decoder state for one thread. Not thread-safe; cheap to reuse.
class CountWorkspace {
 public:
  static constexpr std::size_t default_in_size = 512 * 1024;
  static constexpr std::size_t default_out_size = 1024 * 1024;

  explicit CountWorkspace(InflateBackend backend, std::size_t in_size = default_in_size,
                          std::size_t out_size = default_out_size);

  [[nodiscard]] InflateBackend backend() const noexcept { return backend_; }

 private:
  friend LineCount count_gzip_lines(ByteSource& source, CountWorkspace& workspace);
  InflateBackend backend_;
  std::unique_ptr<RawInflater> inflater_;
  std::vector<std::uint8_t> in_;
  std::vector<std::uint8_t> out_;
};

// Decode every gzip member from `source` and count lines. Never throws for bad
// data (the status says what went wrong); throws only std::bad_alloc.
[[nodiscard]] LineCount count_gzip_lines(ByteSource& source, CountWorkspace& workspace);

// Convenience wrappers over the two sources.
[[nodiscard]] LineCount count_gzip_buffer(std::span<const std::uint8_t> data, CountWorkspace& workspace);
[[nodiscard]] LineCount count_gzip_file(const std::string& path, CountWorkspace& workspace);

}  // namespace juggle::count
