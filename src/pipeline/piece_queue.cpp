#include "pipeline/piece_queue.hpp"

#include <algorithm>

namespace juggle::pipeline {

void PieceQueue::push(Piece piece) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    add(std::move(piece));
  }
  changed_.notify_one();
}

void PieceQueue::push(std::vector<Piece> pieces) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (Piece& p : pieces) add(std::move(p));
  }
  changed_.notify_all();
}

void PieceQueue::add(Piece piece) {
  weight_ += piece.weight;
  if (piece.flags & kStayOnRank) ++staying_;
  pieces_.push_back(std::move(piece));
  std::push_heap(pieces_.begin(), pieces_.end(), Lighter{});
}

void PieceQueue::producer_done() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (producers_ > 0) --producers_;
  }
  changed_.notify_all();
}

void PieceQueue::publisher_done() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (publishers_ > 0) --publishers_;
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
  changed_.wait(lock, [&] { return cancelled_ || !pieces_.empty() || (producers_ == 0 && publishers_ == 0); });
  if (cancelled_ || pieces_.empty()) return std::nullopt;
  Piece piece = pop_top();
  if (piece.flags & kPublishes) ++publishers_;
  const bool wake_refill = pieces_.size() < refill_below_;
  lock.unlock();
  if (wake_refill) refill_.notify_one();
  return piece;
}

std::vector<Piece> PieceQueue::take(std::size_t max_pieces, std::uint64_t max_weight) {
  std::vector<Piece> taken;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (staying_ == pieces_.size()) return taken;  // only pieces that stay here
    std::uint64_t weight = 0;
    std::vector<Piece> kept;
    while (!pieces_.empty() && !cancelled_ && taken.size() < max_pieces && (taken.empty() || weight < max_weight)) {
      Piece piece = pop_top();
      if (piece.flags & kStayOnRank) {
        kept.push_back(std::move(piece));
        continue;
      }
      weight += piece.weight;
      taken.push_back(std::move(piece));
    }
    for (Piece& p : kept) add(std::move(p));
  }
  return taken;
}

std::optional<Piece> PieceQueue::claim(std::uint64_t file, std::uint64_t begin) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it =
      std::find_if(pieces_.begin(), pieces_.end(), [&](const Piece& p) { return p.file == file && p.begin == begin; });
  if (cancelled_ || it == pieces_.end()) return std::nullopt;
  Piece piece = std::move(*it);
  pieces_.erase(it);
  std::make_heap(pieces_.begin(), pieces_.end(), Lighter{});
  weight_ -= piece.weight;
  if (piece.flags & kStayOnRank) --staying_;
  if (pieces_.size() < refill_below_) refill_.notify_one();
  return piece;
}

Piece PieceQueue::pop_top() {
  // Moved out, not copied (a path each): the heap's order reads no path.
  std::pop_heap(pieces_.begin(), pieces_.end(), Lighter{});
  Piece piece = std::move(pieces_.back());
  pieces_.pop_back();
  weight_ -= piece.weight;
  if (piece.flags & kStayOnRank) --staying_;
  return piece;
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
