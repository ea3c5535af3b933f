// What every parallel command does around its own work, in one place: rank
// 0 checks the output targets before any work and every rank learns the
// verdict; all ranks start their clocks after one barrier (the common epoch
// of the timeline); rank busy times are summarised the same way; a run's
// stage parts become one results file, written under a temporary name and
// published. Settings are plain structs: nothing here knows the command line.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "files/interrupt.hpp"
#include "parallel/mpi_session.hpp"
#include "parallel/traffic.hpp"
#include "pipeline/exit_status.hpp"
#include "pipeline/stage_progress.hpp"
#include "pipeline/vocabulary_order.hpp"
#include "results/results_file.hpp"
#include "results/run_metadata.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

// Where a run's results file goes.
struct OutputSettings {
  std::string output;  // empty: results/<subcommand>-<UTC>.h5
  bool no_output = false;
  bool force = false;  // replace existing output files
};

// One rank's facts as they cross ranks (trivially copyable).
struct RankSummary {
  std::int32_t rank = 0;
  double wtime_offset = 0;  // MPI_Wtime() at the epoch
  double busy_seconds = 0;  // the rank's main loop, first start to last end
  char hostname[256] = {};
  // As of note_rank_resources (just before the summaries are gathered):
  std::uint64_t peak_rss_kb = 0;  // getrusage's ru_maxrss of this process
  parallel::Traffic sent;         // what it handed to MPI to send (parallel/traffic.hpp)
};

// Fills `me`'s peak memory and MPI traffic so far.
void note_rank_resources(RankSummary& me);

// Collective: note_rank_resources(me), then every rank's summary at rank 0
// (by rank; empty elsewhere).
[[nodiscard]] std::vector<RankSummary> gather_rank_summaries(RankSummary& me);

// A rank's row of /ranks.
[[nodiscard]] results::RankRecord rank_record(const RankSummary& r);

struct RankStats {
  double slowest = 0;
  int slowest_rank = 0;
  double mean = 0;
  double imbalance = 0;  // max/mean - 1
};

[[nodiscard]] RankStats rank_stats(const std::vector<RankSummary>& ranks);

struct RunContext {
  std::string subcommand;
  parallel::WorldInfo world;
  int threads = 1;
  int min_cpus = 1;         // fewest CPUs any rank may run on (its affinity mask)
  std::string output_path;  // rank 0, when writing
  results::Clock clock;     // restarted at the epoch
  RankSummary me;
  // Counts the running stage's pieces for a progress line (engine.hpp),
  // when the command shows one; set on every rank or on none.
  StageProgress* progress = nullptr;
  // The events this rank recorded in stages that run on every rank, under
  // their step's name (keep_events): each rank writes its own rows of
  // /events (publish_results), so none gathers them.
  std::vector<std::pair<std::string, std::vector<results::Event>>> events;
};

// Adds `events` to this rank's rows of /events, in the step named `step`
// (one of the steps its stage reports).
void keep_events(RunContext& context, const std::string& step, std::vector<results::Event> events);

// Collective. `threads` 0 means OpenMP's default. Returns kExitOk, or
// kExitOutput (on every rank) when rank 0 cannot use the output target or
// one of `extra_targets` (e.g. a CSV file), after naming it on `err`.
int begin_run(const std::string& subcommand, const OutputSettings& output, int threads,
              const std::vector<std::string>& extra_targets, std::ostream& err, RunContext& context);

// The warning for more threads per rank than a rank may use (mpirun binds
// each rank to one core when it starts 2 or fewer ranks, which silently
// serialises --threads), or "": for the command to print unless quiet.
[[nodiscard]] std::string binding_warning(const RunContext& context);

[[nodiscard]] results::RunFacts run_facts(const RunContext& context, const std::vector<std::string>& command_line);

// A stored vocabulary as every rank holds it: its own rows, and the word
// of the row before them.
struct RankVocabulary {
  VocabularyRows rows;
  std::string before;
};

// Collective. Writes the results file and publishes it: rank 0 writes
// `content` (ignored elsewhere), then every rank its rows of /events (its
// `context.events`, and on rank 0 `content.events` too), of `vocabulary`
// (given on every rank or on none) and of the per-file tables `file_rows`
// (the same tables on every rank, each rank's rows: results/spread_table.hpp).
// Returns the published name on every rank, or "" on every rank after
// rank 0 named the file and the reason on `err`.
[[nodiscard]] std::string publish_results(results::ResultsContent content, const RankVocabulary* vocabulary,
                                          const std::vector<results::Table>& file_rows, const RunContext& context,
                                          const OutputSettings& output, std::ostream& err);

// The exit status rank 0 decided, on every rank.
[[nodiscard]] int agree_on_status(int status);

// What one stage hands back on rank 0: its exit status and its part of the
// results file (its tables, attribute groups, ranks, root attributes of its
// own such as the decoder used, and the events of a stage run by rank 0
// alone: fetch, resolve); and on every rank, its rows of a stored vocabulary
// (tokenize) and of its per-file tables (file_homes.hpp). Stages on every
// rank keep their events in the RunContext.
struct StageReport {
  int status = kExitOk;
  results::ResultsContent content;
  std::optional<RankVocabulary> vocabulary;
  std::vector<results::Table> file_rows;  // the same tables on every rank, each rank's rows
};

// Every report's file_rows, in order.
[[nodiscard]] std::vector<results::Table> file_rows_of(const std::vector<StageReport>& stages);

// A results file from stage parts, in order, under the run's metadata.
[[nodiscard]] results::ResultsContent combine_results(const RunContext& run,
                                                      const std::vector<std::string>& command_line,
                                                      const std::vector<StageReport>& stages);

// The status a run of several stages ends with: the first that is not ok.
[[nodiscard]] int combined_status(const std::vector<StageReport>& stages);

// Runs `body` on every rank with MPI initialised. An exception on any rank
// removes the temporaries it knows (a results file's, which every rank
// registers) and aborts the whole job with its reason (the other ranks
// would otherwise wait in a collective forever); every rank returns rank
// 0's exit status, so mpirun reports one.
template <class Body>
int run_on_all_ranks(Body&& body) {
  parallel::ensure_mpi_initialized();
  int status = kExitInternal;
  try {
    status = body();
  } catch (...) {
    files::remove_registered_temporaries();  // the other ranks may be killed before they can
    parallel::abort_job_for(__FILE__, __LINE__, std::current_exception(), kExitInternal);
  }
  return agree_on_status(status);
}

}  // namespace juggle::pipeline
