// What the endings of count and tokenize share: the marker of a failed
// input in --per-file lines, each rank's time for -v, and the JSON summary
// (--summary json): its per-rank figures, and the object printed alone on
// stdout, after the results file it names has been written.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/json_object.hpp"
#include "cli/shared_options.hpp"
#include "pipeline/run_lifecycle.hpp"

namespace juggle::cli {

// Stands where a --per-file line has its number, so that a failed input
// (whose partial figure is no result) never reads as one.
inline constexpr const char* kFailedMark = "FAILED";

// "rank R on HOST: busy S s" per rank (-v).
void print_ranks(const std::vector<pipeline::RankSummary>& ranks, std::ostream& out);

// {"slowest", "slowest_rank", "mean", "imbalance"}: the text summary's
// "per rank" figures.
[[nodiscard]] JsonObject rank_seconds_json(const pipeline::RankStats& stats);

// The streams for a stage's ending (the "results:" line and begin_run's
// errors): stdout discarded when it must hold the JSON object alone, or
// when quiet.
[[nodiscard]] Io ending_io(Io io, const PresentOptions& present);

// Prints `summary` with "results" (the published file, or null) as one
// line on io.out.
void print_json_summary(JsonObject summary, const std::string& published, Io io);

}  // namespace juggle::cli
