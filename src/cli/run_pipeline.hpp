// A job's stages in one run of the piece engine: downloads land while the
// files already there are counted and tokenized.
#pragma once

#include <vector>

#include "cli/count_command.hpp"
#include "cli/fetch_command.hpp"
#include "cli/io.hpp"
#include "cli/run_context.hpp"
#include "cli/tokenize_command.hpp"

namespace juggle::cli {

// The stages a job has (null: not in the job), with their options.
struct PipelineStages {
  const FetchCliOptions* fetch = nullptr;
  const CountOptions* count = nullptr;
  const TokenizeCliOptions* tokenize = nullptr;
};

// Collective. Rank 0 gets the reports of the stages that ran, in the order
// fetch, the engine's own events, count, tokenize; the other ranks get
// empty reports. A fetch that cannot start (its list or output directory)
// ends the run before any work: one report with that status, on every rank.
[[nodiscard]] std::vector<StageReport> run_pipeline(const PipelineStages& stages, RunContext& run, Io io);

}  // namespace juggle::cli
