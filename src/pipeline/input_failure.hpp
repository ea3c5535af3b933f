// --strict: the first input that fails stops the whole job. The stage
// throws on the rank (and thread) that meets it; the command's error path
// turns the exception into one line naming rank, host and reason and
// MPI_Abort, so no other rank waits for it (exit 4, no results file).
#pragma once

#include <stdexcept>
#include <string>

#include "files/walk.hpp"
#include "gzip/gzip_status.hpp"

namespace juggle::pipeline {

[[noreturn]] inline void stop_job_for_input(const std::string& path, const std::string& reason) {
  throw std::runtime_error(path + ": " + reason + " (--strict)");
}

// Why an input failed: the walk's problem with it (unreadable, not a
// regular file...), else what its decoder said; "" when `status` is ok.
[[nodiscard]] inline std::string failure_reason(const files::InputFile& input, gzip::GzipStatus status,
                                                int sys_errno) {
  if (status == gzip::GzipStatus::ok) return "";
  if (!input.problem.empty()) return input.problem;
  return gzip::status_message(status, sys_errno);
}

}  // namespace juggle::pipeline
