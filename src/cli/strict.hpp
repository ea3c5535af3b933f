// --strict: the first input that fails stops the whole job. The stage
// throws on the rank (and thread) that meets it; run_on_all_ranks turns the
// exception into one line naming rank, host and reason and MPI_Abort, so no
// other rank waits in a collective (exit 4, no results file).
#pragma once

#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>

namespace juggle::cli {

inline void add_strict_flag(CLI::App& cmd, bool& strict) {
  cmd.add_flag("--strict", strict, "stop the whole job at the first input that fails (exit 4, no results file)");
}

[[noreturn]] inline void stop_job_for_input(const std::string& path, const std::string& reason) {
  throw std::runtime_error(path + ": " + reason + " (--strict)");
}

}  // namespace juggle::cli
