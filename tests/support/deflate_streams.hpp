// Raw deflate streams for the chunked-decoding tests: text of several kinds,
// compressed by zlib in ways that produce every block type, and the true block
// boundaries of a stream as zlib's own inflate reports them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gzip_fixtures.hpp"

namespace juggle::test {

// Prose-like lines from a small vocabulary (words, punctuation, varied lengths).
[[nodiscard]] std::string prose_text(std::size_t bytes, std::uint64_t seed);
// A short paragraph repeated: back-references chain through whole chunks.
[[nodiscard]] std::string repetitive_text(std::size_t bytes);
// Uniformly random bytes (zlib stores them in stored blocks).
[[nodiscard]] std::string random_bytes(std::size_t bytes, std::uint64_t seed);
// base64 of random bytes, 76 characters per line.
[[nodiscard]] std::string base64_text(std::size_t bytes, std::uint64_t seed);

// Raw deflate of the parts, one after the other, each at its own level
// (level 0 gives stored blocks); zlib changes level at a block boundary.
struct DeflatePart {
  std::string_view text;
  int level = 6;
};
[[nodiscard]] Bytes deflate_parts(const std::vector<DeflatePart>& parts);

struct TrueBoundary {
  std::uint64_t bit = 0;  // where a block starts (or, for the last entry, where the stream ends)
  bool final = false;     // the block starting here is the final one
  unsigned type = 0;      // its BTYPE (0 stored, 1 fixed, 2 dynamic); 3 for the stream's end
};
// Every block start of a raw deflate stream, then its end, from zlib's
// inflate(Z_BLOCK) and data_type.
[[nodiscard]] std::vector<TrueBoundary> true_boundaries(const Bytes& deflate);

}  // namespace juggle::test
