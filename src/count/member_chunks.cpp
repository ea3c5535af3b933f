#include "count/member_chunks.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "count/newlines.hpp"
#include "gzip/deflate_block_finder.hpp"
#include "gzip/gzip_decoder.hpp"
#include "parallel/wire.hpp"

namespace juggle::count {
namespace {

using gzip::ChunkStatus;
using gzip::kToFinalBlock;
using gzip::kWindowSize;

// A block header is at most ~290 bytes (a dynamic one with every code); a
// scan that stops this short of the bytes in hand misses none for lack of
// bytes.
constexpr std::uint64_t kHeaderMargin = 1024;
// Bytes read at once past what a chunk needs, while searching for its stop.
constexpr std::uint64_t kReadStep = 1ull << 20;
// How far past a candidate the next candidates are looked for to confirm it.
constexpr std::uint64_t kConfirmReach = 2ull << 20;
constexpr std::size_t kOutSlice = 256 * 1024;

// The file's bytes [base, base + bytes.size()), grown on demand.
class FileBytes {
 public:
  FileBytes(const gzip::ReadAt& read_at, std::uint64_t size, std::vector<std::uint8_t>& bytes)
      : read_at_(read_at), size_(size), bytes_(bytes) {}

  // Starts over at `base` with the bytes up to `upto` (or the file's end).
  bool load(std::uint64_t base, std::uint64_t upto) {
    base_ = std::min(base, size_);
    bytes_.clear();
    return extend(upto);
  }
  // Reads on up to `upto` (or the file's end); false on a read error.
  bool extend(std::uint64_t upto) {
    upto = std::min(upto, size_);
    while (end() < upto) {
      const std::uint64_t at = end();
      const std::size_t had = bytes_.size();
      bytes_.resize(static_cast<std::size_t>(upto - base_));
      const std::ptrdiff_t n = read_at_(at, std::span(bytes_).subspan(had));
      if (n <= 0) {
        bytes_.resize(had);
        return false;
      }
      bytes_.resize(had + static_cast<std::size_t>(n));
    }
    return true;
  }
  [[nodiscard]] std::uint64_t base() const noexcept { return base_; }
  [[nodiscard]] std::uint64_t base_bit() const noexcept { return base_ * 8; }
  [[nodiscard]] std::uint64_t end() const noexcept { return base_ + bytes_.size(); }
  [[nodiscard]] bool at_eof() const noexcept { return end() >= size_; }
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] std::span<const std::uint8_t> data() const noexcept { return bytes_; }
  // Where a scan may trust "no candidate" without more bytes.
  [[nodiscard]] std::uint64_t scan_end_bit() const noexcept {
    if (at_eof()) return end() * 8;
    return end() > base_ + kHeaderMargin ? (end() - kHeaderMargin) * 8 : base_bit();
  }

 private:
  const gzip::ReadAt& read_at_;
  std::uint64_t size_;
  std::vector<std::uint8_t>& bytes_;
  std::uint64_t base_ = 0;
};

std::uint32_t le32(std::span<const std::uint8_t> p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

ChunkCount record_of(const ChunkPlace& place, ChunkKind kind, ChunkStatus status = ChunkStatus::ok) {
  ChunkCount c;
  c.begin = place.begin;
  c.end = place.end;
  c.kind = kind;
  c.status = status;
  return c;
}

ChunkCount failed_chunk(const ChunkPlace& place, ChunkStatus status) {
  return record_of(place, ChunkKind::failed, status);
}

}  // namespace

struct ChunkCounter::Impl {
  explicit Impl(ChunkSettings s) : settings(s) {}
  ChunkSettings settings;
  gzip::ChunkWorkspace workspace;
  gzip::ChunkSummary scratch;
  gzip::ResolvedChunkReader reader;
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> out = std::vector<std::uint8_t>(kOutSlice);
  bool read_failed = false;

  // The first candidate at or after `from` and before `limit` (file bits),
  // reading on as needed; nullopt when there is none before `limit` or the
  // file's end.
  std::optional<std::uint64_t> next_candidate(FileBytes& fb, std::uint64_t from, std::uint64_t limit) {
    for (;;) {
      const std::uint64_t hi = std::min(limit, fb.scan_end_bit());
      if (from < hi) {
        if (const auto c = gzip::find_block_start(fb.data(), from - fb.base_bit(), hi - fb.base_bit()))
          return c->bit + fb.base_bit();
        from = hi;
      }
      if (hi >= limit || fb.at_eof()) return std::nullopt;
      if (!fb.extend(fb.end() + kReadStep)) {
        read_failed = true;
        return std::nullopt;
      }
    }
  }

