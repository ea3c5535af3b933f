// The count stage's work on one piece: decode a gzip file, or a range of
// whole members of one (input_pieces.hpp), and count its lines
// (count/gzip_line_counter.hpp). One workspace per worker thread; each
// piece's result lands in the thread's records, tagged with the file id and
// the piece's first byte, for the stage to join a file's ranges and put
// files in input order.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/work_context.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

// One piece's result as it crosses ranks, and then (joined) one file's
// (trivially copyable).
struct FileRecord {
  std::uint64_t index = 0;   // the file's id (rank 0 maps it to input order)
  std::uint64_t begin = 0;   // the piece's first byte (orders a file's ranges)
  std::uint32_t pieces = 1;  // a file's: the ranges it was counted in
  count::LineCount count;
  std::int32_t rank = -1;  // -1: never counted (the walk found a problem)
  std::int32_t thread = -1;
  double seconds = 0;
};

class CountWork final : public PieceWork {
 public:
  explicit CountWork(const WorkContext& context);

  void start_worker(int thread) override;
  void process(const Piece& piece, int thread) override;

  // Files counted elsewhere with this rank's bookkeeping (a file decoded
  // once for several stages): `count` from t0 to t1 on `thread`.
  void add(const Piece& piece, int thread, const count::LineCount& count, double t0, double t1);
  [[nodiscard]] gzip::GzipWorkspace& workspace(int thread) {
    return *workers_[static_cast<std::size_t>(thread)].workspace;
  }

  // Every thread's records (any order); the work keeps none.
  [[nodiscard]] std::vector<FileRecord> take_records();

 private:
  struct alignas(64) Worker {
    std::unique_ptr<count::CountWorkspace> workspace;
    std::vector<FileRecord> records;
  };
  WorkContext context_;
  std::vector<Worker> workers_;
};

}  // namespace juggle::pipeline
