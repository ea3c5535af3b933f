// Word counts as data that moves between ranks, and the one order juggle
// reports words in.
//
// Order: count descending, then the word's bytes ascending. It is total, so
// top-K lists and full listings are identical for any ranks x threads.
// Sharding uses a fixed hash (FNV-1a 64), never a per-process seeded one,
// so every rank sends a word to the same owner.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/tokenizer.hpp"

namespace juggle::tokenize {

struct WordCount {
  std::string word;
  std::uint64_t count = 0;
};

// The report order: true when a comes before b.
[[nodiscard]] inline bool ranks_before(const WordCount& a, const WordCount& b) noexcept {
  return a.count != b.count ? a.count > b.count : a.word < b.word;
}

[[nodiscard]] std::uint64_t stable_word_hash(std::string_view word) noexcept;

// Adds every entry of `from` into `into` (clears `from`).
void merge_into(WordCounts& into, WordCounts& from);

// Serialises entries by owner (stable hash mod shards) into one buffer per
// shard: [u32 length][bytes][u64 count] per word.
[[nodiscard]] std::vector<std::vector<char>> encode_shards(const WordCounts& counts, int shards);

// Serialises a list in its given order (same record format).
[[nodiscard]] std::vector<char> encode_list(std::span<const WordCount> words);

// Decodes records and adds them into `counts`. Throws std::runtime_error on
// a malformed buffer.
void decode_add(std::span<const char> bytes, WordCounts& counts);
[[nodiscard]] std::vector<WordCount> decode_list(std::span<const char> bytes);

// The first `k` words in report order (all when k >= size).
[[nodiscard]] std::vector<WordCount> top_words(const WordCounts& counts, std::size_t k);
[[nodiscard]] std::vector<WordCount> top_words(std::vector<WordCount> words, std::size_t k);

}  // namespace juggle::tokenize
