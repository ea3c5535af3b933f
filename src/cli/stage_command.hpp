// The end of a command that writes a results file: every rank takes part
// in writing it (a vocabulary's rows are written by the ranks holding
// them), rank 0 publishes it and names it on stdout. And a command made of
// one stage, start to end.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "pipeline/run_lifecycle.hpp"

namespace juggle::cli {

// Collective: unless output.no_output, writes the results file of the
// run's `stages` (their parts combined on rank 0; every rank's rows of a
// stored vocabulary and of the per-file tables); rank 0 names it on
// stdout, every rank in `published` (when given). Returns `status`, or
// kExitOutput.
int finish_with_results(int status, const pipeline::OutputSettings& output, const pipeline::RunContext& run, Io io,
                        const std::vector<std::string>& command_line,
                        const std::vector<pipeline::StageReport>& stages, std::string* published = nullptr);

// Rank 0, unless quiet: pipeline::binding_warning's line on io.err.
void warn_about_binding(const pipeline::RunContext& run, Io io);

// Begins the run, runs the stage (a callable taking the RunContext& and
// returning the rank's StageReport: on rank 0 the stage's part, on every
// rank its rows of the vocabulary and the per-file tables) and
// writes the results file, unless the stage produced nothing to record (it
// failed before any work, having said why). `published`: as
// finish_with_results.
template <class Stage>
int run_one_stage(const std::string& subcommand, const pipeline::OutputSettings& output, int threads,
                  const std::vector<std::string>& extra_targets, const std::vector<std::string>& command_line, Io io,
                  Stage&& stage, std::string* published = nullptr) {
  pipeline::RunContext run;
  if (const int status = pipeline::begin_run(subcommand, output, threads, extra_targets, io.err, run);
      status != kExitOk)
    return status;
  warn_about_binding(run, io);
  std::vector<pipeline::StageReport> reports{stage(run)};
  const pipeline::StageReport& report = reports.front();
  const bool root = run.world.rank == 0;
  const results::ResultsContent& c = report.content;
  const bool nothing = c.events.empty() && c.tables.empty() && c.attribute_groups.empty() && report.file_rows.empty();
  if (pipeline::agree_on_status(root && nothing ? 1 : 0) != 0) return root ? report.status : kExitOk;
  const int status = finish_with_results(report.status, output, run, io, command_line, reports, published);
  return root ? status : kExitOk;
}

}  // namespace juggle::cli
