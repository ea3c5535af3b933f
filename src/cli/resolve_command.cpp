// `juggle resolve` runs on rank 0 only: lookups are IO-bound, not parallel work.
#include "cli/resolve_command.hpp"

#include <CLI/CLI.hpp>
#include <optional>

#include "cli/exit_footer.hpp"
#include "cli/stage_command.hpp"
#include "cli/units.hpp"
#include "pipeline/exit_status.hpp"
#include "pipeline/resolve_stage.hpp"

namespace juggle::cli {
namespace {

int resolve_on_rank0(const ResolveCliOptions& o, Io io) {
  pipeline::RunContext run;
  if (const int status = pipeline::begin_run("resolve", o.output, 1, {}, io.err, run); status != kExitOk) return status;
  if (run.world.rank != 0) return kExitOk;
  pipeline::ResolveSettings settings;
  settings.hosts = o.hosts;
  settings.hosts_file = o.hosts_file;
  settings.concurrent = o.mode == "concurrent";
  settings.concurrency = o.concurrency;
  const std::optional<pipeline::ResolveOutcome> looked_up =
      pipeline::resolve_stage(settings, run.clock, io.err, [&](const fetch::Lookup& l) {
        if (!l.error.empty()) {
          io.err << "juggle: " << l.host << ": " << l.error << '\n';
          return;
        }
        io.out << l.host << " ->";
        for (const std::string& a : l.addresses) io.out << ' ' << a;
        io.out << " (" << fixed(1000 * (l.t_end - l.t_start), 2) << " ms)\n";
      });
  if (!looked_up) return kExitUsage;
  const pipeline::ResolveOutcome& outcome = *looked_up;
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
