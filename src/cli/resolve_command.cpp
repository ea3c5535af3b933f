// `juggle resolve` looks names up on rank 0 only: lookups are IO-bound, not
// parallel work. Every rank takes part in writing the results file.
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

pipeline::ResolveSettings resolve_settings(const ResolveCliOptions& o) {
  pipeline::ResolveSettings settings;
  settings.hosts = o.hosts;
  settings.hosts_file = o.hosts_file;
  settings.concurrent = o.mode == "concurrent";
  settings.concurrency = o.concurrency;
  return settings;
}

// Rank 0 looks the names up and prints them; the other ranks have nothing to
// report (they still take part in writing the results file).
pipeline::StageReport look_up_on_rank0(const pipeline::ResolveSettings& settings, const std::string& mode,
                                       pipeline::RunContext& run, Io io) {
  if (run.world.rank != 0) return {};
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
  if (!looked_up) {
    pipeline::StageReport nothing;
    nothing.status = kExitUsage;
    return nothing;
  }
  const pipeline::ResolveOutcome& outcome = *looked_up;
  io.out << "resolve: " << outcome.lookups.size() << " hosts, " << outcome.failed << " failed, "
         << fixed(1000 * outcome.wall_seconds, 2) << " ms (mode " << mode
         << (settings.concurrent ? ", concurrency " + std::to_string(settings.concurrency) : "") << ")\n";
  return pipeline::resolve_report(outcome, settings);
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
  return pipeline::run_on_all_ranks([&] {
    const pipeline::ResolveSettings settings = resolve_settings(options);
    return run_one_stage("resolve", options.output, 1, {}, options.command_line, io,
                         [&](pipeline::RunContext& run) { return look_up_on_rank0(settings, options.mode, run, io); });
  });
}

}  // namespace juggle::cli
