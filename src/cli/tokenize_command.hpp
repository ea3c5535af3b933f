// `juggle tokenize`: exact word frequencies across MPI ranks x OpenMP threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "cli/run_context.hpp"
#include "files/walk.hpp"
#include "pipeline/tokenize_work.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct TokenizeCliOptions {
  std::vector<std::string> paths;
  std::vector<std::string> include{"*.txt", "*.gz"};
  int threads = 0;
  std::size_t top = 20;
  std::string chunk_size = "32MiB";  // plain files larger than this are split into ranges
  bool no_fold = false;
  bool ascii = false;
  bool strict = false;  // the first failing input stops the whole job (exit 4)
  std::string csv;                // also write the word list as CSV here
  std::uint64_t vocab_limit = 0;  // words stored in the results/CSV: 0 = all
  std::string inflate = "auto";
  OutputOptions output;
  std::vector<std::string> command_line;
};

CLI::App* setup_tokenize(CLI::App& app, TokenizeCliOptions& options);
int run_tokenize(const TokenizeCliOptions& options, Io io = {});

// The tokenize stage inside a begun run (collective); rank 0 gets the report.
StageReport tokenize_stage(const TokenizeCliOptions& options, RunContext& run, Io io);

// The tokenize stage after its pieces were processed (collective): merges
// `work`'s maps, shards the vocabulary, gathers records and events from
// `log` to rank 0, which puts them in input order (`inputs`; a record's
// file id is its position, or position_of_file[id] when that is not empty),
// prints and reports.
StageReport finish_tokenize(const TokenizeCliOptions& options, RunContext& run, Io io,
                            const std::vector<files::InputFile>& inputs, pipeline::TokenizeWork& work,
                            results::EventLog& log, double stage_start,
                            const std::vector<std::int64_t>& position_of_file);

}  // namespace juggle::cli
