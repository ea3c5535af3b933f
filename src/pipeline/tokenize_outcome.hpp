// What a tokenize run produced, assembled on rank 0 (but for the stored
// vocabulary, which stays spread over the ranks), and what is made of it:
// per-file rows, the results file's part, the CSV word list.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "files/walk.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "pipeline/tokenize_work.hpp"
#include "pipeline/vocabulary_order.hpp"
#include "results/results_file.hpp"
#include "tokenize/tokenizer.hpp"
#include "tokenize/vocabulary.hpp"

namespace juggle::pipeline {

// Per input file, aggregated over its pieces.
struct TokenizeFile {
  std::string path;
  tokenize::TokenStats text;  // over its successful pieces
  std::uint64_t bytes_in = 0;
  std::uint32_t pieces = 0;
  bool gzip = false;
  std::int32_t rank = -1;  // of its first piece
  std::int32_t thread = -1;
  double seconds = 0;  // summed over pieces
  std::string status = "ok";
  std::string error;
  std::string warning;
};

struct TokenizeTotals {
  std::uint64_t files = 0;
  std::uint64_t failed = 0;
  tokenize::TokenStats text;  // over successful pieces: these words are in the counts
  std::uint64_t distinct = 0;
  std::uint64_t checksum = 0;  // sum of stable_word_hash(word) * count over the vocabulary, mod 2^64
};

// The tokenize stage's step in a results file (/steps).
inline constexpr const char* kTokenizeStep = "tokenize";

struct TokenizeOutcome {
  std::vector<files::InputFile> inputs;    // input order
  std::vector<TokenizeFile> files;         // input order
  std::vector<tokenize::WordCount> top;    // the most frequent words, report order
  // The stored vocabulary (empty when not stored): this rank's rows, on
  // every rank, and the word of the row before them (front coding).
  VocabularyRows vocab;
  std::string vocab_before;
  bool vocab_stored = false;
  std::vector<RankSummary> ranks;
  TokenizeTotals totals;
  double wall_seconds = 0;
  tokenize::TokenizeOptions rule;  // as the stage ran
  std::uint64_t chunk_size = 0;    // as the stage ran
};

// Folds piece records (a record's file: its position in `inputs`) into
// per-file rows (input order) and totals.
void aggregate_files(const std::vector<files::InputFile>& inputs, const std::vector<PieceRecord>& records,
                     TokenizeOutcome& out);

// The tokenize stage's part of a results file.
[[nodiscard]] results::ResultsContent tokenize_results(const TokenizeOutcome& out);

// Collective. Writes `word,count` lines (report order), every rank its own
// `rows` at their place (parallel/shared_file.hpp), under a temporary name,
// and publishes it at `path` (replacing a file there only when `force`).
// Returns "" or why it was not written, naming the file, on every rank.
[[nodiscard]] std::string write_csv(const VocabularyRows& rows, int rank, const std::string& path, bool force);

}  // namespace juggle::pipeline
