// Fuzz target: counting a gzip file in pieces equals counting it whole.
//
// Two ways of cutting one stream, each checked against the sequential
// decoder (count/gzip_line_counter.hpp) on every input:
// - BGZF ranges (gzip/bgzf.hpp, count/range_join.hpp): the input is cut
//   into ranges of whole members of a size taken from its first byte; when
//   the ranges' counts join, the result must be exactly the whole count
//   (lines, bytes in and out, CRC-32, members, trailing bytes), and a
//   refusal is always allowed (the caller then counts the file whole).
// - Chunks of one deflate stream (gzip/deflate_block_finder.hpp,
//   gzip/chunk_inflate.hpp; ISA-L builds): the input after a gzip header is
//   raw deflate data, cut at the first block-start candidates the finder
//   reports; each chunk is decoded without its window from its candidate to
//   the next one. Nothing may crash, and when every chunk decodes to a
//   block boundary through the final block, the chunks' newlines, CRC-32
//   and length, joined in order, must equal zlib's decode of the same bits.
// - A member in deflate chunks as juggle count cuts it (count/member_chunks.hpp;
//   ISA-L builds): the input is a file, cut at nominal offsets of a size
//   taken from its first byte, decoded once with every chunk after the
//   first without its window and once with one thread running from the
//   front. When the chunks join, the first member must be sound and its
//   sequential count (lines, bytes, CRC-32, unterminated) equal the join.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "count/gzip_line_counter.hpp"
#include "count/member_chunks.hpp"
#include "count/member_join.hpp"
#include "count/range_join.hpp"
#include "gzip/bgzf.hpp"
#include "gzip/chunk_inflate.hpp"
#include "gzip/deflate_block_finder.hpp"

using namespace juggle;

namespace {

// `data` read as a file.
gzip::ReadAt reader_of(std::span<const std::uint8_t> data) {
  return [data](std::uint64_t offset, std::span<std::uint8_t> dst) -> std::ptrdiff_t {
    if (offset >= data.size()) return 0;
    const std::size_t n = std::min<std::size_t>(dst.size(), data.size() - offset);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(offset), n, dst.begin());
    return static_cast<std::ptrdiff_t>(n);
  };
}

[[noreturn]] void differ(const char* what) {
  std::fprintf(stderr, "fuzz_split_count: %s differs from the whole count\n", what);
  std::abort();
}

void bgzf_ranges(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  const std::uint64_t range_bytes = 1 + data[0] * 4u;
  const gzip::ReadAt read_at = reader_of(data);
  const std::vector<std::uint64_t> starts = gzip::bgzf_range_starts(read_at, data.size(), range_bytes);
  if (starts.empty()) return;
  static count::CountWorkspace ws(gzip::default_backend());
  std::vector<count::LineCount> ranges;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::uint64_t end = i + 1 < starts.size() ? starts[i + 1] : data.size();
    if (starts[i] >= end) differ("range order");
    ranges.push_back(count::count_gzip_buffer(data.subspan(starts[i], end - starts[i]), ws));
  }
  const std::optional<count::LineCount> joined = count::join_ranges(ranges);
  if (!joined) return;
  const count::LineCount whole = count::count_gzip_buffer(data, ws);
  if (whole.status != joined->status) differ("status");
  if (whole.lines != joined->lines) differ("lines");
  if (whole.bytes_in != joined->bytes_in || whole.bytes_out != joined->bytes_out) differ("bytes");
  if (whole.crc32 != joined->crc32) differ("crc32");
  if (whole.members != joined->members) differ("members");
  if (whole.trailing_bytes != joined->trailing_bytes) differ("trailing bytes");
}

// zlib's decode of raw deflate data: newlines, CRC-32, length; nullopt
// unless the stream ends properly within the data.
struct Decoded {
  std::uint64_t newlines = 0, size = 0;
  std::uint32_t crc = 0;
};
std::optional<Decoded> zlib_raw(std::span<const std::uint8_t> data) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) return std::nullopt;
  Decoded d;
  d.crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  std::vector<std::uint8_t> out(1 << 16);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t n = out.size() - z.avail_out;
    for (std::size_t i = 0; i < n; ++i) d.newlines += out[i] == '\n';
    d.crc = static_cast<std::uint32_t>(crc32(d.crc, out.data(), static_cast<uInt>(n)));
    d.size += n;
    if (rc == Z_BUF_ERROR && n > 0) rc = Z_OK;
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? std::optional<Decoded>(d) : std::nullopt;
}

