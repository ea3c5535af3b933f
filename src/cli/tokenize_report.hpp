// Presenting a tokenize run on rank 0: per-file problems, the summary with
// its correctness line and figure of merit, the top words, and the CSV's
// name or why it was not written.
#pragma once

#include <ostream>

#include "cli/io.hpp"
#include "cli/tokenize_command.hpp"
#include "pipeline/tokenize_outcome.hpp"

namespace juggle::cli {

using pipeline::TokenizeFile;
using pipeline::TokenizeOutcome;
using pipeline::TokenizeTotals;

void print_tokenize_problems(const TokenizeOutcome& out, std::ostream& err);
void print_tokenize_summary(const TokenizeOutcome& out, const pipeline::RunContext& run,
                            const TokenizeCliOptions& options, std::ostream& os);

// All of the above for one finished tokenize stage, with the CSV written
// (pipeline::write_csv) when options.csv names one, replacing a file there
// when `replace_csv`. Returns the stage's report (exit 3 when the CSV was
// not written).
[[nodiscard]] pipeline::StageReport present_tokenize(const TokenizeOutcome& out, const pipeline::RunContext& run,
                                                     const TokenizeCliOptions& options, bool replace_csv, Io io);

}  // namespace juggle::cli
