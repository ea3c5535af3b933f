// Joining one gzip member's chunk records (member_chunks.hpp) into exactly
// what one sequential pass reports, in contiguous ranges that different
// ranks resolve, combined in order.
//
// Why ranges. The records of a member end up on whichever rank decoded
// them. Gathering them all to one rank makes that rank hold every chunk's
// summary (64 KiB or more each) and do every resolve. Instead the join is
// cut into steps of which only small or fixed-size things cross ranks:
//  1. Outlines. Every record's ChunkOutline (bits, kind, nominal bytes,
//     trailer: 56 bytes) goes to every rank, which all compute the same
//     MemberPlan: which records the join uses, in order (the rules below),
//     whether they can add up to a member at all, and a home rank for each,
//     contiguous ranges in rank order balanced by compressed bits.
//  2. Each used record moves to its home rank (one all-to-all).
//  3. A rank turns its range into a WindowFunction: the window leaving the
//     range, as literals or markers of the window entering it (a resolved
//     record ignores what enters it). Functions compose associatively, so an
//     exclusive scan in rank order gives each rank the function of all
//     ranges before its own (empty ranges are the identity); applied to the
//     all-zero window, that is the true window entering its range, since
//     the first record of all is the member's first chunk, which is
//     resolved.
//  4. A rank resolves its range with that window (resolve_range): lines,
//     CRC-32, length and last byte (a MemberPart), and the range's segments
//     for reading again (tokenize).
//  5. MemberParts combine associatively in order (the CRC-32 with zlib's
//     crc32_combine); the member's total is checked against its trailer
//     (finish_member).
// One rank is the same steps with one range: join_member_chunks.
//
// The join's rules (plan_member). Records in file order by nominal begin;
// empty ones (no block start in their bytes, or cancelled) are skipped, and
// so is a record within the nominal bytes already covered (a chunk decoded
// on the marker path while the front thread's run took it over). A failed
// record, a first record that is not the member's resolved first chunk, a
// record not starting at the bit where the one before stopped or reaching
// back into the nominal bytes already covered, or no final block: the
// member does not join, and the caller counts the file whole
// (whose verdict and partial counts are the reference). Bytes after the
// member's trailer are for the caller to count from `member_end` on.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "count/member_chunks.hpp"

namespace juggle::count {

// What every rank learns of a record (trivially copyable).
struct ChunkOutline {
  std::uint64_t file = 0;  // the caller's file id
  std::uint64_t begin = 0, end = 0;
  std::uint64_t start_bit = 0, end_bit = 0;
  std::uint32_t trailer_crc = 0, trailer_size = 0;
  std::int32_t rank = 0;  // where the record is now
  ChunkKind kind = ChunkKind::failed;
  bool final_block = false;
  bool trailer_present = false;
};
[[nodiscard]] ChunkOutline outline_of(std::uint64_t file, const ChunkCount& chunk, int rank) noexcept;
// The same record (where it is, its bytes and bits, its kind): what picks
// a plan's used records out of a rank's own.
[[nodiscard]] bool same_record(const ChunkOutline& a, const ChunkOutline& b) noexcept;

struct MemberPlan {
  std::vector<ChunkOutline> used;  // the records the join uses, in order
  std::vector<int> home;           // per used record: the rank that resolves it (non-decreasing)
  std::uint64_t member_end = 0;    // file offset just past the trailer
};

// The plan for one file's outlines sorted by begin, cut for `ranks` ranks;
// nullopt when they cannot add up to a member (see above). Pure.
[[nodiscard]] std::optional<MemberPlan> plan_member(std::span<const ChunkOutline> sorted, int ranks);

// The window leaving a range of records as a function of the window
// entering it (trivially copyable, 64 KiB).
struct WindowFunction {
  std::uint64_t size = 0;  // output bytes of the range
  bool identity = true;    // an empty range: leaves the window as it is
  std::array<gzip::WindowSymbol, gzip::kWindowSize> symbols{};
};
// The function of `range` (used records in order, all of the rank's range).
[[nodiscard]] WindowFunction window_function(std::span<const ChunkCount> range);
// later := earlier, then later.
void compose(const WindowFunction& earlier, WindowFunction& later) noexcept;
// The window a function leaves when the all-zero window enters (the
// member's start: zeros before its first byte).
[[nodiscard]] std::vector<std::uint8_t> leaving_window(const WindowFunction& function);

// One range's share of the member's count (trivially copyable).
struct MemberPart {
  std::uint64_t lines = 0;
  std::uint64_t size = 0;
  std::uint32_t crc32 = 0;
  bool empty = true;  // no range: the identity
  bool valid = true;
  std::uint8_t last_byte = 0;  // with size > 0
};
// later := earlier, then later.
void combine(const MemberPart& earlier, MemberPart& later) noexcept;

// A member's segment to decode again with its true bytes
// (gzip::ResolvedChunkReader): one per chunk decoded on the marker path and
// one per chunk of a resolved run (with its marks).
struct MemberSegment {
  std::uint64_t start_bit = 0;  // in the file
  std::uint64_t end_bit = 0;    // the next segment's start_bit, or the end of the final block
  bool final_block = false;     // the member's final block ends in it
  std::uint64_t offset = 0;     // member output before it
  // The member's last kWindowSize bytes before the segment (all of them
  // when fewer; empty for the first segment, and for any other after no
  // output at all).
  std::vector<std::uint8_t> window;
  bool member_start = false;  // the first segment (its words start at its first byte)
};

// Resolves a rank's range: `window_in` the true window entering it (as
// leaving_window gives), `before` the member's output before it. With
// `segments`, appends the range's segments.
[[nodiscard]] MemberPart resolve_range(std::span<const ChunkCount> range, std::span<const std::uint8_t> window_in,
                                       std::uint64_t before, std::vector<MemberSegment>* segments = nullptr);

struct MemberCount {
  LineCount count;               // the first member alone (members = 1, trailing bytes 0)
  std::uint64_t member_end = 0;  // file offset just past its trailer
};

// The member's count from all its parts combined, or nullopt when they
// do not match the trailer the plan's final record read.
[[nodiscard]] std::optional<MemberCount> finish_member(const MemberPlan& plan, const MemberPart& total);

// All the steps on one rank: the first member's count from its chunks'
// records sorted by begin, or nullopt (see above). With `segments`, also
// the member's segments in order (left as they were on nullopt). Pure.
[[nodiscard]] std::optional<MemberCount> join_member_chunks(std::span<const ChunkCount> chunks,
                                                           std::vector<MemberSegment>* segments = nullptr);

}  // namespace juggle::count
