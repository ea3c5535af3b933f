#include "parallel/blocks.hpp"

namespace juggle::parallel {
namespace {

// floor(items * rank / ranks), without overflow: (items % ranks) * rank < ranks^2.
std::uint64_t block_start(std::uint64_t items, int ranks, int rank) noexcept {
  const auto p = static_cast<std::uint64_t>(ranks);
  const auto r = static_cast<std::uint64_t>(rank);
  return items / p * r + items % p * r / p;
}

}  // namespace

Block block_of(std::uint64_t items, int ranks, int rank) noexcept {
  const std::uint64_t first = block_start(items, ranks, rank);
  return {first, block_start(items, ranks, rank + 1) - first};
}

int block_home(std::uint64_t item, std::uint64_t items, int ranks) noexcept {
  // The largest r with block_start(r) <= item (block starts never decrease).
  int low = 0, high = ranks - 1;
  while (low < high) {
    const int mid = low + (high - low + 1) / 2;
    if (block_start(items, ranks, mid) <= item)
      low = mid;
    else
      high = mid - 1;
  }
  return low;
}

}  // namespace juggle::parallel
