#include "pipeline/stage_progress.hpp"

namespace juggle::pipeline {

StageProgress::StageProgress(int ranks) : others_(new Counter[static_cast<std::size_t>(ranks)]), ranks_(ranks) {}

void StageProgress::queued(const std::vector<Piece>& pieces) noexcept {
  for (const Piece& p : pieces) {
    queued_.pieces.fetch_add(1, std::memory_order_relaxed);
    queued_.weight.fetch_add(p.weight, std::memory_order_relaxed);
  }
}

void StageProgress::sources_done() noexcept { listing_.store(false, std::memory_order_relaxed); }

void StageProgress::finished(const Piece& piece) noexcept {
  if (piece.flags & kTextBlock) return;
  here_.pieces.fetch_add(1, std::memory_order_relaxed);
  here_.weight.fetch_add(piece.weight, std::memory_order_relaxed);
}

ProgressCount StageProgress::finished_here() const noexcept {
  return {here_.pieces.load(std::memory_order_relaxed), here_.weight.load(std::memory_order_relaxed)};
}

void StageProgress::reported(int rank, ProgressCount done) noexcept {
  if (rank <= 0 || rank >= ranks_) return;
  Counter& c = others_[static_cast<std::size_t>(rank)];
  c.pieces.store(done.pieces, std::memory_order_relaxed);
  c.weight.store(done.weight, std::memory_order_relaxed);
}

ProgressSnapshot StageProgress::snapshot() const noexcept {
  ProgressSnapshot s;
  s.listing = listing_.load(std::memory_order_relaxed);
  s.queued = {queued_.pieces.load(std::memory_order_relaxed), queued_.weight.load(std::memory_order_relaxed)};
  s.done = finished_here();
  for (int r = 1; r < ranks_; ++r) {
    s.done.pieces += others_[static_cast<std::size_t>(r)].pieces.load(std::memory_order_relaxed);
    s.done.weight += others_[static_cast<std::size_t>(r)].weight.load(std::memory_order_relaxed);
  }
  return s;
}

}  // namespace juggle::pipeline
