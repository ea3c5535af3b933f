#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "parallel/partition.hpp"

using namespace juggle::parallel;

TEST_CASE("LPT assigns every item once and balances loads", "[parallel][partition]") {
  std::vector<std::uint64_t> w;
  for (std::uint64_t i = 0; i < 200; ++i) w.push_back((i * 7919) % 1000 + 1);
  for (int parts : {1, 2, 3, 7, 64, 500}) {
    const auto owner = partition_lpt(w, parts);
    REQUIRE(owner.size() == w.size());
    std::vector<std::uint64_t> load(static_cast<std::size_t>(parts), 0);
    for (std::size_t i = 0; i < w.size(); ++i) {
      REQUIRE(owner[i] >= 0);
      REQUIRE(owner[i] < parts);
      load[static_cast<std::size_t>(owner[i])] += w[i];
    }
    const std::uint64_t total = std::accumulate(w.begin(), w.end(), std::uint64_t{0});
    const std::uint64_t biggest = *std::max_element(w.begin(), w.end());
    // LPT's guarantee: no part exceeds the mean by more than the largest item.
    const std::uint64_t max_load = *std::max_element(load.begin(), load.end());
    CHECK(max_load <= total / static_cast<std::uint64_t>(parts) + biggest);
    REQUIRE(partition_lpt(w, parts) == owner);  // deterministic
  }
}

TEST_CASE("LPT on a textbook case", "[parallel][partition]") {
  const std::vector<std::uint64_t> w{5, 5, 4, 4, 3, 3, 3};
  const auto owner = partition_lpt(w, 3);
  // heaviest first, least-loaded part (lowest number on ties)
  CHECK(owner == std::vector<int>{0, 1, 2, 2, 0, 1, 0});
}

TEST_CASE("items of a part come heaviest first with ties by index", "[parallel][partition]") {
  const std::vector<std::uint64_t> w{1, 9, 3, 9, 0};
  const std::vector<int> owner{0, 0, 1, 0, 0};
  CHECK(items_of_part(owner, w, 0) == std::vector<std::size_t>{1, 3, 0, 4});
  CHECK(items_of_part(owner, w, 1) == std::vector<std::size_t>{2});
  CHECK(items_of_part(owner, w, 2).empty());
  CHECK_THROWS(partition_lpt(w, 0));
}
