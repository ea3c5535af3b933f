// The vocabulary table, written by the ranks that hold its rows.
//
// A stored vocabulary is spread over the ranks in report order
// (pipeline/vocabulary_order.hpp); no rank has all of it. So the results
// file is made in two steps: rank 0 writes everything else and creates
// the vocabulary's three datasets at their full sizes, empty
// (write_results_file); then all ranks open the file together through
// MPI-IO and each writes its own rows of /tokenize/counts and
// /tokenize/word_prefix and its own bytes of /tokenize/word_suffixes at
// offsets that prefix sums over the ranks give, in one collective write per
// dataset (write_vocabulary_part, h5_handles.hpp), so every chunk is
// compressed and stored once. The datasets and their layout are
// those of a vocabulary written whole (front_coded_words.hpp,
// column_layout.hpp): a reader cannot tell how many ranks wrote it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace juggle::results {

// The vocabulary's size, summed over the ranks before any writes.
struct VocabularyShape {
  std::uint64_t rows = 0;
  std::uint64_t suffix_bytes = 0;  // of the front-coded words, newlines included
};

// One rank's rows: counts[i] and prefix[i] go to row first_row + i,
// suffixes to bytes from first_suffix_byte on.
struct VocabularyPart {
  std::span<const std::uint64_t> counts;
  std::span<const std::uint8_t> prefix;
  std::string_view suffixes;
  std::uint64_t first_row = 0;
  std::uint64_t first_suffix_byte = 0;
};

// Collective over MPI_COMM_WORLD: opens the file at `path` (written by
// write_results_file) on every rank, writes each rank's `part` and closes
// it. A process without MPI (juggle started alone, a test) opens it by
// itself and writes `part` where it says.
// Throws std::runtime_error naming what failed. When a rank's write fails,
// the ranks whose own writes went well throw FailedOnAnotherRank
// (failed_on_another_rank.hpp).
void write_vocabulary_part(const std::string& path, const VocabularyPart& part);

}  // namespace juggle::results
