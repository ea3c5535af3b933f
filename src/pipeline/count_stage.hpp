// The count stage: the piece engine (engine.hpp) with the count work
// (count_work.hpp) over the files a walk finds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gzip/inflater.hpp"
#include "pipeline/count_outcome.hpp"
#include "pipeline/input_pieces.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

struct CountSettings {
  std::vector<std::string> paths;            // files and directories (walked recursively)
  std::vector<std::string> include{"*.gz"};  // file-name patterns for files found in directories
  bool strict = false;                       // the first failing file stops the whole job (exit 4)
  gzip::InflateBackend backend = gzip::default_backend();
  MemberSplit split;  // BGZF files in ranges of whole members (input_pieces.hpp)
  bool list_files = false;  // every file's row to rank 0 (CountOutcome::shown), for a per-file listing
};

// Collective, inside a begun run: every rank gets its block of the
// per-file rows and the totals (CountOutcome).
[[nodiscard]] CountOutcome count_stage(const CountSettings& settings, RunContext& run);

// The count stage after its pieces were processed (collective): joins cut
// members across ranks (chunk_join.hpp), sends every record to its file's
// home rank (file_homes.hpp; the inputs are rank 0's `out.inputs`, a
// record's file id is its position, or rank 0's position_of_file[id] when
// that is not empty), which joins each file's pieces; combines the totals
// and gathers the rows to print and the rank summaries to rank 0. Each
// rank keeps `log`'s events in `run` (keep_events).
[[nodiscard]] CountOutcome finish_count(RunContext& run, CountOutcome out, std::vector<FileRecord> mine,
                                        ChunkRecords my_chunks, results::EventLog& log, double stage_start,
                                        const std::vector<std::int64_t>& position_of_file);

}  // namespace juggle::pipeline
