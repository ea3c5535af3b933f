// `juggle resolve`: hostname lookups, blocking one after another or concurrent.
#pragma once

#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/shared_options.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct ResolveCliOptions {
  std::vector<std::string> hosts;
  std::string hosts_file;  // one host per line, '#' comments
  std::string mode = "concurrent";
  int concurrency = 32;
  OutputOptions output;
  std::vector<std::string> command_line;
};

// Registers the subcommand and its flags; `options` must outlive `app`.
CLI::App* setup_resolve(CLI::App& app, ResolveCliOptions& options);
// Runs on every rank (initialising MPI if needed); rank 0 looks up, prints
// and writes the results file. Returns an ExitCode.
int run_resolve(const ResolveCliOptions& options, Io io = {});

}  // namespace juggle::cli
