// The options several subcommands share, each defined once and listed in
// one help group ("Run options"): the inputs (paths, --files-from, --null),
// the results file (bound to a pipeline::OutputSettings), --threads,
// --strict, --inflate, --split, --per-file, --summary, -q/-v (bound to
// fields of a command's Options, which it turns into the stage's settings).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "pipeline/input_pieces.hpp"
#include "pipeline/run_lifecycle.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

using OutputOptions = pipeline::OutputSettings;

// --output/-o, --no-output, --force.
void add_output_options(CLI::App& command, OutputOptions& options, const std::string& subcommand);

// --output/-o and --no-output alone (they exclude each other), for commands whose --force means more.
void add_results_file_options(CLI::App& command, std::string& output, bool& no_output, const std::string& subcommand);

// --threads/-t N (0..4096; 0 = OMP_NUM_THREADS, else all cores), worded by `help`.
void add_threads_option(CLI::App& command, int& threads, const std::string& help,
                        const std::string& names = "--threads,-t");

// --strict: the first input that fails stops the whole job (pipeline/input_failure.hpp says how).
void add_strict_flag(CLI::App& command, bool& strict);

// --inflate auto|isal|zlib, refusing a decoder this build lacks.
void add_inflate_option(CLI::App& command, std::string& inflate);

// How large gzip files are cut (pipeline::MemberSplit), as the user spells it.
struct SplitOptions {
  std::string split = "auto";        // --split auto|always|never
  std::string split_bytes = "auto";  // --split-bytes SIZE|auto
};
// --split and --split-bytes; `bgzf_ranges`: the command also cuts BGZF
// files into ranges of whole members (count).
void add_split_options(CLI::App& command, SplitOptions& split, bool bgzf_ranges);
// The engine's split settings for these options.
[[nodiscard]] pipeline::MemberSplit member_split(const SplitOptions& split);

// Where a data stage's inputs come from: paths as arguments, and names
// listed in a file (tar's and rsync's --files-from); "-" among the paths
// (or in the list) is standard input, read as one stream.
struct InputOptions {
  std::vector<std::string> paths;  // positional; the listed names are added after them
  std::string files_from;          // --files-from FILE ("-": standard input)
  bool null = false;               // --null: the list is NUL-separated
};
// The positional `paths` (worded by `what`; required unless --files-from
// is given), --files-from and --null.
void add_input_options(CLI::App& command, InputOptions& inputs, const std::string& what);
// Collective, with MPI up: rank 0 adds the names that --files-from lists to
// inputs.paths (the other ranks need none: rank 0 walks). Returns kExitOk,
// or kExitUsage on every rank after rank 0 named the list (or the repeated
// standard input, or `-` listed where `stdin_allowed` is false) and the
// reason on `err`.
[[nodiscard]] int take_listed_inputs(InputOptions& inputs, std::ostream& err, bool stdin_allowed = true);

// How a data stage's end is printed.
struct PresentOptions {
  bool per_file = false;         // --per-file: a line per input, in input order
  std::string summary = "text";  // --summary text|json
  bool progress = false;         // --progress: the progress line even where stderr is no terminal
  [[nodiscard]] bool json() const { return summary == "json"; }
};
// --per-file (its line worded by `per_file_line`, e.g. "LINES PATH"), --summary and --progress.
void add_present_options(CLI::App& command, PresentOptions& present, const std::string& per_file_line);

// -q/--quiet and -v/--verbose, for every subcommand (app.cpp adds them).
void add_verbosity_flags(CLI::App& command, Verbosity& verbosity);

}  // namespace juggle::cli
