#include "cli/fetch_command.hpp"

#include <CLI/CLI.hpp>

#include "cli/exit_footer.hpp"
#include "cli/fetch_report.hpp"
#include "cli/stage_command.hpp"
#include "cli/units.hpp"

namespace juggle::cli {

CLI::App* setup_fetch(CLI::App& app, FetchCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("fetch", "Download a list of URLs on rank 0 (libcurl)");
  cmd->footer(
      "The list has one URL per line, optionally followed by the expected SHA-256 and size; '#' comments.\n"
      "Files are named after the URL's last path segment (never decoded, restricted to [A-Za-z0-9._-], no\n"
      "hidden names; duplicates get -2, -3, ...), written to a temporary file in --out and renamed when\n"
      "complete and verified. A rerun skips files already there (and matching size/SHA-256 when given)\n"
      "unless --force. Only http and https, redirects included. 408, 429, 5xx and network errors are\n"
      "retried (Retry-After honoured, else exponential backoff with jitter) within --attempts and --deadline.\n" +
      exit_status_footer({.ok = "all URLs fetched or already there",
                          .some_failed = "some failed (the others kept)",
                          .internal = "internal error (out of memory)",
                          .interrupted = "interrupted by signal N (finished files kept, temporaries removed: a rerun "
                                         "fetches only what is missing)"}));
  cmd->add_option("--urls,-u", o.urls, "file of URLs, or - for stdin")->required();
  cmd->add_option("--out", o.out, "directory for the files")->capture_default_str();
  cmd->add_option("--mode", o.mode, "sequential, threads or multi")
      ->check(CLI::IsMember({"sequential", "threads", "multi"}))
      ->capture_default_str();
  cmd->add_option("--concurrency,-c", o.concurrency, "transfers at once (threads, multi)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  fetch::FetchPolicy& p = o.policy;
  cmd->add_option("--attempts", p.max_attempts, "attempts per URL")->check(CLI::Range(1, 100))->capture_default_str();
  cmd->add_option("--backoff", p.backoff_initial, "seconds before the second attempt (doubles each time)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--backoff-max", p.backoff_max, "longest wait between attempts, Retry-After included (s)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--deadline", p.deadline, "seconds for the whole stage")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--connect-timeout-ms", p.connect_timeout_ms, "connection timeout")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--low-speed-limit", p.low_speed_bytes, "drop a transfer slower than this (bytes/s) ...")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--low-speed-time", p.low_speed_seconds, "... for this many seconds")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--max-redirects", p.max_redirects, "redirects followed per URL")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--max-bytes", [&p](const std::string& v) { p.max_bytes = parse_size(v).value_or(p.max_bytes); },
         "largest body accepted, e.g. 100MiB (default 4GiB)")
      ->check([](const std::string& v) { return parse_size(v) ? std::string() : "not a size: " + v; });
  cmd->add_flag("--insecure", o.insecure, "do not verify TLS certificates");
  cmd->add_flag("--force", o.force, "fetch even files already complete (and replace existing results)");
  add_results_file_options(*cmd, o.output.output, o.output.no_output, "fetch");
  return cmd;
}

pipeline::FetchSettings fetch_settings(const FetchCliOptions& o) {
  pipeline::FetchSettings s;
  s.urls = o.urls;
  s.out = o.out;
  s.mode = fetch::parse_mode(o.mode).value_or(fetch::FetchMode::multi);
  s.concurrency = o.concurrency;
  s.policy = o.policy;
  s.policy.verify_tls = !o.insecure;
  s.force = o.force;
  return s;
}

int run_fetch(const FetchCliOptions& o, Io io) {
  return pipeline::run_on_all_ranks([&] {
    OutputOptions output = o.output;
    output.force = o.force;
    const pipeline::FetchSettings settings = fetch_settings(o);
    FetchPrinter printer(io, o.mode, o.concurrency);
    std::vector<std::string> fetched;
    return run_one_stage("fetch", output, 1, {}, o.command_line, io, [&](pipeline::RunContext& run) {
      return pipeline::fetch_stage(settings, run, io.err, printer, fetched);
    });
  });
}

}  // namespace juggle::cli
