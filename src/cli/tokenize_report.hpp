// Presenting a tokenize run on rank 0: per-file problems, the summary with
// its correctness line and figure of merit, the top words, the CSV and the
// results file. No MPI here.
#pragma once

#include <ostream>
#include <vector>

#include "cli/tokenize_command.hpp"
#include "cli/tokenize_outcome.hpp"

namespace juggle::cli {

// Folds piece records into per-file rows (input order) and totals.
void aggregate_files(const std::vector<files::InputFile>& inputs, const std::vector<PieceRecord>& records,
                     TokenizeOutcome& out);

void print_tokenize_problems(const TokenizeOutcome& out, std::ostream& err);
void print_tokenize_summary(const TokenizeOutcome& out, const RunContext& run, const TokenizeCliOptions& options,
                            std::ostream& os);

// Writes `word,count` lines (report order) under a temporary name and
// publishes it at options.csv. False after printing the reason.
[[nodiscard]] bool write_csv(const TokenizeOutcome& out, const TokenizeCliOptions& options, std::ostream& err);

[[nodiscard]] results::ResultsContent tokenize_results(const TokenizeOutcome& out, const TokenizeCliOptions& options);

}  // namespace juggle::cli
