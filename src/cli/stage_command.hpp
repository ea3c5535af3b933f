// The end of a command that writes a results file: rank 0 publishes it and
// names it on stdout. And a command made of one stage, start to end.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "pipeline/run_lifecycle.hpp"

namespace juggle::cli {

// Rank 0's ending: unless output.no_output, writes the results file made by
// `content`, names it on stdout and in `published` (when given). Returns
// `status`, or kExitOutput.
int finish_with_results(int status, const pipeline::OutputSettings& output, const pipeline::RunContext& run, Io io,
                        const std::function<results::ResultsContent()>& content, std::string* published = nullptr);

// Rank 0, unless quiet: pipeline::binding_warning's line on io.err.
void warn_about_binding(const pipeline::RunContext& run, Io io);

// Begins the run, runs the stage (a callable taking the RunContext& and
// returning rank 0's StageReport) and on rank 0 writes the results file,
// unless the stage produced nothing to record (it failed before any work,
// having said why). `published`: as finish_with_results.
template <class Stage>
int run_one_stage(const std::string& subcommand, const pipeline::OutputSettings& output, int threads,
                  const std::vector<std::string>& extra_targets, const std::vector<std::string>& command_line, Io io,
                  Stage&& stage, std::string* published = nullptr) {
  pipeline::RunContext run;
  if (const int status = pipeline::begin_run(subcommand, output, threads, extra_targets, io.err, run);
      status != kExitOk)
    return status;
  warn_about_binding(run, io);
  const pipeline::StageReport report = stage(run);
  if (run.world.rank != 0) return kExitOk;
  const results::ResultsContent& c = report.content;
  if (c.events.empty() && c.tables.empty() && c.attribute_groups.empty()) return report.status;
  return finish_with_results(
      report.status, output, run, io, [&] { return pipeline::combine_results(run, command_line, {report}); },
      published);
}

}  // namespace juggle::cli
