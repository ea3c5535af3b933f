// Pieces ready to be processed, shared by the threads of one rank: the
// sources (or the rank's dispatcher) push, the workers pop.
//
// Heaviest first, ties by file id and offset (the chunks of one member,
// kChained, last chunk first: the chain's head runs from the front and
// meets them): while the inputs are still
// being discovered the order is whatever has arrived; once they are all
// known it is longest-processing-time first, so the pieces left at the end
// of a run are the small ones and no thread finishes long after the others.
// The queue is open while any of its producers is, and while a kPublishes
// piece it gave out is being processed (its worker may push more); a pop on
// an empty open queue waits, on an empty closed one returns nothing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "pipeline/piece.hpp"

namespace juggle::pipeline {

class PieceQueue {
 public:
  explicit PieceQueue(int producers) : producers_(producers) {}

  void push(Piece piece);
  void push(std::vector<Piece> pieces);
  // One producer has finished; the last one closes the queue.
  void producer_done();
  // The worker of a kPublishes piece popped here is done with it.
  void publisher_done();
  // Wakes every waiting thread; pops return nothing from now on.
  void cancel();

  // The heaviest piece; waits while the queue is empty and open. Nothing
  // once it is closed and empty, or cancelled.
  [[nodiscard]] std::optional<Piece> pop();
  // Without waiting, for another rank: heaviest first, up to `max_pieces`,
  // stopping once their weights reach `max_weight` (at least one piece when
  // there is one), never a kStayOnRank piece.
  [[nodiscard]] std::vector<Piece> take(std::size_t max_pieces, std::uint64_t max_weight);
  // The queued piece of `file` that begins at `begin`, if there is one (a
  // chain's next link), without waiting.
  [[nodiscard]] std::optional<Piece> claim(std::uint64_t file, std::uint64_t begin);
  // Waits until fewer than `count` pieces are queued, or the queue is
  // cancelled. One thread at a time (the rank's dispatcher, which refills
  // below this mark).
  void wait_below(std::size_t count);

  [[nodiscard]] bool drained() const;  // closed and empty
  [[nodiscard]] std::uint64_t weight() const;  // of the pieces queued
  [[nodiscard]] bool closed() const;

 private:
  struct Lighter {
    bool operator()(const Piece& a, const Piece& b) const noexcept {
      if (a.weight != b.weight) return a.weight < b.weight;
      if (a.file != b.file) return a.file > b.file;
      if ((a.flags & kChained) && (b.flags & kChained)) return a.begin < b.begin;
      return a.begin > b.begin;
    }
  };
  Piece pop_top();        // with the lock held, the queue not empty
  void add(Piece piece);  // with the lock held
  mutable std::mutex mutex_;
  std::condition_variable changed_;  // a piece arrived, the queue closed or was cancelled
  std::condition_variable refill_;   // the queue fell below refill_below_
  std::size_t refill_below_ = 0;     // 0: nobody waits to refill
  std::uint64_t weight_ = 0;
  std::vector<Piece> pieces_;  // a heap by Lighter
  std::size_t staying_ = 0;    // kStayOnRank pieces among them
  int producers_;
  int publishers_ = 0;  // kPublishes pieces given out and not yet done
  bool cancelled_ = false;
};

}  // namespace juggle::pipeline
