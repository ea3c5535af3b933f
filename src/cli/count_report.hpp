// Presenting a count run on rank 0: stderr problems, the per-file listing,
// the summary with its correctness line (totals and CRC) and figure of merit
// (MB/s, lines/s), as text or as one JSON object; and the stage's report
// made of it.
#pragma once

#include <optional>
#include <ostream>

#include "cli/io.hpp"
#include "cli/json_object.hpp"
#include "cli/shared_options.hpp"
#include "pipeline/count_outcome.hpp"

namespace juggle::cli {

using pipeline::CountOutcome;
using pipeline::CountTotals;
using pipeline::FileRecord;

// Rank 0: one line per failed file ("juggle: PATH: reason") and, unless
// quiet, per warning, in input order (the rows the stage sent to rank 0).
void print_problems(const CountOutcome& outcome, std::ostream& err, Verbosity verbosity);
// Rank 0: "LINES PATH" per input, in input order; "FAILED (REASON) PATH"
// for a file that did not decode completely (its partial count is no
// count). Needs every row at rank 0 (CountSettings::list_files).
void print_per_file(const CountOutcome& outcome, std::ostream& out);
void print_summary(const CountOutcome& outcome, const CountTotals& sums, std::ostream& out);
// The summary's figures and the check: line's, as print_summary has them.
[[nodiscard]] JsonObject summary_json(const CountOutcome& outcome, const CountTotals& sums);

// All of the above for one finished count stage, as `present` and the
// verbosity ask; with --summary json the object goes to `json` instead of
// stdout (the caller adds the results file and prints it). Returns its
// report. Called on every rank; only rank 0 prints.
[[nodiscard]] pipeline::StageReport present_count(const CountOutcome& outcome, const PresentOptions& present, Io io,
                                                  std::optional<JsonObject>* json = nullptr);

}  // namespace juggle::cli
