// How a results column is laid out on disk: contiguous, or in chunks that
// are byte-shuffled and deflate-compressed.
//
// A column is compressed once it holds kCompressFromBytes or more: below
// that, the filter message in its header and zlib's own header and
// checksum cost more than deflate saves, so tiny tables (a run's ranks, a
// list of a few inputs) stay contiguous. (Of the thresholds 1, 128, 256,
// 512 and 4096 bytes, 256 gave the smallest count and tokenize files of the
// default input's 64 files, and within 50 bytes of the smallest for the 8
// Gutenberg books.)
// An empty column is always contiguous: HDF5 has no chunk for zero rows.
//
// Chunks hold up to kChunkBytes, the size of h5py's default chunk cache,
// so a reader going through a column row by row decompresses each chunk
// once. Smaller chunks compress worse, since each starts deflate afresh
// (64 KiB chunks left the vocabulary of the default input 2% larger). A
// column shorter than one chunk is one chunk of exactly its rows (no
// padding rows). The shuffle filter (byte planes of the elements) goes
// before deflate for numbers of 2 bytes or more: the high bytes of counts,
// ranks and times are alike from row to row and compress to almost nothing
// once they sit side by side. Text is left in reading order (shuffled,
// fixed-width words of the default input came out 15% larger), and 1-byte
// numbers have no planes to sort.
#pragma once

#include <cstddef>

#include "results/h5_handles.hpp"

namespace juggle::results::h5 {

inline constexpr std::size_t kCompressFromBytes = 256;
inline constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
inline constexpr unsigned kDeflateLevel = 6;  // gzip's default: the size a user compares with

struct ColumnLayout {
  bool compressed = false;
  std::size_t chunk_rows = 0;  // rows per chunk when compressed
  bool shuffle = false;
};

// The layout of a column of `rows` elements of `element_bytes` each, of
// text (fixed-width cells) or numbers.
[[nodiscard]] ColumnLayout column_layout(std::size_t rows, std::size_t element_bytes, bool text) noexcept;

// Dataset creation properties for `layout` (H5P_DEFAULT's contiguous
// layout when not compressed, or when this HDF5 has no deflate filter).
[[nodiscard]] Handle column_creation_properties(const ColumnLayout& layout);

}  // namespace juggle::results::h5
