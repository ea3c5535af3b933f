// Deciding which rank processes which item, deterministically.
//
// Longest-processing-time first: items are taken in decreasing weight (ties by
// index) and each goes to the part with the least load so far (ties by the
// lowest part number). The result depends only on the weights and the number
// of parts, never on timing, so every rank can compute it or receive it and
// reruns assign the same work. LPT is within 4/3 of the optimal makespan.
// Pure code: no MPI here; the count stage calls it on rank 0.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace juggle::parallel {

// owner[i] in [0, parts) for every weights[i]. parts must be >= 1.
[[nodiscard]] std::vector<int> partition_lpt(std::span<const std::uint64_t> weights, int parts);

// Indices of the items owned by `part`, heaviest first (the order in which a
// part should process them so its threads balance dynamically).
[[nodiscard]] std::vector<std::size_t> items_of_part(std::span<const int> owner, std::span<const std::uint64_t> weights,
                                                     int part);

// items_of_part for tasks that carry their own `owner` and `weight`.
template <class Task>
[[nodiscard]] std::vector<std::size_t> tasks_of_part(const std::vector<Task>& tasks, int part) {
  std::vector<int> owner;
  std::vector<std::uint64_t> weights;
  for (const Task& t : tasks) {
    owner.push_back(t.owner);
    weights.push_back(t.weight);
  }
  return items_of_part(owner, weights, part);
}

}  // namespace juggle::parallel
