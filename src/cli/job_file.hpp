// Job files for `juggle run`: TOML whose sections name the stages and whose
// keys are the stages' command-line flags, so a job file and a command line
// can never mean different things:
//
//   [run]      threads = 2, output = "results/job.h5", no-output, force
//   [fetch]    urls = "inputs/gutenberg.urls", out = "inputs/texts", mode = "multi", ...
//   [count]    paths = ["inputs/logs"], include = ["*.gz"], ...
//   [tokenize] paths = [...], top = 20, csv = "words.csv", ...
//
// Each section becomes the argument list of its subcommand (`paths` are the
// positional arguments; true booleans become bare flags; arrays repeat the
// flag), parsed by the same CLI11 setup as the subcommand itself.
// `--set section.key=value` on the command line overrides the file.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace juggle::cli {

struct JobFile {
  // section -> (key, value) in file order; arrays give one entry per element,
  // booleans "true"/"false".
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> entries;
};

// A section's entries as argument tokens for its subcommand (no program name).
[[nodiscard]] std::vector<std::string> section_args(const std::vector<std::pair<std::string, std::string>>& entries);

// Throws std::runtime_error "FILE:LINE:COLUMN: reason" for a malformed file, a
// section or value of the wrong kind.
[[nodiscard]] JobFile read_job_file(const std::string& path);

// Applies "section.key=value": replaces every entry of that key ("true" or
// "false" for flags). Throws std::runtime_error for a malformed override.
void apply_override(JobFile& job, const std::string& assignment);

}  // namespace juggle::cli
