// A job: the stages of its file inside one run (one epoch, one results
// file), run as one pipeline (pipeline/job_pipeline.hpp): files count and tokenize
// while downloads land.
#include "cli/run_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>

#include "cli/count_command.hpp"
#include "cli/count_report.hpp"
#include "cli/exit_footer.hpp"
#include "cli/fetch_command.hpp"
#include "cli/fetch_report.hpp"
#include "cli/job_file.hpp"
#include "cli/stage_command.hpp"
#include "cli/tokenize_command.hpp"
#include "cli/tokenize_report.hpp"
#include "files/name_list.hpp"
#include "parallel/launcher.hpp"
#include "pipeline/job_pipeline.hpp"

namespace juggle::cli {
namespace {

struct RunSection {
  int threads = 0;
  OutputOptions output;
};

struct Job {
  RunSection run;
  bool has_fetch = false, has_count = false, has_tokenize = false;
  FetchCliOptions fetch;
  CountOptions count;
  TokenizeCliOptions tokenize;
};

// Parses one section's arguments with the subcommand's own CLI11 setup.
template <class Options, class Setup>
void parse_section(const std::string& job, const std::string& name, std::vector<std::string> args, Options& options,
                   Setup setup) {
  CLI::App app{"job section"};
  CLI::App* cmd = setup(app, options);
  // A key that is no flag of the stage, named as the user wrote it (CLI11
  // would list the whole leftover argument list).
  for (const std::string& arg : args) {
    if (arg == "--") break;
    const std::string key = arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
    if (!cmd->get_option_no_throw("--" + key) || key == "help")
      throw std::runtime_error(job + ": [" + name + "]: unknown key '" + key + "' (the keys are the flags of `juggle " +
                               cmd->get_name() + "`, see --help)");
  }
  // In a job, paths may come from the fetch stage instead.
  if (CLI::Option* paths = cmd->get_option_no_throw("paths")) paths->required(false);
  args.insert(args.begin(), cmd->get_name());
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    throw std::runtime_error(job + ": [" + name + "]: " + e.what());
  }
}

CLI::App* setup_run_section(CLI::App& app, RunSection& r) {
  CLI::App* cmd = app.add_subcommand("run", "");
  add_threads_option(*cmd, r.threads, "", "--threads");
  // Keys of the job file, not the command line: an override replaces the
  // file's value, so output and no-output do not exclude each other here.
  cmd->add_option("--output", r.output.output);
  cmd->add_flag("--no-output", r.output.no_output);
  cmd->add_flag("--force", r.output.force);
  return cmd;
}

// A job reads a file once for two stages and prints every stage's summary:
// standard input and a JSON summary are for count and tokenize run alone.
void refuse_stand_alone_keys(const std::string& job, const std::string& name, const InputOptions& inputs,
                             const PresentOptions& present) {
  const auto stdin_named = std::count(inputs.paths.begin(), inputs.paths.end(), files::kStandardInputName) > 0 ||
                           inputs.files_from == files::kStandardInputName;
  if (stdin_named)
    throw std::runtime_error(job + ": [" + name + "]: standard input (-) is read by `juggle " + name +
                             "` alone, not in a job");
  if (present.json())
    throw std::runtime_error(job + ": [" + name + "]: summary = \"json\" is for `juggle " + name +
                             "` alone (a job prints every stage's summary as text)");
}

Job load_job(const RunCliOptions& o) {
  JobFile file = read_job_file(o.job);
  for (const std::string& s : o.sets) apply_override(file, s);
  if (o.threads > 0) apply_override(file, "run.threads=" + std::to_string(o.threads));
  if (!o.output.output.empty()) apply_override(file, "run.output=" + o.output.output);
  if (o.output.no_output) apply_override(file, "run.no-output=true");
  if (o.output.force) apply_override(file, "run.force=true");
  Job job;
  for (const auto& [section, entries] : file.entries) {
    if (section == "run") {
      parse_section(o.job, section, section_args(entries), job.run, setup_run_section);
    } else if (section != "fetch" && section != "count" && section != "tokenize") {
      throw std::runtime_error(o.job + ": unknown section [" + section + "] (run, fetch, count, tokenize)");
    }
  }
  // Stage threads default to [run] threads unless the stage sets its own.
  const auto with_threads = [&](std::vector<std::pair<std::string, std::string>> entries) {
    const bool own = std::any_of(entries.begin(), entries.end(), [](const auto& e) { return e.first == "threads"; });
    if (!own && job.run.threads > 0) entries.emplace_back("threads", std::to_string(job.run.threads));
    return section_args(entries);
  };
  if (const auto it = file.entries.find("fetch"); it != file.entries.end()) {
    job.has_fetch = true;
    parse_section(o.job, "fetch", section_args(it->second), job.fetch, setup_fetch);
  }
  if (const auto it = file.entries.find("count"); it != file.entries.end()) {
    job.has_count = true;
    parse_section(o.job, "count", with_threads(it->second), job.count, setup_count);
  }
  if (const auto it = file.entries.find("tokenize"); it != file.entries.end()) {
    job.has_tokenize = true;
    parse_section(o.job, "tokenize", with_threads(it->second), job.tokenize, setup_tokenize);
  }
  refuse_stand_alone_keys(o.job, "count", job.count.inputs, job.count.present);
  refuse_stand_alone_keys(o.job, "tokenize", job.tokenize.inputs, job.tokenize.present);
  return job;
}

}  // namespace

