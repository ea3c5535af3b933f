// Decoding gzip files, every member, verified, into a sink, in the manner of
// `gzip -dc`.
//
// Design. A file is streamed through two fixed buffers owned by a
// GzipWorkspace (one per thread, reused for every file), so memory does not
// depend on file size and no allocation happens per file. The gzip framing is
// parsed here, byte by byte where it is small (headers, trailers), and the
// data is handed in bulk to a raw deflate backend (zlib or ISA-L, see
// inflater.hpp). Every member of a concatenated file is decoded and verified
// (CRC-32 and ISIZE), like gzip. Bytes after the last member are ignored with
// a warning unless they are all zero (tape padding, which gzip also accepts
// silently). Decoded bytes go to a sink in chunks of at most the output
// buffer's size: the stages (line counting, tokenizing) are sinks.
//
// On an error, what decoded before it has already reached the sink (zcat
// would have printed it); how far a decoder gets into corrupt data differs
// between backends, so only the status is backend-independent for a failed
// file. It is zlib's verdict: when ISA-L fails a member, zlib decodes that
// member again to judge it (gzip_decoder.cpp says why). One difference
// remains: ISA-L accepts some invalid code tables zlib rejects, so a member
// zlib calls bad data can be ok with ISA-L, and only when its decoded bytes
// match the trailer's CRC-32 and length (re-checking every good member
// with zlib would cost what ISA-L saves).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gzip/byte_source.hpp"
#include "gzip/gzip_status.hpp"
#include "gzip/inflater.hpp"

namespace juggle::gzip {

struct GzipResult {
  std::uint64_t bytes_in = 0;        // compressed bytes read, trailing bytes included
  std::uint64_t bytes_out = 0;       // decompressed bytes
  std::uint64_t trailing_bytes = 0;  // bytes after the last complete member
  std::uint32_t crc32 = 0;           // CRC-32 of all decompressed bytes (members combined)
  std::uint32_t members = 0;         // complete, verified members
  bool trailing_garbage = false;     // trailing bytes that are not all zero (a warning)
  GzipStatus status = GzipStatus::ok;
  int sys_errno = 0;                 // with read_error
};

// Receives decompressed bytes in order.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void consume(std::span<const std::uint8_t> bytes) = 0;
};

// Where a source's bytes sit in their file: at its start, or just after a
// member decoded by someone else (then no bytes at all is a complete file,
// and bytes that are not a member are trailing bytes, as gzip says of them).
enum class StreamStart : std::uint8_t { file, after_member };

// Buffers and decoder state for one thread. Not thread-safe; cheap to reuse.
class GzipWorkspace {
 public:
  static constexpr std::size_t default_in_size = 512 * 1024;
  static constexpr std::size_t default_out_size = 1024 * 1024;

  explicit GzipWorkspace(InflateBackend backend, std::size_t in_size = default_in_size,
                         std::size_t out_size = default_out_size);

  [[nodiscard]] InflateBackend backend() const noexcept { return backend_; }
  // The input buffer, also lent to readers of plain files between decodes.
  [[nodiscard]] std::span<std::uint8_t> input_buffer() noexcept { return in_; }

 private:
  friend GzipResult decode_gzip(ByteSource& source, GzipWorkspace& workspace, OutputSink& sink, StreamStart start);
  InflateBackend backend_;
  std::unique_ptr<RawInflater> inflater_;
  std::unique_ptr<RawInflater> referee_;  // zlib, made when ISA-L first rejects a member
  std::vector<std::uint8_t> in_;
  std::vector<std::uint8_t> out_;
};

// Decode every gzip member from `source` into `sink`. Never throws for bad
// data (the status says what went wrong); throws std::bad_alloc, and
// whatever the sink throws.
[[nodiscard]] GzipResult decode_gzip(ByteSource& source, GzipWorkspace& workspace, OutputSink& sink,
                                     StreamStart start = StreamStart::file);

// The length of the gzip member header at the start of `data` (magic,
// method, flags and every optional field, FHCRC checked): ok and `length`
// set, or why the bytes are not such a header (truncated: `data` ends
// inside it). Pure.
[[nodiscard]] GzipStatus member_header_size(std::span<const std::uint8_t> data, std::size_t& length);

// True when `prefix` starts with the gzip magic number (1f 8b).
[[nodiscard]] bool has_gzip_magic(std::span<const std::uint8_t> prefix) noexcept;

}  // namespace juggle::gzip
