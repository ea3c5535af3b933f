// --strict: the first input that fails stops the whole job. The stage
// throws on the rank (and thread) that meets it; the command's error path
// turns the exception into one line naming rank, host and reason and
// MPI_Abort, so no other rank waits for it (exit 4, no results file).
#pragma once

#include <stdexcept>
#include <string>

namespace juggle::pipeline {

[[noreturn]] inline void stop_job_for_input(const std::string& path, const std::string& reason) {
  throw std::runtime_error(path + ": " + reason + " (--strict)");
}

}  // namespace juggle::pipeline
