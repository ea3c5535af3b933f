#include "pipeline/piece_queue.hpp"

namespace juggle::pipeline {

void PieceQueue::push(Piece piece) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    weight_ += piece.weight;
    pieces_.push(std::move(piece));
  }
  changed_.notify_one();
}

void PieceQueue::push(std::vector<Piece> pieces) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (Piece& p : pieces) {
      weight_ += p.weight;
      pieces_.push(std::move(p));
    }
  }
  changed_.notify_all();
}

void PieceQueue::producer_done() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (producers_ > 0) --producers_;
  }
  changed_.notify_all();
}

void PieceQueue::cancel() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  changed_.notify_all();
  refill_.notify_all();
}

std::optional<Piece> PieceQueue::pop() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return cancelled_ || !pieces_.empty() || producers_ == 0; });
  if (cancelled_ || pieces_.empty()) return std::nullopt;
  // Moved out, not copied (a path each): the heap's order reads no path.
  Piece piece = std::move(const_cast<Piece&>(pieces_.top()));
  pieces_.pop();
  weight_ -= piece.weight;
  const bool wake_refill = pieces_.size() < refill_below_;
  lock.unlock();
  if (wake_refill) refill_.notify_one();
  return piece;
}

std::vector<Piece> PieceQueue::take(std::size_t max_pieces, std::uint64_t max_weight) {
  std::vector<Piece> taken;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::uint64_t weight = 0;
    while (!pieces_.empty() && !cancelled_ && taken.size() < max_pieces && (taken.empty() || weight < max_weight)) {
      weight += pieces_.top().weight;
      weight_ -= pieces_.top().weight;
      taken.push_back(std::move(const_cast<Piece&>(pieces_.top())));
      pieces_.pop();
    }
  }
  return taken;
}

void PieceQueue::wait_below(std::size_t count) {
  std::unique_lock<std::mutex> lock(mutex_);
  refill_below_ = count;
  refill_.wait(lock, [&] { return cancelled_ || pieces_.size() < count; });
  refill_below_ = 0;
}

bool PieceQueue::drained() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return producers_ == 0 && pieces_.empty();
}

std::uint64_t PieceQueue::weight() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return weight_;
}

bool PieceQueue::closed() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return producers_ == 0;
}

}  // namespace juggle::pipeline
