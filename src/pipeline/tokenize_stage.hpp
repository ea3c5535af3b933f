// The tokenize stage: the piece engine (engine.hpp) with the tokenize work
// (tokenize_work.hpp) over the files a walk finds; plain files larger than
// the chunk size are cut into byte ranges.
//
// One large gzip member (input_pieces.hpp decides which) is read in two
// rounds of the engine. The first counts its deflate chunks as the count
// stage does: one thread decodes from the front with the true window, the
// others take chunks from the back on the marker path; what they leave is
// each chunk's window as a function of the one before. Rank 0 joins them
// in order (count/member_chunks.hpp), which verifies the member's CRC-32
// and length and gives each segment its true incoming window. The second
// round tokenizes the segments, each decoded again with its window
// (tokenize/segment_reader.hpp), on any rank and thread. The member costs
// about two sequential decodes plus the tokenizing, spread over every core,
// which pays from about 4 workers on (or with one thread per rank); on one
// rank of 2 or 3 threads the file stays whole and its worker hands blocks
// of its text to the others instead (text_blocks.hpp, input_pieces.hpp).
// A member that does not join (damaged data) or does not end its file
// (more members, trailing bytes) is tokenized whole in the second round,
// so it gets the sequential verdict.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gzip/inflater.hpp"
#include "pipeline/input_pieces.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "pipeline/tokenize_outcome.hpp"
#include "pipeline/tokenize_work.hpp"
#include "results/timeline.hpp"
#include "tokenize/tokenizer.hpp"

namespace juggle::pipeline {

struct TokenizeSettings {
  std::vector<std::string> paths;                     // files and directories (walked recursively)
  std::vector<std::string> include{"*.txt", "*.gz"};  // file-name patterns for files found in directories
  bool strict = false;                                // the first failing input stops the whole job (exit 4)
  gzip::InflateBackend backend = gzip::default_backend();
  tokenize::TokenizeOptions rule;
  std::uint64_t chunk_size = 32ull << 20;  // plain files larger than this are split into ranges
  MemberSplit split;                       // gzip members cut into deflate chunks (input_pieces.hpp)
  std::size_t top = 20;                    // words in TokenizeOutcome::top
  bool store_vocab = true;                 // order the vocabulary across the ranks for the results file and CSV
  std::uint64_t vocab_limit = 0;           // words stored: 0 = all
  bool list_files = false;                 // every file's row to rank 0 (TokenizeOutcome::shown)
};

// Collective, inside a begun run: every rank gets its block of the
// per-file rows and its run of the stored vocabulary's rows; rank 0 the
// totals, the top words and the rows to print (TokenizeOutcome).
[[nodiscard]] TokenizeOutcome tokenize_stage(const TokenizeSettings& settings, RunContext& run);

// The tokenize stage after its pieces were processed (collective): merges
// `work`'s maps, shards the vocabulary, sends every record to its file's
// home rank (file_homes.hpp; `inputs` are rank 0's, a record's file id is
// its position, or rank 0's position_of_file[id] when that is not empty),
// which makes the file's row. Each rank keeps `log`'s events in `run`
// (keep_events).
[[nodiscard]] TokenizeOutcome finish_tokenize(const TokenizeSettings& settings, RunContext& run,
                                              std::vector<files::InputFile> inputs, TokenizeWork& work,
                                              results::EventLog& log, double stage_start,
                                              const std::vector<std::int64_t>& position_of_file);

}  // namespace juggle::pipeline
