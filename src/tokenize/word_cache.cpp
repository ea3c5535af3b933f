#include "tokenize/word_cache.hpp"

#include <absl/strings/string_view.h>

#include <bit>
#include <cstring>

namespace juggle::tokenize {
namespace {

constexpr unsigned kSlotBits = 15;  // 32,768 slots of 32 bytes: 1 MiB, an L2
static_assert(std::endian::native == std::endian::little, "keys are masked as little-endian words");

// The bits of key word i (8 bytes, little-endian) that hold bytes of a
// word of `length` bytes; the rest must be zero.
constexpr std::uint64_t kept_bits(std::size_t length, std::size_t i) {
  const std::size_t have = length > 8 * i ? length - 8 * i : 0;
  return have >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * have)) - 1;
}

void add_to_map(WordCounts& counts, const char* word, std::size_t length, std::uint64_t n) {
  // Look up without building a std::string; copy the key only when new.
  const absl::string_view key(word, length);
  if (const auto it = counts.find(key); it != counts.end())
    it->second += n;
  else
    counts.emplace(std::string(key), n);
}

}  // namespace

WordCache::WordCache(WordCounts& counts) : counts_(counts), slots_(std::size_t{1} << kSlotBits) {}

void WordCache::add(const char* word, std::size_t length, bool readable) {
  if (length > kMaxWord) {
    add_to_map(counts_, word, length, 1);
    return;
  }
  std::uint64_t key[3] = {0, 0, 0};
  if (readable) {
    std::memcpy(key, word, sizeof key);  // fixed size: three loads
    for (std::size_t i = 0; i < 3; ++i) key[i] &= kept_bits(length, i);  // zero what lies past the word
  } else {
    std::memcpy(key, word, length);
  }
  add_key(key, length);
}

void WordCache::add_ascii(const std::uint8_t* text, std::size_t length, bool fold) {
  std::uint64_t key[3];
  std::memcpy(key, text, sizeof key);  // fixed size: three loads
  // ASCII letters and digits fold by setting bit 5: digits have it already.
  const std::uint64_t bit5 = fold ? 0x2020202020202020ull : 0;
  for (std::size_t i = 0; i < 3; ++i) key[i] = (key[i] | bit5) & kept_bits(length, i);
  add_key(key, length);
}

void WordCache::add_key(const std::uint64_t (&key)[3], std::size_t length) {
  const std::uint64_t mixed =
      (key[0] * 0x9E3779B97F4A7C15ull) ^ (key[1] * 0xC2B2AE3D27D4EB4Full) ^ (key[2] * 0x165667B19E3779F9ull) ^ length;
  Slot& slot = slots_[(mixed * 0xD6E8FEB86659FD93ull) >> (64 - kSlotBits)];
  if (slot.length == length && slot.key[0] == key[0] && slot.key[1] == key[1] && slot.key[2] == key[2]) {
    if (++slot.count != 0) return;
    // The count wrapped: hand the 2^32 - 1 before this one to the map and
    // start the slot again with this occurrence.
    slot.count = ~std::uint32_t{0};
  }
  if (slot.length == 0)
    used_.push_back(static_cast<std::uint32_t>(&slot - slots_.data()));
  else
    spill(slot);
  std::memcpy(slot.key, key, sizeof key);
  slot.length = static_cast<std::uint32_t>(length);
  slot.count = 1;
}

void WordCache::spill(Slot& slot) {
  if (slot.length == 0) return;
  add_to_map(counts_, reinterpret_cast<const char*>(slot.key), slot.length, slot.count);
  slot.length = 0;
  slot.count = 0;
}

void WordCache::flush() {
  for (const std::uint32_t i : used_) spill(slots_[i]);
  used_.clear();
}

}  // namespace juggle::tokenize
