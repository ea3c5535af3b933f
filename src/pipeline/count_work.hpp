// The count stage's work on one piece: decode a gzip file, or a range of
// whole members of one (input_pieces.hpp), and count its lines
// (count/gzip_line_counter.hpp); or decode a deflate chunk of a member
// (count/member_chunks.hpp), continuing the thread's resolved run when the
// chunk follows it. One workspace per worker thread; each piece's result
// lands in the thread's records, tagged with the file id and the piece's
// first byte, for the stage to join a file's ranges or chunks and put files
// in input order.
#pragma once

#include <cstdint>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <utility>
#include <string_view>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "count/member_chunks.hpp"
#include "pipeline/chunk_join.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/work_context.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

// How a file was counted (count/files/split in the results file).
enum class FileSplit : std::uint8_t {
  whole,      // one piece, one sequential pass
  members,    // BGZF ranges of whole members, joined
  deflate,    // deflate chunks of its first member, joined (then the rest after it)
  recounted,  // cut, but the pieces did not join (damaged data): counted again whole
};
[[nodiscard]] std::string_view file_split_name(FileSplit split) noexcept;

// One piece's result as it crosses ranks, and then (joined) one file's
// (trivially copyable).
struct FileRecord {
  std::uint64_t index = 0;   // the file's id; its position in input order once at home (file_homes.hpp)
  std::uint64_t begin = 0;   // the piece's first byte (orders a file's ranges)
  std::uint32_t pieces = 1;  // a file's: the ranges it was counted in
  FileSplit split = FileSplit::whole;
  count::LineCount count;
  std::int32_t rank = -1;  // -1: never counted (the walk found a problem)
  std::int32_t thread = -1;
  double seconds = 0;
};

// What deflate chunks are counted for.
struct ChunkUse {
  // Resolved runs keep a window per chunk (32 KiB each), for the
  // tokenize stage to decode the member again in segments.
  bool keep_windows = false;
  results::Stage event = results::Stage::count_file;  // the stage of a chunk's event (bytes and lines: count_file's only)
};

class CountWork final : public PieceWork {
 public:
  explicit CountWork(const WorkContext& context, ChunkUse use = {});

  void start_worker(int thread) override;
  void process(const Piece& piece, int thread) override;
  // A deflate chunk's chain continues after the chunks this thread took over.
  [[nodiscard]] std::uint64_t chain_next(const Piece& piece, int thread) override;

  // Files counted elsewhere with this rank's bookkeeping (a file decoded
  // once for several stages): `count` from t0 to t1 on `thread`.
  void add(const Piece& piece, int thread, const count::LineCount& count, double t0, double t1);
  [[nodiscard]] gzip::GzipWorkspace& workspace(int thread) {
    return *workers_[static_cast<std::size_t>(thread)].workspace;
  }

  // Every thread's records (any order); the work keeps none.
  [[nodiscard]] std::vector<FileRecord> take_records();
  // Every thread's deflate chunk records (chunk_join.hpp joins them); the
  // work keeps none.
  [[nodiscard]] ChunkRecords take_chunk_records();

 private:
  struct FileChunk {
    std::uint64_t file = 0;
    count::ChunkCount chunk;
  };
  struct alignas(64) Worker {
    std::unique_ptr<count::CountWorkspace> workspace;
    std::unique_ptr<count::ChunkCounter> chunks;  // made for the first chunk piece
    std::vector<FileRecord> records;
    std::vector<FileChunk> chunk_records;
  };
  // A chunk decoded on the marker path on this rank, which the front
  // thread may cancel and decode itself.
  struct RunningChunk {
    std::shared_ptr<std::atomic<bool>> cancel;
    count::ChunkPlace place;
  };
  void process_chunk(const Piece& piece, int thread);
  // The front thread, its run resolved through `file`'s chunk ending at
  // run.end: while the next chunk is being decoded on the marker path on
  // this rank, it cancels that decode and decodes the chunk itself (at
  // sequential speed, not r of it: the chunk would otherwise end the run).
  void take_over(Worker& w, std::uint64_t file, const gzip::ReadAt& read_at, std::uint64_t size);
  std::mutex running_mutex_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, RunningChunk> running_;  // by (file, nominal begin)
  WorkContext context_;
  ChunkUse use_;
  std::vector<Worker> workers_;
};

}  // namespace juggle::pipeline
