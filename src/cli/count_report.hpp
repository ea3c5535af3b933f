// Presenting a count run on rank 0: stderr problems, the per-file listing,
// the summary with its correctness line (totals and CRC) and figure of merit
// (MB/s, lines/s); and the stage's report made of it.
#pragma once

#include <ostream>

#include "cli/io.hpp"
#include "pipeline/count_outcome.hpp"

namespace juggle::cli {

using pipeline::CountOutcome;
using pipeline::CountTotals;
using pipeline::FileRecord;

// One line per failed file ("juggle: PATH: reason") and per warning, in input order.
void print_problems(const CountOutcome& outcome, std::ostream& err);
// "LINES PATH" per input, in input order.
void print_per_file(const CountOutcome& outcome, std::ostream& out);
void print_summary(const CountOutcome& outcome, const CountTotals& sums, std::ostream& out);

// All of the above for one finished count stage; returns its report.
[[nodiscard]] pipeline::StageReport present_count(const CountOutcome& outcome, bool per_file, Io io);

}  // namespace juggle::cli
