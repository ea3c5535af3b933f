// Moving pieces from rank 0 to the other ranks on request (engine.hpp says
// when). Runs on each rank's dispatcher thread, the only thread of the
// engine that calls MPI.
#pragma once

#include <atomic>
#include <cstdint>

#include "pipeline/piece_queue.hpp"
#include "pipeline/stage_progress.hpp"

namespace juggle::pipeline {

struct RequestSize {
  std::uint64_t pieces = 0;  // at most this many pieces
  std::uint64_t weight = 0;  // stop adding once their weights reach this (at least one piece)
};

// Rank 0: answers the requests of ranks 1..ranks-1 from `ready` until every
// one of them has been told that nothing is left, or `stop` is set. A batch
// holds at most what was asked and at most a fair share of the queued
// weight (at least one piece). Each request carries its rank's finished
// pieces, kept in `progress` when given.
void serve_pieces(PieceQueue& ready, int ranks, const std::atomic<bool>& stop, StageProgress* progress = nullptr);

// Ranks > 0: keeps at least `low_water` pieces in `local`, asking rank 0
// for `ask` at a time, until rank 0 has nothing left (then closes `local`)
// or `stop` is set. Each request tells rank 0 what `progress` (when given)
// has counted finished here.
void stock_pieces(PieceQueue& local, std::size_t low_water, RequestSize ask, const std::atomic<bool>& stop,
                  const StageProgress* progress = nullptr);

}  // namespace juggle::pipeline
