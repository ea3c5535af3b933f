// Presenting a tokenize run on rank 0: per-file problems, the per-file
// listing, the summary with its correctness line and figure of merit and
// the top words (as text or as one JSON object), and the CSV's name or why
// it was not written.
#pragma once

#include <optional>
#include <ostream>

#include "cli/io.hpp"
#include "cli/json_object.hpp"
#include "cli/tokenize_command.hpp"
#include "pipeline/tokenize_outcome.hpp"

namespace juggle::cli {

using pipeline::TokenizeFile;
using pipeline::TokenizeOutcome;
using pipeline::TokenizeTotals;

// Rank 0: errors, and unless quiet warnings, one line each, in input order.
void print_tokenize_problems(const TokenizeOutcome& out, std::ostream& err, Verbosity verbosity);
// Rank 0: "WORDS PATH" per input, in input order; "FAILED (REASON) PATH"
// for one that failed (its words are not in the totals). Needs every row
// at rank 0 (TokenizeSettings::list_files).
void print_tokenize_per_file(const TokenizeOutcome& out, std::ostream& os);
void print_tokenize_summary(const TokenizeOutcome& out, const pipeline::RunContext& run,
                            const TokenizeCliOptions& options, std::ostream& os);
// The summary's figures, the check: line's and the top words, as
// print_tokenize_summary has them.
[[nodiscard]] JsonObject tokenize_summary_json(const TokenizeOutcome& out, const pipeline::RunContext& run,
                                               const TokenizeCliOptions& options);

// Collective. All of the above for one finished tokenize stage, printed by
// rank 0 as options.present and the verbosity ask, with the CSV written by
// every rank (pipeline::write_csv) when options.csv names one, replacing a
// file there when `replace_csv`; with --summary json the object (with the
// CSV's name) goes to `json` instead of stdout. Returns the stage's report
// on rank 0 (exit 3 when the CSV was not written), and on every rank its
// rows of the stored vocabulary, for the results file.
[[nodiscard]] pipeline::StageReport present_tokenize(TokenizeOutcome out, const pipeline::RunContext& run,
                                                     const TokenizeCliOptions& options, bool replace_csv, Io io,
                                                     std::optional<JsonObject>* json = nullptr);

}  // namespace juggle::cli
