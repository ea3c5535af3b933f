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

// A key's word length: its highest byte that is not zero (words hold no NUL).
std::size_t key_length(const std::uint64_t (&key)[3]) noexcept {
  for (std::size_t i = 3; i-- > 0;)
    if (key[i] != 0) return 8 * i + (64 - static_cast<std::size_t>(std::countl_zero(key[i])) + 7) / 8;
  return 0;
}

}  // namespace

WordCache::WordCache(WordCounts& counts) : counts_(counts), sets_(std::size_t{1} << kSetBits) {}

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

void WordCache::replace(std::uint32_t index, const std::uint64_t (&key)[3]) {
  Set& set = sets_[index];
  // The word itself when its count is about to wrap (its 2^32 - 1 go to the
  // maps, the slot starts again), else way 1, or way 0 in an empty set.
  Slot* slot = holds(set.way[0], key) ? &set.way[0] : holds(set.way[1], key) ? &set.way[1]
             : set.way[0].key[0] == 0                                        ? &set.way[0]
                                                                             : &set.way[1];
  if (slot->key[0] == 0)
    used_.push_back(index);
  else
    spill(*slot);
  std::memcpy(slot->key, key, sizeof key);
  slot->count = 1;
  slot->committed = 0;
  if (holding_) touched_.push_back(index);
}

void WordCache::spill(Slot& slot) {
  if (slot.key[0] == 0) return;
  const char* word = reinterpret_cast<const char*>(slot.key);
  const std::size_t length = key_length(slot.key);
  if (slot.committed != 0) add_to_map(*committed_, word, length, slot.committed);
  if (slot.count != slot.committed) add_to_map(counts_, word, length, slot.count - slot.committed);
  slot.key[0] = slot.key[1] = slot.key[2] = 0;
  slot.count = 0;
  slot.committed = 0;
}

void WordCache::flush() {
  drain();
  if (holding_) return;
  for (const std::uint32_t i : used_)
    for (Slot& slot : sets_[i].way) spill(slot);
  used_.clear();
}

void WordCache::commit() {
  drain();
  for (const std::uint32_t i : touched_)
    for (Slot& slot : sets_[i].way) slot.committed = slot.count;
  touched_.clear();
}

void WordCache::discard() {
  drain();
  for (const std::uint32_t i : touched_)
    for (Slot& slot : sets_[i].way) {
      slot.count = slot.committed;
      if (slot.count == 0) slot.key[0] = slot.key[1] = slot.key[2] = 0;  // stays in used_: spill skips it
    }
  touched_.clear();
}

void WordCache::release() {
  drain();
  for (const std::uint32_t i : used_)
    for (Slot& slot : sets_[i].way) spill(slot);
  used_.clear();
}

}  // namespace juggle::tokenize
