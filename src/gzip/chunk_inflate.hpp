// Decoding one chunk of a deflate stream without the 32 KiB that precede it.
//
// Why. A thread that starts decoding in the middle of a gzip member (at a block
// start found by deflate_block_finder.hpp) does not know the window: the last
// 32 KiB of output before the chunk, which back-references may copy. It can
// still decode everything else, and describe each unknown byte as "a copy of
// window position w" (a marker). Once the chunks before it are done and the
// true window is known, markers are replaced. No Huffman decoder of our own is
// needed: ISA-L's stock inflater decodes the chunk twice, once with dummy
// dictionary D1 and once with D2, where D1[w] = w mod 256 and
// D2[w] = (D1[w] + 1 + w / 256) mod 256 differ at every w and the pair names w.
// Output bytes that agree are literals; bytes that differ are markers, and
// w = D1 + 256 * ((D2 - D1 - 1) mod 256). The two passes run in lockstep in
// slices that stay in cache, and the compare is SSE2 (16 bytes per compare,
// one movemask; newlines summed in byte lanes). Once the last 32 KiB of a
// chunk's output hold no marker, no later byte can copy the unknown window:
// pass 2 stops and the rest of the chunk costs one pass (random base64 gets
// there after tens of KiB; gzip -6 prose rarely does, see the issue).
//
// Measured (bench/chunk_inflate_speed, one thread, CPU time, on this 2-core VM
// while another job ran on the other core): r = marker path / one ISA-L pass
// with the true window, on 100 MB of gzip -6 Gutenberg prose with chunks of
// 4 MiB compressed: 0.39-0.45 (0.37-0.42 leaving out the first chunk, which
// has no markers); 16 MiB chunks 0.47, 0.5 MiB chunks 0.25 (markers are 37 %
// of their bytes). gzip -6 base64 of random bytes: 0.88. Two ISA-L passes
// bound r at 0.5 where markers never die out; the rest is the per-marker
// bookkeeping below, which is why larger chunks pay.
//
// What a chunk yields. Nothing per output byte is kept. For counting lines, a
// ChunkSummary: literal newlines, how many output bytes carry each marker w
// (H[w], sparse), the outgoing window as literals or markers of the incoming
// one, the output length, and what the CRC-32 needs (below). summaries combine
// in order: resolve_summary() turns the true window entering chunk i into the
// true window entering chunk i+1, chunk i's newline count (literal newlines +
// sum of H[w] over w where window[w] == '\n') and its CRC-32. For tokenizing,
// ResolvedChunkReader decodes the chunk again with the true window (one ISA-L
// pass at full speed) and hands out its bytes in slices of the caller's size;
// that costs less than keeping 2 bytes of marker output per byte of a chunk
// that may expand 1000-fold.
//
// CRC-32 without resolving bytes. CRC-32 is affine over GF(2): for two streams
// of equal length, crc(A xor E) = crc(A) xor raw(E), where raw is the CRC
// register run from 0 with no final xor. Pass 1's CRC comes from ISA-L for
// free. The true stream differs from pass 1 only at markers, by
// e_w = window[w] xor D1[w] at each byte carrying w, so raw(E) =
// sum over w of (e_w * x^8) * Q_w mod P, with Q_w = sum over bytes p carrying w
// of x^(8 (n - 1 - p)) mod P. Q_w is accumulated while decoding: output is cut
// into 32 KiB blocks; a marker adds a tabled power of x for its place in its
// block, and w's running sum is multiplied forward (one carry-less multiply)
// only when w reappears in a later block. The summary keeps Q_w for the chunk
// padded with zero bytes to a whole block (crc_pad bytes), so no inverse is
// needed at decode time; resolve_summary() groups the Q_w by e_w (256
// products whatever the chunk) and strips the padding with one multiply by
// x^(-8 crc_pad) (x^-8 is one backward step of the CRC register). This was
// preferred to resolving the bytes in slices because the count path never
// holds the chunk's output after decoding it, and a second decode would cost
// a third pass.
//
// Stopping exactly at a block boundary with ISA-L's stock API. The decoder is
// fed only the bits of [start_bit, stop_bit): whole bytes from the first whole
// byte on, the first byte's remaining bits preloaded into read_in, and the last
// partial byte with its bits at and after stop_bit cleared. If stop_bit is a
// block boundary, ISA-L decodes the last block's end-of-block code, then finds
// at most 7 zero bits, which read as the start of a stored block whose LEN is
// missing: it returns for input, between blocks (block state NEW_HDR or HDR),
// having consumed exactly up to stop_bit. Any other ending is detected from
// the state: stuck inside a block (CODED/TYPE0), between blocks at another
// offset, or a symbol read from the cleared bits (consumed past stop_bit). The
// offset consumed is (bits fed) - read_in_length - 8 (avail_in + tmp_in_size),
// which counts what ISA-L buffers in its bit reservoir and in its header stash.
//
// Chunk 0 of a member has no window: combine its summary with an all-zero
// window; a valid stream has no markers there (marker_bytes == 0 tells), and
// ResolvedChunkReader takes an empty window for it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace juggle::gzip {

