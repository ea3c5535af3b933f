#include "pipeline/dispatch.hpp"

#include <cstring>
#include <algorithm>
#include <deque>
#include <stdexcept>

#include "parallel/messages.hpp"

namespace juggle::pipeline {
namespace {

// Tags of the engine's messages (MPI_COMM_WORLD; no other code of juggle
// sends point-to-point).
constexpr int kRequestTag = 0x6a01;
constexpr int kGrantTag = 0x6a02;

// The longest a dispatcher sleeps between polls. Ranks ask before they run
// out, so this latency is hidden unless a source is slower than the work.
constexpr int kMaxSleepMicroseconds = 200;

// A batch is at most 1/(this x ranks) of the weight queued at rank 0.
constexpr std::uint64_t kShareDivisor = 2;

// What a request carries: how much to send, and what the asking rank has
// finished so far (for rank 0's progress line).
struct RequestBody {
  RequestSize size;
  ProgressCount done;
};

struct Request {
  int rank = 0;
  RequestSize size;
};

std::vector<char> encode(const RequestBody& r) {
  std::vector<char> bytes(sizeof r);
  std::memcpy(bytes.data(), &r, sizeof r);
  return bytes;
}

RequestBody decode(const std::vector<char>& bytes) {
  RequestBody r;
  if (bytes.size() != sizeof r) throw std::runtime_error("piece engine: a malformed request");
  std::memcpy(&r, bytes.data(), sizeof r);
  return r;
}

}  // namespace

void serve_pieces(PieceQueue& ready, int ranks, const std::atomic<bool>& stop, StageProgress* progress) {
  std::deque<Request> waiting;  // in arrival order
  int told_done = 0;
  parallel::Backoff backoff(kMaxSleepMicroseconds);
  while (told_done < ranks - 1 && !stop.load(std::memory_order_relaxed)) {
    bool acted = false;
    while (std::optional<parallel::Message> m = parallel::poll_message(kRequestTag)) {
      const RequestBody body = decode(m->bytes);
      if (progress) progress->reported(m->source, body.done);
      waiting.push_back({m->source, body.size});
      acted = true;
    }
    while (!waiting.empty()) {
      const Request& r = waiting.front();
      // Guided: a batch is at most a fair share of what is queued, so the
      // last pieces spread over every rank instead of one rank's hand.
      const std::uint64_t share = ready.weight() / (kShareDivisor * static_cast<std::uint64_t>(ranks));
      const std::vector<Piece> batch = ready.take(r.size.pieces, std::min(r.size.weight, share));
      if (batch.empty()) {
        if (!ready.drained()) break;  // nothing now, more to come: the request waits
        ++told_done;
      }
      parallel::send_message(r.rank, kGrantTag, encode_pieces(batch));
      waiting.pop_front();
      acted = true;
    }
    if (acted) backoff.reset();
    else backoff.idle();
  }
}

void stock_pieces(PieceQueue& local, std::size_t low_water, RequestSize ask, const std::atomic<bool>& stop,
                  const StageProgress* progress) {
  while (!stop.load(std::memory_order_relaxed)) {
    local.wait_below(low_water);
    if (stop.load(std::memory_order_relaxed)) break;
    parallel::send_message(0, kRequestTag, encode({ask, progress ? progress->finished_here() : ProgressCount{}}));
    const std::optional<parallel::Message> grant = parallel::await_message(0, kGrantTag, stop, kMaxSleepMicroseconds);
    if (!grant) break;
    std::optional<std::vector<Piece>> pieces = decode_pieces(grant->bytes);
    if (!pieces) throw std::runtime_error("piece engine: a malformed grant from rank 0");
    if (pieces->empty()) break;  // rank 0 has nothing left
    local.push(std::move(*pieces));
  }
  local.producer_done();
}

}  // namespace juggle::pipeline
