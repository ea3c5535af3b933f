// Where the time of one run went, per stage and per step, from its events alone.
//
// The time an event covers is its interval [t_start, t_end]; the time a set
// of events covers is the measure of the union of their intervals (time in
// which at least one of them was open), so events that run side by side or
// nest count once and the gaps between them not at all. An event whose end
// is not after its start (zero length, or a damaged file's NaN) covers none.
//
// For each stage of each step with events (formulas also in `juggle report --help` and
// docs/results-format.md):
//   wall        = measure of the union of the stage's event intervals
//   busy(r)     = sum of (t_end - t_start) of the stage's events on rank r
//                 (thread-seconds: threads of one rank add up)
//   min/mean/max/stddev of busy over the ranks that recorded the stage,
//   slowest     = the rank with the largest busy
//   imbalance   = max / mean - 1          efficiency = mean / max
//   share       = wall / run wall, run wall = max(t_end) - min(t_start) over all events
//                 (elapsed time, first start to last end)
//   MB/s        = sum(bytes) / 10^6 / wall   items/s = sum(items) / wall
//
// For each step (fetch, count, tokenize of a `juggle run`; the one step of
// a plain subcommand):
//   wall        = measure of the union of the step's event intervals
//   busy        = sum over (rank, thread) of the measure of the union of the
//                 step's events on that thread, less the time that thread
//                 waited for work (`wait` events): thread-seconds, a
//                 rank-wide event and the pieces inside it counted once
//   share       = wall / run wall
// and for each pair of steps that ran at the same time:
//   overlap     = measure of the intersection of the two steps' unions
// Steps that overlap have walls adding up to more than the run wall.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "results/results_reader.hpp"

namespace juggle::report {

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

struct StepStats {
  std::string step;
  double wall = 0;
  double busy = 0;  // thread-seconds
  double share = 0;
};

// Two steps (a before b in run order) and the seconds both were running.
struct StepOverlap {
  std::string a, b;
  double seconds = 0;
};

struct StepTiming {
  std::vector<StepStats> steps;        // in run order, steps without events left out
  std::vector<StepOverlap> overlaps;   // pairs with seconds > 0, in run order of (a, b)
  double wall_sum = 0;                 // sum of the steps' walls
};

[[nodiscard]] double run_wall(const results::RunData& run);
// The stage's row name: "walk", or "tokenize/walk" when a job ran several
// steps (a stage named like its step, e.g. "count", keeps its name).
[[nodiscard]] std::string stage_label(const results::RunData& run, std::size_t step, std::size_t stage);
// Steps in order, their stages in id order; stages without events are left out.
[[nodiscard]] std::vector<StageStats> stage_stats(const results::RunData& run);
[[nodiscard]] StepTiming step_timing(const results::RunData& run);

}  // namespace juggle::report
