// Counting '\n' bytes: the whole of what `wc -l` does.
//
// Inflate runs at ~0.4-1.1 GB/s per core; a plain memchr loop (~3.5 GB/s) would
// still add a quarter on top of ISA-L. The SIMD kernel compares 16 or 32 bytes
// at a time and sums the matches with psadbw, so counting stays a few percent
// of the work. The AVX2 kernel is chosen at run time; any CPU gets a correct
// answer from the SSE2 (x86-64 baseline) or portable path.
#pragma once

#include <cstddef>
#include <cstdint>

namespace juggle::count {

// Number of bytes equal to '\n' in [data, data + size). Any alignment, any size.
[[nodiscard]] std::uint64_t count_newlines(const std::uint8_t* data, std::size_t size) noexcept;

// The portable reference the SIMD kernels are tested against.
[[nodiscard]] std::uint64_t count_newlines_scalar(const std::uint8_t* data, std::size_t size) noexcept;

}  // namespace juggle::count
