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

// The masks of one 64-byte block, reused while the tokenizer moves through
// it: natural text has ~9 words per 64 bytes, and computing fresh masks at
// every word and every gap cost two calls per word.
class MaskWindow {
 public:
  struct View {
    std::uint64_t word;       // bit i: p[i], for i < valid; bits from valid on are 0
    std::uint64_t separator;
    int valid;                // 32..64
  };

  explicit MaskWindow(ByteMasksFn compute) noexcept : compute_(compute) {}

  // Forget the block (a new buffer begins).
  void reset() noexcept { base_ = nullptr; }

  // Masks from p, from the current block while p is in its first half,
  // else from a new block at p. 64 bytes from p must be readable.
  View at(const std::uint8_t* p) noexcept {
    if (base_ == nullptr || p < base_ || p - base_ > 32) return fresh(p);
    const auto off = static_cast<int>(p - base_);
    return {masks_.word >> off, masks_.separator >> off, 64 - off};
  }

  // Masks of the 64 bytes from p (a run reached the end of the view).
  View fresh(const std::uint8_t* p) noexcept {
    masks_ = compute_(p);
    base_ = p;
    return {masks_.word, masks_.separator, 64};
  }

 private:
  ByteMasksFn compute_;
  const std::uint8_t* base_ = nullptr;
  ByteMasks masks_{};
};

}  // namespace juggle::tokenize
