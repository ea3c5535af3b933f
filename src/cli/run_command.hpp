// `juggle run JOB.toml`: fetch (rank 0) -> count -> tokenize in one job, every
// stage timed, one results file.
#pragma once

#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/shared_options.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct RunCliOptions {
  std::string job;                 // TOML job file (see job_file.hpp)
  std::vector<std::string> sets;   // section.key=value overrides
  int threads = 0;                 // these override [run]
  OutputOptions output;
  std::vector<std::string> command_line;
};

// Registers the subcommand and its flags; `options` must outlive `app`.
CLI::App* setup_run(CLI::App& app, RunCliOptions& options);
// Runs the job on every rank (initialising MPI if needed); rank 0 prints and
// writes the results file. Returns an ExitCode.
int run_job(const RunCliOptions& options, Io io = {});

// Reads the job and parses every section as run_job would, without running
// anything. Throws std::runtime_error naming the file and the reason.
void check_job(const RunCliOptions& options);

}  // namespace juggle::cli
