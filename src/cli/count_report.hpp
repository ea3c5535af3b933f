// Presenting a count run: stderr problems, the per-file listing, the summary
// with its correctness line (totals and CRC) and figure of merit (MB/s,
// lines/s), and the results file. Rank 0 only; no MPI here.
#pragma once

#include <ostream>
#include <string>

#include "cli/count_command.hpp"
#include "cli/count_outcome.hpp"

namespace juggle::cli {

// One line per failed file ("juggle: PATH: reason") and per warning, in input order.
void print_problems(const CountOutcome& outcome, std::ostream& err);
// "LINES PATH" per input, in input order.
void print_per_file(const CountOutcome& outcome, std::ostream& out);
void print_summary(const CountOutcome& outcome, const CountTotals& sums, std::ostream& out);

// Writes the results file under a temporary name and publishes it at
// `path` (default names get a "-N" suffix if taken). Returns the published
// name, or "" after printing the reason to `err`.
[[nodiscard]] std::string write_count_results(const CountOutcome& outcome, const CountTotals& sums,
                                              const CountOptions& options, const std::string& path,
                                              std::ostream& err);

}  // namespace juggle::cli
