// The count stage: the piece engine (pipeline/engine.hpp) with the count
// work (pipeline/count_work.hpp) over the files a walk finds.
//
// Rank 0 walks the inputs on a thread of its own; each file becomes a piece
// as soon as it is found and goes to whichever rank and thread asks next.
// Per-file records are gathered to rank 0 and put in walk order there, so
// per-file lines, totals and the corpus CRC are the same for any ranks x
// threads and any order of completion. Only rank 0 prints and writes.
#include "cli/count_command.hpp"
#include "cli/count_outcome.hpp"
#include "cli/count_report.hpp"
#include "cli/exit_codes.hpp"
#include "cli/no_inputs.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "pipeline/input_pieces.hpp"

namespace juggle::cli {
namespace {

using results::Stage;

}  // namespace

StageReport finish_count(const CountOptions& o, RunContext& run, Io io, CountOutcome out,
                         const std::vector<FileRecord>& mine, results::EventLog& log, double stage_start,
                         const std::vector<std::int64_t>& position_of_file) {
  const results::Clock& clock = run.clock;
  const double t0 = clock.now();
  std::vector<FileRecord> gathered = parallel::gather_records<FileRecord>(mine, 0);
  out.ranks = parallel::gather_records<RankSummary>(std::span(&run.me, 1), 0);
  const std::vector<results::Event> my_events = log.take_all();
  out.events = parallel::gather_records<results::Event>(my_events, 0);
  const double gathered_at = clock.now();
  if (run.world.rank != 0) return {};  // rank 0 speaks for the job

  out.events.push_back({0, 0, static_cast<std::int32_t>(Stage::gather), 0, t0, gathered_at, 0, gathered.size()});
  out.wall_seconds = gathered_at - stage_start;
  out.records.resize(out.inputs.size());
  for (std::size_t i = 0; i < out.inputs.size(); ++i) {
    out.records[i].index = i;
    if (!out.inputs[i].problem.empty()) out.records[i].count.status = gzip::GzipStatus::read_error;
  }
  for (FileRecord& r : gathered) {
    if (!position_of_file.empty()) r.index = static_cast<std::uint64_t>(position_of_file.at(r.index));
    out.records.at(r.index) = r;
  }

  const CountTotals sums = totals(out);
  print_problems(out, io.err);
  if (o.per_file) print_per_file(out, io.out);
  print_summary(out, sums, io.out);

  return {sums.failed > 0 ? kExitSomeFailed : kExitOk, count_results(out, sums)};
}

StageReport count_stage(const CountOptions& o, RunContext& run, Io io) {
  const double stage_start = run.clock.now();
  CountOutcome out;
  out.world = run.world;
  out.threads = run.threads;
  out.backend = gzip::parse_backend(o.inflate).value_or(gzip::default_backend());
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  // Lanes 0..threads-1: the workers; lane `threads`: rank 0's walk.
  results::EventLog log(rank, out.threads + 1);
  parallel::inject_fault_if_asked(rank, "count");

  pipeline::CountWork work({out.backend, o.strict, rank, out.threads, clock, log});
  pipeline::WalkedInputs walked;
  std::vector<pipeline::Source> sources;
  if (rank == 0) sources.push_back(pipeline::walk_source({o.paths, o.include, pipeline::kCount, UINT64_MAX, o.strict},
                                                         walked, clock));
  const pipeline::EngineTotals engine =
      pipeline::run_engine({rank, run.world.size, out.threads}, sources, work, clock, log);
  log.record(0, Stage::count, engine.start, engine.end, 0, engine.pieces);
  run.me.busy_seconds = engine.end - engine.start;
  if (rank == 0) {
    log.record(out.threads, Stage::walk, walked.started, walked.finished, 0, walked.files.size());
    out.inputs = std::move(walked.files);
    warn_if_no_inputs(out.inputs, io.err);
  }
  return finish_count(o, run, io, std::move(out), work.take_records(), log, stage_start, {});
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
