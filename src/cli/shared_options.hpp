// The options several subcommands share, each defined once and listed in
// one help group ("Run options"): the results file (bound to a
// pipeline::OutputSettings), --threads, --strict, --inflate, --split (bound to fields
// of a command's Options, which it turns into the stage's settings).
#pragma once

#include <string>

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

}  // namespace juggle::cli
