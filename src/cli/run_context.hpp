// What every parallel subcommand does around its own work, in one place:
// rank 0 checks the results target before any work and every rank learns
// the verdict; all ranks start their clocks after one barrier (the common
// epoch of the timeline); rank busy times are summarised the same way; the
// results file is written under a temporary name and published.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <new>
#include <ostream>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "cli/io.hpp"
#include "parallel/mpi_session.hpp"
#include "results/results_file.hpp"
#include "results/run_metadata.hpp"
#include "results/timeline.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct OutputOptions {
  std::string output;  // empty: results/<subcommand>-<UTC>.h5
  bool no_output = false;
  bool force = false;
};

// --output/-o, --no-output, --force.
void add_output_options(CLI::App& command, OutputOptions& options, const std::string& subcommand);

// --output/-o and --no-output alone (they exclude each other), for commands whose --force means more.
void add_results_file_options(CLI::App& command, std::string& output, bool& no_output, const std::string& subcommand);

// --inflate auto|isal|zlib, refusing a decoder this build lacks.
void add_inflate_option(CLI::App& command, std::string& inflate);

// --threads/-t N (0..4096; 0 = OMP_NUM_THREADS, else all cores), worded by `help`.
void add_threads_option(CLI::App& command, int& threads, const std::string& help, const std::string& names = "--threads,-t");

// One rank's facts as they cross ranks (trivially copyable).
struct RankSummary {
  std::int32_t rank = 0;
  double wtime_offset = 0;  // MPI_Wtime() at the epoch
  double busy_seconds = 0;  // the rank's main loop, first start to last end
  char hostname[256] = {};
};

struct RankStats {
  double slowest = 0;
  int slowest_rank = 0;
  double mean = 0;
  double imbalance = 0;  // max/mean - 1
};

[[nodiscard]] RankStats rank_stats(const std::vector<RankSummary>& ranks);

struct RunContext {
  std::string subcommand;
  parallel::WorldInfo world;
  int threads = 1;
  int min_cpus = 1;  // fewest CPUs any rank may run on (its affinity mask)
  std::string output_path;  // rank 0, when writing
  results::Clock clock;     // restarted at the epoch
  RankSummary me;
};

// Collective. Returns kExitOk, or kExitOutput (on every rank) when rank 0
// cannot use the output target or one of `extra_targets` (e.g. a CSV file).
int begin_run(const std::string& subcommand, const OutputOptions& output, int threads_option,
              const std::vector<std::string>& extra_targets, Io io, RunContext& context);

[[nodiscard]] results::RunFacts run_facts(const RunContext& context, const std::vector<std::string>& command_line);

// Writes and publishes the results file on rank 0. Returns the published
// name, or "" after printing the reason.
[[nodiscard]] std::string publish_results(const results::ResultsContent& content, const RunContext& context,
                                          const OutputOptions& output, std::ostream& err);

// The exit status rank 0 decided, on every rank.
[[nodiscard]] int agree_on_status(int status);

// What one stage hands back on rank 0: its exit status and its part of the
// results file (its tables, attribute groups, events, ranks, and root
// attributes of its own such as the decoder used).
struct StageReport {
  int status = kExitOk;
  results::ResultsContent content;
};

// A results file from stage parts, in order, under the run's metadata.
[[nodiscard]] results::ResultsContent combine_results(const RunContext& run,
                                                      const std::vector<std::string>& command_line,
                                                      const std::vector<StageReport>& stages);

// The status a run of several stages ends with: the first that is not ok.
[[nodiscard]] int combined_status(const std::vector<StageReport>& stages);

// Rank 0's ending: unless --no-output, writes the results file made by
// `content` and names it on stdout. Returns `status`, or kExitOutput.
int finish_with_results(int status, const OutputOptions& output, const RunContext& run, Io io,
                        const std::function<results::ResultsContent()>& content);

// A command made of one stage: begin the run, run the stage, and on rank 0
// write the results file, unless the stage produced nothing to record (it
// failed before any work, having said why).
template <class Stage>
int run_one_stage(const std::string& subcommand, const OutputOptions& output, int threads,
                  const std::vector<std::string>& extra_targets, const std::vector<std::string>& command_line,
                  Io io, Stage&& stage) {
  RunContext run;
  if (const int status = begin_run(subcommand, output, threads, extra_targets, io, run); status != kExitOk)
    return status;
  const StageReport report = stage(run);
  if (run.world.rank != 0) return kExitOk;
  const results::ResultsContent& c = report.content;
  if (c.events.empty() && c.tables.empty() && c.attribute_groups.empty()) return report.status;
  return finish_with_results(report.status, output, run, io,
                             [&] { return combine_results(run, command_line, {report}); });
}

// Runs `body` on every rank with MPI initialised. An exception on any rank
// aborts the whole job with its reason (the other ranks would otherwise wait
// in a collective forever); every rank returns rank 0's exit status, so
// mpirun reports one.
template <class Body>
int run_on_all_ranks(Body&& body) {
  parallel::ensure_mpi_initialized();
  int status = kExitInternal;
  try {
    status = body();
  } catch (...) {
    parallel::abort_job_for(__FILE__, __LINE__, std::current_exception(), kExitInternal);
  }
  return agree_on_status(status);
}

}  // namespace juggle::cli
