// Hostname lookups, the other half of the IO-bound seed: blocking
// getaddrinfo() calls one after another, or many at once (a bounded pool of
// threads, each blocking in its own lookup, so the waits overlap).
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "results/timeline.hpp"

namespace juggle::fetch {

struct Lookup {
  std::string host;
  std::vector<std::string> addresses;  // numeric, in getaddrinfo's order, duplicates removed
  std::string error;                   // gai_strerror text; empty on success
  double t_start = 0;
  double t_end = 0;
  int worker = 0;
};

// Results in `hosts` order; `on_done` is called once per host as it finishes
// (never concurrently).
[[nodiscard]] std::vector<Lookup> resolve_all(const std::vector<std::string>& hosts, bool concurrent, int concurrency,
                                              const results::Clock& clock,
                                              const std::function<void(const Lookup&)>& on_done);

// Host names from a list: separated by whitespace, '#' starts a comment
// that runs to the end of its line.
[[nodiscard]] std::vector<std::string> parse_host_list(std::istream& in);

}  // namespace juggle::fetch
