#include "count/newlines.hpp"

#include <algorithm>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define JUGGLE_X86 1
#endif

namespace juggle::count {

std::uint64_t count_newlines_scalar(const std::uint8_t* data, std::size_t size) noexcept {
  return static_cast<std::uint64_t>(std::count(data, data + size, std::uint8_t{'\n'}));
}

#ifdef JUGGLE_X86
namespace {

// Each compare yields 0xFF per match; subtracting it adds 1 to a byte lane.
// A lane can take 255 additions before it overflows, so every 255 vectors the
// lanes are folded into 64-bit sums with psadbw.
__attribute__((target("avx2"))) std::uint64_t count_avx2(const std::uint8_t* p, std::size_t n) noexcept {
  const __m256i nl = _mm256_set1_epi8('\n');
  const __m256i zero = _mm256_setzero_si256();
  __m256i total = zero;
  std::size_t i = 0;
  while (n - i >= 32) {
    const std::size_t blocks = std::min<std::size_t>((n - i) / 32, 255);
    __m256i lanes = zero;
    for (std::size_t b = 0; b < blocks; ++b, i += 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
      lanes = _mm256_sub_epi8(lanes, _mm256_cmpeq_epi8(v, nl));
    }
    total = _mm256_add_epi64(total, _mm256_sad_epu8(lanes, zero));
  }
  alignas(32) std::uint64_t parts[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(parts), total);
  return parts[0] + parts[1] + parts[2] + parts[3] + count_newlines_scalar(p + i, n - i);
}

using Kernel = std::uint64_t (*)(const std::uint8_t*, std::size_t) noexcept;

Kernel pick_kernel() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? count_avx2 : count_newlines_scalar;
}

}  // namespace

std::uint64_t count_newlines(const std::uint8_t* data, std::size_t size) noexcept {
  static const Kernel kernel = pick_kernel();
  return kernel(data, size);
}

#else

std::uint64_t count_newlines(const std::uint8_t* data, std::size_t size) noexcept {
  return count_newlines_scalar(data, size);
}

#endif

}  // namespace juggle::count
