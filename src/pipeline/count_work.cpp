#include "pipeline/count_work.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "files/unique_fd.hpp"
#include "pipeline/input_failure.hpp"

namespace juggle::pipeline {

std::string_view file_split_name(FileSplit split) noexcept {
  switch (split) {
    case FileSplit::whole:
      return "whole";
    case FileSplit::members:
      return "members";
    case FileSplit::deflate:
      return "deflate";
    case FileSplit::recounted:
      return "recounted";
  }
  return "whole";
}

CountWork::CountWork(const WorkContext& context, ChunkUse use)
    : context_(context), use_(use), workers_(static_cast<std::size_t>(context.threads)) {}

void CountWork::start_worker(int thread) {
  workers_[static_cast<std::size_t>(thread)].workspace = std::make_unique<count::CountWorkspace>(context_.backend);
}

void CountWork::process(const Piece& piece, int thread) {
  if (piece.flags & kDeflateChunk) return process_chunk(piece, thread);
  const double t0 = context_.clock.now();
  count::LineCount count;
  if (piece.flags & kStandardInput) {
    gzip::StreamSource in(STDIN_FILENO);
    count = count::count_gzip_lines(in, workspace(thread));
  } else {
    count = count::count_gzip_file(piece.path, workspace(thread), piece.begin, piece.end);
  }
  const double t1 = context_.clock.now();
  context_.log.record(thread, results::Stage::count_file, t0, t1, count.bytes_out, count.lines);
  add(piece, thread, count, t0, t1);
}

void CountWork::add(const Piece& piece, int thread, const count::LineCount& count, double t0, double t1) {
  workers_[static_cast<std::size_t>(thread)].records.push_back(
      {piece.file, piece.begin, 1, FileSplit::whole, count, context_.rank, thread, t1 - t0});
  // A range of a file is judged with the file (count_stage.hpp): a bad
  // range may only mean that the cut missed a member boundary.
  if (context_.strict && piece.whole_file && count.status != gzip::GzipStatus::ok)
    stop_job_for_input(piece.path, gzip::status_message(count.status, count.sys_errno));
}

void CountWork::process_chunk(const Piece& piece, int thread) {
  const double t0 = context_.clock.now();
  Worker& w = workers_[static_cast<std::size_t>(thread)];
  if (!w.chunks) w.chunks = std::make_unique<count::ChunkCounter>();
  count::ChunkCount* before = nullptr;
  if (!w.chunk_records.empty()) {
    FileChunk& last = w.chunk_records.back();
    if (last.file == piece.file && last.chunk.kind == count::ChunkKind::resolved && last.chunk.end == piece.begin)
      before = &last.chunk;
  }
  // A file that cannot be opened or read gives a failed chunk; the stage
  // then counts the file whole, which names the reason.
  const files::UniqueFd fd = files::UniqueFd::open_read(piece.path);
  struct stat st {};
  const bool readable = fd.get() >= 0 && ::fstat(fd.get(), &st) == 0;
  const auto size = readable ? static_cast<std::uint64_t>(st.st_size) : 0;
  const bool last = piece.end == UINT64_MAX;
  const count::ChunkPlace place{piece.begin, last ? std::max(size, piece.begin + 1) : piece.end, last};
  const gzip::ReadAt read_at = gzip::pread_at(fd.get());
  count::ChunkCount chunk;
  chunk.begin = place.begin;
  chunk.end = place.end;
  const bool marker = readable && before == nullptr && piece.begin != 0;
  if (marker) {
    const auto cancel = std::make_shared<std::atomic<bool>>(false);
    {
      const std::lock_guard<std::mutex> lock(running_mutex_);
      running_[{piece.file, piece.begin}] = {cancel, place};
    }
    chunk = w.chunks->count(read_at, size, place, nullptr, cancel.get());
    const std::lock_guard<std::mutex> lock(running_mutex_);
    running_.erase({piece.file, piece.begin});
  } else if (readable) {
    chunk = w.chunks->count(read_at, size, place, before);
  }
  const bool resolved = chunk.kind == count::ChunkKind::resolved;
  // Bytes and lines only in the count stage's events: for tokenize a chunk
  // yields no words yet (its bytes are counted when its segment is read).
  const bool counting = use_.event == results::Stage::count_file;
  const std::uint64_t bytes = !counting ? 0 : resolved ? chunk.totals.size : chunk.summary.size;
  const std::uint64_t lines = counting && resolved ? chunk.totals.newlines : 0;
  if (before == nullptr || !count::extend_run(*before, chunk, use_.keep_windows))
    w.chunk_records.push_back({piece.file, std::move(chunk)});
  if (resolved) take_over(w, piece.file, read_at, size);
  const double t1 = context_.clock.now();
  context_.log.record(thread, use_.event, t0, t1, bytes, lines);
  w.records.push_back(
      {piece.file, piece.begin, 1, FileSplit::deflate, count::LineCount{}, context_.rank, thread, t1 - t0});
}

void CountWork::take_over(Worker& w, std::uint64_t file, const gzip::ReadAt& read_at, std::uint64_t size) {
  count::ChunkCount& run = w.chunk_records.back().chunk;
  while (!run.final_block && run.kind == count::ChunkKind::resolved) {
    RunningChunk next;
    {
      const std::lock_guard<std::mutex> lock(running_mutex_);
      const auto it = running_.find({file, run.end});
      if (it == running_.end()) return;
      it->second.cancel->store(true, std::memory_order_relaxed);
      next = it->second;
      running_.erase(it);
    }
    count::ChunkCount c = w.chunks->count(read_at, size, next.place, &run);
    if (!count::extend_run(run, c, use_.keep_windows)) {
      w.chunk_records.push_back({file, std::move(c)});
      return;
    }
  }
}

std::uint64_t CountWork::chain_next(const Piece& piece, int thread) {
  if (!(piece.flags & kDeflateChunk)) return piece.end;
  // Only a resolved run goes on: a chunk decoded on the marker path (or
  // cancelled) would make the next one a marker chunk too, at the front
  // thread's heels.
  const Worker& w = workers_[static_cast<std::size_t>(thread)];
  if (w.chunk_records.empty() || w.chunk_records.back().file != piece.file ||
      w.chunk_records.back().chunk.kind != count::ChunkKind::resolved)
    return UINT64_MAX;
  return std::max(piece.end, w.chunk_records.back().chunk.end);
}

std::vector<FileRecord> CountWork::take_records() { return take_records_of(workers_, &Worker::records); }

ChunkRecords CountWork::take_chunk_records() {
  ChunkRecords records;
  for (Worker& w : workers_) {
    for (FileChunk& c : w.chunk_records) records[c.file].push_back(std::move(c.chunk));
    w.chunk_records = {};
  }
  return records;
}

}  // namespace juggle::pipeline
