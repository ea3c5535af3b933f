// After the engine, each rank's thread maps are merged; then the vocabulary
// is hash-partitioned across ranks with one MPI_Alltoallv, so each rank owns
// a disjoint shard and no rank holds the whole vocabulary. A stored
// vocabulary is then laid out across ranks in report order
// (vocabulary_order.hpp), each rank keeping its own rows to write; the top
// words are the first rows, or a reduction of per-shard top lists when no
// vocabulary is stored or --vocab-limit is below --top. Words are ordered by count, then bytes, so every
// output is identical for any ranks x threads and any order of completion.
// Per-piece records go to their file's home rank (file_homes.hpp), which
// makes the file's row.

#include "pipeline/tokenize_stage.hpp"

#include <algorithm>
#include <optional>
#include <span>

#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "pipeline/chunk_join.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/input_pieces.hpp"
#include "pipeline/vocabulary_order.hpp"
#include "tokenize/vocabulary.hpp"

namespace juggle::pipeline {
namespace {

using results::Stage;
using tokenize::WordCounts;

// The second round (collective), nothing when no member was cut: the cut
// members' chunks joined across ranks (chunk_join.hpp), each rank reading
// again the segments it resolved; a file whose chunks do not join into a
// member that ends the file is read whole, a piece from rank 0.
std::optional<EngineTotals> read_segments(RunContext& run, const std::vector<files::InputFile>& inputs,
                                          TokenizeWork& work, results::EventLog& log) {
  const int rank = run.world.rank;
  const double t0 = run.clock.now();
  JoinedMembers joined = join_chunks_across_ranks(work.take_chunk_records(), rank, run.world.size, true);
  if (joined.members.empty()) return std::nullopt;  // the same on every rank
  // The cut files' paths and sizes, which only rank 0's walk knows.
  std::vector<std::string> paths;
  std::vector<std::uint64_t> sizes;
  if (rank == 0)
    for (const auto& [id, member] : joined.members) {
      paths.push_back(inputs.at(id).path);
      sizes.push_back(inputs.at(id).size);
    }
  parallel::broadcast_strings(paths, 0);
  parallel::broadcast_records(sizes, 0);
  log.record(0, Stage::join, t0, run.clock.now(), 0, joined.members.size());

  std::vector<Piece> whole;
  std::vector<Piece> mine;
  std::size_t i = 0;
  for (const auto& [id, member] : joined.members) {
    const std::string& path = paths.at(i);
    const std::uint64_t size = sizes.at(i++);
    if (!member || member->member_end != size) {
      if (rank == 0) whole.push_back({id, 0, UINT64_MAX, size * kGzipTextFactor, kTokenize, true, path});
      continue;
    }
    for (count::MemberSegment& s : joined.segments[id]) {
      const std::uint64_t end = s.final_block ? UINT64_MAX : s.end_bit;
      const std::uint64_t bytes = (s.final_block ? size * 8 : s.end_bit) / 8 - s.start_bit / 8;
      const auto flags = static_cast<std::uint8_t>(kResolvedSegment | (s.member_start ? kMemberStart : 0));
      mine.push_back(
          {id, s.start_bit, end, bytes * kGzipTextFactor, kTokenize, false, path, flags, std::move(s.window)});
    }
  }
  std::vector<Source> sources;
  if (!whole.empty()) sources.push_back([&whole](const Emit& emit) { emit(std::move(whole)); });
  return run_engine({rank, run.world.size, run.threads}, sources, work, run.clock, log, std::move(mine));
}

}  // namespace

TokenizeOutcome tokenize_stage(const TokenizeSettings& o, RunContext& run) {
  const double stage_start = run.clock.now();
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  // Lanes 0..threads-1: the workers; lane `threads`: rank 0's walk.
  results::EventLog log(rank, run.threads + 1);
  parallel::inject_fault_if_asked(rank, "tokenize");

  TokenizeWork work({o.backend, o.strict, rank, run.threads, clock, log}, o.rule);
  WalkedInputs walked;
  std::vector<Source> sources;
  MemberSplit split = o.split;
  split.workers = run.world.size * run.threads;
  split.rank_threads = run.threads;
  if (rank == 0)
    sources.push_back(walk_source({o.paths, o.include, kTokenize, o.chunk_size, split, o.strict}, walked, clock));
  // The progress line follows the walk's pieces; a cut member's second round
  // (its segments, queued on the ranks that resolved them) is not in it.
  EngineSettings engine_settings{rank, run.world.size, run.threads};
  engine_settings.progress = run.progress;
  EngineTotals engine = run_engine(engine_settings, sources, work, clock, log);
  run.me.busy_seconds = engine.end - engine.start;
  if (const std::optional<EngineTotals> again = read_segments(run, walked.files, work, log)) {
    run.me.busy_seconds += again->end - again->start;
    engine.end = again->end;
    engine.pieces += again->pieces;
  }
  log.record(0, Stage::tokenize, engine.start, engine.end, 0, engine.pieces);
  std::vector<files::InputFile> inputs;
  if (rank == 0) {
    log.record(run.threads, Stage::walk, walked.started, walked.finished, 0, walked.files.size());
    inputs = std::move(walked.files);
  }
  return finish_tokenize(o, run, std::move(inputs), work, log, stage_start, {});
}

TokenizeOutcome finish_tokenize(const TokenizeSettings& o, RunContext& run, std::vector<files::InputFile> inputs,
                                TokenizeWork& work, results::EventLog& log, double stage_start,
                                const std::vector<std::int64_t>& position_of_file) {
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  double t0 = clock.now();
  WordCounts counts = work.take_counts();
  log.record(0, Stage::merge, t0, clock.now(), 0, counts.size());

  t0 = clock.now();
  WordCounts shard;
  if (run.world.size == 1) {
    shard.swap(counts);  // one rank owns every word
  } else {
    const std::vector<char> received = parallel::exchange_bytes(tokenize::encode_shards(counts, run.world.size));
    WordCounts().swap(counts);  // the rank's full map is no longer needed
    tokenize::decode_add(received, shard);
  }
  log.record(0, Stage::shuffle, t0, clock.now(), 0, shard.size());

  t0 = clock.now();
  std::uint64_t checksum = 0;
  for (const auto& [word, count] : shard) checksum += tokenize::stable_word_hash(word) * count;
  TokenizeOutcome out;
  out.totals.distinct = parallel::sum_to_root(shard.size(), 0);
  out.totals.checksum = parallel::sum_to_root(checksum, 0);
  out.vocab_stored = o.store_vocab;
  const std::size_t vocab_limit = o.vocab_limit > 0 ? o.vocab_limit : SIZE_MAX;
  // The top list is the stored list's beginning when that is long enough
  // (one order, sorted once), else a reduction of the shards' own.
  const bool top_from_rows = out.vocab_stored && vocab_limit >= o.top;
  if (!top_from_rows) out.top = top_at_root(tokenize::top_words(shard, o.top), o.top, run.world.size);
  if (out.vocab_stored) {
    out.vocab = order_across_ranks(shard, vocab_limit, run.world.size);
    WordCounts().swap(shard);
    out.vocab_before = last_word_before_me(out.vocab, rank, run.world.size);
  }
  if (top_from_rows) {
    const std::span<const tokenize::WordCount> rows(out.vocab.words);
    out.top = top_at_root(rows.first(std::min(rows.size(), o.top)), o.top, run.world.size);
  }
  log.record(0, Stage::collect, t0, clock.now(), 0, out.vocab.words.size());

  // Each piece's record to its file's home, which makes the file's row.
  t0 = clock.now();
  out.home = scatter_inputs(inputs, rank, run.world.size);
  std::vector<files::InputFile>().swap(inputs);
  const FilePositions positions(position_of_file, rank, run.world.size);
  const std::vector<PieceRecord> arrived = positions.send_home(work.take_records(), &PieceRecord::file, out.home.total);
  log.record(0, Stage::gather, t0, clock.now(), 0, arrived.size());
  aggregate_files(out.home, arrived, out);
  sum_totals_over_ranks(out.totals);
  const auto shown = [&](const TokenizeFile& f) {
    return o.list_files || failed(f) || f.trailing_garbage != 0;
  };
  out.shown = gather_rows(out.home, out.files, shown);
  out.ranks = gather_rank_summaries(run.me);
  out.wall_seconds = clock.now() - stage_start;
  keep_events(run, kTokenizeStep, log.take_all());  // each rank writes its own
  out.rule = o.rule;
  out.chunk_size = o.chunk_size;
  return out;
}

}  // namespace juggle::pipeline
