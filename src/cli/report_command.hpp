// `juggle report FILE|DIR...`: where the time of each run went, per stage.
#pragma once

#include <string>
#include <vector>

#include "cli/io.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct ReportCliOptions {
  std::vector<std::string> paths;
  std::string format = "table";
  bool study = false;    // one table over all runs, grouped by configuration
  std::string baseline;  // "RxT" for --study; empty: 1x1 or the fewest cores
  std::string plot_dir;  // also write PNG plots here (analysis/plot.py)
  double read_timeout = 60;  // seconds a file's read may take before it is called damaged
};

CLI::App* setup_report(CLI::App& app, ReportCliOptions& options);
// No MPI: reading files is rank-free work.
int run_report(const ReportCliOptions& options, Io io = {});

}  // namespace juggle::cli
