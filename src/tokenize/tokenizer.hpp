// The word rule, applied to text (the contract; README and --help say the same):
//
// Input is UTF-8. A word is a maximal run of word characters: letters (L*),
// decimal digits (Nd), and combining marks (M*) inside a word. An apostrophe
// (U+0027 or U+2019) between two word characters (letter or digit on both
// sides) belongs to the word and is stored as U+0027. Everything else
// separates words, and so does every byte that is not valid UTF-8 (counted as
// invalid). Words are case-folded (Unicode simple case folding) unless
// folding is off. In ASCII mode (the seed program's behaviour) every byte
// >= 0x80 is deleted before splitting, so only ASCII letters, digits and
// U+0027 apostrophes remain to form words.
//
// Design. Text arrives in pieces cut only at split points: ASCII bytes that
// are not letters, digits or the apostrophe. Such a byte is a whole UTF-8
// character and a separator in every mode, and no word can reach across it,
// so pieces are independent and their counts add up exactly: that is what
// lets files be cut into byte ranges across ranks and threads, and streams be
// read through fixed buffers. ASCII runs take a table-driven fast path; other
// code points go through utf8proc's tables (char_class.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "tokenize/byte_masks.hpp"
#include "tokenize/word_cache.hpp"
#include "tokenize/word_counts.hpp"

namespace juggle::tokenize {

struct TokenizeOptions {
  bool fold = true;
  bool ascii_only = false;
};

struct TokenStats {
  std::uint64_t bytes = 0;          // text bytes seen
  std::uint64_t words = 0;          // words counted
  std::uint64_t invalid_bytes = 0;  // bytes that start no valid UTF-8 sequence (0 in ASCII mode)
  TokenStats& operator+=(const TokenStats& o) noexcept {
    bytes += o.bytes;
    words += o.words;
    invalid_bytes += o.invalid_bytes;
    return *this;
  }
};

// A byte at which text may be cut without cutting a word.
[[nodiscard]] constexpr bool is_split_byte(std::uint8_t b) noexcept {
  const bool alnum = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
  return b < 0x80 && !alnum && b != '\'';
}

// The position of the first split byte of `bytes` at or after `from`;
// bytes.size() when there is none.
[[nodiscard]] inline std::size_t first_split(std::span<const std::uint8_t> bytes, std::size_t from) noexcept {
  const auto begin = bytes.begin() + static_cast<std::ptrdiff_t>(from);
  return static_cast<std::size_t>(std::find_if(begin, bytes.end(), is_split_byte) - bytes.begin());
}

// The word being built: a growable byte buffer written through a pointer,
// without std::string's per-append bookkeeping.
class WordBuffer {
 public:
  WordBuffer() : data_(std::make_unique<char[]>(256)), capacity_(256) {}
  char* extend(std::size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    char* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  void push_back(char c) { *extend(1) = c; }
  void clear() noexcept { size_ = 0; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const char* data() const noexcept { return data_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  // Bytes that may be read from data(), beyond size() too.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  void grow(std::size_t need);
  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};


class Tokenizer {
 public:
  // Counts go through `cache` (into the map it was made for). One cache
  // serves many tokenizers in turn: a thread keeps it across its pieces.
  Tokenizer(const TokenizeOptions& options, WordCache& cache);

  // Counts the words of `text`, which must start at the beginning of a
  // stream or at a split byte, and end at the end of a stream or just before
  // a split byte. Counts may wait in a cache until flush().
  void piece(std::span<const std::uint8_t> text);

  // Every word counted so far is in the map after this.
  void flush() { cache_.flush(); }

  [[nodiscard]] const TokenStats& stats() const noexcept { return stats_; }

 private:
  void piece_unicode(const std::uint8_t* p, const std::uint8_t* end);
  void piece_ascii_only(const std::uint8_t* p, const std::uint8_t* end);
  void end_word();

  TokenizeOptions options_;
  WordCache& cache_;
  MaskWindow masks_;  // byte_masks.hpp
  TokenStats stats_;
  WordBuffer word_;
};

}  // namespace juggle::tokenize
