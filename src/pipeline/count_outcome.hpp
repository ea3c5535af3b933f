// What a count run produced: on every rank its block of the per-file rows
// (file_homes.hpp) and the totals; on rank 0 the rows to print. The
// summary, the per-file listing and the results file are made from these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "files/walk.hpp"
#include "gzip/inflater.hpp"
#include "parallel/mpi_session.hpp"
#include "pipeline/count_work.hpp"
#include "pipeline/file_homes.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "results/results_file.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

// The count stage's step in a results file (/steps).
inline constexpr const char* kCountStep = "count";

struct CountTotals {
  std::uint64_t files = 0;      // inputs
  std::uint64_t failed = 0;     // inputs that did not decode completely
  std::uint64_t warnings = 0;   // decoded, with trailing garbage ignored
  std::uint64_t lines = 0;      // over completely decoded files
  std::uint64_t bytes_in = 0;   // compressed bytes read (all files)
  std::uint64_t bytes_out = 0;  // decompressed bytes of completely decoded files
  std::uint32_t crc32 = 0;      // CRC-32 of the decoded files concatenated in input order
};

// A record's index is its position in the input list once the stage has placed it.
struct CountOutcome {
  std::vector<files::InputFile> inputs;  // rank 0's walk, input order (finish_count's input; then empty)
  HomeInputs home;                       // this rank's block of the inputs
  std::vector<FileRecord> records;       // one per home.inputs, same order
  FileRows<FileRecord> shown;            // rank 0: the failed and warned files; every file with list_files
  CountTotals totals;                    // every rank
  std::vector<RankSummary> ranks;        // rank 0, by rank
  parallel::WorldInfo world;
  int threads = 1;
  gzip::InflateBackend backend = gzip::InflateBackend::zlib;
  bool strict = false;      // a failing file stops the job (--strict)
  bool list_files = false;  // every file's row goes to rank 0 (shown), for a per-file listing
  double wall_seconds = 0;  // epoch to the end of finish_count (rows, totals, summaries), this rank's clock
};

[[nodiscard]] bool failed(const FileRecord& record) noexcept;
// Collective: the totals of every rank's `records`, combined in rank
// order (the corpus CRC-32 follows the input order), on every rank.
[[nodiscard]] CountTotals totals_over_ranks(const std::vector<FileRecord>& records);
// The reason for a failed record ("unexpected end of file", a walk problem...).
[[nodiscard]] std::string failure_reason(const files::InputFile& input, const FileRecord& record);

// The count stage's part of a results file: decoder, ranks, tables, totals
// (rank 0), and this rank's rows of count/files (every rank).
[[nodiscard]] StageReport count_report(const CountOutcome& outcome);

}  // namespace juggle::pipeline
