// The columns of /events, from a span of events: one list of them, so the
// file written whole (results_file.cpp) and the rows each rank writes
// (rank_rows.cpp) can never disagree on a name, a type or an order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "results/timeline.hpp"

namespace juggle::results {

inline constexpr const char* kEventsGroup = "events";

// Calls column(name, values) for each column of /events, `values` a
// std::vector of the column's element type holding the events' field.
template <class Column>
void for_each_event_column(std::span<const Event> events, Column column) {
  const auto field = [&]<class T>(T Event::*member) {
    std::vector<T> values;
    values.reserve(events.size());
    for (const Event& e : events) values.push_back(e.*member);
    return values;
  };
  column("rank", field(&Event::rank));
  column("thread", field(&Event::thread));
  column("stage", field(&Event::stage));
  column("step", field(&Event::step));
  column("t_start", field(&Event::t_start));
  column("t_end", field(&Event::t_end));
  column("bytes", field(&Event::bytes));
  column("items", field(&Event::items));
}

}  // namespace juggle::results
