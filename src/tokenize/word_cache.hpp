// A small direct-mapped cache of word counts in front of a WordCounts map.
//
// Natural text repeats a few thousand words most of the time (Zipf), and a
// hash-map lookup per word (hash the bytes, probe, compare a std::string)
// costs as much as all the rest of tokenizing. Here a word of up to 24 bytes
// becomes three zero-padded 64-bit words: they are the slot's hash input and
// its equality test at once, so a hit costs a few multiplies and compares.
// A miss hands the slot's count to the map and takes the slot over. Counts
// are only ever added, so the map's totals after flush() are exact whatever
// was cached when: the cache changes speed, never results.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <vector>

#include "tokenize/word_counts.hpp"

namespace juggle::tokenize {

namespace detail {
// The bits of each key word (8 bytes, little-endian) that hold bytes of a
// word of each length up to 24; the rest must be zero. A table: computing
// them per word was a third of the cache's instructions.
struct KeptBits {
  std::uint64_t bits[25][3];
  constexpr KeptBits() : bits{} {
    for (std::size_t n = 0; n <= 24; ++n)
      for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t have = n > 8 * i ? n - 8 * i : 0;
        bits[n][i] = have >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * have)) - 1;
      }
  }
};
inline constexpr KeptBits kKeptBits{};
}  // namespace detail

class WordCache {
 public:
  static constexpr std::size_t kMaxWord = 24;  // longer words go to the map directly (keys are 3 x 8 bytes)
  static_assert(kMaxWord + 1 == std::size(detail::KeptBits{}.bits));

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
  // Inline: the hit is a few instructions, a call's prologue was a quarter of them.
  void add_ascii(const std::uint8_t* text, std::size_t length, bool fold) {
    std::uint64_t key[3];
    std::memcpy(key, text, sizeof key);  // fixed size: three loads
    // ASCII letters and digits fold by setting bit 5: digits have it already.
    const std::uint64_t bit5 = fold ? 0x2020202020202020ull : 0;
    const std::uint64_t(&kept)[3] = detail::kKeptBits.bits[length];
    for (std::size_t i = 0; i < 3; ++i) key[i] = (key[i] | bit5) & kept[i];
    add_key(key, length);
  }

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
  static constexpr unsigned kSlotBits = 15;  // 32,768 slots of 32 bytes: 1 MiB, an L2


  void add_key(const std::uint64_t (&key)[3], std::size_t length) {
    const std::uint64_t mixed = (key[0] * 0x9E3779B97F4A7C15ull) ^ (key[1] * 0xC2B2AE3D27D4EB4Full) ^
                                (key[2] * 0x165667B19E3779F9ull) ^ length;
    Slot& slot = slots_[(mixed * 0xD6E8FEB86659FD93ull) >> (64 - kSlotBits)];
    if (slot.length == length && slot.key[0] == key[0] && slot.key[1] == key[1] && slot.key[2] == key[2] &&
        ++slot.count != 0)
      return;
    replace(slot, key, length);
  }
  // A miss (or a count about to wrap): the slot's word goes to the map.
  void replace(Slot& slot, const std::uint64_t (&key)[3], std::size_t length);
  void spill(Slot& slot);

  WordCounts& counts_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> used_;  // slots filled since the last flush
};

}  // namespace juggle::tokenize
