// Blocks of decoded text that the worker decoding a gzip file hands to the
// other workers of its rank, so that one file is tokenized on several
// threads while it is decoded once.
//
// Why. Inflating is a third to a half of tokenizing a gzip file; one thread
// decodes at 600-700 MB/s here while tokenizing runs at 300-450. With the
// text handed out in blocks, 2 threads read one member about twice as fast
// as one, with no second decode (the deflate chunk rounds,
// tokenize_stage.hpp, cost one; they win from about 4 workers on).
//
// How. The decoder cuts its output into blocks of about kBlockBytes just
// before a split byte (tokenize/tokenizer.hpp), so each block is tokenized
// on its own exactly as in one pass. It offers each block to the rank's
// queue (a kTextBlock piece, engine.hpp) while fewer blocks of the file are
// queued or being read than kBlocksPerHelper per other worker, and
// tokenizes it itself otherwise, so it never waits and memory stays at a
// few blocks per worker. When the file is decoded, it takes back the blocks nobody has
// taken, waits for the ones being read, and records the verdict: a helper's
// words wait in a map of its own per file until then (pending), and join
// the counts only for a file read whole, as a piece's words do.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "gzip/gzip_decoder.hpp"
#include "pipeline/engine.hpp"
#include "tokenize/tokenizer.hpp"

namespace juggle::pipeline {

class TextBlocks {
 public:
  static constexpr std::size_t kBlockBytes = 1u << 20;
  // Blocks of one file out at once, per helper: with one, the decoder
  // finds its helper busy every other block and reads that one itself.
  static constexpr int kBlocksPerHelper = 2;

  struct Block {
    std::uint64_t file = 0;
    std::vector<std::uint8_t> text;
  };

  // `helpers`: the workers of this rank besides a decoder.
  explicit TextBlocks(int helpers) : helpers_(helpers) {}
  // The rank's queue, for this run (PieceWork::attach).
  void attach(const Emit& local) { local_.emplace(local); }

  // The decoder of `file`: queues `text` (moved out and replaced by a
  // recycled buffer) unless enough blocks of the file are out; false then.
  [[nodiscard]] bool offer(std::uint64_t file, std::vector<std::uint8_t>& text);
  // A block of `file` still queued, taken back.
  [[nodiscard]] std::optional<Block> take_back(std::uint64_t file);
  // After its last take_back: waits until the blocks other workers took are
  // read, records whether the file was read whole, and returns what they
  // saw.
  [[nodiscard]] tokenize::TokenStats close(std::uint64_t file, bool read_whole);

  // A helper: the block a kTextBlock piece names, unless its decoder took
  // it back; then done() with what it saw.
  [[nodiscard]] std::optional<Block> take(std::uint64_t id);
  void done(Block block, const tokenize::TokenStats& stats);

  // Whether a file whose decoder has closed was read whole; nullopt while
  // it is being decoded.
  [[nodiscard]] std::optional<bool> verdict(std::uint64_t file) const;

 private:
  struct Out {
    int blocks = 0;  // queued or being read
    tokenize::TokenStats seen;
  };
  int helpers_;
  std::optional<Emit> local_;
  mutable std::mutex mutex_;
  std::condition_variable block_done_;
  std::uint64_t next_id_ = 0;
  std::map<std::uint64_t, Block> queued_;  // by id
  std::map<std::uint64_t, Out> out_;       // by file
  std::map<std::uint64_t, bool> verdicts_;
  std::vector<std::vector<std::uint8_t>> spare_;  // buffers to reuse (fresh memory is slow to touch)
};

// The decoder's sink: decoded bytes into blocks, each offered or tokenized
// here with `tokenizer`.
class BlockSink final : public gzip::OutputSink {
 public:
  BlockSink(TextBlocks& blocks, std::uint64_t file, tokenize::Tokenizer& tokenizer)
      : blocks_(blocks), file_(file), tokenizer_(tokenizer) {}
  void consume(std::span<const std::uint8_t> bytes) override;
  // End of stream: tokenizes the rest and the blocks taken back.
  void finish();

 private:
  void cut();
  TextBlocks& blocks_;
  std::uint64_t file_;
  tokenize::Tokenizer& tokenizer_;
  std::vector<std::uint8_t> text_;
  std::size_t scanned_ = 0;     // bytes of text_ looked at for split bytes
  std::size_t last_split_ = 0;  // the last split byte among them (0: none after the first byte)
};

}  // namespace juggle::pipeline