inline constexpr std::size_t kWindowSize = 32768;
// stop_bit meaning "decode through the final block".
inline constexpr std::uint64_t kToFinalBlock = ~std::uint64_t{0};

enum class ChunkStatus : std::uint8_t {
  ok,                 // decoded to stop_bit, a block boundary (or to the end of the final block)
  final_before_stop,  // the final block ended before stop_bit (the summary is complete up to there)
  not_a_boundary,     // stop_bit is not where a block of this decode ends
  bad_data,           // ISA-L rejected the data (a false start candidate often ends so), or the
                      // two passes differ where no window byte could (a forbidden distance code)
  truncated,          // kToFinalBlock: the input ended before the final block did
  unsupported,        // built without ISA-L: use the sequential path
  cancelled,          // the caller's cancel flag was raised (summarize_chunk)
};

// "ok", "final_before_stop", ...
[[nodiscard]] std::string_view chunk_status_name(ChunkStatus status) noexcept;
// False when built without ISA-L (every call below then returns unsupported).
[[nodiscard]] bool chunk_decoding_available() noexcept;

// One position of a window described relative to an earlier window: a byte
// value (< 256) or kMarkerFlag | w, "whatever the earlier window holds at w".
using WindowSymbol = std::uint16_t;
inline constexpr WindowSymbol kMarkerFlag = 0x8000;

struct ChunkSummary {
  std::uint64_t start_bit = 0;
  std::uint64_t end_bit = 0;  // where decoding stopped (the stop offset, or the end of the final block)
  bool final_block = false;   // the member's final block ended inside this chunk
  std::uint64_t size = 0;     // output bytes
  std::uint64_t literal_newlines = 0;
  std::uint64_t marker_bytes = 0;  // output bytes that are markers
  // Sparse, sorted by w: marker_positions[k] = w with H[w] > 0,
  // marker_counts[k] = H[w], marker_crc_terms[k] = Q_w (see the essay).
  std::vector<std::uint16_t> marker_positions;
  std::vector<std::uint64_t> marker_counts;
  std::vector<std::uint32_t> marker_crc_terms;
  std::uint32_t crc_pad = 0;    // zero bytes the Q_w assume after the chunk (< 32768)
  std::uint32_t crc_dummy = 0;  // CRC-32 of the chunk decoded with D1
  // The window entering the next chunk, described on this chunk's incoming
  // window; kWindowSize entries, oldest first.
  std::vector<WindowSymbol> window_out;
};

