#include "cli/report_command.hpp"

#include <CLI/CLI.hpp>

#include "cli/exit_codes.hpp"
#include "files/walk.hpp"
#include "results/report_format.hpp"
#include "results/study.hpp"

namespace juggle::cli {

CLI::App* setup_report(CLI::App& app, ReportCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("report", "Per-stage time, balance and throughput of results files");
  cmd->footer(
      "Per stage, from the events: wall = max(t_end) - min(t_start); busy(rank) = sum of the stage's event\n"
      "durations on that rank (threads add up); min/mean/max/stddev of busy over the ranks that recorded the\n"
      "stage; slowest = rank with the largest busy; imbalance = max/mean - 1; efficiency = mean/max;\n"
      "share = wall / run wall; MB/s = bytes / 10^6 / wall; items/s = items / wall (items: lines, words,\n"
      "files, URLs ... per stage, see docs/results-format.md).\n"
      "Directories are searched for *.h5. A file that cannot be read is named on stderr; the others are\n"
      "still reported. Exit status: 0 all read, 1 some could not be read, 2 usage error.");
  cmd->add_option("paths", o.paths, "results files and directories")->required();
  cmd->add_option("--format,-f", o.format, "table, csv, json or markdown")
      ->check(CLI::IsMember({"table", "csv", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_flag("--study", o.study,
                "summarise many runs: group by subcommand, ranks, threads and fetch mode; median wall per stage "
                "(min, max), speedup = baseline median / median, efficiency = speedup / (cores / baseline cores)");
  cmd->add_option("--baseline", o.baseline, "baseline configuration for --study, as RANKSxTHREADS (default: 1x1, "
                                            "else the fewest cores)");
  return cmd;
}

int run_report(const ReportCliOptions& o, Io io) {
  int status = kExitOk;
  std::vector<results::RunReport> runs;
  for (const files::InputFile& f : files::walk_inputs(o.paths, {"*.h5"})) {
    if (!f.problem.empty()) {
      io.err << "juggle: " << f.path << ": " << f.problem << '\n';
      status = kExitSomeFailed;
      continue;
    }
    try {
      runs.push_back(results::make_run_report(results::read_results(f.path)));
    } catch (const std::exception& e) {
      io.err << "juggle: " << e.what() << '\n';
      status = kExitSomeFailed;
    }
  }
  const auto format = results::parse_report_format(o.format).value_or(results::ReportFormat::table);
  if (o.study)
    results::render_study(results::study(runs, o.baseline.empty() ? std::nullopt : std::optional(o.baseline)), format,
                          io.out);
  else
    render_report(runs, format, io.out);
  io.out.flush();
  return status;
}

}  // namespace juggle::cli
