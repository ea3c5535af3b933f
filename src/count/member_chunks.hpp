// Counting the lines of one gzip member in chunks of its deflate stream, on
// any threads and ranks, joined in order into exactly what one sequential
// pass reports.
//
// Why. One huge member is one stream: without this, one core decodes it
// while the others watch. gzip/chunk_inflate.hpp decodes a chunk that starts
// at a block boundary without the window before it (the marker path, about
// 0.4 of a sequential pass's speed on prose); gzip/deflate_block_finder.hpp
// guesses where blocks start. This module decides where each chunk starts
// and stops, decodes it, and joins the chunks' results.
//
// Where a chunk is. A file is cut at nominal byte offsets 0, C, 2C, ...; the
// chunk at [kC, (k+1)C) starts at the first *confirmed* block start at or
// after bit 8kC and stops at the first confirmed block start at or after
// bit 8(k+1)C, the next chunk's start (the last chunk decodes through the
// member's final block). Both ends follow one rule from the same bits, so
// neighbours agree without talking; a chunk with no confirmed start before
// its nominal end is empty. A candidate is confirmed when decoding from it
// ends exactly at one of the next few candidates (or reaches the final
// block): a false candidate (about 2 stored-block lookalikes per MiB) almost
// never decodes that far, so it costs one short decode instead of a failed
// chunk. A stop searched for longer than max(max_stop_search, chunk size)
// bytes past the nominal end (one huge stored block, a stream of fixed-Huffman blocks the
// finder does not look for) is a failed chunk: the file is then counted
// whole by the sequential path.
//
// Two ways to decode a chunk.
//  - Resolved: the window entering the chunk is known (the member's first
//    chunk, or the chunk after one this thread just resolved): one ISA-L
//    pass with the true window, newlines counted, the last 32 KiB kept.
//    A thread that keeps taking the next chunk runs at sequential speed.
//  - Marker path: anything else. A ChunkSummary, resolved later in order.
// A resolved chunk followed by the next one on the same thread extends one
// record (extend_run), so a long run costs one window.
//
// The join (member_join.hpp) puts the records in file order and resolves
// each summary with the window the record before it leaves, in contiguous
// ranges that different ranks may resolve, and checks the member against
// its trailer.
//
// Memory per thread: one chunk's compressed bytes plus the stop search and
// the confirming decodes' reach (C + max(4 MiB, C) + 3 MiB at most; about
// C + 1 MiB in practice), the marker path's workspace (~1.4 MiB) and a
// 256 KiB output slice. A summary holds the outgoing window (64 KiB) and
// 14 bytes per distinct marker position; summaries wait for the join.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "gzip/bgzf.hpp"
#include "gzip/chunk_inflate.hpp"

namespace juggle::count {

struct ChunkPlace {
  std::uint64_t begin = 0;  // nominal first byte; 0: the member's header
  std::uint64_t end = 0;    // nominal end
  bool last = false;        // decode through the final block
};

enum class ChunkKind : std::uint8_t {
  resolved,  // totals and window are true values
  summary,   // marker path: resolve with the window entering it
  empty,     // no confirmed block start in [begin, end), or cancelled
  failed,    // why: status
};

struct ChunkCount {
  std::uint64_t begin = 0, end = 0;  // nominal bytes covered (a run of resolved chunks: several)
  ChunkKind kind = ChunkKind::failed;
  gzip::ChunkStatus status = gzip::ChunkStatus::ok;
  std::uint64_t start_bit = 0, end_bit = 0;  // in the file
  bool final_block = false;
  // resolved:
  gzip::ChunkTotals totals;
  std::vector<std::uint8_t> window;  // the last kWindowSize bytes of the member so far (zeros before its start)
  // summary (its own bits are relative to the bytes it was decoded from; use start_bit/end_bit):
  gzip::ChunkSummary summary;
  // With final_block: the member's trailer, when the file holds it.
  bool trailer_present = false;
  std::uint32_t trailer_crc = 0, trailer_size = 0;
  // A resolved run extended with its windows kept (extend_run): where each
  // chunk after its first starts, the run's output before it, and the
  // window entering it (as `window`: zeros before the member's start).
  struct Mark {
    std::uint64_t start_bit = 0;
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> window;
  };
  std::vector<Mark> marks;
};

struct ChunkSettings {
  std::uint64_t max_stop_search = 4ull << 20;  // bytes past the nominal end
  int confirm_tries = 4;                       // next candidates a start may decode to
};

// Decodes chunks of members read through a ReadAt. One per thread; reuse it.
class ChunkCounter {
 public:
  explicit ChunkCounter(ChunkSettings settings = {});
  ~ChunkCounter();
  ChunkCounter(const ChunkCounter&) = delete;
  ChunkCounter& operator=(const ChunkCounter&) = delete;

  // The chunk at `place` of the member that starts the file (`size` bytes).
  // `before`: the resolved record that ends where this chunk begins
  // (before->end == place.begin), or null; with it, or at begin 0, the
  // chunk is resolved, else it takes the marker path. Never throws for bad
  // data or a read error (a failed record; the sequential pass will say
  // why); throws std::bad_alloc.
  // `cancel`: see summarize_chunk; a cancelled chunk is an empty record
  // (the thread that raised the flag decodes the chunk itself).
  [[nodiscard]] ChunkCount count(const gzip::ReadAt& read_at, std::uint64_t size, const ChunkPlace& place,
                                 const ChunkCount* before, const std::atomic<bool>* cancel = nullptr);
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Appends `next`, counted with `run` as its `before`, to resolved `run`
// when it is resolved or empty; false for a failed chunk, which ends the
// run and stays a record of its own. With `keep_windows`, the run keeps a
// Mark where `next` starts (32 KiB each), so that its bytes can be cut
// there again (member_join.hpp's MemberSegment).
[[nodiscard]] bool extend_run(ChunkCount& run, const ChunkCount& next, bool keep_windows = false);

// A record appended to a message's bytes, and read back from the front of
// `in` (which then starts after it); nullopt for bytes that are not one.
void encode_chunk(const ChunkCount& chunk, std::vector<char>& out);
[[nodiscard]] std::optional<ChunkCount> decode_chunk(std::span<const char>& in);

}  // namespace juggle::count
