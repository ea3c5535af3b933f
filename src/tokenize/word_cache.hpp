// A small direct-mapped cache of word counts in front of a WordCounts map.
//
// Natural text repeats a few thousand words most of the time (Zipf), and a
// hash-map lookup per word (hash the bytes, probe, compare a std::string)
// was half of the tokenizer's instructions. Here a word of up to 24 bytes
// becomes three zero-padded 64-bit words: they are the slot's hash input and
// its equality test at once, so a hit costs a few multiplies and compares.
// A miss hands the slot's count to the map and takes the slot over. Counts
// are only ever added, so the map's totals after flush() are exact whatever
// was cached when: the cache changes speed, never results.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tokenize/word_counts.hpp"

namespace juggle::tokenize {

class WordCache {
 public:
  static constexpr std::size_t kMaxWord = 24;  // longer words go to the map directly

  explicit WordCache(WordCounts& counts);

  // One occurrence of `word` (any length). When `readable` says that
  // kMaxWord bytes from `word` may be read (a buffer with room to spare),
  // a short key is loaded as three fixed 8-byte words instead of a memcpy
  // of its length.
  void add(const char* word, std::size_t length, bool readable = false);

  // One occurrence of a word of `length` (1..kMaxWord) ASCII letters and
  // digits starting at `text`, folded to lower case when `fold`. kMaxWord
  // bytes from `text` must be readable. (The tokenizer's common case: the
  // word is taken straight from the input, never copied.)
  void add_ascii(const std::uint8_t* text, std::size_t length, bool fold);

  // Moves every cached count into the map; the map is complete afterwards.
  // Costs the slots in use, not the cache's size, so a small piece of text
  // pays little for a large cache.
  void flush();

  [[nodiscard]] WordCounts& counts() noexcept { return counts_; }

 private:
  struct Slot {
    std::uint64_t key[3];
    std::uint32_t length;  // 0: empty
    std::uint32_t count;
  };
  void add_key(const std::uint64_t (&key)[3], std::size_t length);
  void spill(Slot& slot);

  WordCounts& counts_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> used_;  // slots filled since the last flush
};

}  // namespace juggle::tokenize
