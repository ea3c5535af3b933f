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

// The results file's content: run metadata, events, ranks, count tables.
[[nodiscard]] results::ResultsContent count_results(const CountOutcome& outcome, const CountTotals& sums);

}  // namespace juggle::cli
