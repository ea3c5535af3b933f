#include "cli/shared_options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <stdexcept>

#include "cli/units.hpp"
#include "files/name_list.hpp"
#include "gzip/inflater.hpp"
#include "parallel/launcher.hpp"
#include "pipeline/run_lifecycle.hpp"

namespace juggle::cli {
namespace {

constexpr const char* kGroup = "Run options";

// The command's one group of shared options, made by the first option put in it.
CLI::App& shared_group(CLI::App& command) {
  for (CLI::App* sub : command.get_subcommands([](const CLI::App* s) { return s->get_name().empty(); }))
    if (sub->get_group() == kGroup) return *sub;
  return *command.add_option_group(kGroup);
}

}  // namespace

void add_results_file_options(CLI::App& command, std::string& output, bool& no_output, const std::string& subcommand) {
  CLI::App& group = shared_group(command);
  CLI::Option* named =
      group.add_option("--output,-o", output, "results file (default: results/" + subcommand + "-<UTC time>.h5)");
  group.add_flag("--no-output", no_output, "do not write a results file")->excludes(named);
}

void add_output_options(CLI::App& command, OutputOptions& o, const std::string& subcommand) {
  add_results_file_options(command, o.output, o.no_output, subcommand);
  shared_group(command).add_flag("--force", o.force, "replace existing output files");
}

void add_threads_option(CLI::App& command, int& threads, const std::string& help, const std::string& names) {
  // A range, not NonNegativeNumber: its message for "two" quoted DBL_MAX.
  shared_group(command).add_option(names, threads, help)->check(CLI::Range(0, 4096));
}

void add_strict_flag(CLI::App& command, bool& strict) {
  shared_group(command).add_flag("--strict", strict,
                                 "stop the whole job at the first input that fails (exit 4, no results file)");
}

void add_inflate_option(CLI::App& command, std::string& inflate) {
  shared_group(command)
      .add_option("--inflate", inflate, "gzip decoder: auto, isal or zlib")
      ->check(CLI::IsMember({"auto", "isal", "zlib"}))
      ->check([](const std::string& v) {
        const auto b = gzip::parse_backend(v);
        return b && gzip::backend_available(*b) ? std::string() : v + " is not built into this juggle";
      })
      ->capture_default_str();
}

void add_split_options(CLI::App& command, SplitOptions& split, bool bgzf_ranges) {
  const std::string what = bgzf_ranges ? "BGZF files into ranges of whole members, others into deflate chunks"
                                       : "into deflate chunks of their first member when the stage has 4 or more "
                                         "threads in all or one per rank, else read whole with the rank's other "
                                         "threads tokenizing blocks of the text";
  const std::string bgzf_bytes = bgzf_ranges ? "BGZF ranges of 4 MiB (they stream through each thread's buffers), " : "";
  shared_group(command)
      .add_option("--split", split.split,
                  "cut large gzip files into pieces read in parallel (" + what +
                      "): auto (files of at least two pieces; deflate chunks only with more than one thread in "
                      "all" + std::string(bgzf_ranges ? "" : ", and only with 4 or more or one per rank") +
                      "), always (any file of more than one piece), never (every file whole, read by one thread)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  shared_group(command)
      .add_option("--split-bytes", split.split_bytes,
                  "compressed bytes per piece of a cut file; auto: " + bgzf_bytes +
                      "deflate chunks of an eighth of a thread's share of the file, from 4 to 8 MiB (each thread "
                      "holds one chunk's compressed bytes plus about 1 MiB, at most the chunk size plus 7 MiB, while "
                      "it looks for the chunk's end; under --split auto, files of fewer than eight chunks per thread "
                      "or of 4096 chunks or more are not cut)")
      ->check([](const std::string& v) {
        const auto s = parse_size(v);
        return v == "auto" || (s && *s > 0) ? std::string() : "not a positive size or auto: " + v;
      })
      ->capture_default_str();
}

void add_input_options(CLI::App& command, InputOptions& in, const std::string& what) {
  CLI::Option* paths =
      command
          .add_option(
              "paths", in.paths,
              what + " (walked recursively; required unless --files-from); - reads standard input as one stream")
          ->required();
  CLI::App& group = shared_group(command);
  // Its callback runs before requirements are checked: a list stands in for the paths.
  CLI::Option* files_from =
      group
          .add_option("--files-from", in.files_from,
                      "also take the inputs named in FILE, one per line (- reads the list from standard input)")
          ->type_name("FILE")
          ->check(CLI::Validator([](std::string& v) { return v.empty() ? std::string("an empty FILE name") : ""; },
                                 "", "not empty"))
          ->each([paths](const std::string&) { paths->required(false); });
  group.add_flag("--null", in.null, "--files-from names are separated by NUL bytes (find -print0), not newlines")
      ->needs(files_from);
}

int take_listed_inputs(InputOptions& in, std::ostream& err, bool stdin_allowed) {
  int status = kExitOk;
  if (parallel::launcher_rank() == 0) {
    try {
      if (!in.files_from.empty()) {
        std::vector<std::string> listed;
        try {
          listed = files::read_name_list(in.files_from, in.null ? '\0' : '\n');
        } catch (const std::runtime_error& e) {
          throw std::runtime_error(std::string("--files-from ") + e.what());
        }
        in.paths.insert(in.paths.end(), std::make_move_iterator(listed.begin()), std::make_move_iterator(listed.end()));
      }
      const auto stdin_readers = std::count(in.paths.begin(), in.paths.end(), files::kStandardInputName) +
                                 (in.files_from == files::kStandardInputName ? 1 : 0);
      if (stdin_readers > 0 && !stdin_allowed)
        throw std::runtime_error(in.files_from + ": lists - (standard input), which a job does not read");
      if (stdin_readers > 1)
        throw std::runtime_error(
            "-: standard input is named more than once (as an input or --files-from -); "
            "it can be read only once");
    } catch (const std::exception& e) {
      err << "juggle: " << e.what() << '\n';
      status = kExitUsage;
    }
  }
  return pipeline::agree_on_status(status);
}

void add_present_options(CLI::App& command, PresentOptions& present, const std::string& per_file_line) {
  CLI::App& group = shared_group(command);
  group.add_flag("--per-file", present.per_file,
                 "print '" + per_file_line +
                     "' for every input, in input order ('FAILED (REASON) PATH' for one that "
                     "failed)");
  group
      .add_option("--summary", present.summary,
                  "text, or json: the summary and the check: figures as one JSON object on stdout (the only thing "
                  "printed there unless --per-file)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  group.add_flag("--progress", present.progress,
                 "draw the progress line on stderr even when it is not a terminal (it is drawn by itself when "
                 "stderr, or that of the mpirun on rank 0's node, is one; not under srun); never with -q");
}

void add_verbosity_flags(CLI::App& command, Verbosity& verbosity) {
  CLI::App& group = shared_group(command);
  CLI::Option* quiet = group.add_flag_callback(
      "-q,--quiet", [&verbosity] { verbosity = Verbosity::quiet; },
      "print only errors (and on stdout only what --per-file or --summary json ask for); the exit status tells the "
      "rest");
  group
      .add_flag_callback(
          "-v,--verbose", [&verbosity] { verbosity = Verbosity::verbose; },
          "more detail (count, tokenize: each rank's host and busy time)")
      ->excludes(quiet);
}

pipeline::MemberSplit member_split(const SplitOptions& split) {
  pipeline::MemberSplit s;
  s.policy = pipeline::parse_split_policy(split.split).value_or(s.policy);
  if (const auto bytes = parse_size(split.split_bytes)) s.range_bytes = s.chunk_bytes = *bytes;
  return s;
}

}  // namespace juggle::cli