void deflate_chunks(std::span<const std::uint8_t> data) {
  if (!gzip::chunk_decoding_available() || data.size() < 2) return;
  // Chunk starts: bit 0, then the first candidate after each cut point.
  const std::uint64_t bits = data.size() * 8;
  const std::uint64_t step = 8 * (1 + data[0] % 64) * 64;
  const std::span<const std::uint8_t> stream = data.subspan(1);
  std::vector<std::uint64_t> starts{0};
  for (std::uint64_t cut = step; cut < bits && starts.size() < 8; cut += step) {
    const auto candidate = gzip::find_block_start(stream, std::max(cut, starts.back() + 1), bits);
    if (!candidate) break;
    starts.push_back(candidate->bit);
    cut = std::max(cut, candidate->bit);
  }
  static gzip::ChunkWorkspace ws(4096);
  gzip::ChunkSummary summary;
  // The window entering the stream is empty: zeros, which a valid stream never reads.
  std::vector<std::uint8_t> window(gzip::kWindowSize, 0), next(gzip::kWindowSize, 0);
  Decoded joined;
  joined.crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  bool whole = true;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::uint64_t stop = i + 1 < starts.size() ? starts[i + 1] : gzip::kToFinalBlock;
    const gzip::ChunkStatus status = gzip::summarize_chunk(stream, starts[i], stop, ws, summary);
    const bool last = i + 1 == starts.size();
    if (!(status == gzip::ChunkStatus::ok && (!last || summary.final_block))) {
      whole = false;
      continue;  // the later chunks are still decoded: none may crash
    }
    if (!whole) continue;
    const gzip::ChunkTotals t = gzip::resolve_summary(summary, window, next);
    window.swap(next);
    joined.newlines += t.newlines;
    joined.crc = static_cast<std::uint32_t>(crc32_combine64(joined.crc, t.crc32, static_cast<z_off64_t>(t.size)));
    joined.size += t.size;
  }
  if (!whole) return;
  const std::optional<Decoded> reference = zlib_raw(stream);
  if (!reference) return;  // ISA-L is laxer than zlib about some code tables
  if (reference->newlines != joined.newlines) differ("chunk newlines");
  if (reference->crc != joined.crc) differ("chunk CRC-32");
  if (reference->size != joined.size) differ("chunk length");
}

void member_chunks(std::span<const std::uint8_t> data) {
  if (!gzip::chunk_decoding_available() || data.empty()) return;
  const std::uint64_t chunk = 256 * (1 + data[0] % 32);
  const gzip::ReadAt read_at = reader_of(data);
  static count::ChunkCounter counter;
  static count::CountWorkspace ws(gzip::default_backend());
  for (const bool front_runner : {false, true}) {
    std::vector<count::ChunkCount> records;
    for (std::uint64_t begin = 0; begin < data.size(); begin += chunk) {
      const bool last = data.size() - begin <= chunk;
      const count::ChunkPlace place{begin, last ? data.size() : begin + chunk, last};
      const bool follow = front_runner && !records.empty() && records.back().kind == count::ChunkKind::resolved &&
                          records.back().end == begin;
      count::ChunkCount c = counter.count(read_at, data.size(), place, follow ? &records.back() : nullptr);
      if (!follow || !count::extend_run(records.back(), c)) records.push_back(std::move(c));
    }
    const std::optional<count::MemberCount> joined = count::join_member_chunks(records);
    if (!joined) continue;
    if (joined->member_end > data.size()) differ("member end");
    const count::LineCount first = count::count_gzip_buffer(data.first(joined->member_end), ws);
    if (first.status != gzip::GzipStatus::ok || first.members != 1) differ("member verdict");
    if (first.lines != joined->count.lines) differ("member lines");
    if (first.bytes_out != joined->count.bytes_out || first.bytes_in != joined->count.bytes_in) differ("member bytes");
    if (first.crc32 != joined->count.crc32) differ("member crc32");
    if (first.unterminated != joined->count.unterminated) differ("member unterminated");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  bgzf_ranges(input);
  deflate_chunks(input);
  member_chunks(input);
  return 0;
}
