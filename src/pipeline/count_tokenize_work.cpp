#include "pipeline/count_tokenize_work.hpp"

namespace juggle::pipeline {

void CountTokenizeWork::start_worker(int thread) {
  count_.start_worker(thread);
  tokenize_.start_worker(thread);
}

void CountTokenizeWork::finish_worker(int thread) {
  count_.finish_worker(thread);
  tokenize_.finish_worker(thread);
}

void CountTokenizeWork::process(const Piece& piece, int thread) {
  const bool counted = (piece.actions & kCount) != 0;
  const bool tokenized = (piece.actions & kTokenize) != 0;
  if (!(counted && tokenized)) {
    if (counted) count_.process(piece, thread);
    if (tokenized) tokenize_.process(piece, thread);
    return;
  }
  count::LineSink lines;
  double t0 = 0, t1 = 0;
  const tokenize::PieceResult result = tokenize_.tokenize(piece, thread, &lines, t0, t1);
  if (result.gzip) {
    count_.add(piece, thread, lines.result(result.decode), t0, t1);
    log_.record(thread, results::Stage::count_tokenize_piece, t0, t1, result.decode.bytes_out, result.text.words);
    return;
  }
  // Plain text: tokenized as it is; count's verdict is gzip's (not gzip data).
  log_.record(thread, results::Stage::tokenize_piece, t0, t1, result.text.bytes, result.text.words);
  count_.process(piece, thread);
}

}  // namespace juggle::pipeline
