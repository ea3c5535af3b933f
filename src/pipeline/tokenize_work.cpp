#include "pipeline/tokenize_work.hpp"

#include <unistd.h>

#include "gzip/byte_source.hpp"
#include "pipeline/input_failure.hpp"
#include "tokenize/vocabulary.hpp"

namespace juggle::pipeline {

TokenizeWork::TokenizeWork(const WorkContext& context, const tokenize::TokenizeOptions& rule)
    : context_(context),
      rule_(rule),
      chunks_(context, {true, results::Stage::tokenize_piece}),
      blocks_(context.threads - 1),
      workers_(static_cast<std::size_t>(context.threads)) {}

void TokenizeWork::start_worker(int thread) {
  chunks_.start_worker(thread);
  Worker& w = workers_[static_cast<std::size_t>(thread)];
  w.workspace = std::make_unique<gzip::GzipWorkspace>(context_.backend);
  w.cache = std::make_unique<tokenize::WordCache>(w.piece_counts);
  w.cache->hold(w.counts);  // cached counts stay cached across pieces; commit() gives them to w.counts
}

tokenize::PieceResult TokenizeWork::tokenize(const Piece& piece, int thread, gzip::OutputSink* decoded_also, double& t0,
                                             double& t1) {
  Worker& w = workers_[static_cast<std::size_t>(thread)];
  t0 = context_.clock.now();
  tokenize::PieceResult result;
  if (piece.flags & kResolvedSegment) {
    if (!w.segments) w.segments = std::make_unique<tokenize::SegmentReader>();
    result = w.segments->tokenize(
        {piece.path, piece.begin, piece.end, piece.window, (piece.flags & kMemberStart) != 0}, rule_, *w.cache);
  } else if (piece.flags & kStandardInput) {
    result = tokenize::tokenize_stream(STDIN_FILENO, *w.workspace, rule_, *w.cache, decoded_also);
  } else if ((piece.flags & kPublishes) && context_.threads > 1 && decoded_also == nullptr) {
    result = tokenize_handing_out(piece, w);
  } else {
    result = tokenize::tokenize_piece({piece.path, piece.begin, piece.end, piece.whole_file}, *w.workspace, rule_,
                                      *w.cache, decoded_also);
  }
  keep_or_discard(w, result, piece.path);
  t1 = context_.clock.now();
  w.records.push_back({piece.file, piece.begin, result.text, result.decode,
                       result.gzip ? std::uint8_t{1} : std::uint8_t{0}, context_.rank, thread, t1 - t0});
  return result;
}

void TokenizeWork::keep_or_discard(Worker& w, const tokenize::PieceResult& result, const std::string& path) {
  if (context_.strict && result.decode.status != gzip::GzipStatus::ok)
    stop_job_for_input(path, gzip::status_message(result.decode.status, result.decode.sys_errno));
  if (result.decode.status == gzip::GzipStatus::ok) {
    w.cache->commit();
    tokenize::merge_into(w.counts, w.piece_counts);
  } else {
    w.cache->discard();
  }
  w.piece_counts.clear();
}

tokenize::PieceResult TokenizeWork::tokenize_handing_out(const Piece& piece, Worker& w) {
  if (!tokenize::file_is_gzip(piece.path))  // plain text after all (or unreadable: the reader says why)
    return tokenize::tokenize_piece({piece.path, piece.begin, piece.end, piece.whole_file}, *w.workspace, rule_,
                                    *w.cache);
  tokenize::PieceResult result;
  result.gzip = true;
  tokenize::Tokenizer tokenizer(rule_, *w.cache);
  BlockSink sink(blocks_, piece.file, tokenizer);
  gzip::FileSource source(piece.path);
  result.decode = gzip::decode_gzip(source, *w.workspace, sink);
  sink.finish();
  result.text = tokenizer.stats();
  w.helped = blocks_.close(piece.file, result.decode.status == gzip::GzipStatus::ok);
  result.text += w.helped;
  return result;
}

void TokenizeWork::help(const Piece& ticket, int thread) {
  std::optional<TextBlocks::Block> block = blocks_.take(ticket.begin);
  if (!block) return;  // its decoder took it back
  Worker& w = workers_[static_cast<std::size_t>(thread)];
  const double t0 = context_.clock.now();
  tokenize::TokenStats stats;
  try {
    if (!w.block_cache) w.block_cache = std::make_unique<tokenize::WordCache>(w.block_counts);
    if (w.block_file != block->file) set_aside_blocks(w);
    w.block_file = block->file;
    tokenize::Tokenizer tokenizer(rule_, *w.block_cache);
    tokenizer.piece(block->text);
    stats = tokenizer.stats();
  } catch (...) {
    blocks_.done(std::move(*block), {});  // the decoder waits for every block it handed out
    throw;
  }
  blocks_.done(std::move(*block), stats);
  context_.log.record(thread, results::Stage::tokenize_piece, t0, context_.clock.now(), stats.bytes, stats.words);
}

void TokenizeWork::set_aside_blocks(Worker& w) {
  if (!w.block_cache) return;
  w.block_cache->flush();
  if (!w.block_counts.empty()) tokenize::merge_into(w.pending[w.block_file], w.block_counts);
  // Files whose decoder is done: their words join or leave now, so a
  // helper holds at most the files still being decoded.
  for (auto it = w.pending.begin(); it != w.pending.end();) {
    const std::optional<bool> whole = blocks_.verdict(it->first);
    if (!whole) {
      ++it;
      continue;
    }
    if (*whole) tokenize::merge_into(w.counts, it->second);
    it = w.pending.erase(it);
  }
}

std::uint64_t TokenizeWork::chain_next(const Piece& piece, int thread) { return chunks_.chain_next(piece, thread); }

void TokenizeWork::process(const Piece& piece, int thread) {
  // A chunk's count only says where its window comes from; its words are
  // read in the second round.
  if (piece.flags & kDeflateChunk) return chunks_.process(piece, thread);
  if (piece.flags & kTextBlock) return help(piece, thread);
  double t0 = 0, t1 = 0;
  Worker& w = workers_[static_cast<std::size_t>(thread)];
  w.helped = {};
  const tokenize::PieceResult result = tokenize(piece, thread, nullptr, t0, t1);
  // The helpers' blocks have events of their own.
  context_.log.record(thread, results::Stage::tokenize_piece, t0, t1, result.text.bytes - w.helped.bytes,
                      result.text.words - w.helped.words);
}

void TokenizeWork::finish_worker(int thread) {
  Worker& w = workers_[static_cast<std::size_t>(thread)];
  if (w.cache) w.cache->release();
}

std::vector<PieceRecord> TokenizeWork::take_records() { return take_records_of(workers_, &Worker::records); }

tokenize::WordCounts TokenizeWork::take_counts() {
  tokenize::WordCounts all;
  for (Worker& w : workers_) {
    if (w.cache) w.cache->release();
    set_aside_blocks(w);  // every decoder is done (one that failed left no verdict: its words go)
    w.pending.clear();
    tokenize::merge_into(all, w.counts);
    tokenize::WordCounts().swap(w.counts);
  }
  return all;
}

}  // namespace juggle::pipeline
