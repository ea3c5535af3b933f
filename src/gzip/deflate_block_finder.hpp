// Finding where a deflate block could start, in the middle of a stream.
//
// Why. To decode one gzip member on several threads, each thread must start
// at a deflate block boundary it has not seen the stream reach. Deflate has no
// sync markers, so a boundary can only be guessed from what a block header
// looks like, and confirmed later: a guess is right exactly when the decoder
// of the preceding chunk, started at a confirmed boundary, ends its last block
// there (chunk_inflate.hpp checks that). The finder may therefore return false
// candidates, but it must not miss a true one, and it must be fast, because it
// looks at every bit position of the part of the stream it scans.
//
// What is searched. Two kinds of non-final block:
//  - dynamic-Huffman (BTYPE 10): almost every block of gzip/zlib/pigz output
//    at levels 1-9. Its header carries three code tables, and a chain of
//    checks on them rejects random bit positions: HLIT <= 29 (at most 286
//    literal/length codes), HDIST <= 29 (at most 30 distance codes), the
//    code-length code complete, the literal/length and distance code lengths
//    decoding without a repeat before the first length or past the end, a
//    code for the end-of-block symbol 256, the literal/length code complete
//    (Kraft sum exactly 1), the distance code complete, empty, or one code of
//    one bit (the cases RFC 1951 and zlib allow).
//  - stored (BTYPE 00): LEN == ~NLEN at a byte boundary, the three header
//    bits and the padding before it zero. Stored blocks are what zlib emits
//    for incompressible data, so random data is split through them.
// Fixed-Huffman blocks (BTYPE 01) have a 3-bit header and nothing to check;
// searching for them would return a candidate every few bits. Final blocks
// end the stream and are not a place to split.
//
// Speed. The first 13 header bits (BFINAL, BTYPE, HLIT, HDIST) are tested for
// 32 bit positions at once with a few shifts and ANDs on one 64-bit load; about
// 11 % of positions survive. The code-length code's Kraft sum is then read
// through a 4096-entry table, four 3-bit lengths per lookup, which rejects
// nearly all the rest before any table is built. Stored-block tests (a 16-bit
// compare per byte) ride in the same 32-bit windows, so candidates come out in
// bit order. Measured: 75-110 MB of compressed input per CPU-second on gzip -6
// prose and base64 (bench/chunk_inflate_speed). In their first 4 MiB every
// true block start was a candidate (69 and 163) and the only false ones were
// stored-block lookalikes (LEN == ~NLEN by chance after three zero bits: 7 and
// 12, about 2 per MiB, as 2^-19 per byte predicts); no false dynamic header
// passed. A splitter scans only from its target offset to the next candidate
// (a few KB), so the finder is rarely on the clock.
//
// A stored block's header and padding are all zero bits, so a stored block at
// byte B could equally start at any bit in [8B-10, 8B-3] whose bits up to 8B
// are zero: the finder returns the latest of them, 8B-3, and the chunk decoder
// accepts a preceding chunk ending up to 7 zero bits earlier (the same block).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace juggle::gzip {

enum class BlockKind : std::uint8_t { dynamic, stored };

struct BlockCandidate {
  std::uint64_t bit = 0;  // offset of the block's first header bit (BFINAL) in the buffer
  BlockKind kind = BlockKind::dynamic;
};

// The first offset c with begin_bit <= c < end_bit at which a non-final dynamic
// block header passes every check above, or a non-final stored block starts
// (reported at its latest equivalent offset, see above); nullopt when there is
// none. `data` is raw deflate data (bit 0 = least significant bit of byte 0);
// a header that would run past data's end is not a candidate. end_bit may
// exceed the buffer's bits. Pure; safe to call from many threads.
[[nodiscard]] std::optional<BlockCandidate> find_block_start(std::span<const std::uint8_t> data,
                                                             std::uint64_t begin_bit, std::uint64_t end_bit) noexcept;

// The whole check chain for a dynamic block header at `bit` (no fast filter
// shortcuts, the same verdict). For tests and for re-checking one offset.
[[nodiscard]] bool dynamic_header_plausible(std::span<const std::uint8_t> data, std::uint64_t bit) noexcept;

// A non-final stored block whose header occupies the three bits before the byte
// boundary `bit + 3` (so bit % 8 == 5), with LEN == ~NLEN after it.
[[nodiscard]] bool stored_header_plausible(std::span<const std::uint8_t> data, std::uint64_t bit) noexcept;

}  // namespace juggle::gzip
