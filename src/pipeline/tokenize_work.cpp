#include "pipeline/tokenize_work.hpp"

#include "pipeline/input_failure.hpp"
#include "tokenize/vocabulary.hpp"

namespace juggle::pipeline {

TokenizeWork::TokenizeWork(const WorkContext& context, const tokenize::TokenizeOptions& rule)
    : context_(context),
      rule_(rule),
      chunks_(context, {true, results::Stage::tokenize_piece}),
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
    result = w.segments->tokenize({piece.path, piece.begin, piece.end, piece.window}, rule_, *w.cache);
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

std::uint64_t TokenizeWork::chain_next(const Piece& piece, int thread) { return chunks_.chain_next(piece, thread); }

void TokenizeWork::process(const Piece& piece, int thread) {
  // A chunk's count only says where its window comes from; its words are
  // read in the second round.
  if (piece.flags & kDeflateChunk) return chunks_.process(piece, thread);
  double t0 = 0, t1 = 0;
  const tokenize::PieceResult result = tokenize(piece, thread, nullptr, t0, t1);
  context_.log.record(thread, results::Stage::tokenize_piece, t0, t1, result.text.bytes, result.text.words);
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
    tokenize::merge_into(all, w.counts);
    tokenize::WordCounts().swap(w.counts);
  }
  return all;
}

}  // namespace juggle::pipeline
