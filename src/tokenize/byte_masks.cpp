#include "tokenize/byte_masks.hpp"

#include <immintrin.h>

#include "tokenize/tokenizer.hpp"

namespace juggle::tokenize {
namespace {

__attribute__((target("avx2"))) std::uint32_t word_bits32(__m256i v) noexcept {
  // Letters: (v | 0x20) - 'a' < 26; digits: v - '0' < 10 (unsigned, via min).
  const __m256i lower = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
  const __m256i a = _mm256_sub_epi8(lower, _mm256_set1_epi8('a'));
  const __m256i alpha = _mm256_cmpeq_epi8(_mm256_min_epu8(a, _mm256_set1_epi8(25)), a);
  const __m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
  const __m256i digit = _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(alpha, digit)));
}

__attribute__((target("avx2"))) std::uint32_t other_bits32(__m256i v) noexcept {
  // Bytes >= 0x80 (their top bit) and the apostrophe: neither word nor split.
  const __m256i apostrophe = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\''));
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(v, apostrophe)));
}

__attribute__((target("avx2"))) ByteMasks byte_masks_avx2(const std::uint8_t* text) noexcept {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + 32));
  const std::uint64_t word = word_bits32(lo) | (std::uint64_t{word_bits32(hi)} << 32);
  const std::uint64_t other = other_bits32(lo) | (std::uint64_t{other_bits32(hi)} << 32);
  return {word, ~(word | other)};
}

}  // namespace

ByteMasks byte_masks_scalar(const std::uint8_t* text) noexcept {
  ByteMasks m{0, 0};
  for (unsigned i = 0; i < 64; ++i) {
    const std::uint8_t b = text[i];
    const bool word = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    m.word |= std::uint64_t{word} << i;
    m.separator |= std::uint64_t{is_split_byte(b)} << i;
  }
  return m;
}

ByteMasksFn byte_masks_function() noexcept {
  return __builtin_cpu_supports("avx2") ? byte_masks_avx2 : byte_masks_scalar;
}

}  // namespace juggle::tokenize
