#include "pipeline/text_blocks.hpp"

#include <algorithm>

namespace juggle::pipeline {

bool TextBlocks::offer(std::uint64_t file, std::vector<std::uint8_t>& text) {
  Piece ticket;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    Out& out = out_[file];
    if (!local_ || out.blocks >= kBlocksPerHelper * helpers_) return false;
    ++out.blocks;
    const std::uint64_t id = next_id_++;
    ticket = {file, id, id + 1, text.size(), kTokenize, false, {}, kTextBlock | kStayOnRank};
    queued_[id] = {file, std::move(text)};
    text.clear();
    if (!spare_.empty()) {
      text = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  (*local_)(std::move(ticket));
  return true;
}

std::optional<TextBlocks::Block> TextBlocks::take_back(std::uint64_t file) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = std::find_if(queued_.begin(), queued_.end(), [&](const auto& q) { return q.second.file == file; });
  if (it == queued_.end()) return std::nullopt;
  Block block = std::move(it->second);
  queued_.erase(it);
  --out_[file].blocks;
  return block;
}

tokenize::TokenStats TextBlocks::close(std::uint64_t file, bool read_whole) {
  std::unique_lock<std::mutex> lock(mutex_);
  block_done_.wait(lock, [&] { return out_[file].blocks == 0; });
  const tokenize::TokenStats seen = out_[file].seen;
  out_.erase(file);
  verdicts_[file] = read_whole;
  return seen;
}

std::optional<TextBlocks::Block> TextBlocks::take(std::uint64_t id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = queued_.find(id);
  if (it == queued_.end()) return std::nullopt;
  Block block = std::move(it->second);
  queued_.erase(it);
  return block;
}

void TextBlocks::done(Block block, const tokenize::TokenStats& stats) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    Out& out = out_[block.file];
    out.seen += stats;
    --out.blocks;
    block.text.clear();
    spare_.push_back(std::move(block.text));
  }
  block_done_.notify_all();
}

std::optional<bool> TextBlocks::verdict(std::uint64_t file) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = verdicts_.find(file);
  if (it == verdicts_.end()) return std::nullopt;
  return it->second;
}

void BlockSink::consume(std::span<const std::uint8_t> bytes) {
  if (text_.capacity() < TextBlocks::kBlockBytes) text_.reserve(TextBlocks::kBlockBytes + (1u << 20));
  text_.insert(text_.end(), bytes.begin(), bytes.end());
  if (text_.size() >= TextBlocks::kBlockBytes) cut();
}

void BlockSink::cut() {
  // The last split byte so far; bytes looked at before are not again, so a
  // long run without one costs no more than one look.
  for (std::size_t i = text_.size(); i > scanned_; --i)
    if (tokenize::is_split_byte(text_[i - 1])) {
      last_split_ = std::max(last_split_, i - 1);
      break;
    }
  scanned_ = text_.size();
  if (last_split_ == 0) return;  // no place to cut yet: the block grows
  std::vector<std::uint8_t> rest(text_.begin() + static_cast<std::ptrdiff_t>(last_split_), text_.end());
  text_.resize(last_split_);
  if (!blocks_.offer(file_, text_)) {
    tokenizer_.piece(text_);
    text_.clear();
  }
  // The rest starts at the split byte, the last there was: nothing in it
  // to look at again.
  text_.insert(text_.end(), rest.begin(), rest.end());
  scanned_ = text_.size();
  last_split_ = 0;
}

void BlockSink::finish() {
  tokenizer_.piece(text_);
  text_.clear();
  while (std::optional<TextBlocks::Block> back = blocks_.take_back(file_)) tokenizer_.piece(back->text);
}

}  // namespace juggle::pipeline
