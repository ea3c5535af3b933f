// What timing one piece of work costs: two clock reads and one record in a
// thread's event buffer, then handing the buffer over for the gather, as the
// stages do. Run it as a fresh process to include first-touch of the buffer
// (the realistic case), and with --repeat to see the warm-memory cost.
//
//   cmake --build build --target bench_timing_overhead
//   build/bench_timing_overhead [EVENTS [REPEATS]]      (default 2000 1)
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "results/timeline.hpp"

int main(int argc, char** argv) {
  using namespace juggle::results;
  const long events = argc > 1 ? std::atol(argv[1]) : 2000;
  const long repeats = argc > 2 ? std::atol(argv[2]) : 1;
  Clock clock;
  std::size_t kept = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (long r = 0; r < repeats; ++r) {
    EventLog log(0, 1, 0);
    log.reserve(static_cast<std::size_t>(events) + 8);
    for (long i = 0; i < events; ++i) {
      const double a = clock.now();
      const double b = clock.now();
      log.record(0, Stage::count_file, a, b, 1, 1);
    }
    kept += log.take_all().size();
  }
  const auto t1 = std::chrono::steady_clock::now();
  std::printf("%.1f ns per timed event (%ld repeats of %ld events, %zu kept)\n",
              std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(events * repeats),
              repeats, events, kept);
  return 0;
}