// What the marker path needs per thread: two ISA-L states (85 KiB each), four
// slice buffers, two dummy dictionaries, 20 bytes per window position (12
// in the marker loop, 8 of counts folded from time to time) and a 128 KiB
// power table (about 1.5 MiB with 128 KiB slices), whatever the chunk's size.
// Reuse it across chunks; it is not thread-safe.
class ChunkWorkspace {
 public:
  static constexpr std::size_t default_slice = 128 * 1024;
  // slice: output bytes each pass decodes before the two are compared.
  explicit ChunkWorkspace(std::size_t slice = default_slice);
  ~ChunkWorkspace();
  ChunkWorkspace(const ChunkWorkspace&) = delete;
  ChunkWorkspace& operator=(const ChunkWorkspace&) = delete;
  struct Impl;

 private:
  friend ChunkStatus summarize_chunk(std::span<const std::uint8_t>, std::uint64_t, std::uint64_t, ChunkWorkspace&,
                                     ChunkSummary&, const std::atomic<bool>*);
  std::unique_ptr<Impl> impl_;
};

// Decodes raw deflate `data` from start_bit (a block start) to stop_bit (or
// kToFinalBlock) with the marker path and fills `out` (its vectors are
// reused). `out` is complete when the result is ok or final_before_stop; on
// other results only start_bit/end_bit are meaningful (end_bit: where ISA-L
// stopped). data must hold every bit up to stop_bit. With `cancel`, the
// flag is read between slices: once it is raised the decode stops and
// returns cancelled (another thread is decoding the chunk faster).
[[nodiscard]] ChunkStatus summarize_chunk(std::span<const std::uint8_t> data, std::uint64_t start_bit,
                                          std::uint64_t stop_bit, ChunkWorkspace& workspace, ChunkSummary& out,
                                          const std::atomic<bool>* cancel = nullptr);

struct ChunkTotals {
  std::uint64_t newlines = 0;
  std::uint32_t crc32 = 0;  // CRC-32 of the chunk's true bytes (join with zlib's crc32_combine)
  std::uint64_t size = 0;
};

// The combine step: given the true window entering the summarised chunk
// (window_in, kWindowSize bytes), writes the true window entering the next
// chunk to window_out (kWindowSize bytes) and returns the chunk's newline
// count, CRC-32 and length. window_in and window_out must not overlap. Pure.
[[nodiscard]] ChunkTotals resolve_summary(const ChunkSummary& summary, std::span<const std::uint8_t> window_in,
                                          std::span<std::uint8_t> window_out);

// A chunk's true bytes, in order, once its incoming window is known: one ISA-L
// pass with the window as dictionary, stopped and checked exactly like
// summarize_chunk.
class ResolvedChunkReader {
 public:
  ResolvedChunkReader();
  ~ResolvedChunkReader();
  ResolvedChunkReader(const ResolvedChunkReader&) = delete;
  ResolvedChunkReader& operator=(const ResolvedChunkReader&) = delete;

  // Starts a chunk. window: the bytes of the member before the chunk, the
  // last kWindowSize of them (fewer near the member's start: a reference
  // before the member is then an error, as in a sequential decode; empty
  // for the first chunk). `data` must outlive the reads (window is copied).
  [[nodiscard]] ChunkStatus open(std::span<const std::uint8_t> data, std::uint64_t start_bit, std::uint64_t stop_bit,
                                 std::span<const std::uint8_t> window);
  // Writes up to out.size() next bytes, sets `produced`; produced == 0 with
  // out non-empty means the chunk is finished, and the result is then the
  // chunk's verdict (ok, not_a_boundary, ...). Until then the result is ok,
  // or bad_data as soon as ISA-L rejects the data.
  [[nodiscard]] ChunkStatus read(std::span<std::uint8_t> out, std::size_t& produced);
  // After the end: where decoding stopped, whether the final block ended.
  [[nodiscard]] std::uint64_t end_bit() const noexcept;
  [[nodiscard]] bool final_block() const noexcept;
  // CRC-32 of the bytes read so far.
  [[nodiscard]] std::uint32_t crc32() const noexcept;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace juggle::gzip
