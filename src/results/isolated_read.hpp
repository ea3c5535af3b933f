// Reading a results file that may be damaged, without trusting libhdf5 with
// the process.
//
// libhdf5 (Debian's 1.10.8) checks little of what it reads: the results-
// reader fuzz target finds damaged files on which it dereferences wild
// pointers, aborts, or loops forever (docs/reliability.md). A C++ guard
// cannot catch a SIGSEGV or end a loop inside a C library, so the file is
// first read by a forked child; only when the child finished (with the data
// or with a refusal) is it read again here, which then takes the same path.
// A child that died by a signal, exited any other way (a sanitizer's report),
// or ran past the time limit condemns the file with a reason, and the
// report goes on with the other files. A results file is small (events and
// a few tables), so reading it twice costs milliseconds; the fork is
// copy-on-write.
#pragma once

#include <chrono>
#include <string>

#include "results/results_reader.hpp"

namespace juggle::results {

// read_results(path), or throws ResultsError "PATH: damaged: libhdf5 crashed
// reading it (SIGSEGV)" / "PATH: damaged: reading it did not finish within
// N s". The child runs the test hook JUGGLE_INJECT_FAULT="0:report-read:
// crash|stall|..." (parallel/fault_injection.hpp) before reading.
[[nodiscard]] RunData read_results_isolated(const std::string& path, std::chrono::milliseconds limit);

}  // namespace juggle::results
