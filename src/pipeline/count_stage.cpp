// Rank 0 walks the inputs on a thread of its own; each file becomes a piece
// (a BGZF file: ranges of whole members; one large member: deflate chunks)
// as soon as it is found and goes to whichever rank and thread asks next.
// A cut member's chunks are joined across ranks (chunk_join.hpp); the
// other per-piece records go to their file's home rank (file_homes.hpp),
// which joins a file's ranges in file order, and the totals and the
// corpus CRC are combined in rank order, which is input order: per-file
// lines, totals and the CRC are the same for any ranks x threads and any
// order of completion. Ranges that do not join (count/range_join.hpp: a
// damaged member) are counted again on the file's home, the file whole,
// so a damaged file gets the sequential verdict.
#include "pipeline/count_stage.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "count/range_join.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/input_failure.hpp"
#include "pipeline/input_pieces.hpp"

namespace juggle::pipeline {

using results::Stage;

namespace {

// A member's count joined from its chunks (chunk_join.hpp), then whatever
// follows the member in the file counted here, after it.
std::optional<count::LineCount> join_chunked(RunContext& run, const CountOutcome& out,
                                             const files::InputFile& input,
                                             const std::optional<count::MemberCount>& member,
                                             results::EventLog& log) {
  if (!member) return std::nullopt;
  if (member->member_end >= input.size) return member->count;
  count::CountWorkspace workspace(out.backend);
  const double t0 = run.clock.now();
  const count::LineCount rest =
      count::count_gzip_file(input.path, workspace, member->member_end, UINT64_MAX, gzip::StreamStart::after_member);
  log.record(0, Stage::count_file, t0, run.clock.now(), rest.bytes_out, rest.lines);
  const count::LineCount parts[] = {member->count, rest};
  return count::join_ranges(parts);
}

// One file's record from its pieces' records (file order): the one record
// of a whole file; a split file's ranges or chunks joined, or else the file
// counted again whole on this thread (an event of its own, lane 0).
// `member`: the file's joined member, when it was cut in deflate chunks.
FileRecord join_file(RunContext& run, const CountOutcome& out, const files::InputFile& input,
                     std::span<const FileRecord> pieces, const std::optional<count::MemberCount>* member,
                     results::EventLog& log) {
  if (pieces.size() == 1 && member == nullptr) return pieces.front();
  FileRecord file = pieces.front();
  file.begin = 0;
  file.pieces = static_cast<std::uint32_t>(pieces.size());
  file.seconds = 0;
  std::vector<count::LineCount> counts;
  for (const FileRecord& p : pieces) {
    counts.push_back(p.count);
    file.seconds += p.seconds;
  }
  const std::optional<count::LineCount> joined =
      member == nullptr ? count::join_ranges(counts) : join_chunked(run, out, input, *member, log);
  if (joined) {
    file.count = *joined;
    file.split = member == nullptr ? FileSplit::members : FileSplit::deflate;
    return file;
  }
  file.split = FileSplit::recounted;
  const std::string& path = input.path;
  count::CountWorkspace workspace(out.backend);
  const double t0 = run.clock.now();
  file.count = count::count_gzip_file(path, workspace);
  const double t1 = run.clock.now();
  log.record(0, Stage::count_file, t0, t1, file.count.bytes_out, file.count.lines);
  file.seconds += t1 - t0;
  file.rank = run.world.rank;
  file.thread = 0;
  if (out.strict && file.count.status != gzip::GzipStatus::ok)
    stop_job_for_input(path, gzip::status_message(file.count.status, file.count.sys_errno));
  return file;
}

}  // namespace

CountOutcome finish_count(RunContext& run, CountOutcome out, std::vector<FileRecord> mine,
                          ChunkRecords my_chunks, results::EventLog& log, double stage_start,
                          const std::vector<std::int64_t>& position_of_file) {
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  const double t0 = clock.now();
  const JoinedMembers joined = join_chunks_across_ranks(std::move(my_chunks), rank, run.world.size, false);
  const double joined_at = clock.now();
  if (!joined.members.empty()) log.record(0, Stage::join, t0, joined_at, 0, joined.members.size());
  // Each record to its file's home.
  out.home = scatter_inputs(out.inputs, rank, run.world.size);
  std::vector<files::InputFile>().swap(out.inputs);
  const FilePositions positions(position_of_file, rank, run.world.size);
  std::vector<FileRecord> arrived = positions.send_home(std::move(mine), &FileRecord::index, out.home.total);
  const double arrived_at = clock.now();
  log.record(0, Stage::gather, joined_at, arrived_at, 0, arrived.size());
  // Joined members by file position.
  std::vector<std::uint64_t> member_ids;
  for (const auto& [id, member] : joined.members) member_ids.push_back(id);
  const std::vector<std::uint64_t> member_positions = positions.positions_of(member_ids);
  std::map<std::uint64_t, const std::optional<count::MemberCount>*> members;
  std::size_t m = 0;
  for (const auto& [id, member] : joined.members) members[member_positions.at(m++)] = &member;

  // The home block's rows: a file's ranges next to each other, in file order.
  const std::uint64_t first = out.home.first;
  out.records.resize(out.home.inputs.size());
  for (std::size_t i = 0; i < out.records.size(); ++i) {
    out.records[i].index = first + i;
    if (!out.home.inputs[i].problem.empty()) out.records[i].count.status = gzip::GzipStatus::read_error;
  }
  std::sort(arrived.begin(), arrived.end(), [](const FileRecord& a, const FileRecord& b) {
    return std::tie(a.index, a.begin) < std::tie(b.index, b.begin);
  });
  for (auto begin = arrived.begin(); begin != arrived.end();) {
    const auto end = std::find_if(begin, arrived.end(), [&](const FileRecord& r) { return r.index != begin->index; });
    const auto member = members.find(begin->index);
    const std::size_t row = begin->index - first;
    out.records.at(row) = join_file(run, out, out.home.inputs.at(row), std::span(begin, end),
                                    member == members.end() ? nullptr : member->second, log);
    begin = end;
  }
  out.totals = totals_over_ranks(out.records);
  const auto shown = [&](const FileRecord& r) {
    return out.list_files || failed(r) || r.count.trailing_garbage;
  };
  out.shown = gather_rows(out.home, out.records, shown);
  out.ranks = gather_rank_summaries(run.me);
  out.wall_seconds = clock.now() - stage_start;
  keep_events(run, kCountStep, log.take_all());  // each rank writes its own
  return out;
}

CountOutcome count_stage(const CountSettings& s, RunContext& run) {
  const double stage_start = run.clock.now();
  CountOutcome out;
  out.world = run.world;
  out.threads = run.threads;
  out.backend = s.backend;
  out.strict = s.strict;
  out.list_files = s.list_files;
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  // Lanes 0..threads-1: the workers; lane `threads`: rank 0's walk.
  results::EventLog log(rank, out.threads + 1);
  parallel::inject_fault_if_asked(rank, "count");

  CountWork work({out.backend, s.strict, rank, out.threads, clock, log});
  WalkedInputs walked;
  std::vector<Source> sources;
  MemberSplit split = s.split;
  split.workers = run.world.size * out.threads;
  if (rank == 0)
    sources.push_back(walk_source({s.paths, s.include, kCount, UINT64_MAX, split, s.strict}, walked, clock));
  EngineSettings engine_settings{rank, run.world.size, out.threads};
  engine_settings.progress = run.progress;
  const EngineTotals engine = run_engine(engine_settings, sources, work, clock, log);
  log.record(0, Stage::count, engine.start, engine.end, 0, engine.pieces);
  run.me.busy_seconds = engine.end - engine.start;
  if (rank == 0) {
    log.record(out.threads, Stage::walk, walked.started, walked.finished, 0, walked.files.size());
    out.inputs = std::move(walked.files);
  }
  return finish_count(run, std::move(out), work.take_records(), work.take_chunk_records(), log, stage_start, {});
}

}  // namespace juggle::pipeline
