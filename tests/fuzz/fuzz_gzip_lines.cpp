// Fuzz target: the gzip line counter (count/gzip_line_counter.hpp).
//
// Every input is decoded by each inflate backend this build has (zlib, and
// ISA-L when found), once with the production buffer sizes and once through
// tiny reads and buffers, so headers, trailers and members are split at
// every kind of boundary. The properties: nothing crashes or leaks (the
// sanitizers), the status is the same for every backend and buffer size
// (but for one documented leniency of ISA-L, see same()), and a successful
// decode gives the same lines, bytes, CRC-32 and members everywhere. (For a failed file only the status is backend-independent:
// how far a decoder reads into corrupt data differs, gzip_decoder.hpp.)
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <span>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "gzip/byte_source.hpp"

using namespace juggle;

namespace {

// Workspaces live across inputs, as a thread's does across files (reuse is
// part of what is tested; fresh 1.5 MiB buffers per input also made the
// target ~20x slower).
count::LineCount decode(std::span<const std::uint8_t> data, gzip::InflateBackend backend, std::size_t piece,
                        bool tiny) {
  static count::CountWorkspace production[2] = {count::CountWorkspace(gzip::InflateBackend::zlib),
                                                count::CountWorkspace(gzip::default_backend())};
  static count::CountWorkspace small[2] = {count::CountWorkspace(gzip::InflateBackend::zlib, 64, 32),
                                           count::CountWorkspace(gzip::default_backend(), 64, 32)};
  const int which = backend == gzip::InflateBackend::zlib ? 0 : 1;
  gzip::MemorySource source(data, piece);
  return count::count_gzip_lines(source, tiny ? small[which] : production[which]);
}

[[noreturn]] void differ(const char* what, const count::LineCount& a, const count::LineCount& b) {
  std::fprintf(stderr, "fuzz_gzip_lines: %s differ: status %d/%d lines %llu/%llu bytes_out %llu/%llu\n", what,
               static_cast<int>(a.status), static_cast<int>(b.status), static_cast<unsigned long long>(a.lines),
               static_cast<unsigned long long>(b.lines), static_cast<unsigned long long>(a.bytes_out),
               static_cast<unsigned long long>(b.bytes_out));
  std::abort();
}

// `a` is zlib's (the reference), `b` from `backend`.
void same(const char* what, const count::LineCount& a, const count::LineCount& b, gzip::InflateBackend backend) {
  // The one allowed difference: ISA-L is laxer than zlib about some code
  // tables (e.g. incomplete ones) and may decode a member zlib rejects; it
  // counts that member only if its CRC-32 and length then match the
  // trailer (so the bytes counted are the ones the file vouches for), and
  // whatever follows is judged from there.
  if (a.status == gzip::GzipStatus::bad_data && backend == gzip::InflateBackend::isal &&
      b.members > a.members)
    return;
  // A stream both cut short and invalid near its end is "truncated" or
  // "bad data" depending on how many bytes the decoder holds when it meets
  // the end (zlib itself answers both ways with different buffer sizes;
  // gzip says "unexpected end of file"): either is a damaged stream.
  const auto damaged = [](gzip::GzipStatus s) {
    return s == gzip::GzipStatus::truncated || s == gzip::GzipStatus::bad_data;
  };
  if (a.status != b.status && !(damaged(a.status) && damaged(b.status))) differ(what, a, b);
  if (a.status != gzip::GzipStatus::ok) return;
  if (a.lines != b.lines || a.bytes_out != b.bytes_out || a.crc32 != b.crc32 || a.members != b.members ||
      a.unterminated != b.unterminated || a.trailing_bytes != b.trailing_bytes ||
      a.trailing_garbage != b.trailing_garbage)
    differ(what, a, b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  std::vector<gzip::InflateBackend> backends{gzip::InflateBackend::zlib};
  if (gzip::backend_available(gzip::InflateBackend::isal)) backends.push_back(gzip::InflateBackend::isal);
  // Small pieces and buffers: a read of 1..7 bytes (from the input's
  // length, so the fuzzer explores them), a 64-byte input and 32-byte
  // output buffer.
  const std::size_t piece = 1 + size % 7;
  const count::LineCount reference = decode(input, backends[0], SIZE_MAX, false);
  for (const auto backend : backends) {
    same("buffer sizes", reference, decode(input, backend, piece, true), backend);
    if (backend != backends[0]) same("backends", reference, decode(input, backend, SIZE_MAX, false), backend);
  }
  return 0;
}
