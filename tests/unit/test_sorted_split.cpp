// Property: shards of disjoint words, each sorted, sampled and cut at the
// same splitters and put together part by part in rank order, are the
// whole vocabulary in report order, for any number of ranks; and no part
// holds more than about twice its share (regular sampling).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tokenize/sorted_split.hpp"

using namespace juggle::tokenize;

namespace {

// `n` distinct words with counts skewed as text's are (many seen once).
std::vector<WordCount> vocabulary(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<WordCount> words;
  for (std::size_t i = 0; i < n; ++i)
    words.push_back({"w" + std::to_string(rng() % 1000000) + "-" + std::to_string(i), 1 + (rng() % 1000) / (1 + rng() % 200)});
  return words;
}

}  // namespace

TEST_CASE("a sample sort's parts, in rank order, are the whole order", "[tokenize][sort]") {
  for (const int ranks : {1, 2, 3, 5, 8, 64}) {
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{5000}}) {
      INFO("ranks " << ranks << ", words " << n);
      std::vector<WordCount> all = vocabulary(n, static_cast<unsigned>(ranks * 1000 + n));
      std::vector<std::vector<WordCount>> shards(static_cast<std::size_t>(ranks));
      for (std::size_t i = 0; i < all.size(); ++i) shards[i % shards.size()].push_back(all[i]);
      std::vector<WordCount> samples;
      for (auto& shard : shards) {
        std::sort(shard.begin(), shard.end(), ranks_before);
        const auto mine = regular_samples(shard, samples_per_rank(shard.size(), ranks));
        samples.insert(samples.end(), mine.begin(), mine.end());
      }
      const std::vector<WordCount> splitters = choose_splitters(samples, ranks);
      CHECK(splitters.size() < static_cast<std::size_t>(std::max(ranks, 1)));
      std::vector<std::vector<WordCount>> parts(static_cast<std::size_t>(ranks));
      for (const auto& shard : shards) {
        const std::vector<std::size_t> bounds = cut_at_splitters(shard, splitters, ranks);
        REQUIRE(bounds.size() == parts.size() + 1);
        for (std::size_t r = 0; r < parts.size(); ++r)
          parts[r].insert(parts[r].end(), shard.begin() + static_cast<std::ptrdiff_t>(bounds[r]),
                          shard.begin() + static_cast<std::ptrdiff_t>(bounds[r + 1]));
      }
      std::vector<WordCount> joined;
      for (auto& part : parts) {
        std::sort(part.begin(), part.end(), ranks_before);
        if (n >= 1000) CHECK(part.size() <= 2 * n / parts.size() + 64);
        joined.insert(joined.end(), part.begin(), part.end());
      }
      std::sort(all.begin(), all.end(), ranks_before);
      REQUIRE(joined.size() == all.size());
      for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(joined[i].word == all[i].word);
        CHECK(joined[i].count == all[i].count);
      }
    }
  }
}
