// `juggle resolve` runs on rank 0 only: lookups are IO-bound, not parallel work.
#include "cli/resolve_command.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/units.hpp"
#include "fetch/resolver.hpp"

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
  RunContext run;
  if (const int status = begin_run("resolve", o.output, 1, {}, io, run); status != kExitOk) return status;
  if (run.world.rank != 0) return kExitOk;
  bool ok = true;
  const std::vector<std::string> hosts = read_hosts(o, io, ok);
  if (!ok) return kExitUsage;
  const bool concurrent = o.mode == "concurrent";
  const double t0 = run.clock.now();
  const auto lookups = fetch::resolve_all(hosts, concurrent, o.concurrency, run.clock, [&](const fetch::Lookup& l) {
    if (!l.error.empty()) {
      io.err << "juggle: " << l.host << ": " << l.error << '\n';
      return;
    }
    io.out << l.host << " ->";
    for (const std::string& a : l.addresses) io.out << ' ' << a;
    io.out << " (" << fixed(1000 * (l.t_end - l.t_start), 2) << " ms)\n";
  });
  const double wall = run.clock.now() - t0;
  std::uint64_t failed = 0;
  for (const auto& l : lookups) failed += l.error.empty() ? 0 : 1;
  io.out << "resolve: " << lookups.size() << " hosts, " << failed << " failed, " << fixed(1000 * wall, 2)
         << " ms (mode " << o.mode << (concurrent ? ", concurrency " + std::to_string(o.concurrency) : "") << ")\n";
  return finish_with_results(failed > 0 ? kExitSomeFailed : kExitOk, o.output, run, io, [&] {
    using results::Column;
    using results::column_of;
    results::ResultsContent c;
    c.steps = {"resolve"};
    c.root = results::run_attributes(run_facts(run, o.command_line));
    c.root.emplace_back("resolve_mode", o.mode);
    c.ranks.push_back({run.me.rank, run.me.hostname, run.me.wtime_offset});
    for (const auto& l : lookups)
      c.events.push_back({0, l.worker, static_cast<std::int32_t>(results::Stage::resolve_host), 0, l.t_start, l.t_end,
                          0, l.addresses.size()});
    const auto joined = [](const fetch::Lookup& l) {
      std::string s;
      for (const std::string& a : l.addresses) s += (s.empty() ? "" : " ") + a;
      return s;
    };
    c.tables.push_back(
        {"resolve/hosts",
         {{"host", Column(column_of<std::string>(lookups, [](const fetch::Lookup& l) { return l.host; }))},
          {"addresses", Column(column_of<std::string>(lookups, joined))},
          {"seconds", Column(column_of<double>(lookups, [](const fetch::Lookup& l) { return l.t_end - l.t_start; }))},
          {"error", Column(column_of<std::string>(lookups, [](const fetch::Lookup& l) { return l.error; }))}}});
    c.attribute_groups.push_back(
        {"resolve/total", {{"hosts", std::uint64_t{lookups.size()}}, {"failed", failed}, {"wall_seconds", wall}}});
    return c;
  });
}

}  // namespace

CLI::App* setup_resolve(CLI::App& app, ResolveCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("resolve", "Look up host names, one after another or concurrently");
  cmd->footer("Exit status: 0 all names resolved, 1 some did not (each named on stderr), 2 usage error.");
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
  return run_on_all_ranks([&] { return resolve_on_rank0(options, io); });
}

}  // namespace juggle::cli
