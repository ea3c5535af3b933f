#include "tokenize/word_cache.hpp"

#include <absl/strings/string_view.h>

#include <bit>
#include <cstring>

namespace juggle::tokenize {
namespace {

static_assert(std::endian::native == std::endian::little, "keys are masked as little-endian words");

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
    for (std::size_t i = 0; i < 3; ++i) key[i] &= detail::kKeptBits.bits[length][i];  // zero what lies past the word
  } else {
    std::memcpy(key, word, length);
  }
  add_key(key, length);
}

void WordCache::replace(Slot& slot, const std::uint64_t (&key)[3], std::size_t length) {
  if (slot.length == length && slot.key[0] == key[0] && slot.key[1] == key[1] && slot.key[2] == key[2]) {
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
