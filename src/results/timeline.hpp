// Timing records: what happened, on which rank and thread, from when to when.
//
// Every thread appends to its own preallocated vector (no lock, no shared
// cache line), so timing a per-file loop costs two clock reads and a store.
// Times are seconds since the rank's epoch, taken right after a barrier, so
// timelines of different ranks line up to within the barrier's skew; each
// rank's MPI_Wtime at its epoch is kept as well (/ranks/wtime_offset).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "results/stages.hpp"

namespace juggle::results {

struct Event {
  std::int32_t rank = 0;
  std::int32_t thread = 0;
  std::int32_t stage = 0;
  std::int32_t step = 0;  // which step of a job (juggle run) the event belongs to
  double t_start = 0;
  double t_end = 0;
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;
};

// Monotonic seconds since a chosen epoch.
class Clock {
 public:
  Clock() noexcept : epoch_(std::chrono::steady_clock::now()) {}
  void restart() noexcept { epoch_ = std::chrono::steady_clock::now(); }
  [[nodiscard]] double now() const noexcept {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_).count();
  }

 private:
  std::chrono::steady_clock::time_point epoch_;
};

class EventLog {
 public:
  EventLog(int rank, int threads, std::size_t reserve_per_thread = 1024);

  // Thread `thread` (0-based, < threads) appends one event. Only that thread
  // may call with that index while others record.
  void record(int thread, Stage stage, double t_start, double t_end, std::uint64_t bytes = 0,
              std::uint64_t items = 0);

  // Room for `events` more events in each thread's buffer (once the work is
  // planned), so recording never reallocates and copies.
  void reserve(std::size_t events_per_thread);

  // All events, thread by thread in recording order. Consumes the log: with
  // one thread its buffer is handed over without a copy (fresh memory costs
  // more than the copying on these machines).
  [[nodiscard]] std::vector<Event> take_all();

 private:
  struct alignas(64) PerThread {
    std::vector<Event> events;
  };
  int rank_;
  std::vector<PerThread> threads_;
};

}  // namespace juggle::results
