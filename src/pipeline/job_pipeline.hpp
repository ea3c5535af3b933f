// A job's stages in one run of the piece engine: downloads land while the
// files already there are counted and tokenized.
#pragma once

#include <optional>
#include <ostream>
#include <vector>

#include "pipeline/count_stage.hpp"
#include "pipeline/fetch_stage.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "pipeline/tokenize_stage.hpp"

namespace juggle::pipeline {

// The stages a job has (null: not in the job), with their settings.
struct JobStages {
  const FetchSettings* fetch = nullptr;
  const CountSettings* count = nullptr;
  const TokenizeSettings* tokenize = nullptr;
};

// What a job produced. On rank 0: the fetch stage's report (when it ran),
// the engine's step ("pipeline"; each rank keeps its events in the
// RunContext), and the outcome of each compute stage that had work (a
// stage whose settings name no paths and that no download reached is left
// out). Other ranks: the engine's step too, and each compute stage's
// outcome as every rank holds it (its block of the per-file rows, the
// totals, its vocabulary rows: count_outcome.hpp, tokenize_outcome.hpp).
struct JobOutcome {
  int status = kExitOk;  // usage or output: the fetch could not start, nothing ran (every rank)
  std::optional<StageReport> fetch;
  StageReport engine;
  std::optional<CountOutcome> count;
  std::optional<TokenizeOutcome> tokenize;
};

// Collective, inside a begun run. `observer` hears rank 0's downloads;
// `err` gets the one-line reasons a fetch cannot start.
[[nodiscard]] JobOutcome run_job_pipeline(const JobStages& stages, RunContext& run, std::ostream& err,
                                          FetchObserver& observer);

}  // namespace juggle::pipeline
