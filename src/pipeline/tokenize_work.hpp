// The tokenize stage's work on one piece: a whole file (gzip or plain), a
// byte range of a plain file (tokenize/piece_reader.hpp), or one gzip
// member in two rounds: its deflate chunks counted as the count stage
// counts them (count_work.hpp, windows kept), then, once rank 0 has joined
// them, its segments decoded again with their windows
// (tokenize/segment_reader.hpp). A large gzip file read whole on a rank of
// several threads is tokenized with the rank's other workers' help
// (text_blocks.hpp). Each worker
// thread tokenizes into a map of its own; a piece's words join the thread's
// map only when the piece was read completely, so a corrupt file read whole
// adds nothing to the counts (a file read in byte ranges or segments: each
// piece on its own verdict; segments fail only if the file changed after
// the join checked it). Word counts are sums, so the merged map is the
// same whatever thread or rank took which piece.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "pipeline/count_work.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/text_blocks.hpp"
#include "pipeline/work_context.hpp"
#include "tokenize/piece_reader.hpp"
#include "tokenize/segment_reader.hpp"
#include "tokenize/word_cache.hpp"
#include "tokenize/word_counts.hpp"

namespace juggle::pipeline {

// A piece's result as it crosses ranks (trivially copyable).
struct PieceRecord {
  std::uint64_t file = 0;   // the file's id
  std::uint64_t begin = 0;  // the piece's nominal first byte (orders a file's pieces)
  tokenize::TokenStats text;
  gzip::GzipResult decode;
  std::uint8_t gzip = 0;
  std::int32_t rank = -1;
  std::int32_t thread = -1;
  double seconds = 0;
};

class TokenizeWork final : public PieceWork {
 public:
  TokenizeWork(const WorkContext& context, const tokenize::TokenizeOptions& rule);

  void start_worker(int thread) override;
  void process(const Piece& piece, int thread) override;
  // Empties the thread's word cache into its map.
  void finish_worker(int thread) override;
  [[nodiscard]] std::uint64_t chain_next(const Piece& piece, int thread) override;
  void attach(const Emit& local) override { blocks_.attach(local); }

  // Tokenizes `piece` on `thread`, its decoded gzip bytes also fed to
  // `decoded_also` (tokenize_piece's contract), and keeps its record;
  // records no event. Returns the piece's result.
  tokenize::PieceResult tokenize(const Piece& piece, int thread, gzip::OutputSink* decoded_also, double& t0,
                                 double& t1);

  [[nodiscard]] std::vector<PieceRecord> take_records();
  // The deflate chunks' records (CountWork::take_chunk_records).
  [[nodiscard]] ChunkRecords take_chunk_records() { return chunks_.take_chunk_records(); }
  // Every thread's words in one map; the work keeps none.
  [[nodiscard]] tokenize::WordCounts take_counts();

 private:
  struct alignas(64) Worker {
    std::unique_ptr<gzip::GzipWorkspace> workspace;
    tokenize::WordCounts piece_counts;           // the piece being read
    std::unique_ptr<tokenize::WordCache> cache;  // over piece_counts, reused by every piece
    tokenize::WordCounts counts;                 // the thread's complete pieces
    std::unique_ptr<tokenize::SegmentReader> segments;  // made for the first segment
    // Other workers' text blocks: counted through block_cache into
    // block_counts (all of file block_file), set aside by file when a block
    // of another file comes, until their decoder's verdict.
    tokenize::WordCounts block_counts;
    std::unique_ptr<tokenize::WordCache> block_cache;
    std::uint64_t block_file = 0;
    tokenize::TokenStats helped;  // what other workers read of the piece in hand (text blocks)
    std::map<std::uint64_t, tokenize::WordCounts> pending;
    std::vector<PieceRecord> records;
  };
  // Keeps the piece's words when it was read completely.
  void keep_or_discard(Worker& w, const tokenize::PieceResult& result, const std::string& path);
  // A gzip file decoded here, its text blocks offered to the other workers.
  tokenize::PieceResult tokenize_handing_out(const Piece& piece, Worker& w);
  // Another worker's text block (kTextBlock).
  void help(const Piece& ticket, int thread);
  // The counts of w.block_file's blocks into w.pending; pending files whose
  // decoder is done into w.counts (read whole) or away.
  void set_aside_blocks(Worker& w);
  WorkContext context_;
  tokenize::TokenizeOptions rule_;
  CountWork chunks_;
  TextBlocks blocks_;
  std::vector<Worker> workers_;
};

}  // namespace juggle::pipeline
