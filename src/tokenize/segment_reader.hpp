// Tokenizing one segment of a gzip member's deflate stream, decoded again
// with its true incoming window (count/member_chunks.hpp: the join resolves
// every segment's window in order; gzip/chunk_inflate.hpp: one ISA-L pass).
//
// Which words a segment owns. The member's output is cut where the
// segments start, at output offsets U_0 = 0 < U_1 < ...; as for byte ranges
// of a plain file (piece_reader.hpp), segment k tokenizes from the first
// split byte at or after U_k (from 0 for the first) to just before the first
// split byte at or after U_{k+1}. That end may lie past the segment: the
// reader then decodes on into the stream after it, with the window its own
// bytes leave, until a split byte or the end of the final block. Every byte
// of the member is so read by exactly one segment and no word is cut, so
// the counts of all segments add up to the sequential pass's. A segment
// without a split byte is empty: the one before reads across it.
//
// Only a member that ends the file is cut so (the stage's choice): a word
// running from one member into the next would need the next member's bytes.
// Each segment's words are kept or dropped on its own verdict; the join has
// verified the member before any segment is read, so a segment fails only
// when the file changed in between.
//
// Memory: the segment's compressed bytes (a deflate chunk), the bytes read
// on past it (64 KiB, grown eightfold while no split byte comes), a 128 KiB
// output slice and ISA-L's state (about 90 KiB).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "gzip/chunk_inflate.hpp"
#include "tokenize/piece_reader.hpp"

namespace juggle::tokenize {

struct SegmentSpec {
  std::string path;
  std::uint64_t start_bit = 0;                  // in the file: a block start
  std::uint64_t end_bit = gzip::kToFinalBlock;  // the next segment's start; kToFinalBlock: through the final block
  // The member's last kWindowSize bytes before the segment (all of them
  // when fewer).
  std::span<const std::uint8_t> window;
  // The member's first segment: its words start at its first byte (a later
  // segment's, at its first split byte, even with no output before it).
  bool member_start = false;
};

// One per thread; reuse it across segments.
class SegmentReader {
 public:
  SegmentReader();
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  // Tokenizes the words the segment owns into `cache`'s map (complete on
  // return). decode.status is ok, read_error (with errno) or bad_data
  // (the stream does not decode as the join found it: the file changed);
  // decode.bytes_in is the segment's share of the file's bytes (the first
  // from byte 0, the last to the file's end), so a member's segments sum to
  // its file's size. Throws std::bad_alloc.
  [[nodiscard]] PieceResult tokenize(const SegmentSpec& segment, const TokenizeOptions& options, WordCache& cache);
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace juggle::tokenize
