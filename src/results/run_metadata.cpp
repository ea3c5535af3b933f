#include "results/run_metadata.hpp"

#include <curl/curl.h>
#include <utf8proc.h>
#include <zlib.h>

#include <cstdlib>
#include <ctime>

#ifdef JUGGLE_HAVE_ISAL
#include <isa-l.h>
#endif

#include "build_info.hpp"
#include "results/h5_handles.hpp"

namespace juggle::results {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::string quote_command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (const char c : arg) {
      if (c == '\'')
        line.append("'\\''");
      else
        line.push_back(c);
    }
    line += '\'';
  }
  return line;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string library_versions() {
  std::string out = std::string("zlib ") + zlibVersion();
#ifdef JUGGLE_HAVE_ISAL
  out += ", isal " + std::to_string(ISAL_MAJOR_VERSION) + "." + std::to_string(ISAL_MINOR_VERSION) + "." +
         std::to_string(ISAL_PATCH_VERSION);
#endif
  out += std::string(", libcurl ") + curl_version_info(CURLVERSION_NOW)->version;
  out += std::string(", utf8proc ") + utf8proc_version();
  out += ", hdf5 " + h5::library_version();
  return out;
}

Attributes run_attributes(const RunFacts& facts) {
  return {
      {"schema", std::string(kSchemaName)},
      {"schema_version", kSchemaVersion},
      {"tool_version", std::string(build_info::tool_version)},
      {"git_sha", std::string(build_info::git_sha)},
      {"build_type", std::string(build_info::build_type)},
      {"created_utc", utc_now_iso8601()},
      {"command_line", quote_command_line(facts.command_line)},
      {"subcommand", facts.subcommand},
      {"hostname", facts.hostname},
      {"mpi_ranks", std::int64_t{facts.mpi_ranks}},
      {"omp_threads", std::int64_t{facts.omp_threads}},
      {"cpus_per_rank", std::int64_t{facts.cpus_per_rank}},
      {"mpi_library", facts.mpi_library},
      {"hdf5_version", h5::library_version()},
      {"library_versions", library_versions()},
      {"wtime_is_global", std::int64_t{facts.wtime_is_global ? 1 : 0}},
      {"omp_proc_bind", env_or_empty("OMP_PROC_BIND")},
      {"omp_places", env_or_empty("OMP_PLACES")},
      {"slurm_job_id", env_or_empty("SLURM_JOB_ID")},
      {"slurm_array_job_id", env_or_empty("SLURM_ARRAY_JOB_ID")},
      {"slurm_array_task_id", env_or_empty("SLURM_ARRAY_TASK_ID")},
      {"slurm_nodelist", env_or_empty("SLURM_JOB_NODELIST")},
      {"slurm_cpus_per_task", env_or_empty("SLURM_CPUS_PER_TASK")},
  };
}

}  // namespace juggle::results
