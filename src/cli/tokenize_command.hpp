// `juggle tokenize`: exact word frequencies across MPI ranks x OpenMP threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/shared_options.hpp"
#include "pipeline/tokenize_stage.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct TokenizeCliOptions {
  InputOptions inputs;
  std::vector<std::string> include{"*.txt", "*.gz"};
  int threads = 0;
  std::size_t top = 20;
  PresentOptions present;
  std::string chunk_size = "32MiB";  // plain files larger than this are split into ranges
  bool no_fold = false;
  bool ascii = false;
  bool strict = false;            // the first failing input stops the whole job (exit 4)
  std::string csv;                // also write the word list as CSV here
  std::uint64_t vocab_limit = 0;  // words stored in the results/CSV: 0 = all
  std::string inflate = "auto";
  SplitOptions split;
  OutputOptions output;
  std::vector<std::string> command_line;
};

// Registers the subcommand and its flags; `options` must outlive `app`.
CLI::App* setup_tokenize(CLI::App& app, TokenizeCliOptions& options);

// The engine's settings for these options.
[[nodiscard]] pipeline::TokenizeSettings tokenize_settings(const TokenizeCliOptions& options);

// Runs on every rank of MPI_COMM_WORLD (initialising MPI if needed); rank 0
// prints and writes the results file and the CSV. Returns an ExitCode.
int run_tokenize(const TokenizeCliOptions& options, Io io = {});

}  // namespace juggle::cli
