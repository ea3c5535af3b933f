// Turning input files into pieces (engine.hpp), and the source that walks
// the paths a user names (files/walk.hpp) and hands out each file's pieces
// as soon as the walk finds it.
//
// A file is one piece (standard input: one that stays on rank 0, whose
// stdin it is), except
// - a plain file larger than `chunk` that is only tokenized: it is cut into
//   byte ranges of `chunk` bytes, which the piece reader widens to split
//   bytes (tokenize/piece_reader.hpp); a gzip file of 4 MiB or more that is
//   only tokenized and not cut (below) is marked kPublishes: on a rank of 2
//   or more threads its worker hands blocks of its text to the rank's other
//   workers (text_blocks.hpp);
// - a BGZF file that is only counted: it is cut into ranges of whole
//   members (gzip/bgzf.hpp) of about MemberSplit::range_bytes, whose counts
//   the stage joins (count/range_join.hpp); by default only a file of at
//   least two ranges' worth, the smallest split that can pay;
// - any other gzip file that is only counted or only tokenized, large
//   enough for its workers (deflate_chunk_bytes below): it is cut into
//   deflate chunks of MemberSplit::chunk_bytes (count/member_chunks.hpp), a
//   chain whose head decodes from the front while the other workers take
//   chunks from the back (the tokenize stage then reads the member again
//   in segments: tokenize_stage.hpp). Built without ISA-L, such a file
//   stays whole.
// A piece's weight
// is its expected cost in bytes of work: decompressed gzip text is about 3
// times its size on disk, and every file costs an open (16 KiB's worth).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "files/walk.hpp"
#include "pipeline/engine.hpp"

namespace juggle::pipeline {

// Decompressed gzip text per byte on disk, as pieces' weights assume.
inline constexpr std::uint64_t kGzipTextFactor = 3;

// True for a name ending in ".gz" (a guess at gzip data where reading the
// first bytes would cost an open).
[[nodiscard]] bool named_gz(const std::string& path) noexcept;

// Cutting a gzip file into ranges of whole members.
enum class SplitPolicy : std::uint8_t {
  never,      // every gzip file whole, one piece: the sequential path
  automatic,  // files of at least two pieces (deflate chunks: with more than one worker)
  always,     // any file with more than one range (tests; small files pay the cut's reads)
};
struct MemberSplit {
  SplitPolicy policy = SplitPolicy::automatic;
  // Compressed bytes per range: a 4 MiB range decodes in ~10 ms here, so a
  // file of 1 GB gives a few hundred pieces. A range costs no memory of its
  // own (it streams through the thread's buffers).
  std::uint64_t range_bytes = 4ull << 20;
  // Compressed bytes per deflate chunk; 0: deflate_chunk_bytes() decides.
  std::uint64_t chunk_bytes = 0;
  // Worker threads of the stage over all ranks: with one, `automatic` leaves
  // a member whole (a chain run by one thread is the sequential path plus
  // the chunks' bookkeeping).
  int workers = 1;
  // Worker threads per rank: a gzip file tokenized whole by one of them
  // may hand blocks of its text to the others (kPublishes).
  int rank_threads = 1;
};

// Whether a gzip file of `size` bytes that is only tokenized is better
// read whole by one worker that hands blocks of its text to the other
// workers of its rank (about 2 x on 2 threads: decoding is a third to a
// half of the work) than in deflate chunks over every worker (two decodes
// instead of one, but no limit from one decoder): true for a stage of one
// rank of 2 or 3 threads, where the one decoder keeps up with the others.
[[nodiscard]] bool tokenize_whole_with_helpers(const MemberSplit& split) noexcept;

// The deflate chunk size for a file of `size` compressed bytes, and whether
// `automatic` cuts it. Unless set, a chunk is an eighth of a worker's share
// of the file, within [4 MiB, 8 MiB]; --split-bytes sets it. Larger chunks raise the marker
// path's speed (0.34 of a sequential pass on prose in 4 MiB chunks, about
// 0.45 in 16 MiB ones: chunk_inflate.hpp), but the chunk that a worker
// started without its window just before the front-running thread got
// there ends the run: at r = 0.18 (JSON lines) a 16 MiB chunk costs more
// than two threads gain. The automatic cut needs more than one worker and
// a file of at least eight chunks (of 4 MiB at most) per worker; no cut
// gives a file 4096 chunks or more (their summaries, 64 KiB and more each,
// wait for the join on the ranks that made them), and a file that does not
// start as gzip is never cut.
struct ChunkChoice {
  std::uint64_t bytes = 0;
  bool possible = false;   // within the chunks a file may have (`always`)
  bool automatic = false;  // and worth it (`automatic`)
};
[[nodiscard]] ChunkChoice deflate_chunk_bytes(const MemberSplit& split, std::uint64_t size) noexcept;

// "never", "auto", "always" and back (nullopt for anything else).
[[nodiscard]] std::string_view split_policy_name(SplitPolicy policy) noexcept;
[[nodiscard]] std::optional<SplitPolicy> parse_split_policy(std::string_view text) noexcept;

// The pieces of `file` (no problem) for `actions`, with file id `id`.
[[nodiscard]] std::vector<Piece> pieces_of(const files::InputFile& file, std::uint64_t id, std::uint8_t actions,
                                           std::uint64_t chunk, const MemberSplit& split = {});

// What a walk found, in walk order (ids are positions here), and when it ran.
struct WalkedInputs {
  std::vector<files::InputFile> files;
  double started = 0, finished = 0;
};

struct WalkSettings {
  std::vector<std::string> roots;
  std::vector<std::string> include;
  std::uint8_t actions = 0;
  std::uint64_t chunk = UINT64_MAX;
  MemberSplit split;
  bool strict = false;  // a path the walk cannot use stops the job (input_failure.hpp)
};

// A source that walks `settings.roots` and emits each file's pieces as it is
// found. `walked` is filled on the source's thread: read it only after the
// engine has returned. Both must outlive the engine run.
[[nodiscard]] Source walk_source(const WalkSettings& settings, WalkedInputs& walked, const results::Clock& clock);

}  // namespace juggle::pipeline
