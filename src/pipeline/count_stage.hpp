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
};

// Collective, inside a begun run: rank 0 gets the outcome in input order;
// the other ranks get an empty one.
[[nodiscard]] CountOutcome count_stage(const CountSettings& settings, RunContext& run);

// The count stage after its pieces were processed (collective): joins cut
// members across ranks (chunk_join.hpp), gathers every rank's records to
// rank 0, which joins each file's pieces and puts files in input order
// (`out.inputs`; a record's file id is its position, or
// position_of_file[id] when that is not empty). Each rank keeps `log`'s
// events in `run` (keep_events).
[[nodiscard]] CountOutcome finish_count(RunContext& run, CountOutcome out, const std::vector<FileRecord>& mine,
                                        ChunkRecords my_chunks, results::EventLog& log, double stage_start,
                                        const std::vector<std::int64_t>& position_of_file);

}  // namespace juggle::pipeline
