// Fetching a list of URLs into a directory, in one of three schedules the
// seeds compare:
//   sequential  one easy handle, one transfer at a time (connections reused);
//   threads     a pool of `concurrency` threads, each with its own handle;
//   multi       libcurl's multi interface: one thread, an event loop keeping
//               `concurrency` transfers in flight over a shared connection
//               cache; retries wait in a timer queue, not in a sleeping thread.
// Every URL goes through the same Transfer (transfer.hpp), so the schedules
// differ only in timing. Results come back in list order.
#pragma once

#include <functional>
#include <vector>

#include "fetch/fetch_types.hpp"
#include "fetch/output_dir.hpp"
#include "results/timeline.hpp"

namespace juggle::fetch {

// Called once per URL as it finishes (never concurrently).
using OnTransferDone = std::function<void(const TransferRecord&)>;

struct FetchRequest {
  std::vector<FetchJob> jobs;
  FetchMode mode = FetchMode::multi;
  int concurrency = 16;
  FetchPolicy policy;
  bool force = false;  // fetch even when a complete file is there
};

[[nodiscard]] std::vector<TransferRecord> fetch_all(const FetchRequest& request, OutputDir& dir,
                                                    const results::Clock& clock, const OnTransferDone& on_done);

}  // namespace juggle::fetch