  // Whether a final block ending at `end_bit` can end the member: its
  // trailer then ends the file or another member starts after it. A false
  // candidate now and then decodes into a block that claims to be final
  // (seen once in 88 MB of gzip -6 prose); this rejects nearly all of them.
  // A real member followed by other bytes is rejected too: its chunk then
  // fails and the file is counted whole.
  bool member_ends_at(FileBytes& fb, std::uint64_t end_bit) {
    const std::uint64_t after = (end_bit + 7) / 8 + 8;
    if (after == fb.size()) return true;
    if (after + 2 > fb.size() || !fb.extend(after + 2)) return false;
    const auto magic = fb.data().subspan(static_cast<std::size_t>(after - fb.base()), 2);
    return magic[0] == 0x1f && magic[1] == 0x8b;
  }

  // Whether decoding from candidate `c` ends exactly at one of the next
  // candidates (or at the final block, where the member can end).
  bool confirmed(FileBytes& fb, std::uint64_t c) {
    std::uint64_t from = c + 1;
    for (int i = 0; i < settings.confirm_tries; ++i) {
      const std::optional<std::uint64_t> next = next_candidate(fb, from, c + kConfirmReach * 8);
      if (read_failed) return false;
      // No candidate near: where the reach passes the file's end, decoding
      // on must reach the final block (this rejects the padding before a
      // final stored block, which reads as a non-final one); inside one
      // huge block, take it (if it was false, its chunk fails and the file
      // is counted sequentially). Decided from the offsets alone, so every
      // thread decides the same.
      if (!next && c / 8 + kConfirmReach < fb.size()) return true;
      const std::uint64_t stop = next ? *next - fb.base_bit() : gzip::kToFinalBlock;
      const ChunkStatus s = gzip::summarize_chunk(fb.data(), c - fb.base_bit(), stop, workspace, scratch);
      if (!next) return s == ChunkStatus::ok && member_ends_at(fb, scratch.end_bit + fb.base_bit());
      if (s == ChunkStatus::ok) return true;
      if (s == ChunkStatus::final_before_stop) return member_ends_at(fb, scratch.end_bit + fb.base_bit());
      if (s != ChunkStatus::not_a_boundary) return false;
      from = *next + 1;
    }
    return false;
  }

  // The first confirmed candidate in [from, limit).
  std::optional<std::uint64_t> first_confirmed(FileBytes& fb, std::uint64_t from, std::uint64_t limit) {
    while (const std::optional<std::uint64_t> c = next_candidate(fb, from, limit)) {
      if (confirmed(fb, *c)) return c;
      if (read_failed) return std::nullopt;
      from = *c + 1;
    }
    return std::nullopt;
  }

