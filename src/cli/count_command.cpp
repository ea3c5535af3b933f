#include "cli/count_command.hpp"

#include <CLI/CLI.hpp>

#include "cli/count_report.hpp"
#include "cli/exit_footer.hpp"
#include "cli/progress_line.hpp"
#include "cli/stage_command.hpp"
#include "cli/stage_summary.hpp"
#include "cli/units.hpp"

namespace juggle::cli {

CLI::App* setup_count(CLI::App& app, CountOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("count", "Count lines of gzip files, as `zcat FILE | wc -l` does for gzip members");
  cmd->footer(
      "A line is a '\\n' byte of the decompressed stream; every member of a multi-member file is counted and\n"
      "verified (CRC-32, length), so the count equals `zcat FILE | wc -l` for files made of gzip members. juggle\n"
      "decodes gzip (deflate) members only: gzip also decodes old compress (.Z), pack and LZH data found after a\n"
      "member, which juggle reports as trailing data instead (a warning; the members before it are counted).\n"
      "An input - is standard input, read as one stream by rank 0 (under mpirun only rank 0 has it; the other\n"
      "ranks count the files). With --files-from the names in a list are inputs too (- reads the list from\n"
      "standard input). A progress line goes to stderr when it is a terminal or with --progress (not with -q).\n"
      "Each file goes to whichever rank and OpenMP thread asks next as soon as the walk finds it (the largest\n"
      "waiting file first); results are identical for any ranks x threads.\n"
      "A BGZF file (bgzip, htslib) of at least two --split-bytes ranges is cut at member boundaries, read from\n"
      "its headers, and its ranges are counted in parallel and joined in order (the count/files column\n"
      "`pieces` says how many). Any other gzip file of at least two chunks is cut, when the stage has more than\n"
      "one thread, into chunks of its deflate stream: one thread decodes from the front, the others take chunks\n"
      "from the back without knowing the 32 KiB before them, and the chunks are joined in order, CRC-32 and\n"
      "length checked (bytes after the first member are counted after it, sequentially). A file whose pieces do\n"
      "not join cleanly is counted again whole, so a damaged file gets the same verdict and partial count as\n"
      "without the cut.\n"
      "A file that is not gzip, truncated, corrupt or unreadable is reported on stderr and in the results file;\n"
      "the others are still counted, and totals cover the files that decoded completely.\n"
      "With --strict the first file that fails stops the whole job instead: the rank that meets it names\n"
      "itself, its host, the file and the reason, and aborts every rank (exit 4, no results file).\n" +
      exit_status_footer(
          {.ok = "all files counted", .some_failed = "some files failed", .output = "results file not written"}));
  add_input_options(*cmd, o.inputs, "gzip files and directories");
  cmd->add_option("--include", o.include,
                  "file-name pattern for files found in directories (repeatable; '*' takes all)")
      ->capture_default_str();
  add_present_options(*cmd, o.present, "LINES PATH");
  add_threads_option(*cmd, o.threads, "OpenMP threads per rank (default: OMP_NUM_THREADS, else all cores)");
  add_strict_flag(*cmd, o.strict);
  add_inflate_option(*cmd, o.inflate);
  add_split_options(*cmd, o.split, true);
  add_output_options(*cmd, o.output, "count");
  return cmd;
}

pipeline::CountSettings count_settings(const CountOptions& o) {
  pipeline::CountSettings s{
      o.inputs.paths, o.include, o.strict, gzip::parse_backend(o.inflate).value_or(gzip::default_backend()), {}};
  s.split = member_split(o.split);
  s.list_files = o.present.per_file;
  return s;
}

int run_count(const CountOptions& options, Io io) {
  return pipeline::run_on_all_ranks([&] {
    CountOptions o = options;
    if (const int status = take_listed_inputs(o.inputs, io.err); status != kExitOk) return status;
    const pipeline::CountSettings settings = count_settings(o);
    std::optional<JsonObject> json;
    std::string published;
    const int status = run_one_stage(
        "count", o.output, o.threads, {}, o.command_line, ending_io(io, o.present),
        [&](pipeline::RunContext& run) {
          const pipeline::CountOutcome outcome = run_with_progress(
              run, io, o.present.progress, "count", [&] { return pipeline::count_stage(settings, run); });
          return present_count(outcome, o.present, io, &json);
        },
        &published);
    if (json) print_json_summary(*json, published, io);
    return status;
  });
}

}  // namespace juggle::cli
