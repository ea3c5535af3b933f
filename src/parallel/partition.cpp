#include "parallel/partition.hpp"

#include <algorithm>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <utility>

namespace juggle::parallel {
namespace {

// Indices sorted by weight, heaviest first, ties by index.
std::vector<std::size_t> heaviest_first(std::span<const std::uint64_t> weights, std::vector<std::size_t> indices) {
  std::stable_sort(indices.begin(), indices.end(),
                   [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
  return indices;
}

}  // namespace

std::vector<int> partition_lpt(std::span<const std::uint64_t> weights, int parts) {
  if (parts < 1) throw std::invalid_argument("partition_lpt: parts must be >= 1");
  std::vector<std::size_t> all(weights.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  using Load = std::pair<std::uint64_t, int>;  // (load, part): the smallest pair wins
  std::priority_queue<Load, std::vector<Load>, std::greater<>> least;
  for (int p = 0; p < parts; ++p) least.push({0, p});
  std::vector<int> owner(weights.size(), 0);
  for (const std::size_t i : heaviest_first(weights, std::move(all))) {
    auto [load, part] = least.top();
    least.pop();
    owner[i] = part;
    least.push({load + weights[i], part});
  }
  return owner;
}

std::vector<std::size_t> items_of_part(std::span<const int> owner, std::span<const std::uint64_t> weights, int part) {
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < owner.size(); ++i)
    if (owner[i] == part) mine.push_back(i);
  return heaviest_first(weights, std::move(mine));
}

}  // namespace juggle::parallel
