// What a count run produced, assembled on rank 0: the plain records that the
// summary, the per-file listing and the results file are all made from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "files/walk.hpp"
#include "gzip/inflater.hpp"
#include "parallel/mpi_session.hpp"
#include "pipeline/count_work.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "results/results_file.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

// The count stage's step in a results file (/steps).
inline constexpr const char* kCountStep = "count";

// A record's index is its position in the input list once the stage has placed it.
struct CountOutcome {
  std::vector<files::InputFile> inputs;  // input order
  std::vector<FileRecord> records;       // one per input, same order
  std::vector<RankSummary> ranks;        // by rank
  parallel::WorldInfo world;
  int threads = 1;
  gzip::InflateBackend backend = gzip::InflateBackend::zlib;
  bool strict = false;      // a failing file stops the job (--strict)
  double wall_seconds = 0;  // epoch to the end of the gather on rank 0
};

struct CountTotals {
  std::uint64_t files = 0;      // inputs
  std::uint64_t failed = 0;     // inputs that did not decode completely
  std::uint64_t warnings = 0;   // decoded, with trailing garbage ignored
  std::uint64_t lines = 0;      // over completely decoded files
  std::uint64_t bytes_in = 0;   // compressed bytes read (all files)
  std::uint64_t bytes_out = 0;  // decompressed bytes of completely decoded files
  std::uint32_t crc32 = 0;      // CRC-32 of the decoded files concatenated in input order
};

[[nodiscard]] bool failed(const FileRecord& record) noexcept;
[[nodiscard]] CountTotals totals(const CountOutcome& outcome);
// The reason for a failed record ("unexpected end of file", a walk problem...).
[[nodiscard]] std::string failure_reason(const CountOutcome& outcome, const FileRecord& record);

// The count stage's part of a results file: decoder, ranks, tables, totals.
[[nodiscard]] results::ResultsContent count_results(const CountOutcome& outcome, const CountTotals& sums);

// The stage's exit status and results part.
[[nodiscard]] StageReport count_report(const CountOutcome& outcome, const CountTotals& sums);

}  // namespace juggle::pipeline
