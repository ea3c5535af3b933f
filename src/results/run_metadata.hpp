// The root attributes every results file carries: enough to tell later which
// tool, build, machine, layout and scheduler job produced it, so runs can be
// grouped into studies without guessing.
#pragma once

#include <string>
#include <vector>

#include "results/results_file.hpp"

namespace juggle::results {

struct RunFacts {
  std::string subcommand;                  // "count"
  std::vector<std::string> command_line;   // argv as given
  std::string hostname;                    // rank 0's host
  int mpi_ranks = 1;
  int omp_threads = 1;
  int cpus_per_rank = 0;  // CPUs in the smallest rank affinity mask (0: unknown)
  std::string mpi_library;
  bool wtime_is_global = false;
};

// "zlib 1.2.13, isal 2.30.0, libcurl 7.88.1, utf8proc 2.8.0, openssl ..."
[[nodiscard]] std::string library_versions();

// schema, schema_version, tool_version, git_sha, build_type, created_utc,
// command_line, subcommand, hostname, mpi_ranks, omp_threads, mpi_library,
// hdf5_version, wtime_is_global, omp_proc_bind, omp_places, slurm_job_id,
// slurm_array_job_id, slurm_array_task_id, slurm_nodelist,
// slurm_cpus_per_task (SLURM values read from the environment; empty when
// not under SLURM).
[[nodiscard]] Attributes run_attributes(const RunFacts& facts);

// Shell-quoted join of argv, e.g. juggle count 'my file.gz'
[[nodiscard]] std::string quote_command_line(const std::vector<std::string>& argv);

// Current UTC time as ISO 8601, e.g. 2026-11-24T10:41:25Z
[[nodiscard]] std::string utc_now_iso8601();

}  // namespace juggle::results
