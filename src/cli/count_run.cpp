// The count stage's parallel driver: MPI and OpenMP at the edges of the pure
// counter.
//
// Rank 0 walks the inputs and partitions them by compressed size (LPT, see
// parallel/partition.hpp); the list and the owners are broadcast. Each rank
// counts its files heaviest first with a dynamic OpenMP schedule, one
// CountWorkspace per thread. Results are written into slots by file index,
// gathered to rank 0 and combined there in index order, so per-file lines,
// totals and the corpus CRC are the same for any ranks x threads. Only rank
// 0 prints and opens the results file.
#include <mpi.h>
#include <omp.h>

#include <stdexcept>

#include <algorithm>
#include <exception>

#include "cli/count_command.hpp"
#include "cli/count_outcome.hpp"
#include "cli/count_report.hpp"
#include "cli/exit_codes.hpp"
#include "cli/strict.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "parallel/first_exception.hpp"
#include "parallel/partition.hpp"

namespace juggle::cli {
namespace {

using results::Stage;

// What rank 0 sends every rank about each input.
struct FileTask {
  std::uint64_t weight = 0;  // compressed size
  std::int32_t owner = -1;  // -1: skip (walk problem)
};

// Fixed cost added to each file's weight so that many tiny files spread
// across ranks as well (opening a file is not free).
constexpr std::uint64_t kPerFileWeight = 16 * 1024;

std::vector<FileTask> plan_tasks(const std::vector<files::InputFile>& inputs, int ranks) {
  std::vector<std::uint64_t> weights;
  std::vector<std::size_t> countable;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].problem.empty()) continue;
    countable.push_back(i);
    weights.push_back(inputs[i].size + kPerFileWeight);
  }
  const std::vector<int> owner = parallel::partition_lpt(weights, ranks);
  std::vector<FileTask> tasks(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) tasks[i].weight = inputs[i].size;
  for (std::size_t k = 0; k < countable.size(); ++k) tasks[countable[k]].owner = owner[k];
  return tasks;
}

// Counts this rank's files; returns their records (index order not required).
// In strict mode a file that fails throws: the job stops (run_on_all_ranks).
std::vector<FileRecord> count_my_files(const std::vector<std::string>& paths, const std::vector<FileTask>& tasks,
                                       int rank, int threads, bool strict, gzip::InflateBackend backend,
                                       const results::Clock& clock, results::EventLog& log, RankSummary& me) {
  parallel::inject_fault_if_asked(rank, "count");
  const std::vector<std::size_t> mine = parallel::tasks_of_part(tasks, rank);
  // Threads share the files dynamically: room for an even share and then some.
  log.reserve(mine.size() / static_cast<std::size_t>(threads) + mine.size() / 8 + 8);
  std::vector<FileRecord> records(mine.size());
  parallel::FirstException error;
  const double start = clock.now();
  const auto n = static_cast<long>(mine.size());
#pragma omp parallel num_threads(threads)
  {
    const int thread = omp_get_thread_num();
    std::unique_ptr<count::CountWorkspace> workspace;
    error.capture([&] { workspace = std::make_unique<count::CountWorkspace>(backend); });
#pragma omp for schedule(dynamic, 1)
    for (long k = 0; k < n; ++k) {
      if (!workspace) continue;
      error.capture([&] {
        const std::size_t index = mine[static_cast<std::size_t>(k)];
        FileRecord& r = records[static_cast<std::size_t>(k)];
        const double t0 = clock.now();
        r.count = count::count_gzip_file(paths[index], *workspace);
        const double t1 = clock.now();
        r.index = index;
        r.rank = rank;
        r.thread = thread;
        r.seconds = t1 - t0;
        log.record(thread, Stage::count_file, t0, t1, r.count.bytes_out, r.count.lines);
        if (strict && r.count.status != gzip::GzipStatus::ok)
          stop_job_for_input(paths[index], gzip::status_message(r.count.status, r.count.sys_errno));
      });
    }
  }
  error.rethrow();
  const double end = clock.now();
  log.record(0, Stage::count, start, end, 0, mine.size());
  me.busy_seconds = end - start;
  return records;
}

}  // namespace

StageReport count_stage(const CountOptions& o, RunContext& run, Io io) {
  const double stage_start = run.clock.now();
  CountOutcome out;
  out.world = run.world;
  out.threads = run.threads;
  out.backend = gzip::parse_backend(o.inflate).value_or(gzip::default_backend());
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  RankSummary& me = run.me;
  results::EventLog log(rank, out.threads);

  double t0 = clock.now();
  std::vector<std::string> paths;
  std::vector<FileTask> tasks;
  if (rank == 0) {
    out.inputs = files::walk_inputs(o.paths, o.include);
    if (out.inputs.empty())
      io.err << "juggle: warning: no input files (in directories only names matching --include are taken)\n";
    log.record(0, Stage::walk, t0, clock.now(), 0, out.inputs.size());
    t0 = clock.now();
    for (const files::InputFile& f : out.inputs) {
      if (o.strict && !f.problem.empty()) stop_job_for_input(f.path, f.problem);
      paths.push_back(f.path);
    }
    tasks = plan_tasks(out.inputs, out.world.size);
  }
  parallel::broadcast_strings(paths, 0);
  parallel::broadcast_records(tasks, 0);
  log.record(0, Stage::distribute, t0, clock.now(), 0, tasks.size());

  const std::vector<FileRecord> mine =
      count_my_files(paths, tasks, rank, out.threads, o.strict, out.backend, clock, log, me);

  t0 = clock.now();
  std::vector<FileRecord> gathered = parallel::gather_records<FileRecord>(mine, 0);
  out.ranks = parallel::gather_records<RankSummary>(std::span(&me, 1), 0);
  const std::vector<results::Event> my_events = log.take_all();
  out.events = parallel::gather_records<results::Event>(my_events, 0);
  const double gathered_at = clock.now();
  if (rank != 0) return {};  // rank 0 speaks for the job

  out.events.push_back({0, 0, static_cast<std::int32_t>(Stage::gather), 0, t0, gathered_at, 0, gathered.size()});
  out.wall_seconds = gathered_at - stage_start;
  out.records.resize(out.inputs.size());
  for (std::size_t i = 0; i < out.inputs.size(); ++i) {
    out.records[i].index = i;
    if (!out.inputs[i].problem.empty()) out.records[i].count.status = gzip::GzipStatus::read_error;
  }
  for (const FileRecord& r : gathered) out.records[r.index] = r;

  const CountTotals sums = totals(out);
  print_problems(out, io.err);
  if (o.per_file) print_per_file(out, io.out);
  print_summary(out, sums, io.out);

  return {sums.failed > 0 ? kExitSomeFailed : kExitOk, count_results(out, sums)};
}

namespace {

int count_all_ranks(const CountOptions& o, Io io) {
  return run_one_stage("count", o.output, o.threads, {}, o.command_line, io,
                       [&](RunContext& run) { return count_stage(o, run, io); });
}

}  // namespace

int run_count(const CountOptions& options, Io io) {
  return run_on_all_ranks([&] { return count_all_ranks(options, io); });
}

}  // namespace juggle::cli
