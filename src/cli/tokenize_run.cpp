// The tokenize stage's parallel driver.
//
// Rank 0 walks the inputs, cuts plain files larger than --chunk-size into
// byte ranges (tokenize/piece_reader.hpp widens them to split bytes) and
// partitions the pieces by weight (LPT). Each thread tokenizes its pieces
// into a piece map, merged into the thread's map only when the piece was
// read completely, so a corrupt file adds nothing to the counts. Thread maps
// merge within the rank; then the vocabulary is hash-partitioned across ranks
// with one MPI_Alltoallv, so each rank owns a disjoint shard and no rank holds
// the whole vocabulary. The top words are a reduction of per-shard top
// lists; the full list goes to rank 0 only when it is stored. Words are
// ordered by count, then bytes, so every output is identical for any ranks x
// threads and any order of completion.
#include <mpi.h>
#include <omp.h>

#include <memory>

#include "cli/exit_codes.hpp"
#include "cli/strict.hpp"
#include "cli/tokenize_command.hpp"
#include "cli/tokenize_outcome.hpp"
#include "cli/tokenize_report.hpp"
#include "cli/units.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "parallel/first_exception.hpp"
#include "parallel/partition.hpp"
#include "tokenize/piece_reader.hpp"

namespace juggle::cli {
namespace {

using results::Stage;
using tokenize::WordCounts;

// gzip text is ~3x its compressed size: weight pieces by the work they are.
constexpr std::uint64_t kGzipWeightFactor = 3;
constexpr std::uint64_t kPerPieceWeight = 16 * 1024;

std::vector<PieceTask> plan_pieces(const std::vector<files::InputFile>& inputs, std::uint64_t chunk, int ranks) {
  std::vector<PieceTask> tasks;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const files::InputFile& f = inputs[i];
    if (!f.problem.empty()) continue;
    const bool gz = tokenize::file_is_gzip(f.path);
    if (gz || f.size <= chunk) {
      tasks.push_back({i, 0, f.size, f.size * (gz ? kGzipWeightFactor : 1) + kPerPieceWeight, -1, 1});
      continue;
    }
    for (std::uint64_t begin = 0; begin < f.size; begin += chunk) {
      const std::uint64_t end = begin + chunk < f.size ? begin + chunk : f.size;
      tasks.push_back({i, begin, end, end - begin + kPerPieceWeight, -1, 0});
    }
  }
  std::vector<std::uint64_t> weights;
  for (const PieceTask& t : tasks) weights.push_back(t.weight);
  const std::vector<int> owner = parallel::partition_lpt(weights, ranks);
  for (std::size_t k = 0; k < tasks.size(); ++k) tasks[k].owner = owner[k];
  return tasks;
}

struct RankWork {
  std::vector<PieceRecord> records;
  WordCounts counts;  // the rank's words, threads merged
};

RankWork tokenize_my_pieces(const std::vector<std::string>& paths, const std::vector<PieceTask>& tasks,
                            const TokenizeCliOptions& o, RunContext& run, results::EventLog& log) {
  parallel::inject_fault_if_asked(run.world.rank, "tokenize");
  const std::vector<std::size_t> mine = parallel::tasks_of_part(tasks, run.world.rank);
  log.reserve(mine.size() / static_cast<std::size_t>(run.threads) + mine.size() / 8 + 8);
  tokenize::TokenizeOptions rule;
  rule.fold = !o.no_fold;
  rule.ascii_only = o.ascii;
  const gzip::InflateBackend backend = gzip::parse_backend(o.inflate).value_or(gzip::default_backend());

  RankWork work;
  work.records.resize(mine.size());
  std::vector<WordCounts> thread_counts(static_cast<std::size_t>(run.threads));
  parallel::FirstException error;
  const results::Clock& clock = run.clock;
  const double start = clock.now();
  const auto n = static_cast<long>(mine.size());
#pragma omp parallel num_threads(run.threads)
  {
    const int thread = omp_get_thread_num();
    std::unique_ptr<gzip::GzipWorkspace> workspace;
    WordCounts piece_counts;
    tokenize::WordCache cache(piece_counts);  // one per thread, reused by every piece
    error.capture([&] { workspace = std::make_unique<gzip::GzipWorkspace>(backend); });
#pragma omp for schedule(dynamic, 1)
    for (long k = 0; k < n; ++k) {
      if (!workspace) continue;
      error.capture([&] {
        const std::size_t index = mine[static_cast<std::size_t>(k)];
        const PieceTask& task = tasks[index];
        PieceRecord& r = work.records[static_cast<std::size_t>(k)];
        const double t0 = clock.now();
        const tokenize::PieceResult result = tokenize::tokenize_piece(
            {paths[task.file], task.begin, task.end, task.whole_file != 0}, *workspace, rule, cache);
        if (o.strict && result.decode.status != gzip::GzipStatus::ok)
          stop_job_for_input(paths[task.file],
                             gzip::status_message(result.decode.status, result.decode.sys_errno));
        if (result.decode.status == gzip::GzipStatus::ok)
          tokenize::merge_into(thread_counts[static_cast<std::size_t>(thread)], piece_counts);
        piece_counts.clear();
        const double t1 = clock.now();
        r = {index, task.file, result.text, result.decode, result.gzip ? std::uint8_t{1} : std::uint8_t{0},
             run.world.rank, thread, t1 - t0};
        log.record(thread, Stage::tokenize_piece, t0, t1, result.text.bytes, result.text.words);
      });
    }
  }
  error.rethrow();
  const double merged_from = clock.now();
  log.record(0, Stage::tokenize, start, merged_from, 0, mine.size());
  run.me.busy_seconds = merged_from - start;
  for (WordCounts& c : thread_counts) tokenize::merge_into(work.counts, c);
  log.record(0, Stage::merge, merged_from, clock.now(), 0, work.counts.size());
  return work;
}

// Gathers a ranked list from every rank's shard and keeps the first `limit`.
std::vector<tokenize::WordCount> gather_top(const WordCounts& shard, std::size_t limit) {
  const std::vector<char> mine = tokenize::encode_list(tokenize::top_words(shard, limit));
  const std::vector<char> all = parallel::gather_bytes(mine, 0);
  return tokenize::top_words(tokenize::decode_list(all), limit);
}

}  // namespace

