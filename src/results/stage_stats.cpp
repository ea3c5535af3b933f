#include "results/stage_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace juggle::results {
namespace {

double span(const std::vector<const Event*>& events) {
  if (events.empty()) return 0;
  double first = std::numeric_limits<double>::infinity();
  double last = -std::numeric_limits<double>::infinity();
  for (const Event* e : events) {
    first = std::min(first, e->t_start);
    last = std::max(last, e->t_end);
  }
  return last - first;
}

}  // namespace

double run_wall(const RunData& run) {
  std::vector<const Event*> all;
  for (const Event& e : run.events) all.push_back(&e);
  return span(all);
}

std::string stage_label(const RunData& run, std::size_t step, std::size_t stage) {
  const std::string& name = run.stages[stage];
  if (run.steps.size() < 2 || name == run.steps[step]) return name;
  return run.steps[step] + "/" + name;
}

std::vector<StageStats> stage_stats(const RunData& run) {
  const double total = run_wall(run);
  std::vector<StageStats> rows;
  for (std::size_t step = 0; step < run.steps.size(); ++step)
    for (std::size_t id = 0; id < run.stages.size(); ++id) {
      std::vector<const Event*> events;
      for (const Event& e : run.events)
        if (static_cast<std::size_t>(e.stage) == id && static_cast<std::size_t>(e.step) == step) events.push_back(&e);
      if (events.empty()) continue;
      StageStats s;
      s.stage = stage_label(run, step, id);
      s.events = events.size();
      s.wall = span(events);
      std::map<int, double> busy;
      for (const Event* e : events) {
        busy[e->rank] += e->t_end - e->t_start;
        s.bytes += e->bytes;
        s.items += e->items;
      }
      s.ranks = static_cast<int>(busy.size());
      s.busy_min = std::numeric_limits<double>::infinity();
      double sum = 0;
      for (const auto& [rank, seconds] : busy) {
        sum += seconds;
        s.busy_min = std::min(s.busy_min, seconds);
        if (seconds > s.busy_max) {
          s.busy_max = seconds;
          s.slowest_rank = rank;
        }
      }
      s.busy_mean = sum / s.ranks;
      double squares = 0;
      for (const auto& [rank, seconds] : busy) squares += (seconds - s.busy_mean) * (seconds - s.busy_mean);
      s.busy_stddev = std::sqrt(squares / s.ranks);
      s.imbalance = s.busy_mean > 0 ? s.busy_max / s.busy_mean - 1 : 0;
      s.efficiency = s.busy_max > 0 ? s.busy_mean / s.busy_max : 1;
      s.share = total > 0 ? s.wall / total : 0;
      s.mb_per_s = s.wall > 0 ? static_cast<double>(s.bytes) / 1e6 / s.wall : 0;
      s.items_per_s = s.wall > 0 ? static_cast<double>(s.items) / s.wall : 0;
      rows.push_back(s);
    }
  return rows;
}

}  // namespace juggle::results
