// Many runs of the same work at different layouts (a scaling study): runs
// are grouped by configuration (subcommand, ranks, threads, fetch mode);
// repeats are summarised by the median with min and max; each stage's
// speedup is the baseline's median wall (the time the stage's events cover,
// stage_stats.hpp; the run's elapsed wall for "(run)") over the configuration's, and
// parallel efficiency is speedup / (cores / baseline cores), cores = ranks
// x threads. The baseline is, per subcommand, the configuration with the
// fewest cores (1 x 1 when there is one), preferring the sequential fetch
// mode, so fetch modes are compared against it; --baseline RxT chooses.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "report/report_format.hpp"

namespace juggle::report {

struct Configuration {
  std::string subcommand;
  int ranks = 1;
  int threads = 1;
  std::string mode;  // fetch mode, when the run fetched
  [[nodiscard]] std::int64_t cores() const noexcept { return std::int64_t{ranks} * threads; }
  auto operator<=>(const Configuration&) const = default;
};

struct StudyRow {
  Configuration config;
  std::string stage;  // "(run)" for the whole run
  int runs = 0;
  double median = 0, min = 0, max = 0;  // wall seconds
  // Undefined (nullopt) when the configuration's or the baseline's median
  // is zero, e.g. a merge that a single thread never has to do.
  std::optional<double> speedup;
  std::optional<double> efficiency;
};

[[nodiscard]] Configuration configuration_of(const results::RunData& run);

// `baseline` as "RANKSxTHREADS" (e.g. "1x1"); nullopt: automatic.
[[nodiscard]] std::vector<StudyRow> study(const std::vector<RunReport>& runs,
                                          const std::optional<std::string>& baseline);

void render_study(const std::vector<StudyRow>& rows, ReportFormat format, std::ostream& out);

}  // namespace juggle::report
