// Counting '\n' bytes: the whole of what `wc -l` does.
//
// Inflate runs at ~0.4-1.1 GB/s per core; a plain memchr loop (~3.5 GB/s) would
// still add a quarter on top of ISA-L. The AVX2 kernel compares 32 bytes at a
// time and sums the matches with psadbw (~30 GB/s), so counting stays a few
// percent of the work. It is chosen at run time; other CPUs use std::count,
// which the compiler vectorises with the baseline SSE2 (~3.4 GB/s).
#pragma once

#include <cstddef>
#include <cstdint>

namespace juggle::count {

// Number of bytes equal to '\n' in [data, data + size). Any alignment, any size.
[[nodiscard]] std::uint64_t count_newlines(const std::uint8_t* data, std::size_t size) noexcept;

// The portable reference the SIMD kernels are tested against.
[[nodiscard]] std::uint64_t count_newlines_scalar(const std::uint8_t* data, std::size_t size) noexcept;

}  // namespace juggle::count
