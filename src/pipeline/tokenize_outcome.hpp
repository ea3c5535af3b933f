// What a tokenize run produced, and what is made of it (per-file rows, the
// results file's part, the CSV word list): on every rank its block of the
// per-file rows (file_homes.hpp), its rows of the stored vocabulary and
// the totals; on rank 0 the rows to print, the top words and the ranks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "files/walk.hpp"
#include "pipeline/file_homes.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "pipeline/tokenize_work.hpp"
#include "pipeline/vocabulary_order.hpp"
#include "results/results_file.hpp"
#include "tokenize/tokenizer.hpp"
#include "tokenize/vocabulary.hpp"

namespace juggle::pipeline {

// Per input file, aggregated over its pieces (trivially copyable: rows to
// print cross to rank 0).
struct TokenizeFile {
  tokenize::TokenStats text;  // over its successful pieces
  std::uint64_t bytes_in = 0;
  std::uint32_t pieces = 0;
  std::uint8_t gzip = 0;
  std::uint8_t trailing_garbage = 0;  // a warning
  std::int32_t rank = -1;  // of its first piece
  std::int32_t thread = -1;
  double seconds = 0;  // summed over pieces
  gzip::GzipStatus status = gzip::GzipStatus::ok;  // its first failing piece's (read_error: see the input's problem)
  int sys_errno = 0;
};

[[nodiscard]] inline bool failed(const TokenizeFile& f) noexcept { return f.status != gzip::GzipStatus::ok; }
// The reason a file failed (its input's problem, or its first failing piece's), or "".
[[nodiscard]] std::string failure_reason(const files::InputFile& input, const TokenizeFile& file);
[[nodiscard]] std::string warning_of(const TokenizeFile& file);

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
  HomeInputs home;                        // this rank's block of the inputs
  std::vector<TokenizeFile> files;        // one per home.inputs, same order
  FileRows<TokenizeFile> shown;           // rank 0: the failed and warned files; every file with list_files
  std::vector<tokenize::WordCount> top;   // rank 0: the most frequent words, report order
  // The stored vocabulary (empty when not stored): this rank's rows, on
  // every rank, and the word of the row before them (front coding).
  VocabularyRows vocab;
  std::string vocab_before;
  bool vocab_stored = false;
  std::vector<RankSummary> ranks;  // rank 0
  TokenizeTotals totals;           // every rank (but distinct and checksum: rank 0's)
  double wall_seconds = 0;
  tokenize::TokenizeOptions rule;  // as the stage ran
  std::uint64_t chunk_size = 0;    // as the stage ran
};

// Folds piece records (a record's file: its position in the input order,
// within `home`'s block) into the block's rows (out.files) and this rank's
// part of the totals (out.totals: files, failed, text).
void aggregate_files(const HomeInputs& home, const std::vector<PieceRecord>& records, TokenizeOutcome& out);

// Collective: every rank's part of the totals summed, on every rank.
void sum_totals_over_ranks(TokenizeTotals& totals);

// The tokenize stage's part of a results file (rank 0), and this rank's
// rows of tokenize/files (every rank).
[[nodiscard]] results::ResultsContent tokenize_results(const TokenizeOutcome& out);
[[nodiscard]] results::Table tokenize_file_table(const TokenizeOutcome& out);

// Collective. Writes `word,count` lines (report order), every rank its own
// `rows` at their place (parallel/shared_file.hpp), under a temporary name,
// and publishes it at `path` (replacing a file there only when `force`).
// Returns "" or why it was not written, naming the file, on every rank.
[[nodiscard]] std::string write_csv(const VocabularyRows& rows, int rank, const std::string& path, bool force);

}  // namespace juggle::pipeline
