// Reading results files back (schema juggle-results v1), for `juggle report`.
// Only the documented layout is read: root attributes, /stages, /events.
// A file that is not HDF5, not ours, of a newer schema, or damaged is
// refused with a ResultsError naming the file and the reason.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/text_cells.hpp"
#include "results/timeline.hpp"

namespace juggle::results {

class ResultsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunData {
  std::string path;
  std::map<std::string, std::string> attributes;  // root attributes, numbers as text
  std::vector<std::string> stages;                 // id -> name
  std::vector<std::string> steps;                  // step index -> subcommand (never empty)
  std::vector<Event> events;
  // A benchmark's file (make bench) holds /bench and /bench_targets tables
  // instead of events; empty tables otherwise.
  TextTable bench;
  TextTable bench_targets;
  [[nodiscard]] std::string attribute(const std::string& name) const {
    const auto it = attributes.find(name);
    return it == attributes.end() ? "" : it->second;
  }
  // An attribute that is a whole number (mpi_ranks, omp_threads); nullopt
  // when missing or not one (a damaged or foreign file).
  [[nodiscard]] std::optional<std::int64_t> integer_attribute(const std::string& name) const;
};

// Throws ResultsError "PATH: reason".
[[nodiscard]] RunData read_results(const std::string& path);

}  // namespace juggle::results
