// The piece engine: one driver for every data stage, in the manner of IOR's
// ior.c running every backend through one table of functions. A stage says
// what to do with one piece (PieceWork) and where pieces come from
// (sources); the engine moves the pieces between ranks and threads.
//
// Design. Rank 0 runs the sources, each on a thread of its own (a directory
// walk, downloads landing), which put pieces into one ready queue as they
// find them. Rank 0's worker threads take pieces straight from that queue;
// every other rank has a dispatcher thread that asks rank 0 for a batch
// whenever the rank has fewer pieces in hand than worker threads, so a
// worker never waits on a message while work is left. Rank 0's dispatcher
// answers those requests; a request that finds the queue empty but a source
// still open waits there until pieces arrive, and every rank is told once
// there is nothing left. Pieces go out heaviest first (piece_queue.hpp).
//
// Threads: the dispatcher is OpenMP thread 0, the thread that initialised
// MPI (MPI_THREAD_FUNNELED), and it sleeps while it waits; the workers are
// the other `threads` threads of the same region, numbered 0..threads-1 in
// events. Alone (one rank) there is no dispatcher.
//
// Text blocks (piece.hpp, kPublishes): a worker decoding a large file may
// queue blocks of its text on its rank for the other workers to tokenize,
// which keep waiting for pieces until it is done with the file.
//
// Chains (piece.hpp, kChained): a worker that finishes a chained piece
// claims the piece that begins at its end from its rank's queue and
// processes it next, so a member's chunks decoded with the true window
// stay on one thread; a chain's head (kStayOnRank) stays where the most
// links wait, and the links go out last first, so the head runs from the
// front of the file while the other workers meet it from the back.
//
// Who processed which piece depends on timing; what a stage reports must
// not: stages keep results by file and combine them in input order.
//
// A failure (an exception from a piece, a source or the dispatcher) stops
// this rank's threads taking pieces; sources stop at their next piece. The
// first exception is rethrown to the caller, whose error path aborts the
// whole job, unless a source is still running after a grace period (a long
// download): then the engine aborts the job itself with that exception.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "pipeline/piece.hpp"
#include "pipeline/stage_progress.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

// Hands a source's pieces to the engine: one at a time, or a file's pieces
// at once (a chain's head and links must arrive together, so that no
// worker waiting for a piece grabs a link before the head is queued: the
// walk emits each file's pieces so).
class Emit {
 public:
  explicit Emit(std::function<void(std::vector<Piece>)> push) : push_(std::move(push)) {}
  void operator()(Piece piece) const {
    std::vector<Piece> one;
    one.push_back(std::move(piece));
    push_(std::move(one));
  }
  void operator()(std::vector<Piece> pieces) const { push_(std::move(pieces)); }

 private:
  std::function<void(std::vector<Piece>)> push_;
};
// What a stage does with pieces. Each worker thread calls start_worker once,
// then process for each piece it takes, with its own `thread` index: state
// kept per thread needs no lock. Once no piece is left, each worker calls
// finish_worker (not after a failure): per-thread tidying that would
// otherwise run on one thread after the engine, run on all of them at once.
class PieceWork {
 public:
  virtual ~PieceWork() = default;
  virtual void start_worker(int thread) = 0;
  virtual void process(const Piece& piece, int thread) = 0;
  virtual void finish_worker(int /*thread*/) {}
  // Where the chain of `piece`, just processed by `thread`, goes on: the
  // begin of the link to claim next (kChained); UINT64_MAX ends it. A stage
  // that processed more of the chain itself says so.
  [[nodiscard]] virtual std::uint64_t chain_next(const Piece& piece, int /*thread*/) { return piece.end; }
  // Called once per run before any worker starts: `local` queues pieces on
  // this rank (kTextBlock, while processing a kPublishes piece); valid
  // until the run ends.
  virtual void attach(const Emit& /*local*/) {}
};

// Runs on a thread of its own on rank 0 and emits pieces as it finds them;
// returning means it has no more.
using Source = std::function<void(const Emit&)>;

struct EngineSettings {
  int rank = 0;
  int ranks = 1;
  int threads = 1;                            // worker threads per rank
  std::uint64_t request_weight = 8ull << 20;  // weight a rank asks for at once, per worker thread
  // Added to the nice value of rank 0's workers while they run (0: none).
  // A source that waits on the network (downloads) is the run's longest
  // chain; with the workers nicer, its thread gets a core as soon as it
  // wakes instead of sharing one with a worker. Put back when the worker
  // is done where the system allows it (RLIMIT_NICE), else the workers stay
  // nicer for the rest of the process.
  int yield_nice = 0;
  // Where finished and queued pieces are counted for a progress line (on
  // every rank of the run, or on none); nullptr: not counted.
  StageProgress* progress = nullptr;
};

struct EngineTotals {
  double start = 0, end = 0;  // this rank's workers: first start, last end (its busy span)
  std::uint64_t pieces = 0;   // processed on this rank
};

// Collective over all ranks. `sources` are used on rank 0 only. `local`:
// pieces of this rank's own (a cut member's segments resolved here), queued
// before its workers start and never sent to another rank. Worker threads
// that wait longer than a moment for a piece record a `wait` event.
EngineTotals run_engine(const EngineSettings& settings, const std::vector<Source>& sources, PieceWork& work,
                        const results::Clock& clock, results::EventLog& log, std::vector<Piece> local = {});

}  // namespace juggle::pipeline
