// Reading results files that may be damaged, without trusting libhdf5 with
// the process.
//
// libhdf5 (Debian's 1.10.8) checks little of what it reads: on damaged
// results files it dereferences wild pointers, loops, or fills allocations
// of gigabytes sized by a damaged field (docs/reliability.md). A C++ guard
// can catch none of that, so the files are read by a forked child, which
// sends each results::RunData (or the refusal) back through a pipe in the order of
// the files; the parent never calls libhdf5. The child dies by the signal
// that kills it (no handler inherited, no core file), its address space is
// limited so a huge allocation fails instead of taking the node's memory,
// and each file has a time limit. When the child dies or overruns on a
// file, that file is condemned with the reason and a new child goes on with
// the next one, so the cost is one fork per report plus one per bad file.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "results/results_reader.hpp"

namespace juggle::report {

struct IsolatedRead {
  std::optional<results::RunData> run;  // read; or else
  std::string error;           // "PATH: reason", as results::ResultsError says it
};

// Each of `paths` as results::read_results(path) gives it, in order; a file whose
// reading crashed is refused as "PATH: damaged: libhdf5 crashed reading it
// (SIGSEGV)", one that took longer than `limit_per_file` as "PATH: damaged:
// reading it did not finish within N s (--read-timeout)". The child runs
// the test hook JUGGLE_INJECT_FAULT="0:report-read:KIND" (parallel/
// fault_injection.hpp) before each file.
[[nodiscard]] std::vector<IsolatedRead> read_results_isolated(const std::vector<std::string>& paths,
                                                              std::chrono::milliseconds limit_per_file);

}  // namespace juggle::report
