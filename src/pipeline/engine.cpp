#include "pipeline/engine.hpp"

#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "parallel/fault_injection.hpp"
#include "parallel/first_exception.hpp"
#include "parallel/mpi_session.hpp"
#include "pipeline/dispatch.hpp"
#include "pipeline/piece_queue.hpp"

namespace juggle::pipeline {
namespace {

// A worker's wait for a piece shorter than this is not worth an event.
constexpr double kWaitWorthRecording = 50e-6;

// How long a failed run waits for its sources to stop before aborting.
constexpr std::chrono::milliseconds kSourceGrace{2000};

// Thrown into a source by its emit once the run has failed.
struct SourceStopped : std::runtime_error {
  SourceStopped() : std::runtime_error("the piece engine stopped") {}
};

// Pieces a rank asks for at once, per worker thread, when they are small.
constexpr std::uint64_t kPiecesPerRequest = 256;

struct Shared {
  std::atomic<bool> failed{false};
  parallel::FirstException error;

  template <class F>
  void guard(PieceQueue& queue, F&& body) {
    error.capture([&] {
      try {
        body();
      } catch (...) {
        failed = true;
        queue.cancel();
        throw;
      }
    });
  }
};

// Makes the calling thread nicer by `by` for its lifetime, then tries to
// put its nice value back (refused without privilege: see yield_nice).
class NicerThread {
 public:
  explicit NicerThread(int by) {
    if (by <= 0) return;
    tid_ = static_cast<id_t>(::gettid());
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid_);
    if (errno != 0) return;
    before_ = now;
    changed_ = ::setpriority(PRIO_PROCESS, tid_, std::min(now + by, 19)) == 0;
  }
  ~NicerThread() {
    if (changed_) (void)::setpriority(PRIO_PROCESS, tid_, before_);
  }
  NicerThread(const NicerThread&) = delete;
  NicerThread& operator=(const NicerThread&) = delete;

 private:
  id_t tid_ = 0;
  int before_ = 0;
  bool changed_ = false;
};

// Returns when the worker finished its last piece.
double work_on(PieceQueue& queue, PieceWork& work, int rank, int thread, int nicer_by, Shared& shared,
               const results::Clock& clock, results::EventLog& log, std::atomic<std::uint64_t>& pieces,
               StageProgress* progress) {
  const NicerThread nicer(nicer_by);
  double finished = clock.now();
  shared.guard(queue, [&] {
    work.start_worker(thread);
    for (bool first = true;; first = false) {
      const double asked = clock.now();
      std::optional<Piece> piece = queue.pop();
      const double got = clock.now();
      if (got - asked > kWaitWorthRecording) log.record(thread, results::Stage::wait, asked, got);
      if (shared.failed) return;
      if (!piece) {
        work.finish_worker(thread);
        finished = clock.now();
        return;
      }
      if (first) parallel::inject_fault_if_asked(rank, "piece");
      // A chain stays on this thread while its next link is still queued here.
      for (std::optional<Piece> link = std::move(piece); link && !shared.failed;) {
        work.process(*link, thread);
        if (link->flags & kPublishes) queue.publisher_done();
        finished = clock.now();
        pieces.fetch_add(1, std::memory_order_relaxed);
        if (progress) progress->finished(*link);
        link = (link->flags & kChained) ? queue.claim(link->file, work.chain_next(*link, thread)) : std::nullopt;
      }
    }
  });
  return finished;
}

}  // namespace

EngineTotals run_engine(const EngineSettings& s, const std::vector<Source>& sources, PieceWork& work,
                        const results::Clock& clock, results::EventLog& log, std::vector<Piece> local) {
  const bool root = s.rank == 0;
  // Rank 0's queue is fed by its sources; another rank's by its dispatcher.
  // Both outlive this call if a failure leaves source threads running.
  const auto queue_owner = std::make_shared<PieceQueue>(root ? static_cast<int>(sources.size()) : 1);
  const auto shared_owner = std::make_shared<Shared>();
  PieceQueue& queue = *queue_owner;
  Shared& shared = *shared_owner;
  for (Piece& p : local) p.flags |= kStayOnRank;  // rank 0's dispatcher gives none of them away
  if (!local.empty()) queue.push(std::move(local));
  std::vector<std::thread> source_threads;
  const auto sources_running = std::make_shared<std::atomic<int>>(root ? static_cast<int>(sources.size()) : 0);
  if (root)
    for (const Source& source : sources)
      source_threads.emplace_back([queue_owner, shared_owner, sources_running, source, progress = s.progress] {
        shared_owner->guard(*queue_owner, [&] {
          try {
            source(Emit([&](std::vector<Piece> pieces) {
              if (shared_owner->failed) throw SourceStopped();  // the run has failed: stop at the next piece
              if (progress) progress->queued(pieces);
              queue_owner->push(std::move(pieces));
            }));
          } catch (const SourceStopped&) {
            // Not this source's failure: whoever failed the run keeps its own exception.
          }
        });
        queue_owner->producer_done();
        if (--*sources_running == 0 && progress) progress->sources_done();
      });

  const Emit emit_here([queue_owner](std::vector<Piece> pieces) { queue_owner->push(std::move(pieces)); });
  work.attach(emit_here);
  const bool dispatcher = s.ranks > 1;
  const RequestSize ask{kPiecesPerRequest * static_cast<std::uint64_t>(s.threads),
                        s.request_weight * static_cast<std::uint64_t>(s.threads)};
  std::atomic<std::uint64_t> processed{0};
  std::vector<double> finished(static_cast<std::size_t>(s.threads), 0.0);
  EngineTotals totals;
  totals.start = clock.now();
#pragma omp parallel num_threads(s.threads + (dispatcher ? 1 : 0))
  {
    const int omp_thread = omp_get_thread_num();
    // OpenMP may give fewer threads than asked (OMP_THREAD_LIMIT, OMP_DYNAMIC):
    // the dispatcher needs at least one worker beside it.
    if (dispatcher && omp_get_num_threads() < 2) {
      shared.guard(queue, [] {
        throw std::runtime_error("the piece engine needs 2 OpenMP threads per rank under MPI; OpenMP gave 1");
      });
    } else if (dispatcher && omp_thread == 0) {
      shared.guard(queue, [&] {
        if (root)
          serve_pieces(queue, s.ranks, shared.failed, s.progress);
        else
          stock_pieces(queue, static_cast<std::size_t>(s.threads), ask, shared.failed, s.progress);
      });
    } else {
      const int thread = omp_thread - (dispatcher ? 1 : 0);
      finished[static_cast<std::size_t>(thread)] =
          work_on(queue, work, s.rank, thread, root ? s.yield_nice : 0, shared, clock, log, processed, s.progress);
    }
  }
  totals.end = *std::max_element(finished.begin(), finished.end());
  totals.pieces = processed;
  if (shared.failed) {
    // A source stops at its next piece. One that does not come back in time
    // (a download in progress) holds references into the caller's stack, so
    // the job is aborted here, without unwinding.
    const auto give_up = std::chrono::steady_clock::now() + kSourceGrace;
    while (*sources_running > 0 && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (*sources_running > 0) parallel::abort_job_for(__FILE__, __LINE__, shared.error.get());
  }
  for (std::thread& t : source_threads) t.join();
  shared.error.rethrow();
  return totals;
}

}  // namespace juggle::pipeline
