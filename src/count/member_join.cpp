#include "count/member_join.hpp"

#include <zlib.h>

#include <algorithm>

namespace juggle::count {
namespace {

using gzip::kMarkerFlag;
using gzip::kWindowSize;
using gzip::WindowSymbol;

// The last bytes of a window that are the member's (`before` bytes of
// output precede it).
std::vector<std::uint8_t> member_window(std::span<const std::uint8_t> window, std::uint64_t before) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(before, window.size()));
  return {window.end() - static_cast<std::ptrdiff_t>(n), window.end()};
}

// Marks strictly inside the run, in order.
bool marks_in_order(const ChunkCount& run) {
  std::uint64_t bit = run.start_bit, offset = 0;
  for (const ChunkCount::Mark& m : run.marks) {
    if (m.start_bit <= bit || m.start_bit >= run.end_bit || m.offset < offset || m.offset > run.totals.size ||
        m.window.size() != kWindowSize)
      return false;
    bit = m.start_bit;
    offset = m.offset;
  }
  return true;
}

// A record's segments: one, or a resolved run's cut at its marks.
void add_segments(const ChunkCount& chunk, std::span<const std::uint8_t> window_in, std::uint64_t offset,
                  std::vector<MemberSegment>& out) {
  MemberSegment s{chunk.start_bit, chunk.end_bit, false, offset, member_window(window_in, offset), chunk.begin == 0};
  for (const ChunkCount::Mark& m : chunk.marks) {
    s.end_bit = m.start_bit;
    out.push_back(std::move(s));
    s = {m.start_bit, chunk.end_bit, false, offset + m.offset, member_window(m.window, offset + m.offset), false};
  }
  s.final_block = chunk.final_block;
  out.push_back(std::move(s));
}

}  // namespace

ChunkOutline outline_of(std::uint64_t file, const ChunkCount& c, int rank) noexcept {
  ChunkOutline o;
  o.file = file;
  o.begin = c.begin;
  o.end = c.end;
  o.start_bit = c.start_bit;
  o.end_bit = c.end_bit;
  o.trailer_crc = c.trailer_crc;
  o.trailer_size = c.trailer_size;
  o.rank = rank;
  o.kind = c.kind;
  o.final_block = c.final_block;
  o.trailer_present = c.trailer_present;
  return o;
}

bool same_record(const ChunkOutline& a, const ChunkOutline& b) noexcept {
  return a.file == b.file && a.rank == b.rank && a.begin == b.begin && a.end == b.end && a.kind == b.kind &&
         a.start_bit == b.start_bit && a.end_bit == b.end_bit;
}

std::optional<MemberPlan> plan_member(std::span<const ChunkOutline> sorted, int ranks) {
  MemberPlan plan;
  std::uint64_t next_bit = 0;
  std::uint64_t covered = 0;  // nominal bytes used so far
  for (const ChunkOutline& o : sorted) {
    const bool first = plan.used.empty();
    if (o.kind == ChunkKind::empty || (!first && o.end <= covered)) continue;
    if (o.kind == ChunkKind::failed) return std::nullopt;
    if (first ? o.begin != 0 || o.kind != ChunkKind::resolved : o.start_bit != next_bit || o.begin < covered)
      return std::nullopt;
    plan.used.push_back(o);
    next_bit = o.end_bit;
    covered = o.end;
    if (!o.final_block) continue;
    if (!o.trailer_present) return std::nullopt;
    plan.member_end = (o.end_bit + 7) / 8 + 8;
    // Contiguous ranges in rank order: a record goes to the rank whose
    // share of the compressed bits holds its middle.
    std::uint64_t total = 0;
    for (const ChunkOutline& u : plan.used) total += std::max<std::uint64_t>(1, u.end_bit - u.start_bit);
    // (Rounded division and product are monotonic: homes never go down.)
    std::uint64_t before = 0;
    const int r = std::max(ranks, 1);
    for (const ChunkOutline& u : plan.used) {
      const std::uint64_t w = std::max<std::uint64_t>(1, u.end_bit - u.start_bit);
      const double share = static_cast<double>(before + w / 2) / static_cast<double>(total);
      plan.home.push_back(std::min(static_cast<int>(share * r), r - 1));
      before += w;
    }
    return plan;
  }
  return std::nullopt;
}

WindowFunction window_function(std::span<const ChunkCount> range) {
  WindowFunction f;
  for (const ChunkCount& c : range) {
    if (c.kind == ChunkKind::resolved) {
      if (c.window.size() == kWindowSize) std::copy(c.window.begin(), c.window.end(), f.symbols.begin());
      f.size += c.totals.size;
      f.identity = false;
      continue;
    }
    const std::vector<WindowSymbol>& out = c.summary.window_out;
    if (out.size() != kWindowSize) continue;  // not a summary: resolve_range refuses it
    WindowFunction next;
    next.identity = false;
    next.size = c.summary.size;
    std::copy(out.begin(), out.end(), next.symbols.begin());
    compose(f, next);
    f = next;
  }
  return f;
}

