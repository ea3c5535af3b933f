// `juggle fetch`: download a list of URLs on rank 0 (libcurl), sequentially,
// with threads, or with the multi interface's event loop.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/run_context.hpp"
#include "fetch/fetch_types.hpp"
#include "fetch/fetcher.hpp"
#include "fetch/output_dir.hpp"

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

CLI::App* setup_fetch(CLI::App& app, FetchCliOptions& options);
int run_fetch(const FetchCliOptions& options, Io io = {});

// The fetch stage inside a begun run (collective): rank 0 fetches and gets the
// report; every rank gets the paths of the files now present.
StageReport fetch_stage(const FetchCliOptions& options, RunContext& run, Io io, std::vector<std::string>& fetched);

// Rank 0's fetch in steps, for a job that computes while files land: the
// list read, names assigned and the output directory open.
struct PreparedFetch {
  fetch::FetchRequest request;
  std::unique_ptr<fetch::OutputDir> dir;
  std::size_t list_problems = 0;  // list lines refused (each named on stderr)
};

// Nothing, with `status` set (usage or output), after naming the reason.
[[nodiscard]] std::optional<PreparedFetch> prepare_fetch(const FetchCliOptions& options, Io io, int& status);

struct FetchedFiles {
  std::vector<fetch::TransferRecord> records;  // list order
  std::vector<std::string> paths;              // files now present, list order
  double started = 0, finished = 0;
  StageReport report;                          // the fetch stage's status and results
};

// Downloads, printing each outcome and the summary; `landed` (if set) is
// called with each outcome as it happens, on the downloading thread.
[[nodiscard]] FetchedFiles run_transfers(const FetchCliOptions& options, PreparedFetch& prepared,
                                         const results::Clock& clock, Io io, const fetch::OnTransferDone& landed);

}  // namespace juggle::cli
