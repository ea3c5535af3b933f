#include "cli/gen_command.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>

#include "cli/shared_options.hpp"
#include "cli/units.hpp"
#include "gen/write_corpus.hpp"
#include "parallel/launcher.hpp"
#include "pipeline/exit_status.hpp"

namespace juggle::cli {

CLI::App* setup_gen(CLI::App& app, GenOptions& o) {
  CLI::App* cmd = app.add_subcommand("gen", "Write a deterministic synthetic text corpus (.gz and/or .txt)");
  cmd->footer(
      "Text with a Zipf-distributed vocabulary (some UTF-8 words, curly quotes, dashes), blank, short and very\n"
      "long lines; file sizes vary around SIZE/FILES; a quarter of the .gz files have 2-4 members split\n"
      "mid-line; one file in eight lacks a final newline; with 6+ files one is empty. The same seed gives the\n"
      "same bytes on every run and thread count. Writes MANIFEST.tsv (expected lines per file) and prints\n"
      "'expected_lines N'. It uses OpenMP threads; under mpirun only the first rank writes.");
  cmd->add_option("--out,-o", o.out, "output directory")->capture_default_str();
  cmd->add_option("--files,-n", o.files, "number of files")->check(CLI::Range(1, 10000000))->capture_default_str();
  cmd->add_option("--size,-s", o.size, "total uncompressed text, e.g. 8MiB, 1GiB, 500MB")
      ->check([](const std::string& v) { return parse_size(v) ? std::string() : "not a size: " + v; })
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "random seed")->capture_default_str();
  cmd->add_option("--level", o.level, "gzip compression level")->check(CLI::Range(1, 9))->capture_default_str();
  cmd->add_option("--format", o.format, "gz, txt or both")
      ->check(CLI::IsMember({"gz", "txt", "both"}))
      ->capture_default_str();
  add_threads_option(*cmd, o.threads, "threads (default: OMP_NUM_THREADS, else all cores)");
  return cmd;
}

int run_gen(const GenOptions& o, Io io) {
  // Every rank would write the same bytes: under mpirun the first one does.
  if (parallel::launcher_rank() != 0) return kExitOk;
  gen::CorpusSpec spec;
  spec.files = o.files;
  spec.total_bytes = parse_size(o.size).value_or(0);
  spec.seed = o.seed;
  spec.level = o.level;
  spec.write_gz = o.format != "txt";
  spec.write_txt = o.format != "gz";
  const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
  try {
    const gen::CorpusSummary s = gen::write_corpus(spec, o.out, threads);
    io.out << "gen: " << s.files.size() << " files in " << o.out << ", " << binary_size(s.text_bytes) << " of text";
    if (spec.write_gz) io.out << ", " << binary_size(s.gz_bytes) << " gzip (level " << o.level << ")";
    io.out << ", seed " << o.seed << '\n';
    io.out << "expected_lines " << s.lines << '\n';
  } catch (const std::exception& e) {
    io.err << "juggle: " << e.what() << '\n';
    return kExitOutput;
  }
  return kExitOk;
}

}  // namespace juggle::cli
