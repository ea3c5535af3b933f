#include "cli/report_command.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>

#include "build_info.hpp"
#include "cli/exit_footer.hpp"
#include "files/program_data.hpp"
#include "files/walk.hpp"
#include "pipeline/exit_status.hpp"
#include "report/isolated_read.hpp"
#include "report/report_format.hpp"
#include "report/study.hpp"

namespace juggle::cli {

CLI::App* setup_report(CLI::App& app, ReportCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("report", "Per-stage time, balance and throughput of results files");
  cmd->footer(
      "Per stage, from the events: wall = measure of the union of the stage's event intervals [t_start,\n"
      "t_end] (time in which at least one was running; gaps between them do not count); busy(rank) = sum of\n"
      "the stage's event durations on that rank (threads add up); min/mean/max/stddev of busy over the ranks\n"
      "that recorded the stage; slowest = rank with the largest busy; imbalance = max/mean - 1; efficiency =\n"
      "mean/max; share = wall / run wall, run wall = max(t_end) - min(t_start) over all events (elapsed);\n"
      "MB/s = bytes / 10^6 / wall; items/s = items / wall (items: lines, words, files, URLs ... per stage,\n"
      "see docs/results-format.md); both 0 when the wall is under 1 microsecond.\n"
      "Per step of a run of several steps (fetch, count, tokenize): wall = measure of the union of the\n"
      "step's event intervals; busy = sum over (rank, thread) of the measure of the union of the step's\n"
      "events on that thread less its waits for work (thread-seconds, nested events once); share = wall /\n"
      "run wall. Steps that ran\n"
      "at the same time get a note: per pair, the seconds both ran (measure of the intersection of their\n"
      "unions), and the sum of the step walls against the run wall. JSON has them in every run (steps,\n"
      "overlaps); CSV keeps only the stage rows.\n"
      "Directories are searched for *.h5. A file that cannot be read is named on stderr; the others are\n"
      "still reported. The files are read by a child process, under --read-timeout per file and a memory\n"
      "limit, restarted after a file it dies on: one damaged in a way that crashes libhdf5 or makes it\n"
      "loop is refused with a reason instead of ending the report.\n" +
      exit_status_footer({.ok = "all read",
                          .some_failed = "some could not be read or none was found",
                          .output = "",
                          .internal = "",
                          .interrupted = ""}));
  cmd->add_option("paths", o.paths, "results files and directories")->required();
  cmd->add_option("--format,-f", o.format, "table, csv, json or markdown")
      ->check(CLI::IsMember({"table", "csv", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_flag("--study", o.study,
                "summarise many runs: group by subcommand, ranks, threads and fetch mode; median wall per stage "
                "(min, max), speedup = baseline median / median, efficiency = speedup / (cores / baseline cores)");
  cmd->add_option("--plot", o.plot_dir,
                  "also write PNG plots into this directory (analysis/plot.py, needs "
                  "python3 with h5py and matplotlib)");
  cmd->add_option("--read-timeout", o.read_timeout, "seconds a file's read may take before it is refused as damaged")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  cmd->add_option("--baseline", o.baseline,
                  "baseline configuration for --study, as RANKSxTHREADS (default: 1x1, "
                  "else the fewest cores)");
  return cmd;
}

namespace {

// Runs analysis/plot.py of juggle's data directory (found from the binary's
// place: files/program_data.hpp) with an interpreter that has h5py and
// matplotlib (on Debian that is /usr/bin/python3, which need not be first on
// PATH). Its list of PNG files goes to stderr (nowhere under -q): stdout
// belongs to the report's format.
int plot(const ReportCliOptions& o, const std::vector<std::string>& files, Io io) {
  const std::string script = files::program_data_directory(build_info::data_dir_from_bin) + "/analysis/plot.py";
  if (::access(script.c_str(), R_OK) != 0) {
    io.err << "juggle: " << script << ": plot script missing (set JUGGLE_DATA_DIR to juggle's share/juggle)\n";
    return kExitSomeFailed;
  }
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    const std::string probe = std::string(python) + " -c 'import h5py, matplotlib' >/dev/null 2>&1";
    if (std::system(probe.c_str()) != 0) continue;
    std::vector<std::string> args{python, script, "--out", o.plot_dir};
    args.insert(args.end(), files.begin(), files.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (io.verbosity == Verbosity::quiet)  // -q: only errors, which plot.py writes to its stderr
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    else
      posix_spawn_file_actions_adddup2(&actions, 2, 1);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, python, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 1;
    if (rc != 0 || ::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      io.err << "juggle: " << script << ": plotting failed\n";
      return kExitSomeFailed;
    }
    return kExitOk;
  }
  io.err << "juggle: --plot needs python3 with h5py and matplotlib (Debian: python3-h5py python3-matplotlib)\n";
  return kExitSomeFailed;
}

}  // namespace

int run_report(const ReportCliOptions& o, Io io) {
  int status = kExitOk;
  std::vector<report::RunReport> runs;
  std::vector<std::string> readable;
  const std::vector<files::InputFile> inputs = files::walk_inputs(o.paths, {"*.h5"});
  if (inputs.empty()) {  // an empty report would look like a success
    io.err << "juggle: no results files (*.h5) in";
    for (const std::string& p : o.paths) io.err << ' ' << p;
    io.err << '\n';
    status = kExitSomeFailed;
  }
  std::vector<std::string> paths;
  for (const files::InputFile& f : inputs)
    if (f.problem.empty()) paths.push_back(f.path);
  const auto limit = std::chrono::milliseconds(static_cast<std::int64_t>(o.read_timeout * 1000));
  std::vector<report::IsolatedRead> read = report::read_results_isolated(paths, limit);
  std::size_t next = 0;
  for (const files::InputFile& f : inputs) {  // in the order found, problems among them
    if (!f.problem.empty()) {
      io.err << "juggle: " << f.path << ": " << f.problem << '\n';
      status = kExitSomeFailed;
      continue;
    }
    report::IsolatedRead& r = read[next++];
    if (!r.run) {
      io.err << "juggle: " << r.error << '\n';
      status = kExitSomeFailed;
      continue;
    }
    try {
      runs.push_back(report::make_run_report(std::move(*r.run)));
      readable.push_back(f.path);
    } catch (const std::exception& e) {
      io.err << "juggle: " << f.path << ": " << e.what() << '\n';
      status = kExitSomeFailed;
    }
  }
  const auto format = report::parse_report_format(o.format).value_or(report::ReportFormat::table);
  if (o.study)
    report::render_study(report::study(runs, o.baseline.empty() ? std::nullopt : std::optional(o.baseline)), format,
                         io.out);
  else
    render_report(runs, format, io.out);
  io.out.flush();
  if (!o.plot_dir.empty() && !readable.empty() && plot(o, readable, io) != kExitOk) status = kExitSomeFailed;
  return status;
}

}  // namespace juggle::cli
