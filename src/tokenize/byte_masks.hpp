// Bit masks of byte classes over 64 bytes of text, so the tokenizer finds
// where a run of word bytes or of separators ends with one count-trailing-
// zeros instead of a loop whose exit the branch predictor guesses wrong
// about once per word (the tokenizer's largest cost after the word counts).
// AVX2 where the CPU has it (runtime dispatch), a scalar loop otherwise.
#pragma once

#include <cstdint>

namespace juggle::tokenize {

struct ByteMasks {
  std::uint64_t word;       // bit i: text[i] is an ASCII letter or digit
  std::uint64_t separator;  // bit i: text[i] is a split byte (ASCII, not a letter, digit or apostrophe)
};

// 64 bytes from `text` must be readable.
using ByteMasksFn = ByteMasks (*)(const std::uint8_t* text) noexcept;

// The fastest implementation this CPU runs.
[[nodiscard]] ByteMasksFn byte_masks_function() noexcept;

[[nodiscard]] ByteMasks byte_masks_scalar(const std::uint8_t* text) noexcept;

}  // namespace juggle::tokenize
