// A small two-way set-associative cache of word counts in front of a
// WordCounts map.
//
// Natural text repeats a few thousand words most of the time (Zipf), and a
// hash-map lookup per word (hash the bytes, probe, compare a std::string)
// costs as much as all the rest of tokenizing. Here a word of up to 24 bytes
// becomes three zero-padded 64-bit words: they are the set's hash input, the
// slot's equality test and (no word holds a NUL byte) its length at once, so
// a hit costs a few multiplies and compares. A set is one cache line,
// prefetched when a word is seen and looked at a few words later, so the
// line's trip from memory overlaps scanning. A miss hands one slot's count
// to the map and takes the slot over. Counts are only ever added, so the
// map's totals after flush() (or release() in holding mode) are exact
// whatever was cached when: the cache changes speed, never results.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <utility>
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
  // Costs the sets in use, not the cache's size, so a small piece of text
  // pays little for a large cache. In holding mode it only counts the words
  // still waiting to be looked at (see commit()).
  void flush();

  // Holding mode, for a thread whose pieces count only when read whole:
  // cached counts stay cached from piece to piece. commit() after a piece
  // read whole makes its cached counts `committed`'s (they move there when
  // evicted, or at release()); discard() after a failed piece takes them
  // back out. Evicted counts not yet committed go to counts() as always.
  void hold(WordCounts& committed) noexcept {
    committed_ = &committed;
    holding_ = true;
  }
  void commit();
  void discard();
  // After the last commit() or discard(): every committed count into the committed map.
  void release();

  [[nodiscard]] WordCounts& counts() noexcept { return counts_; }

 private:
  // A word has no NUL byte, so its zero-padded key says its length too.
  struct Slot {
    std::uint64_t key[3];     // key[0] == 0: empty
    std::uint32_t count;      // occurrences cached
    std::uint32_t committed;  // of which committed (holding mode; else 0)
  };
  // Two ways per set, one cache line: a word competes with one other for
  // its set instead of evicting it (half the misses of direct mapping).
  // Way 0 holds the word counted more often.
  struct alignas(64) Set {
    Slot way[2];
  };
  static constexpr unsigned kSetBits = 15;  // 32,768 sets of 64 bytes: 2 MiB (sets are prefetched)

  static bool holds(const Slot& slot, const std::uint64_t (&key)[3]) noexcept {
    return slot.key[0] == key[0] && slot.key[1] == key[1] && slot.key[2] == key[2];
  }

  // A word is counted kAhead words late: its set is prefetched now and
  // looked at when the ring comes round again (or at flush), so the set's
  // trip from L3 or memory overlaps the next words' scanning.
  void add_key(const std::uint64_t (&key)[3], std::size_t /*length*/) {
    const std::uint64_t mixed =
        (key[0] * 0x9E3779B97F4A7C15ull) ^ (key[1] * 0xC2B2AE3D27D4EB4Full) ^ (key[2] * 0x165667B19E3779F9ull);
    const auto index = static_cast<std::uint32_t>((mixed * 0xD6E8FEB86659FD93ull) >> (64 - kSetBits));
    __builtin_prefetch(&sets_[index]);
    Pending& p = pending_[next_];
    next_ = (next_ + 1) % kAhead;
    if (p.index != kNoPending) count_key(p.key, p.index);
    std::memcpy(p.key, key, sizeof key);
    p.index = index;
  }
  // Counts the words waiting in the ring.
  void drain() {
    for (Pending& p : pending_)
      if (p.index != kNoPending) {
        const std::uint32_t index = p.index;
        p.index = kNoPending;
        count_key(p.key, index);
      }
  }

  void count_key(const std::uint64_t (&key)[3], std::uint32_t index) {
    Set& set = sets_[index];
    Slot* slot = &set.way[0];
    if (!holds(*slot, key)) [[unlikely]] {
      slot = &set.way[1];
      if (!holds(*slot, key)) {
        replace(index, key);
        return;
      }
      if (slot->count >= set.way[0].count) {  // now the more frequent: to way 0
        std::swap(set.way[0], set.way[1]);
        slot = &set.way[0];
      }
    }
    if (slot->count == slot->committed || slot->count == ~std::uint32_t{0}) [[unlikely]] {
      if (slot->count == ~std::uint32_t{0}) {  // about to wrap
        replace(index, key);
        return;
      }
      touched_.push_back(index);  // the first occurrence since commit(): discard() must know
    }
    ++slot->count;
  }
  // A miss (or a count about to wrap): a slot's word goes to the maps.
  void replace(std::uint32_t index, const std::uint64_t (&key)[3]);
  void spill(Slot& slot);

  WordCounts& counts_;
  std::vector<Set> sets_;
  std::vector<std::uint32_t> used_;     // sets filled since the last flush (repeats allowed)
  std::vector<std::uint32_t> touched_;  // holding: sets with counts not yet committed (repeats allowed)
  WordCounts* committed_ = &counts_;
  static constexpr std::uint32_t kNoPending = ~std::uint32_t{0};
  static constexpr std::uint32_t kAhead = 8;
  struct Pending {
    std::uint64_t key[3] = {0, 0, 0};
    std::uint32_t index = kNoPending;
  };
  Pending pending_[kAhead];
  std::uint32_t next_ = 0;
  bool holding_ = false;
};

}  // namespace juggle::tokenize
