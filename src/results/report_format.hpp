// Rendering `juggle report` in the formats users feed to people and tools:
// an aligned table (default), CSV, JSON and Markdown. Machine formats write
// only the data, nothing else, so they can be piped.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "results/results_reader.hpp"
#include "results/stage_stats.hpp"
#include "results/text_table.hpp"

namespace juggle::results {

struct RunReport {
  RunData run;
  double wall = 0;
  std::vector<StageStats> stages;
};

[[nodiscard]] RunReport make_run_report(RunData run);

void render_report(const std::vector<RunReport>& runs, ReportFormat format, std::ostream& out);

}  // namespace juggle::results
