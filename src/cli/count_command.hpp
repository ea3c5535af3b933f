// `juggle count`: lines in gzip files across MPI ranks x OpenMP threads.
#pragma once

#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/shared_options.hpp"
#include "pipeline/count_stage.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct CountOptions {
  InputOptions inputs;
  std::vector<std::string> include{"*.gz"};
  int threads = 0;  // 0: OMP_NUM_THREADS, else every core of the rank
  PresentOptions present;
  bool strict = false;  // the first failing file stops the whole job (exit 4)
  std::string inflate = "auto";
  SplitOptions split;
  OutputOptions output;
  std::vector<std::string> command_line;  // argv, recorded in the results file
};

// Registers the subcommand and its flags; `options` must outlive `app`.
CLI::App* setup_count(CLI::App& app, CountOptions& options);

// The engine's settings for these options.
[[nodiscard]] pipeline::CountSettings count_settings(const CountOptions& options);

// Runs on every rank of MPI_COMM_WORLD (initialising MPI if needed); rank 0
// prints and writes the results file. Returns an ExitCode.
int run_count(const CountOptions& options, Io io = {});

}  // namespace juggle::cli
