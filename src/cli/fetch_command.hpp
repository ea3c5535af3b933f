// `juggle fetch`: download a list of URLs on rank 0 (libcurl), sequentially,
// with threads, or with the multi interface's event loop.
#pragma once

#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/shared_options.hpp"
#include "fetch/fetch_types.hpp"
#include "pipeline/fetch_stage.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct FetchCliOptions {
  std::string urls;                   // file of URLs, or "-" for stdin
  std::string out = "inputs/texts";
  std::string mode = "multi";
  int concurrency = 16;
  fetch::FetchPolicy policy;
  bool insecure = false;
  bool force = false;                 // fetch even complete files
  OutputOptions output;
  std::vector<std::string> command_line;
};

// Registers the subcommand and its flags; `options` must outlive `app`.
CLI::App* setup_fetch(CLI::App& app, FetchCliOptions& options);
// The engine's settings for these options.
[[nodiscard]] pipeline::FetchSettings fetch_settings(const FetchCliOptions& options);

// Runs on every rank (initialising MPI if needed); rank 0 downloads, prints
// and writes the results file. Returns an ExitCode.
int run_fetch(const FetchCliOptions& options, Io io = {});

}  // namespace juggle::cli
