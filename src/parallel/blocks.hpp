// Block decomposition: items 0..n-1 over P ranks, rank r holding the
// contiguous block [first(r), first(r+1)) with first(r) = floor(n r / P),
// so blocks differ by at most one item and keep the items' order (rank r's
// block comes before rank r+1's). Any rank finds any item's home without
// asking: pure arithmetic, the same on every rank.
#pragma once

#include <cstdint>

namespace juggle::parallel {

struct Block {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
};

// Rank `rank`'s block of `items` over `ranks` ranks.
[[nodiscard]] Block block_of(std::uint64_t items, int ranks, int rank) noexcept;

// The rank whose block holds `item` (< items).
[[nodiscard]] int block_home(std::uint64_t item, std::uint64_t items, int ranks) noexcept;

}  // namespace juggle::parallel
