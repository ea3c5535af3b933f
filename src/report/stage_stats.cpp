#include "report/stage_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace juggle::report {
namespace {

using Events = std::vector<const results::Event*>;

struct Interval {
  double start = 0, end = 0;
};

// The union of the events' intervals: sorted by start, disjoint. `t_end >
// t_start` is false for NaN too, so nothing left in it breaks the sort.
std::vector<Interval> union_of(const Events& events) {
  std::vector<Interval> spans;
  for (const results::Event* e : events)
    if (e->t_end > e->t_start) spans.push_back({e->t_start, e->t_end});
  std::sort(spans.begin(), spans.end(), [](const Interval& x, const Interval& y) { return x.start < y.start; });
  std::vector<Interval> merged;
  for (const Interval& s : spans) {
    if (!merged.empty() && s.start <= merged.back().end)
      merged.back().end = std::max(merged.back().end, s.end);
    else
      merged.push_back(s);
  }
  return merged;
}

double measure(const std::vector<Interval>& disjoint) {
  double total = 0;
  for (const Interval& s : disjoint) total += s.end - s.start;
  return total;
}

double union_measure(const Events& events) { return measure(union_of(events)); }

// Measure of the intersection of two unions (each sorted and disjoint).
double intersection_measure(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  double total = 0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const double lo = std::max(a[i].start, b[j].start);
    const double hi = std::min(a[i].end, b[j].end);
    if (hi > lo) total += hi - lo;
    if (a[i].end < b[j].end)
      ++i;
    else
      ++j;
  }
  return total;
}

double span(const Events& events) {
  if (events.empty()) return 0;
  double first = std::numeric_limits<double>::infinity();
  double last = -std::numeric_limits<double>::infinity();
  for (const results::Event* e : events) {
    first = std::min(first, e->t_start);
    last = std::max(last, e->t_end);
  }
  return last - first;
}

double ratio(double part, double whole) { return whole > 0 ? part / whole : 0; }

// A rate over a span shorter than the clock can time says nothing (a
// one-rank shuffle of 0 ns would read 10^11 words/s): 0, as for no time.
constexpr double kShortestRatedSpan = 1e-6;
double rate(double amount, double seconds) { return seconds >= kShortestRatedSpan ? amount / seconds : 0; }

// The run's events by step index (events of a step the run does not name are left out).
std::vector<Events> events_by_step(const results::RunData& run) {
  std::vector<Events> by_step(run.steps.size());
  for (const results::Event& e : run.events)
    if (e.step >= 0 && static_cast<std::size_t>(e.step) < by_step.size()) by_step[e.step].push_back(&e);
  return by_step;
}

// Thread-seconds: per (rank, thread), the time some of `events` was open
// there and that thread was not waiting for work (events of stage `wait`).
double busy_thread_seconds(const Events& events, std::int32_t wait) {
  std::map<std::pair<std::int32_t, std::int32_t>, std::pair<Events, Events>> by_thread;  // (working, waiting)
  for (const results::Event* e : events) {
    auto& [working, waiting] = by_thread[{e->rank, e->thread}];
    (e->stage == wait ? waiting : working).push_back(e);
  }
  double total = 0;
  for (const auto& [thread, own] : by_thread) {
    const std::vector<Interval> working = union_of(own.first);
    total += measure(working) - intersection_measure(working, union_of(own.second));
  }
  return total;
}

// busy_* (over ranks), slowest, imbalance and efficiency from each rank's busy seconds.
void set_balance(StageStats& s, const std::map<int, double>& busy) {
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
}

// One stage's row from its events (not empty) and the run wall.
StageStats stage_row(std::string label, const Events& events, double run_seconds) {
  StageStats s;
  s.stage = std::move(label);
  s.events = events.size();
  s.wall = union_measure(events);
  std::map<int, double> busy;
  for (const results::Event* e : events) {
    busy[e->rank] += e->t_end - e->t_start;
    s.bytes += e->bytes;
    s.items += e->items;
  }
  set_balance(s, busy);
  s.share = ratio(s.wall, run_seconds);
  s.mb_per_s = rate(static_cast<double>(s.bytes) / 1e6, s.wall);
  s.items_per_s = rate(static_cast<double>(s.items), s.wall);
  return s;
}

}  // namespace

double run_wall(const results::RunData& run) {
  Events all;
  for (const results::Event& e : run.events) all.push_back(&e);
  return span(all);
}

std::string stage_label(const results::RunData& run, std::size_t step, std::size_t stage) {
  const std::string& name = run.stages[stage];
  if (run.steps.size() < 2 || name == run.steps[step]) return name;
  return run.steps[step] + "/" + name;
}

std::vector<StageStats> stage_stats(const results::RunData& run) {
  const double total = run_wall(run);
  std::vector<StageStats> rows;
  const std::vector<Events> by_step = events_by_step(run);
  for (std::size_t step = 0; step < by_step.size(); ++step) {
    std::vector<Events> by_stage(run.stages.size());
    for (const results::Event* e : by_step[step])
      if (e->stage >= 0 && static_cast<std::size_t>(e->stage) < by_stage.size()) by_stage[e->stage].push_back(e);
    for (std::size_t id = 0; id < by_stage.size(); ++id)
      if (!by_stage[id].empty()) rows.push_back(stage_row(stage_label(run, step, id), by_stage[id], total));
  }
  return rows;
}

StepTiming step_timing(const results::RunData& run) {
  const double total = run_wall(run);
  StepTiming timing;
  std::vector<std::vector<Interval>> unions;  // parallel to timing.steps
  const std::vector<Events> by_step = events_by_step(run);
  const auto wait_name = std::find(run.stages.begin(), run.stages.end(), "wait");
  const auto wait = static_cast<std::int32_t>(wait_name == run.stages.end() ? -1 : wait_name - run.stages.begin());
  for (std::size_t step = 0; step < by_step.size(); ++step) {
    if (by_step[step].empty()) continue;
    unions.push_back(union_of(by_step[step]));
    const double wall = measure(unions.back());
    timing.steps.push_back({run.steps[step], wall, busy_thread_seconds(by_step[step], wait), ratio(wall, total)});
    timing.wall_sum += wall;
  }
  for (std::size_t a = 0; a < unions.size(); ++a)
    for (std::size_t b = a + 1; b < unions.size(); ++b) {
      const double both = intersection_measure(unions[a], unions[b]);
      if (both > 0) timing.overlaps.push_back({timing.steps[a].step, timing.steps[b].step, both});
    }
  return timing;
}

}  // namespace juggle::report
