// `juggle resolve` runs on rank 0 only: lookups are IO-bound, not parallel work.
#include "cli/resolve_command.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "cli/exit_footer.hpp"
#include "cli/stage_command.hpp"
#include "cli/units.hpp"
#include "pipeline/exit_status.hpp"
#include "pipeline/resolve_stage.hpp"

namespace juggle::cli {
namespace {

std::vector<std::string> read_hosts(const ResolveCliOptions& o, Io io, bool& ok) {
  std::vector<std::string> hosts = o.hosts;
  ok = true;
  if (o.hosts_file.empty()) return hosts;
  std::ifstream in(o.hosts_file);
  if (!in) {
    io.err << "juggle: " << o.hosts_file << ": cannot read the host list\n";
    ok = false;
    return hosts;
  }
  for (std::string line; std::getline(in, line);) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    for (std::string w; words >> w;) hosts.push_back(w);
  }
  return hosts;
}

int resolve_on_rank0(const ResolveCliOptions& o, Io io) {
  pipeline::RunContext run;
  if (const int status = pipeline::begin_run("resolve", o.output, 1, {}, io.err, run); status != kExitOk) return status;
  if (run.world.rank != 0) return kExitOk;
  bool ok = true;
  pipeline::ResolveSettings settings;
  settings.hosts = read_hosts(o, io, ok);
  if (!ok) return kExitUsage;
  settings.concurrent = o.mode == "concurrent";
  settings.concurrency = o.concurrency;
  const pipeline::ResolveOutcome outcome = pipeline::resolve_stage(settings, run.clock, [&](const fetch::Lookup& l) {
    if (!l.error.empty()) {
      io.err << "juggle: " << l.host << ": " << l.error << '\n';
      return;
    }
    io.out << l.host << " ->";
    for (const std::string& a : l.addresses) io.out << ' ' << a;
    io.out << " (" << fixed(1000 * (l.t_end - l.t_start), 2) << " ms)\n";
  });
  io.out << "resolve: " << outcome.lookups.size() << " hosts, " << outcome.failed << " failed, "
         << fixed(1000 * outcome.wall_seconds, 2) << " ms (mode " << o.mode
         << (settings.concurrent ? ", concurrency " + std::to_string(o.concurrency) : "") << ")\n";
  const pipeline::StageReport report = pipeline::resolve_report(outcome, settings);
  return finish_with_results(report.status, o.output, run, io,
                             [&] { return pipeline::combine_results(run, o.command_line, {report}); });
}

}  // namespace

CLI::App* setup_resolve(CLI::App& app, ResolveCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("resolve", "Look up host names, one after another or concurrently");
  cmd->footer(exit_status_footer({.ok = "all names resolved",
                                  .some_failed = "some did not (each named on stderr)",
                                  .usage = "usage error",
                                  .output = "output not written",
                                  .internal = "",
                                  .interrupted = ""}));
  cmd->add_option("hosts", o.hosts, "host names");
  cmd->add_option("--hosts", o.hosts_file, "file of host names, one per line ('#' comments)");
  cmd->add_option("--mode", o.mode, "sequential (blocking, one at a time) or concurrent")
      ->check(CLI::IsMember({"sequential", "concurrent"}))
      ->capture_default_str();
  cmd->add_option("--concurrency,-c", o.concurrency, "lookups at once (concurrent)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  add_output_options(*cmd, o.output, "resolve");
  return cmd;
}

int run_resolve(const ResolveCliOptions& options, Io io) {
  return pipeline::run_on_all_ranks([&] { return resolve_on_rank0(options, io); });
}

}  // namespace juggle::cli
