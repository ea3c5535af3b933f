// A job that both counts and tokenizes: each piece goes to the stages it is
// for (PieceAction bits), and a gzip file that is for both is decompressed
// once, its bytes feeding the line counter and the tokenizer in the same
// pass. Each stage keeps its own records, as if it had read the file alone.
#pragma once

#include "pipeline/count_work.hpp"
#include "pipeline/tokenize_work.hpp"

namespace juggle::pipeline {

class CountTokenizeWork final : public PieceWork {
 public:
  CountTokenizeWork(CountWork& count, TokenizeWork& tokenize, results::EventLog& log)
      : count_(count), tokenize_(tokenize), log_(log) {}

  void start_worker(int thread) override;
  void process(const Piece& piece, int thread) override;
  void finish_worker(int thread) override;
  // Text blocks of files only tokenized (text_blocks.hpp) go to the tokenize work.
  void attach(const Emit& local) override { tokenize_.attach(local); }

 private:
  CountWork& count_;
  TokenizeWork& tokenize_;
  results::EventLog& log_;
};

}  // namespace juggle::pipeline
