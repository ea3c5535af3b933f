// Rendering `juggle report` in the formats users feed to people and tools:
// an aligned table (default), CSV, JSON and Markdown. Machine formats write
// only the data, nothing else, so they can be piped.
//
// Each run: its stage table; when it ran several steps, a step table (wall,
// busy, share) and, when steps overlapped, a note on how long each pair ran
// together. JSON carries steps and overlaps as typed fields of every run
// (`steps`, `overlaps`), and every number, the run's layout included, as a
// JSON number; CSV stays one table of stage rows, so it parses as one CSV
// table (steps and overlaps are not in it).
#pragma once

#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "results/results_reader.hpp"
#include "report/stage_stats.hpp"
#include "report/text_table.hpp"

namespace juggle::report {

struct RunReport {
  results::RunData run;
  double wall = 0;
  std::vector<StageStats> stages;
  StepTiming steps;
};

[[nodiscard]] RunReport make_run_report(results::RunData run);

void render_report(const std::vector<RunReport>& runs, ReportFormat format, std::ostream& out);

}  // namespace juggle::report
