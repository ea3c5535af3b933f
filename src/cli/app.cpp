#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <functional>
#include <sstream>
#include <utility>

#include "build_info.hpp"
#include "cli/count_command.hpp"
#include "cli/exit_footer.hpp"
#include "cli/fetch_command.hpp"
#include "cli/gen_command.hpp"
#include "cli/report_command.hpp"
#include "cli/resolve_command.hpp"
#include "cli/run_command.hpp"
#include "cli/shared_options.hpp"
#include "cli/tokenize_command.hpp"
#include "parallel/launcher.hpp"
#include "pipeline/exit_status.hpp"

namespace juggle::cli {

int run_cli(const std::vector<std::string>& argv, Io io) {
  CLI::App app{"juggle: batch text stages across MPI ranks x OpenMP threads, every stage timed into HDF5", "juggle"};
  app.footer(exit_status_footer({.ok = "success",
                                 .some_failed = "some inputs failed (named on stderr; the rest processed and kept)",
                                 .usage = "usage error",
                                 .output = "an output file could not be written",
                                 .internal = "internal error or failing rank",
                                 .interrupted = "interrupted by signal N (temporaries removed, no partial file under "
                                                "a final name)"}) +
             "\nRun under MPI as: mpirun -np 4 juggle count --threads 2 DIR");
  app.set_version_flag("--version",
                       std::string("juggle ") + build_info::tool_version + " (" + build_info::git_sha + ")");
  app.require_subcommand(1);
  CountOptions count;
  GenOptions gen;
  TokenizeCliOptions tokenize;
  FetchCliOptions fetch;
  ResolveCliOptions resolve;
  RunCliOptions job;
  ReportCliOptions report;
  // Each subcommand with what runs it; commands that write results files
  // record the command line. Count and tokenize decide themselves what -q
  // leaves on stdout (what --per-file and --summary json ask for); the
  // others print nothing there when quiet.
  struct Command {
    CLI::App* app;
    std::function<int(Io)> run;
    bool quiet_itself = false;
  };
  const std::vector<Command> commands = {
      {setup_count(app, count), [&](Io c) { return count.command_line = argv, run_count(count, c); }, true},
      {setup_tokenize(app, tokenize), [&](Io c) { return tokenize.command_line = argv, run_tokenize(tokenize, c); },
       true},
      {setup_fetch(app, fetch), [&](Io c) { return fetch.command_line = argv, run_fetch(fetch, c); }},
      {setup_resolve(app, resolve), [&](Io c) { return resolve.command_line = argv, run_resolve(resolve, c); }},
      {setup_run(app, job), [&](Io c) { return job.command_line = argv, run_job(job, c); }},
      {setup_report(app, report), [&](Io c) { return run_report(report, c); }},
      {setup_gen(app, gen), [&](Io c) { return run_gen(gen, c); }},
  };
  Verbosity verbosity = Verbosity::normal;
  for (const Command& c : commands) add_verbosity_flags(*c.app, verbosity);

  std::vector<std::string> reversed(argv.rbegin(), argv.rend());
  if (!reversed.empty()) reversed.pop_back();  // program name
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    const int code = app.exit(e, out, err);
    if (parallel::launcher_rank() == 0) {  // under mpirun every rank parses the same argv
      io.out << out.str();
      io.err << err.str();
    }
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const Command& c : commands) {
    if (!c.app->parsed()) continue;
    const bool discard_out = verbosity == Verbosity::quiet && !c.quiet_itself;
    return c.run({discard_out ? discarded() : io.out, io.err, verbosity});
  }
  return kExitUsage;
}

}  // namespace juggle::cli