StageReport tokenize_stage(const TokenizeCliOptions& o, RunContext& run, Io io) {
  const double stage_start = run.clock.now();
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  results::EventLog log(rank, run.threads);

  double t0 = clock.now();
  std::vector<files::InputFile> inputs;
  std::vector<std::string> paths;
  std::vector<PieceTask> tasks;
  if (rank == 0) {
    inputs = files::walk_inputs(o.paths, o.include);
    if (inputs.empty())
      io.err << "juggle: warning: no input files (in directories only names matching --include are taken)\n";
    log.record(0, Stage::walk, t0, clock.now(), 0, inputs.size());
    t0 = clock.now();
    for (const files::InputFile& f : inputs) {
      if (o.strict && !f.problem.empty()) stop_job_for_input(f.path, f.problem);
      paths.push_back(f.path);
    }
    tasks = plan_pieces(inputs, parse_size(o.chunk_size).value_or(32ull << 20), run.world.size);
  }
  parallel::broadcast_strings(paths, 0);
  parallel::broadcast_records(tasks, 0);
  log.record(0, Stage::distribute, t0, clock.now(), 0, tasks.size());

  RankWork work = tokenize_my_pieces(paths, tasks, o, run, log);

  t0 = clock.now();
  WordCounts shard;
  {
    const std::vector<char> received = parallel::exchange_bytes(tokenize::encode_shards(work.counts, run.world.size));
    WordCounts().swap(work.counts);  // the rank's full map is no longer needed
    tokenize::decode_add(received, shard);
  }
  log.record(0, Stage::shuffle, t0, clock.now(), 0, shard.size());

  t0 = clock.now();
  std::uint64_t checksum = 0;
  for (const auto& [word, count] : shard) checksum += tokenize::stable_word_hash(word) * count;
  TokenizeOutcome out;
  out.totals.distinct = parallel::sum_to_root(shard.size(), 0);
  out.totals.checksum = parallel::sum_to_root(checksum, 0);
  out.top = gather_top(shard, o.top);
  out.vocab_stored = !o.output.no_output || !o.csv.empty();
  if (out.vocab_stored) out.vocab = gather_top(shard, o.vocab_limit > 0 ? o.vocab_limit : SIZE_MAX);
  log.record(0, Stage::collect, t0, clock.now(), 0, out.vocab.size());

  t0 = clock.now();
  const std::vector<PieceRecord> records = parallel::gather_records<PieceRecord>(work.records, 0);
  out.ranks = parallel::gather_records<RankSummary>(std::span(&run.me, 1), 0);
  const std::vector<results::Event> my_events = log.take_all();
  out.events = parallel::gather_records<results::Event>(my_events, 0);
  const double gathered_at = clock.now();
  if (rank != 0) return {};

  out.events.push_back({0, 0, static_cast<std::int32_t>(Stage::gather), 0, t0, gathered_at, 0, records.size()});
  out.wall_seconds = gathered_at - stage_start;
  aggregate_files(inputs, records, out);

  print_tokenize_problems(out, io.err);
  print_tokenize_summary(out, run, o, io.out);
  int status = out.totals.failed > 0 ? kExitSomeFailed : kExitOk;
  if (!o.csv.empty()) {
    if (!write_csv(out, o, io.err)) status = kExitOutput;
    else io.out << "csv: " << o.csv << '\n';
  }
  return {status, tokenize_results(out, o)};
}

namespace {

int tokenize_all_ranks(const TokenizeCliOptions& o, Io io) {
  std::vector<std::string> extra_targets;
  if (!o.csv.empty()) extra_targets.push_back(o.csv);
  return run_one_stage("tokenize", o.output, o.threads, extra_targets, o.command_line, io,
                       [&](RunContext& run) { return tokenize_stage(o, run, io); });
}

}  // namespace

int run_tokenize(const TokenizeCliOptions& options, Io io) {
  return run_on_all_ranks([&] { return tokenize_all_ranks(options, io); });
}

}  // namespace juggle::cli