  ChunkCount count(const gzip::ReadAt& read_at, std::uint64_t size, const ChunkPlace& place,
                   const ChunkCount* before, const std::atomic<bool>* cancel) {
    read_failed = false;
    // The run before already ended the member, or decoded past this chunk's
    // nominal end (the marker path would find no start here either).
    if (before != nullptr && (before->final_block || before->end_bit >= place.end * 8))
      return record_of(place, ChunkKind::empty);
    FileBytes fb(read_at, size, bytes);
    const bool resolved = place.begin == 0 || before != nullptr;
    const std::uint64_t first_byte = before != nullptr ? before->end_bit / 8 : place.begin;
    if (!fb.load(first_byte, place.end + kReadStep)) return failed_chunk(place, ChunkStatus::bad_data);

    std::uint64_t start = 0;
    if (before != nullptr) {
      start = before->end_bit;
    } else if (place.begin == 0) {
      std::size_t header = 0;
      if (gzip::member_header_size(fb.data(), header) != gzip::GzipStatus::ok)
        return failed_chunk(place, ChunkStatus::bad_data);
      start = header * 8;
    } else {
      const std::optional<std::uint64_t> c = first_confirmed(fb, place.begin * 8, place.end * 8);
      if (read_failed) return failed_chunk(place, ChunkStatus::bad_data);
      if (!c) return record_of(place, ChunkKind::empty);
      start = *c;
    }

    std::uint64_t stop = kToFinalBlock;
    if (!place.last) {
      const std::uint64_t reach = std::max(settings.max_stop_search, place.end - place.begin);
      const std::optional<std::uint64_t> c =
          first_confirmed(fb, std::max(place.end * 8, start + 1), (place.end + reach) * 8);
      if (read_failed) return failed_chunk(place, ChunkStatus::bad_data);
      if (c) {
        stop = *c;
      } else if (!fb.at_eof()) {
        return failed_chunk(place, ChunkStatus::not_a_boundary);  // no block start within reach
      }
    }
    if (stop == kToFinalBlock && !fb.extend(size)) return failed_chunk(place, ChunkStatus::bad_data);

    ChunkCount c;
    c.begin = place.begin;
    c.end = place.end;
    c.start_bit = start;
    const std::uint64_t rel_start = start - fb.base_bit();
    const std::uint64_t rel_stop = stop == kToFinalBlock ? kToFinalBlock : stop - fb.base_bit();
    if (resolved) {
      c.kind = ChunkKind::resolved;
      c.status = decode_resolved(fb, rel_start, rel_stop, before, c);
      c.end_bit = reader.end_bit() + fb.base_bit();
      c.final_block = reader.final_block();
    } else {
      c.kind = ChunkKind::summary;
      c.status = gzip::summarize_chunk(fb.data(), rel_start, rel_stop, workspace, c.summary, cancel);
      if (c.status == ChunkStatus::cancelled) return record_of(place, ChunkKind::empty, ChunkStatus::cancelled);
      c.end_bit = c.summary.end_bit + fb.base_bit();
      c.final_block = c.summary.final_block;
    }
    if (c.status != ChunkStatus::ok && c.status != ChunkStatus::final_before_stop) {
      c.kind = ChunkKind::failed;
      c.summary = {};
      c.window.clear();
      return c;
    }
    if (c.final_block) {
      const std::uint64_t trailer = (c.end_bit + 7) / 8;
      if (fb.extend(trailer + 8) && fb.end() >= trailer + 8) {
        const auto t = fb.data().subspan(static_cast<std::size_t>(trailer - fb.base()), 8);
        c.trailer_present = true;
        c.trailer_crc = le32(t);
        c.trailer_size = le32(t.subspan(4));
      }
    }
    return c;
  }