void check_job(const RunCliOptions& options) { (void)load_job(options); }

namespace {

int run_all_ranks(const RunCliOptions& o, Io io) {
  Job job;
  try {
    job = load_job(o);
  } catch (const std::exception& e) {
    if (parallel::launcher_rank() == 0) io.err << "juggle: " << e.what() << '\n';
    return kExitUsage;
  }
  for (InputOptions* inputs : {&job.count.inputs, &job.tokenize.inputs})
    if (const int status = take_listed_inputs(*inputs, io.err, false); status != kExitOk) return status;
  std::vector<std::string> extra_targets;
  if (job.has_tokenize && !job.tokenize.csv.empty()) extra_targets.push_back(job.tokenize.csv);
  pipeline::RunContext run;
  if (const int status = pipeline::begin_run("run", job.run.output, job.run.threads, extra_targets, io.err, run);
      status != kExitOk)
    return status;
  warn_about_binding(run, io);
  const pipeline::FetchSettings fetch = fetch_settings(job.fetch);
  const pipeline::CountSettings count = count_settings(job.count);
  const pipeline::TokenizeSettings tokenize = tokenize_settings(job.tokenize);
  pipeline::JobStages stages;
  if (job.has_fetch) stages.fetch = &fetch;
  if (job.has_count) stages.count = &count;
  if (job.has_tokenize) stages.tokenize = &tokenize;
  pipeline::FetchObserver silent;
  std::optional<FetchPrinter> printer;
  if (run.world.rank == 0 && job.has_fetch) printer.emplace(io, job.fetch.mode, job.fetch.concurrency);
  pipeline::JobOutcome outcome = pipeline::run_job_pipeline(
      stages, run, io.err, printer ? static_cast<pipeline::FetchObserver&>(*printer) : silent);
  if (outcome.status != kExitOk) return outcome.status;
  const bool root = run.world.rank == 0;
  std::vector<pipeline::StageReport> reports;
  if (outcome.fetch) reports.push_back(std::move(*outcome.fetch));
  reports.push_back(std::move(outcome.engine));
  if (outcome.count) {
    if (root) io.out << '\n';
    reports.push_back(present_count(*outcome.count, job.count.present, io));
  }
  if (outcome.tokenize) {
    if (root) io.out << '\n';
    // The CSV is one of the run's outputs: [run]'s force decides, as when its target was checked.
    reports.push_back(present_tokenize(std::move(*outcome.tokenize), run, job.tokenize, job.run.output.force, io));
  }
  const int status =
      finish_with_results(pipeline::combined_status(reports), job.run.output, run, io, o.command_line, reports);
  return root ? status : kExitOk;
}

}  // namespace

CLI::App* setup_run(CLI::App& app, RunCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("run", "Run a job file: fetch -> count -> tokenize, one results file");
  cmd->footer(
      "The job file is TOML: sections [run], [fetch], [count], [tokenize] whose keys are the flags of\n"
      "those subcommands (paths = [...] for the positional arguments; true for a bare flag). [run] takes\n"
      "threads, output, no-output and force. Each file that lands is counted (.gz) or tokenized (the others) at once,\n"
      "while other downloads go on; a gzip file both stages take is decompressed once.\n"
      "--set SECTION.KEY=VALUE overrides the file. See inputs/demo.toml and inputs/gutenberg.toml.\n" +
      exit_status_footer({.ok = "all stages succeeded",
                          .some_failed = "some inputs failed",
                          .usage = "usage or job file error",
                          .internal = "a rank failed (strict = true, out of memory, internal error)"}));
  cmd->add_option("job", o.job, "job file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--set", o.sets, "override a job file key: section.key=value (repeatable)");
  add_threads_option(*cmd, o.threads, "threads per rank for count and tokenize (overrides [run] threads)");
  add_output_options(*cmd, o.output, "run");
  return cmd;
}

int run_job(const RunCliOptions& options, Io io) {
  return pipeline::run_on_all_ranks([&] { return run_all_ranks(options, io); });
}

}  // namespace juggle::cli
