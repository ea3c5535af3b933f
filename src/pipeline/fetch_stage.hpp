// The fetch stage: rank 0 downloads a list of URLs (fetch/fetcher.hpp) and
// every other rank learns which files are now present. In steps, for a job
// that computes while files land (job_pipeline.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fetch/fetch_types.hpp"
#include "fetch/fetcher.hpp"
#include "fetch/output_dir.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

struct FetchSettings {
  std::string urls;  // file of URLs, or "-" for stdin
  std::string out = "inputs/texts";
  fetch::FetchMode mode = fetch::FetchMode::multi;
  int concurrency = 16;
  fetch::FetchPolicy policy;  // retries, timeouts, limits, TLS verification
  bool force = false;         // fetch even complete files
};

struct FetchTotals {
  std::uint64_t urls = 0, fetched = 0, skipped = 0, failed = 0, bytes = 0;
};

struct FetchedFiles {
  std::vector<fetch::TransferRecord> records;  // list order
  std::vector<std::string> paths;              // files now present, list order
  double started = 0, finished = 0;
  FetchTotals totals;                        // list lines refused count as failed
  std::uint64_t stale_partials_removed = 0;  // temporaries of earlier, killed runs
  StageReport report;                        // the fetch stage's status and results
};

// What rank 0 tells as transfers end: each outcome as it happens (on the
// downloading thread), and the whole once all have ended.
class FetchObserver {
 public:
  virtual ~FetchObserver() = default;
  virtual void started(std::size_t urls) { (void)urls; }
  virtual void transfer_done(const fetch::TransferRecord& record) { (void)record; }
  virtual void finished(const FetchedFiles& done) { (void)done; }
};

// The list read, names assigned and the output directory open.
struct PreparedFetch {
  fetch::FetchRequest request;
  std::unique_ptr<fetch::OutputDir> dir;
  std::size_t list_problems = 0;  // list lines refused (each named on `err`)
};

// Rank 0. Nothing, with `status` set (usage: the list; output: the
// directory), after naming the reason on `err`.
[[nodiscard]] std::optional<PreparedFetch> prepare_fetch(const FetchSettings& settings, std::ostream& err, int& status);

// Rank 0: the downloads. `landed` (if set) is called with each outcome as
// it happens, on the downloading thread, after the observer.
[[nodiscard]] FetchedFiles run_transfers(const FetchSettings& settings, PreparedFetch& prepared,
                                         const results::Clock& clock, FetchObserver& observer,
                                         const fetch::OnTransferDone& landed);

// The fetch stage inside a begun run (collective): rank 0 fetches and gets
// the report; every rank gets the paths of the files now present.
[[nodiscard]] StageReport fetch_stage(const FetchSettings& settings, RunContext& run, std::ostream& err,
                                      FetchObserver& observer, std::vector<std::string>& fetched);

}  // namespace juggle::pipeline
