#include "results/timeline.hpp"

#include <stdexcept>

namespace juggle::results {

EventLog::EventLog(int rank, int threads, std::size_t reserve_per_thread)
    : rank_(rank), threads_(static_cast<std::size_t>(threads < 1 ? 1 : threads)) {
  for (PerThread& t : threads_) t.events.reserve(reserve_per_thread);
}

void EventLog::record(int thread, Stage stage, double t_start, double t_end, std::uint64_t bytes,
                      std::uint64_t items) {
  if (thread < 0 || static_cast<std::size_t>(thread) >= threads_.size())
    throw std::out_of_range("EventLog::record: thread index out of range");
  threads_[static_cast<std::size_t>(thread)].events.push_back(
      {rank_, thread, static_cast<std::int32_t>(stage), 0, t_start, t_end, bytes, items});
}

void EventLog::reserve(std::size_t events_per_thread) {
  for (PerThread& t : threads_) t.events.reserve(t.events.size() + events_per_thread);
}

std::vector<Event> EventLog::take_all() {
  if (threads_.size() == 1) return std::move(threads_[0].events);
  std::vector<Event> all;
  std::size_t n = 0;
  for (const PerThread& t : threads_) n += t.events.size();
  all.reserve(n);
  for (const PerThread& t : threads_) all.insert(all.end(), t.events.begin(), t.events.end());
  return all;
}

}  // namespace juggle::results
