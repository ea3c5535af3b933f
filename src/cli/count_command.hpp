// `juggle count`: lines in gzip files across MPI ranks x OpenMP threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/count_outcome.hpp"
#include "cli/io.hpp"
#include "cli/run_context.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct CountOptions {
  std::vector<std::string> paths;
  std::vector<std::string> include{"*.gz"};
  int threads = 0;  // 0: OMP_NUM_THREADS, else every core of the rank
  bool per_file = false;
  bool strict = false;  // the first failing file stops the whole job (exit 4)
  std::string inflate = "auto";
  OutputOptions output;
  std::vector<std::string> command_line;  // argv, recorded in the results file
};

// Registers the subcommand and its flags; `options` must outlive `app`.
CLI::App* setup_count(CLI::App& app, CountOptions& options);

// Runs on every rank of MPI_COMM_WORLD (initialising MPI if needed); rank 0
// prints and writes the results file. Returns an ExitCode.
int run_count(const CountOptions& options, Io io = {});

// The count stage inside a begun run (collective): rank 0 prints and gets the
// report; other ranks get an empty one.
StageReport count_stage(const CountOptions& options, RunContext& run, Io io);

// The count stage after its pieces were processed (collective): gathers
// every rank's records and events from `log` to rank 0, which puts them in
// input order (`out.inputs`; a record's file id is its position, or
// position_of_file[id] when that is not empty), prints and reports.
StageReport finish_count(const CountOptions& options, RunContext& run, Io io, CountOutcome out,
                         const std::vector<FileRecord>& mine, results::EventLog& log, double stage_start,
                         const std::vector<std::int64_t>& position_of_file);

}  // namespace juggle::cli
