// Property: the block decomposition gives every item exactly one home, the
// blocks follow the items' order, differ by at most one item, and
// block_home agrees with block_of (parallel/blocks.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>

#include "parallel/blocks.hpp"

using juggle::parallel::Block;
using juggle::parallel::block_home;
using juggle::parallel::block_of;

TEST_CASE("blocks cover the items in order, each item at the home block_home names", "[parallel][blocks]") {
  for (const int ranks : {1, 2, 3, 7, 8, 64}) {
    for (std::uint64_t items = 0; items <= 200; ++items) {
      INFO("ranks " << ranks << ", items " << items);
      std::uint64_t next = 0, smallest = UINT64_MAX, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const Block b = block_of(items, ranks, r);
        REQUIRE(b.first == next);
        for (std::uint64_t i = b.first; i < b.first + b.count; ++i) REQUIRE(block_home(i, items, ranks) == r);
        next += b.count;
        smallest = std::min(smallest, b.count);
        largest = std::max(largest, b.count);
      }
      CHECK(next == items);
      CHECK(largest - smallest <= 1);
    }
  }
  // No overflow where items x ranks passes 2^64.
  const std::uint64_t huge = UINT64_MAX / 3;
  CHECK(block_of(huge, 1000, 999).first + block_of(huge, 1000, 999).count == huge);
  CHECK(block_home(huge - 1, huge, 1000) == 999);
  CHECK(block_home(0, huge, 1000) == 0);
}
