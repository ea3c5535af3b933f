// What timing one piece of work costs: two clock reads and one record in a
// thread's event buffer, then handing the buffer over for the gather, as the
// stages do. The first measurement in a process includes first-touch of the
// buffer's pages (the realistic case: a run records once); --repeat shows the
// warm-memory cost.
//
// Given results files, it measures the cost of as many events as each run
// recorded and states it as a share of that run's wall time (first event's
// start to last event's end), counting every event as if one thread had
// recorded them all, so the share is an upper bound.
//
//   cmake --build build --target bench_timing_overhead
//   build/bench_timing_overhead [--events N] [--repeat R] [RESULTS.h5 ...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "results/results_reader.hpp"
#include "results/timeline.hpp"

namespace {

using juggle::results::Clock;
using juggle::results::EventLog;
using juggle::results::Stage;

// Nanoseconds per timed event, over `repeats` logs of `events` events each.
double cost_per_event_ns(std::size_t events, long repeats) {
  Clock clock;
  std::size_t kept = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (long r = 0; r < repeats; ++r) {
    EventLog log(0, 1, 0);
    log.reserve(events + 8);
    for (std::size_t i = 0; i < events; ++i) {
      const double a = clock.now();
      const double b = clock.now();
      log.record(0, Stage::count_file, a, b, 1, 1);
    }
    kept += log.take_all().size();
  }
  const auto t1 = std::chrono::steady_clock::now();
  if (kept != events * static_cast<std::size_t>(repeats)) std::abort();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() /
         static_cast<double>(events * static_cast<std::size_t>(repeats));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t events = 2000;
  long repeats = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
      events = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeats = std::atol(argv[++i]);
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    const double ns = cost_per_event_ns(events, repeats);
    std::printf("%.1f ns per timed event (%ld repeats of %zu events)\n", ns, repeats, events);
    return 0;
  }
  int status = 0;
  for (const std::string& path : files) {
    try {
      const auto run = juggle::results::read_results(path);
      if (run.events.empty()) throw juggle::results::ResultsError(path + ": no events");
      double first = run.events.front().t_start;
      double last = run.events.front().t_end;
      for (const auto& e : run.events) {
        first = std::min(first, e.t_start);
        last = std::max(last, e.t_end);
      }
      const double wall = last - first;
      const double ns = cost_per_event_ns(run.events.size(), repeats);
      const double cost = ns * 1e-9 * static_cast<double>(run.events.size());
      std::printf("%s: %zu events, wall %.4f s, %.1f ns per event -> timing %.3f ms = %.3f %% of the wall\n",
                  path.c_str(), run.events.size(), wall, ns, cost * 1e3, wall > 0 ? 100.0 * cost / wall : 0.0);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      status = 1;
    }
  }
  return status;
}