  // One pass with the true window: newlines, CRC-32, size and the window out.
  ChunkStatus decode_resolved(const FileBytes& fb, std::uint64_t rel_start, std::uint64_t rel_stop,
                              const ChunkCount* before, ChunkCount& c) {
    // Only the member's real bytes: a reference before its start must fail
    // here as it does in a sequential decode.
    const std::span<const std::uint8_t> window_in =
        before != nullptr
            ? std::span<const std::uint8_t>(before->window).last(std::min<std::size_t>(
                  before->window.size(), static_cast<std::size_t>(std::min<std::uint64_t>(before->totals.size,
                                                                                           kWindowSize))))
            : std::span<const std::uint8_t>();
    c.window = before != nullptr ? before->window : std::vector<std::uint8_t>(kWindowSize, 0);
    if (const ChunkStatus s = reader.open(fb.data(), rel_start, rel_stop, window_in); s != ChunkStatus::ok) return s;
    for (;;) {
      std::size_t n = 0;
      const ChunkStatus s = reader.read(out, n);
      if (n == 0) {
        c.totals.crc32 = reader.crc32();
        return s;
      }
      c.totals.newlines += count_newlines(out.data(), n);
      c.totals.size += n;
      if (n >= kWindowSize) {
        std::memcpy(c.window.data(), out.data() + n - kWindowSize, kWindowSize);
      } else {
        std::memmove(c.window.data(), c.window.data() + n, kWindowSize - n);
        std::memcpy(c.window.data() + kWindowSize - n, out.data(), n);
      }
    }
  }
};

ChunkCounter::ChunkCounter(ChunkSettings settings) : impl_(std::make_unique<Impl>(settings)) {}
ChunkCounter::~ChunkCounter() = default;

ChunkCount ChunkCounter::count(const gzip::ReadAt& read_at, std::uint64_t size, const ChunkPlace& place,
                               const ChunkCount* before, const std::atomic<bool>* cancel) {
  return impl_->count(read_at, size, place, before, cancel);
}

bool extend_run(ChunkCount& run, const ChunkCount& next, bool keep_windows) {
  if (next.kind != ChunkKind::resolved && next.kind != ChunkKind::empty) return false;
  run.end = next.end;
  if (next.kind == ChunkKind::empty) return true;
  if (keep_windows) run.marks.push_back({next.start_bit, run.totals.size, run.window});
  run.end_bit = next.end_bit;
  run.final_block = next.final_block;
  run.totals.newlines += next.totals.newlines;
  run.totals.crc32 = static_cast<std::uint32_t>(
      ::crc32_combine64(run.totals.crc32, next.totals.crc32, static_cast<z_off64_t>(next.totals.size)));
  run.totals.size += next.totals.size;
  run.window = next.window;
  run.trailer_present = next.trailer_present;
  run.trailer_crc = next.trailer_crc;
  run.trailer_size = next.trailer_size;
  return true;
}

void encode_chunk(const ChunkCount& c, std::vector<char>& out) {
  using parallel::wire::put;
  using parallel::wire::put_vector;
  put(out, c.begin);
  put(out, c.end);
  put(out, static_cast<std::uint8_t>(c.kind));
  put(out, static_cast<std::uint8_t>(c.status));
  put(out, c.start_bit);
  put(out, c.end_bit);
  put<std::uint8_t>(out, c.final_block);
  put(out, c.totals);
  put_vector(out, c.window);
  const gzip::ChunkSummary& s = c.summary;
  put(out, s.size);
  put(out, s.literal_newlines);
  put(out, s.marker_bytes);
  put<std::uint8_t>(out, s.final_block);
  put_vector(out, s.marker_positions);
  put_vector(out, s.marker_counts);
  put_vector(out, s.marker_crc_terms);
  put(out, s.crc_pad);
  put(out, s.crc_dummy);
  put_vector(out, s.window_out);
  put<std::uint8_t>(out, c.trailer_present);
  put(out, c.trailer_crc);
  put(out, c.trailer_size);
  put<std::uint64_t>(out, c.marks.size());
  for (const ChunkCount::Mark& m : c.marks) {
    put(out, m.start_bit);
    put(out, m.offset);
    put_vector(out, m.window);
  }
}

std::optional<ChunkCount> decode_chunk(std::span<const char>& in) {
  using parallel::wire::get;
  using parallel::wire::get_vector;
  ChunkCount c;
  gzip::ChunkSummary& s = c.summary;
  std::uint8_t kind = 0, status = 0, final_block = 0, summary_final = 0, trailer = 0;
  const bool whole = get(in, c.begin) && get(in, c.end) && get(in, kind) && get(in, status) && get(in, c.start_bit) &&
                     get(in, c.end_bit) && get(in, final_block) && get(in, c.totals) && get_vector(in, c.window) &&
                     get(in, s.size) && get(in, s.literal_newlines) && get(in, s.marker_bytes) &&
                     get(in, summary_final) && get_vector(in, s.marker_positions) && get_vector(in, s.marker_counts) &&
                     get_vector(in, s.marker_crc_terms) && get(in, s.crc_pad) && get(in, s.crc_dummy) &&
                     get_vector(in, s.window_out) && get(in, trailer) && get(in, c.trailer_crc) &&
                     get(in, c.trailer_size);
  std::uint64_t marks = 0;
  if (!whole || !get(in, marks) || marks > in.size()) return std::nullopt;
  c.marks.resize(static_cast<std::size_t>(marks));
  for (ChunkCount::Mark& m : c.marks)
    if (!get(in, m.start_bit) || !get(in, m.offset) || !get_vector(in, m.window) || m.window.size() != kWindowSize)
      return std::nullopt;
  if (kind > static_cast<std::uint8_t>(ChunkKind::failed) ||
      status > static_cast<std::uint8_t>(ChunkStatus::cancelled) || final_block > 1 || summary_final > 1 ||
      trailer > 1)
    return std::nullopt;
  c.kind = static_cast<ChunkKind>(kind);
  c.status = static_cast<ChunkStatus>(status);
  c.final_block = final_block == 1;
  s.final_block = summary_final == 1;
  c.trailer_present = trailer == 1;
  if (std::any_of(s.marker_positions.begin(), s.marker_positions.end(),
                  [](std::uint16_t w) { return w >= kWindowSize; }) ||
      (c.kind == ChunkKind::resolved && c.window.size() != kWindowSize) ||
      s.marker_counts.size() != s.marker_positions.size() ||
      s.marker_crc_terms.size() != s.marker_positions.size() ||
      (c.kind == ChunkKind::summary && s.window_out.size() != kWindowSize))
    return std::nullopt;
  return c;
}

}  // namespace juggle::count
