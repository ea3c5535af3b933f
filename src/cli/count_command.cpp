#include "cli/count_command.hpp"
#include "cli/strict.hpp"

#include <CLI/CLI.hpp>


namespace juggle::cli {

CLI::App* setup_count(CLI::App& app, CountOptions& o) {
  CLI::App* cmd = app.add_subcommand("count", "Count lines of gzip files, as `zcat FILE | wc -l` does");
  cmd->footer(
      "A line is a '\\n' byte of the decompressed stream; every member of a multi-member file is counted and\n"
      "verified (CRC-32, length). Files are split across MPI ranks by compressed size (longest first), and\n"
      "across OpenMP threads inside a rank; results are identical for any ranks x threads.\n"
      "A file that is not gzip, truncated, corrupt or unreadable is reported on stderr and in the results file;\n"
      "the others are still counted, and totals cover the files that decoded completely.\n"
      "With --strict the first file that fails stops the whole job instead: the rank that meets it names\n"
      "itself, its host, the file and the reason, and aborts every rank (exit 4, no results file).\n"
      "Exit status: 0 all files counted, 1 some files failed, 2 usage error, 3 results file not written,\n"
      "4 a rank failed (--strict, out of memory, internal error), 128+N interrupted by signal N.");
  cmd->add_option("paths", o.paths, "gzip files and directories (walked recursively)")->required();
  cmd->add_option("--include", o.include,
                  "file-name pattern for files found in directories (repeatable; '*' takes all)")
      ->capture_default_str();
  add_threads_option(*cmd, o.threads, "OpenMP threads per rank (default: OMP_NUM_THREADS, else all cores)");
  cmd->add_flag("--per-file", o.per_file, "print 'LINES PATH' for every file, in input order");
  add_strict_flag(*cmd, o.strict);
  add_inflate_option(*cmd, o.inflate);
  add_output_options(*cmd, o.output, "count");
  return cmd;
}

}  // namespace juggle::cli
