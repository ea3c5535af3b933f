// The rows each rank writes itself: its events, its part of the
// vocabulary and its rows of the per-file tables (spread_table.hpp).
//
// All three grow with the ranks' work, so no rank gathers them. A stored
// vocabulary is spread over the ranks in report order
// (pipeline/vocabulary_order.hpp), each rank keeps the events it recorded,
// and each file's row is made on the file's home rank
// (pipeline/file_homes.hpp). So the results file is made in two steps:
// rank 0 writes everything else and creates /events, the vocabulary's
// three datasets and the per-file tables' columns at their full sizes,
// empty (write_results_file); then all ranks open the file together
// through MPI-IO and each writes its own rows of /events, the per-file
// tables, /tokenize/counts and /tokenize/word_prefix and its own bytes of
// /tokenize/word_suffixes at offsets that prefix sums over the ranks give,
// in one collective write per dataset (h5_handles.hpp), so every chunk is
// compressed and stored once. The datasets and their layout are those of
// columns written whole (front_coded_words.hpp, column_layout.hpp,
// spread_table.hpp): a reader cannot tell how many ranks wrote them. The
// events are in rank order; the vocabulary's and tables' rows are byte for
// byte a 1-rank run's.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "results/spread_table.hpp"
#include "results/timeline.hpp"

namespace juggle::results {

// The vocabulary's size, summed over the ranks before any writes.
struct VocabularyShape {
  std::uint64_t rows = 0;
  std::uint64_t suffix_bytes = 0;  // of the front-coded words, newlines included
};

// One rank's rows of the vocabulary: counts[i] and prefix[i] go to row
// first_row + i, suffixes to bytes from first_suffix_byte on.
struct VocabularyPart {
  std::span<const std::uint64_t> counts;
  std::span<const std::uint8_t> prefix;
  std::string_view suffixes;
  std::uint64_t first_row = 0;
  std::uint64_t first_suffix_byte = 0;
};

// One rank's rows: events[i] goes to row first_event + i of /events; the
// vocabulary's part when the file has a vocabulary (on every rank or none);
// its part of each spread table (spread_table.hpp; the same tables on
// every rank, in the same order).
struct RankRows {
  std::span<const Event> events;
  std::uint64_t first_event = 0;
  std::optional<VocabularyPart> vocabulary;
  std::vector<TablePart> tables;
};

// Collective over MPI_COMM_WORLD: opens the file at `path` (written by
// write_results_file with event_rows set) on every rank, writes each rank's
// `rows` and closes it. A process without MPI (juggle started alone, a
// test) opens it by itself and writes `rows` where they say.
// Throws std::runtime_error naming what failed. When a rank's write fails,
// the ranks whose own writes went well throw FailedOnAnotherRank
// (failed_on_another_rank.hpp).
void write_rank_rows(const std::string& path, const RankRows& rows);

}  // namespace juggle::results
