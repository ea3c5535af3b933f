// Where the time of one run went, per stage, from its events alone.
//
// For each stage of each step with events (formulas also in `juggle report --help` and
// docs/results-format.md):
//   wall        = max(t_end) - min(t_start) over the stage's events
//   busy(r)     = sum of (t_end - t_start) of the stage's events on rank r
//                 (thread-seconds: threads of one rank add up)
//   min/mean/max/stddev of busy over the ranks that recorded the stage,
//   slowest     = the rank with the largest busy
//   imbalance   = max / mean - 1          efficiency = mean / max
//   share       = wall / run wall, run wall = max(t_end) - min(t_start) over all events
//   MB/s        = sum(bytes) / 10^6 / wall   items/s = sum(items) / wall
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "results/results_reader.hpp"

namespace juggle::results {

struct StageStats {
  std::string stage;
  std::size_t events = 0;
  double wall = 0;
  double busy_min = 0, busy_mean = 0, busy_max = 0, busy_stddev = 0;
  int ranks = 0;  // ranks that recorded the stage
  int slowest_rank = 0;
  double imbalance = 0;
  double efficiency = 1;
  double share = 0;
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;
  double mb_per_s = 0;
  double items_per_s = 0;
};

[[nodiscard]] double run_wall(const RunData& run);
// The stage's row name: "walk", or "tokenize/walk" when a job ran several
// steps (a stage named like its step, e.g. "count", keeps its name).
[[nodiscard]] std::string stage_label(const RunData& run, std::size_t step, std::size_t stage);
// Steps in order, their stages in id order; stages without events are left out.
[[nodiscard]] std::vector<StageStats> stage_stats(const RunData& run);

}  // namespace juggle::results
