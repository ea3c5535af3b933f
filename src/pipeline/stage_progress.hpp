// How far a stage's pieces have got, for the progress line rank 0 prints.
//
// Design. Rank 0 counts what its sources queue (pieces and their weights,
// the expected bytes of work) and what its own workers finish. Another
// rank's workers count what they finish on their rank, and that rank's
// dispatcher puts the running totals in each request for more pieces it
// sends to rank 0 anyway (dispatch.hpp), where they are kept per rank. So
// the figures cost no message and no collective of their own; they lag by
// what a rank finished since its last request (its last batch, at the end).
// Only pieces from the sources count: text blocks a worker hands to its
// rank's other workers are part of their file's piece.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "pipeline/piece.hpp"

namespace juggle::pipeline {

struct ProgressCount {
  std::uint64_t pieces = 0;
  std::uint64_t weight = 0;
};

struct ProgressSnapshot {
  ProgressCount done;    // finished on every rank, as far as rank 0 knows
  ProgressCount queued;  // emitted by the sources so far
  bool listing = true;   // a source is still finding pieces (the totals may grow)
};

class StageProgress {
 public:
  explicit StageProgress(int ranks);

  // Rank 0: a source queued `pieces`; every source has returned.
  void queued(const std::vector<Piece>& pieces) noexcept;
  void sources_done() noexcept;
  // Any rank: one of its workers finished `piece` (text blocks are ignored).
  void finished(const Piece& piece) noexcept;
  // What this rank's workers finished so far.
  [[nodiscard]] ProgressCount finished_here() const noexcept;
  // Rank 0: rank `rank`'s running totals, from its latest request.
  void reported(int rank, ProgressCount done) noexcept;

  // Rank 0: all of the above, from any thread.
  [[nodiscard]] ProgressSnapshot snapshot() const noexcept;

 private:
  struct Counter {
    std::atomic<std::uint64_t> pieces{0};
    std::atomic<std::uint64_t> weight{0};
  };
  Counter queued_;
  Counter here_;
  std::unique_ptr<Counter[]> others_;  // by rank; rank 0's stays empty (here_)
  int ranks_;
  std::atomic<bool> listing_{true};
};

}  // namespace juggle::pipeline
