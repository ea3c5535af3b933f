// The columns of /events: one list of them, so the file written whole
// (results_file.cpp) and the rows each rank writes (rank_rows.cpp) can
// never disagree on a name, a type or an order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "results/timeline.hpp"

namespace juggle::results {

inline constexpr const char* kEventsGroup = "events";

struct EventColumns {
  std::vector<std::int32_t> rank, thread, stage, step;
  std::vector<double> t_start, t_end;
  std::vector<std::uint64_t> bytes, items;
};

// The columns of `events` (allocates all of them: call it before a
// collective write, where one rank's std::bad_alloc would strand the others).
[[nodiscard]] inline EventColumns event_columns(std::span<const Event> events) {
  EventColumns c;
  for (auto* column : {&c.rank, &c.thread, &c.stage, &c.step}) column->reserve(events.size());
  for (auto* column : {&c.t_start, &c.t_end}) column->reserve(events.size());
  for (auto* column : {&c.bytes, &c.items}) column->reserve(events.size());
  for (const Event& e : events) {
    c.rank.push_back(e.rank);
    c.thread.push_back(e.thread);
    c.stage.push_back(e.stage);
    c.step.push_back(e.step);
    c.t_start.push_back(e.t_start);
    c.t_end.push_back(e.t_end);
    c.bytes.push_back(e.bytes);
    c.items.push_back(e.items);
  }
  return c;
}

// Calls column(name, values) for each column, in the file's order.
template <class Column>
void for_each_event_column(const EventColumns& c, Column column) {
  column("rank", c.rank);
  column("thread", c.thread);
  column("stage", c.stage);
  column("step", c.step);
  column("t_start", c.t_start);
  column("t_end", c.t_end);
  column("bytes", c.bytes);
  column("items", c.items);
}

}  // namespace juggle::results
