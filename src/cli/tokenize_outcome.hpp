// What a tokenize run produced, assembled on rank 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/run_context.hpp"
#include "files/walk.hpp"
#include "pipeline/tokenize_work.hpp"
#include "gzip/gzip_decoder.hpp"
#include "tokenize/tokenizer.hpp"
#include "tokenize/vocabulary.hpp"

namespace juggle::cli {

using pipeline::PieceRecord;  // file: position in the input list once the stage has placed it

// Per input file, aggregated over its pieces.
struct TokenizeFile {
  std::string path;
  tokenize::TokenStats text;  // over its successful pieces
  std::uint64_t bytes_in = 0;
  std::uint32_t pieces = 0;
  bool gzip = false;
  std::int32_t rank = -1;  // of its first piece
  std::int32_t thread = -1;
  double seconds = 0;      // summed over pieces
  std::string status = "ok";
  std::string error;
  std::string warning;
};

struct TokenizeTotals {
  std::uint64_t files = 0;
  std::uint64_t failed = 0;
  tokenize::TokenStats text;   // over successful pieces: these words are in the counts
  std::uint64_t distinct = 0;
  std::uint64_t checksum = 0;  // sum of stable_word_hash(word) * count over the vocabulary, mod 2^64
};

struct TokenizeOutcome {
  std::vector<TokenizeFile> files;          // input order
  std::vector<tokenize::WordCount> top;     // --top, report order
  std::vector<tokenize::WordCount> vocab;   // stored vocabulary (empty when not stored)
  bool vocab_stored = false;
  std::vector<RankSummary> ranks;
  std::vector<results::Event> events;
  TokenizeTotals totals;
  double wall_seconds = 0;
};

}  // namespace juggle::cli
