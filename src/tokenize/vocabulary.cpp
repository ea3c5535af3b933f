#include "tokenize/vocabulary.hpp"

#include <absl/strings/string_view.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace juggle::tokenize {
namespace {

void put(std::vector<char>& out, std::string_view word, std::uint64_t count) {
  const auto length = static_cast<std::uint32_t>(word.size());
  const char* l = reinterpret_cast<const char*>(&length);
  const char* c = reinterpret_cast<const char*>(&count);
  out.insert(out.end(), l, l + sizeof length);
  out.insert(out.end(), word.begin(), word.end());
  out.insert(out.end(), c, c + sizeof count);
}

template <class F>
void for_each_record(std::span<const char> bytes, F&& f) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::uint32_t length = 0;
    std::uint64_t count = 0;
    if (bytes.size() - pos < sizeof length) throw std::runtime_error("word records: truncated length");
    std::memcpy(&length, bytes.data() + pos, sizeof length);
    pos += sizeof length;
    if (bytes.size() - pos < std::size_t{length} + sizeof count) throw std::runtime_error("word records: truncated");
    const std::string_view word(bytes.data() + pos, length);
    pos += length;
    std::memcpy(&count, bytes.data() + pos, sizeof count);
    pos += sizeof count;
    f(word, count);
  }
}

}  // namespace

std::uint64_t stable_word_hash(std::string_view word) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : word) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  return h ^ (h >> 32);
}

void merge_into(WordCounts& into, WordCounts& from) {
  if (into.empty()) {
    into.swap(from);
    return;
  }
  for (auto& [word, count] : from) into[word] += count;
  from.clear();
}

std::vector<std::vector<char>> encode_shards(const WordCounts& counts, int shards) {
  std::vector<std::vector<char>> out(static_cast<std::size_t>(shards));
  for (const auto& [word, count] : counts)
    put(out[stable_word_hash(word) % static_cast<std::uint64_t>(shards)], word, count);
  return out;
}

std::vector<char> encode_list(std::span<const WordCount> words) {
  std::vector<char> out;
  for (const WordCount& w : words) put(out, w.word, w.count);
  return out;
}

void decode_add(std::span<const char> bytes, WordCounts& counts) {
  // Debian's absl has its own string_view type: look up without a copy.
  for_each_record(bytes, [&](std::string_view word, std::uint64_t count) {
    counts[absl::string_view(word.data(), word.size())] += count;
  });
}

std::vector<WordCount> decode_list(std::span<const char> bytes) {
  std::vector<WordCount> out;
  for_each_record(bytes, [&](std::string_view word, std::uint64_t count) {
    out.push_back({std::string(word), count});
  });
  return out;
}

std::vector<WordCount> top_words(std::vector<WordCount> words, std::size_t k) {
  if (k >= words.size()) {
    std::sort(words.begin(), words.end(), ranks_before);  // a heap sort of everything is ~2x slower
    return words;
  }
  std::partial_sort(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(k), words.end(), ranks_before);
  words.resize(k);
  return words;
}

std::vector<WordCount> top_words(const WordCounts& counts, std::size_t k) {
  std::vector<WordCount> all;
  all.reserve(counts.size());
  for (const auto& [word, count] : counts) all.push_back({word, count});
  return top_words(std::move(all), k);
}

}  // namespace juggle::tokenize
