#include "parallel/blocks.hpp"

namespace juggle::parallel {
namespace {

// floor(items * rank / ranks) without overflow.
std::uint64_t block_start(std::uint64_t items, int ranks, int rank) noexcept {
  return static_cast<std::uint64_t>(static_cast<unsigned __int128>(items) * static_cast<unsigned>(rank) /
                                    static_cast<unsigned>(ranks));
}

}  // namespace

Block block_of(std::uint64_t items, int ranks, int rank) noexcept {
  const std::uint64_t first = block_start(items, ranks, rank);
  return {first, block_start(items, ranks, rank + 1) - first};
}

int block_home(std::uint64_t item, std::uint64_t items, int ranks) noexcept {
  // The largest r with floor(items r / ranks) <= item, i.e. items r < (item + 1) ranks.
  const auto p = static_cast<unsigned __int128>(static_cast<unsigned>(ranks));
  return static_cast<int>(((static_cast<unsigned __int128>(item) + 1) * p - 1) / items);
}

}  // namespace juggle::parallel
