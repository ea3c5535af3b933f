// String columns as fixed-width, NUL-terminated UTF-8 cells.
//
// HDF5 keeps variable-length strings in a global heap outside the dataset's
// chunks, where no filter reaches them: a compressed column of them is
// still 16 bytes of heap reference plus the uncompressed text per row.
// Fixed-width cells live inside the chunks, and deflate turns the padding
// into little. h5py reads both kinds the same way (`.asstr()[:]`); NumPy
// sees a fixed-width column as `S<width>` bytes. Every cell ends in a NUL
// (the cells are H5T_STR_NULLTERM), so h5dump and C readers stop there.
//
// Padding has a price for readers, who get rows x width bytes: a column is
// fixed-width only when that is at most kAlwaysFixedBytes or kMaxPadding
// times its text (in h5py a variable-length string costs a Python object
// of some 50 bytes a row, so short strings padded up to 8 times cost no
// more). A column with one very long value among many short ones stays
// variable-length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace juggle::results {

inline constexpr std::size_t kAlwaysFixedBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxPadding = 8;

// The cell width for `values` (their longest plus the NUL), or nullopt
// when they should stay variable-length.
[[nodiscard]] std::optional<std::size_t> fixed_width(std::span<const std::string> values) noexcept;

// The same choice from a column's sums (a column spread over ranks): its
// rows, its longest cell plus the NUL (at least 1), and its bytes with a
// NUL a row.
[[nodiscard]] std::optional<std::size_t> fixed_width_of(std::uint64_t rows, std::size_t width,
                                                        std::uint64_t text) noexcept;

// A column's longest cell plus the NUL (at least 1), and its bytes with a NUL a row.
struct TextSize {
  std::size_t width = 1;
  std::uint64_t text = 0;
};
[[nodiscard]] TextSize text_size(std::span<const std::string> values) noexcept;

// `values` as rows of `width` bytes, each NUL-padded (`width` more than the longest).
[[nodiscard]] std::vector<char> pad_cells(std::span<const std::string> values, std::size_t width);

// The cells of `rows` x `width` bytes, each up to its first NUL.
[[nodiscard]] std::vector<std::string> unpad_cells(const char* cells, std::size_t rows, std::size_t width);

}  // namespace juggle::results