void compose(const WindowFunction& earlier, WindowFunction& later) noexcept {
  if (earlier.identity) return;
  if (later.identity) {
    later = earlier;
    return;
  }
  for (WindowSymbol& s : later.symbols)
    if (s & kMarkerFlag) s = earlier.symbols[s & 0x7FFF];
  later.size += earlier.size;
}

std::vector<std::uint8_t> leaving_window(const WindowFunction& function) {
  std::vector<std::uint8_t> window(kWindowSize, 0);
  if (function.identity) return window;
  for (std::size_t j = 0; j < kWindowSize; ++j) {
    const WindowSymbol s = function.symbols[j];
    window[j] = (s & kMarkerFlag) ? 0 : static_cast<std::uint8_t>(s);
  }
  return window;
}

void combine(const MemberPart& earlier, MemberPart& later) noexcept {
  if (earlier.empty) return;
  if (later.empty) {
    later = earlier;
    return;
  }
  later.valid = later.valid && earlier.valid;
  later.crc32 =
      static_cast<std::uint32_t>(::crc32_combine64(earlier.crc32, later.crc32, static_cast<z_off64_t>(later.size)));
  later.lines += earlier.lines;
  if (later.size == 0) later.last_byte = earlier.last_byte;
  later.size += earlier.size;
}

MemberPart resolve_range(std::span<const ChunkCount> range, std::span<const std::uint8_t> window_in,
                         std::uint64_t before, std::vector<MemberSegment>* segments) {
  MemberPart part;
  if (range.empty()) return part;
  part.empty = false;
  part.crc32 = static_cast<std::uint32_t>(::crc32(0L, Z_NULL, 0));
  if (window_in.size() != kWindowSize) {
    part.valid = false;
    return part;
  }
  std::vector<std::uint8_t> window(window_in.begin(), window_in.end());
  std::vector<std::uint8_t> next_window(kWindowSize, 0);
  std::uint64_t out = before;  // member output before the record
  for (const ChunkCount& chunk : range) {
    if (segments != nullptr) add_segments(chunk, window, out, *segments);
    gzip::ChunkTotals totals;
    if (chunk.kind == ChunkKind::resolved) {
      if (chunk.window.size() != kWindowSize || !marks_in_order(chunk)) {
        part.valid = false;
        return part;
      }
      totals = chunk.totals;
      window = chunk.window;
    } else {
      // A marker naming a window position before the member's first byte
      // is a reference a sequential decode rejects.
      const std::vector<std::uint16_t>& marked = chunk.summary.marker_positions;
      if (chunk.kind != ChunkKind::summary || !chunk.marks.empty() || chunk.summary.window_out.size() != kWindowSize ||
          (out < kWindowSize && !marked.empty() && marked.front() < kWindowSize - out)) {
        part.valid = false;
        return part;
      }
      totals = gzip::resolve_summary(chunk.summary, window, next_window);
      window.swap(next_window);
    }
    part.lines += totals.newlines;
    part.crc32 =
        static_cast<std::uint32_t>(::crc32_combine64(part.crc32, totals.crc32, static_cast<z_off64_t>(totals.size)));
    part.size += totals.size;
    out += totals.size;
  }
  part.last_byte = window.back();
  return part;
}

std::optional<MemberCount> finish_member(const MemberPlan& plan, const MemberPart& total) {
  if (plan.used.empty() || total.empty || !total.valid) return std::nullopt;
  const ChunkOutline& last = plan.used.back();
  if (!last.trailer_present || last.trailer_crc != total.crc32 ||
      last.trailer_size != static_cast<std::uint32_t>(total.size))
    return std::nullopt;
  MemberCount member;
  member.member_end = plan.member_end;
  LineCount& count = member.count;
  count.lines = total.lines;
  count.crc32 = total.crc32;
  count.bytes_out = total.size;
  count.bytes_in = plan.member_end;
  count.members = 1;
  count.unterminated = total.size > 0 && total.last_byte != '\n';
  return member;
}

std::optional<MemberCount> join_member_chunks(std::span<const ChunkCount> chunks,
                                              std::vector<MemberSegment>* segments) {
  std::vector<ChunkOutline> outlines;
  outlines.reserve(chunks.size());
  for (const ChunkCount& c : chunks) outlines.push_back(outline_of(0, c, 0));
  const std::optional<MemberPlan> plan = plan_member(outlines, 1);
  if (!plan) return std::nullopt;
  std::vector<ChunkCount> used;
  std::vector<bool> taken(chunks.size(), false);
  for (const ChunkOutline& u : plan->used) {
    std::size_t k = 0;
    while (k < chunks.size() && (taken[k] || !same_record(outlines[k], u))) ++k;
    if (k == chunks.size()) return std::nullopt;  // cannot be: the plan's records are among them
    taken[k] = true;
    used.push_back(chunks[k]);
  }
  std::vector<MemberSegment> cut;
  const MemberPart total =
      resolve_range(used, std::vector<std::uint8_t>(kWindowSize, 0), 0, segments != nullptr ? &cut : nullptr);
  std::optional<MemberCount> member = finish_member(*plan, total);
  if (member && segments != nullptr) *segments = std::move(cut);
  return member;
}

}  // namespace juggle::count
