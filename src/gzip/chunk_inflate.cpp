#include "gzip/chunk_inflate.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "gzip/deflate_block_finder.hpp"

#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>
#include <wmmintrin.h>
#define JUGGLE_CHUNK_X86 1
#endif

#ifdef JUGGLE_HAVE_ISAL
#include <isa-l.h>
#endif

namespace juggle::gzip {
namespace {

// ---- GF(2) arithmetic modulo the CRC-32 polynomial, in CRC-32's reflected
// representation (bit 31 is the coefficient of x^0, bit 0 that of x^31).

constexpr std::uint32_t kOne = 0x80000000u;
// Output bytes per block of the Q_w bookkeeping: a w seen again in a later
// block costs one multiply, so larger blocks mean fewer (4 KiB -> 32 KiB took
// 0.5 MiB chunks of prose from 118 to ~150 MB/s); the in-block power table is
// kCrcBlock words.
constexpr std::size_t kCrcBlock = 32768;

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

// The top bytes of kCrcTable are a permutation of 0..255: this inverts it.
constexpr std::array<std::uint8_t, 256> make_inverse_top() {
  std::array<std::uint8_t, 256> inv{};
  for (unsigned i = 0; i < 256; ++i) inv[kCrcTable[i] >> 24] = static_cast<std::uint8_t>(i);
  return inv;
}
constexpr std::array<std::uint8_t, 256> kCrcInverseTop = make_inverse_top();

// r * x^8 mod P: one step of the CRC register over a zero byte.
inline std::uint32_t times_x8(std::uint32_t r) noexcept { return (r >> 8) ^ kCrcTable[r & 0xFFu]; }
// The inverse step: r * x^-8 mod P.
inline std::uint32_t div_x8(std::uint32_t s) noexcept {
  const std::uint8_t i = kCrcInverseTop[s >> 24];
  return ((s ^ kCrcTable[i]) << 8) | i;
}

inline std::uint64_t clmul_soft(std::uint32_t a, std::uint32_t b) noexcept {
  std::uint64_t r = 0;
  for (unsigned i = 0; i < 32; ++i) r ^= (std::uint64_t{a} << i) & (std::uint64_t{0} - ((b >> i) & 1u));
  return r;
}

#ifdef JUGGLE_CHUNK_X86
__attribute__((target("pclmul"))) std::uint64_t clmul_hard(std::uint32_t a, std::uint32_t b) noexcept {
  const __m128i x = _mm_cvtsi32_si128(static_cast<int>(a));
  const __m128i y = _mm_cvtsi32_si128(static_cast<int>(b));
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(x, y, 0)));
}
bool cpu_has_clmul() noexcept { return __builtin_cpu_supports("pclmul"); }
#else
std::uint64_t clmul_hard(std::uint32_t a, std::uint32_t b) noexcept { return clmul_soft(a, b); }
bool cpu_has_clmul() noexcept { return false; }
#endif

// a * b mod P. The carry-less product of two reflected words is the reflected
// 64-bit product shifted right by one; its low word is the part of degree
// >= 32, which four zero-byte CRC steps reduce.
inline std::uint32_t mul_mod(std::uint32_t a, std::uint32_t b, bool hard) noexcept {
  const std::uint64_t d = (hard ? clmul_hard(a, b) : clmul_soft(a, b)) << 1;
  std::uint32_t low = static_cast<std::uint32_t>(d);
  low = times_x8(times_x8(times_x8(times_x8(low))));
  return static_cast<std::uint32_t>(d >> 32) ^ low;
}

// Newlines in a buffer (SSE2 byte lanes, folded before they can overflow).
[[maybe_unused]] std::uint64_t count_newlines(const std::uint8_t* p, std::size_t m) noexcept {
  std::size_t i = 0;
  std::uint64_t lf = 0;
#ifdef JUGGLE_CHUNK_X86
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  while (i + 64 <= m) {
    __m128i lanes = zero;
    for (unsigned round = 0; round < 63 && i + 64 <= m; ++round, i += 64) {
      for (unsigned k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16 * k));
        lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, newline));
      }
    }
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    lf += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
          static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < m; ++i) lf += p[i] == '\n';
  return lf;
}

// ---- The dummy dictionaries and the marker code.

inline std::uint8_t dummy1(std::size_t w) noexcept { return static_cast<std::uint8_t>(w & 0xFFu); }
inline std::uint8_t dummy2(std::size_t w) noexcept { return static_cast<std::uint8_t>((w + 1 + (w >> 8)) & 0xFFu); }
inline std::uint32_t marker_of(std::uint8_t a, std::uint8_t b) noexcept {
  return a | (static_cast<std::uint32_t>((b - a - 1) & 0xFF) << 8);
}

#ifdef JUGGLE_HAVE_ISAL
// ISA-L's inflate fed exactly the bits of [start_bit, stop_bit) (see the
// header's essay), decoding into the caller's slices.
class StopInflater {
 public:
  StopInflater() : st_(std::make_unique<inflate_state>()) {}

  // False when the offsets do not fit the data.
  bool begin(std::span<const std::uint8_t> data, std::uint64_t start, std::uint64_t stop,
             std::span<const std::uint8_t> dict, bool keep_crc) {
    inflate_state& s = *st_;
    isal_inflate_init(&s);
    s.crc_flag = keep_crc ? ISAL_GZIP_NO_HDR : ISAL_DEFLATE;
    if (!dict.empty()) {
      if (isal_inflate_set_dict(&s, const_cast<std::uint8_t*>(dict.data()), static_cast<std::uint32_t>(dict.size())) !=
          COMP_OK)
        return false;
    }
    data_ = data;
    start_ = start;
    to_end_ = stop == kToFinalBlock;
    const std::uint64_t size_bits = std::uint64_t{data.size()} * 8;
    stop_ = to_end_ ? size_bits : stop;
    error_ = 0;
    done_ = false;
    bits_given_ = 0;
    main_left_ = 0;
    tail_pending_ = false;
    if (start_ > stop_ || stop_ > size_bits) return false;

    const std::uint64_t start_byte = start_ / 8;
    const std::uint64_t end_byte = stop_ / 8;  // first byte not wholly before stop
    const unsigned start_rem = static_cast<unsigned>(start_ % 8);
    const unsigned end_rem = static_cast<unsigned>(stop_ % 8);
    std::uint64_t first_whole = start_byte;
    if (start_rem != 0) {
      unsigned byte = data[start_byte];
      if (start_byte == end_byte) byte &= (1u << end_rem) - 1;  // start and stop in one byte
      s.read_in = byte >> start_rem;
      s.read_in_length = static_cast<std::int32_t>(8 - start_rem);
      bits_given_ = 8 - start_rem;
      first_whole = start_byte + 1;
    }
    if (first_whole <= end_byte) {
      main_ = data.data() + first_whole;
      main_left_ = end_byte - first_whole;
      if (end_rem != 0) {
        tail_ = static_cast<std::uint8_t>(data[end_byte] & ((1u << end_rem) - 1));
        tail_pending_ = true;
      }
    }
    s.next_in = nullptr;
    s.avail_in = 0;
    return true;
  }

  // Decodes up to n bytes into out; returns how many. done() once the decoder
  // has stopped for good (input used up, final block ended, or an error).
  std::size_t fill(std::uint8_t* out, std::size_t n) {
    inflate_state& s = *st_;
    std::size_t produced = 0;
    while (!done_ && produced < n) {
      if (s.avail_in == 0) refill();
      const std::uint32_t in_before = s.avail_in;
      s.next_out = out + produced;
      s.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(n - produced, std::size_t{1} << 30));
      const int ret = isal_inflate(&s);
      const std::size_t now = static_cast<std::size_t>(s.next_out - out);
      const bool progress = now != produced || s.avail_in != in_before;
      produced = now;
      if (ret < 0) {
        error_ = ret;
        done_ = true;
      } else if (s.block_state == ISAL_BLOCK_FINISH) {
        done_ = true;
      } else if (s.avail_out > 0 && s.avail_in == 0 && main_left_ == 0 && !tail_pending_) {
        done_ = true;  // stopped for want of input it will never get
      } else if (!progress && s.avail_in != 0) {
        error_ = ISAL_INVALID_BLOCK;  // cannot happen with ISA-L 2.30; never spin
        done_ = true;
      }
    }
    return produced;
  }

  [[nodiscard]] bool done() const noexcept { return done_; }
  [[nodiscard]] std::uint32_t crc() const noexcept { return st_->crc; }

  // The verdict once done(): see the header's essay.
  ChunkStatus verdict(std::uint64_t& end_bit, bool& final_block) const {
    const inflate_state& s = *st_;
    const std::uint64_t unconsumed = static_cast<std::uint64_t>(std::max<std::int32_t>(s.read_in_length, 0)) +
                                     8 * (std::uint64_t{s.avail_in} + static_cast<std::uint64_t>(s.tmp_in_size));
    const std::uint64_t pos = start_ + bits_given_ - unconsumed;
    end_bit = pos;
    final_block = false;
    if (error_ != 0) return ChunkStatus::bad_data;
    if (s.block_state == ISAL_BLOCK_FINISH || s.block_state == ISAL_BLOCK_INPUT_DONE) {
      final_block = true;
      if (to_end_ || pos == stop_) return ChunkStatus::ok;
      return pos < stop_ ? ChunkStatus::final_before_stop : ChunkStatus::not_a_boundary;
    }
    if (to_end_) return ChunkStatus::truncated;
    if (s.block_state != ISAL_BLOCK_NEW_HDR && s.block_state != ISAL_BLOCK_HDR) return ChunkStatus::not_a_boundary;
    if (pos == stop_) return ChunkStatus::ok;
    // A stored block reported at its latest offset (deflate_block_finder.hpp):
    // a block ending up to 7 zero bits earlier is followed by that same block.
    if (pos < stop_ && stop_ - pos <= 7 && stored_header_plausible(data_, stop_) && zero_bits(pos, stop_)) {
      end_bit = stop_;
      return ChunkStatus::ok;
    }
    return ChunkStatus::not_a_boundary;
  }

 private:
  void refill() {
    inflate_state& s = *st_;
    if (main_left_ > 0) {
      const std::uint64_t give = std::min<std::uint64_t>(main_left_, std::uint64_t{1} << 30);
      s.next_in = const_cast<std::uint8_t*>(main_);  // ISA-L never writes its input
      s.avail_in = static_cast<std::uint32_t>(give);
      main_ += give;
      main_left_ -= give;
      bits_given_ += 8 * give;
    } else if (tail_pending_) {
      s.next_in = &tail_;
      s.avail_in = 1;
      tail_pending_ = false;
      bits_given_ += 8;
    }
  }

  [[nodiscard]] bool zero_bits(std::uint64_t from, std::uint64_t to) const noexcept {
    for (std::uint64_t b = from; b < to; ++b)
      if ((data_[b / 8] >> (b % 8)) & 1u) return false;
    return true;
  }

  std::unique_ptr<inflate_state> st_;
  std::span<const std::uint8_t> data_;
  std::uint64_t start_ = 0;
  std::uint64_t stop_ = 0;
  bool to_end_ = false;
  const std::uint8_t* main_ = nullptr;
  std::uint64_t main_left_ = 0;
  std::uint8_t tail_ = 0;
  bool tail_pending_ = false;
  std::uint64_t bits_given_ = 0;
  int error_ = 0;
  bool done_ = false;
};
#endif

}  // namespace

std::string_view chunk_status_name(ChunkStatus status) noexcept {
  switch (status) {
    case ChunkStatus::ok:
      return "ok";
    case ChunkStatus::final_before_stop:
      return "final_before_stop";
    case ChunkStatus::not_a_boundary:
      return "not_a_boundary";
    case ChunkStatus::bad_data:
      return "bad_data";
    case ChunkStatus::truncated:
      return "truncated";
    case ChunkStatus::unsupported:
      return "unsupported";
    case ChunkStatus::cancelled:
      return "cancelled";
  }
  return "?";
}

bool chunk_decoding_available() noexcept {
#ifdef JUGGLE_HAVE_ISAL
  return true;
#else
  return false;
#endif
}

// ---- The marker path.

struct ChunkWorkspace::Impl {
  explicit Impl(std::size_t slice_size)
      : slice(std::max(slice_size, kWindowSize)),
        hard(cpu_has_clmul()),
        dict1(kWindowSize),
        dict2(kWindowSize),
        marks(kWindowSize),
        counts(kWindowSize),
        wide_counts(kWindowSize),
        pow_in_block(kCrcBlock),
        block_pow(1024) {
    for (std::size_t w = 0; w < kWindowSize; ++w) {
      dict1[w] = dummy1(w);
      dict2[w] = dummy2(w);
    }
    for (auto& buffer : a) buffer.resize(slice);
    for (auto& buffer : b) buffer.resize(slice);
    touched.reserve(kWindowSize);
    pow_in_block[0] = kOne;
    for (std::size_t d = 1; d < kCrcBlock; ++d) pow_in_block[d] = times_x8(pow_in_block[d - 1]);
    const std::uint32_t x_block = times_x8(pow_in_block[kCrcBlock - 1]);
    block_pow[0] = kOne;
    for (std::size_t g = 1; g < block_pow.size(); ++g) block_pow[g] = mul_mod(block_pow[g - 1], x_block, hard);
    block_pow_big[0] = mul_mod(block_pow[1023], x_block, hard);  // x^(8 * kCrcBlock * 1024)
    for (std::size_t i = 1; i < block_pow_big.size(); ++i)
      block_pow_big[i] = mul_mod(block_pow_big[i - 1], block_pow_big[i - 1], hard);
  }

  // x^(8 * kCrcBlock * g) mod P.
  [[nodiscard]] std::uint32_t block_power(std::uint64_t g) const noexcept {
    std::uint32_t r = block_pow[g & 1023];
    g >>= 10;
    for (std::size_t i = 0; g != 0; ++i, g >>= 1)
      if (g & 1u) r = mul_mod(r, block_pow_big[i], hard);
    return r;
  }

  // One output byte at position p carries marker w. A pair of bytes that
  // names no window position (w >= kWindowSize) is not a copy from the
  // window: ISA-L 2.30 decodes distance codes 30 and 31, which deflate
  // forbids, as distance 0 and outputs whatever its buffers held, and the
  // two passes' buffers differ. The chunk is then bad data.
  inline void marker(std::uint32_t w, std::uint64_t p) noexcept {
    if (w >= kWindowSize) {
      stray_pair = true;
      return;
    }
    last_marker_end = p + 1;
    ++counts[w];
    Mark& m = marks[w];
    const std::uint32_t block = static_cast<std::uint32_t>(p / kCrcBlock) + 1;
    if (m.stamp != block) {
      if (m.stamp == 0)
        touched.push_back(static_cast<std::uint16_t>(w));
      else
        m.q = mul_mod(m.q, block_power(block - m.stamp), hard);
      m.stamp = block;
    }
    m.q ^= pow_in_block[kCrcBlock - 1 - (p % kCrcBlock)];
  }

  // Compares a slice of the two passes: newlines among literals, markers.
  // Newlines are summed in byte lanes (SSE2 has no popcount; the baseline
  // x86-64 build would call libgcc for std::popcount) and folded every 63
  // rounds of 64 bytes, before a lane can reach 256.
  void scan(const std::uint8_t* pa, const std::uint8_t* pb, std::size_t m, std::uint64_t pos0) noexcept {
    std::size_t i = 0;
    std::uint64_t lf = 0;
#ifdef JUGGLE_CHUNK_X86
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    __m128i lanes = zero;
    unsigned rounds = 0;
    for (; i + 64 <= m; i += 64) {
      std::uint64_t eq = 0;
      for (unsigned k = 0; k < 4; ++k) {
        const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pa + i + 16 * k));
        const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pb + i + 16 * k));
        const __m128i same = _mm_cmpeq_epi8(va, vb);
        eq |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(same))) << (16 * k);
        lanes = _mm_sub_epi8(lanes, _mm_and_si128(same, _mm_cmpeq_epi8(va, newline)));
      }
      if (++rounds == 63) {
        const __m128i sums = _mm_sad_epu8(lanes, zero);
        lf += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
              static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
        lanes = zero;
        rounds = 0;
      }
      std::uint64_t diff = ~eq;
      while (diff != 0) {
        const unsigned j = static_cast<unsigned>(std::countr_zero(diff));
        diff &= diff - 1;
        ++markers;
        marker(marker_of(pa[i + j], pb[i + j]), pos0 + i + j);
      }
    }
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    lf += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
          static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
#endif
    for (; i < m; ++i) {
      if (pa[i] == pb[i]) {
        lf += pa[i] == '\n';
      } else {
        ++markers;
        marker(marker_of(pa[i], pb[i]), pos0 + i);
      }
    }
    newlines += lf;
  }

  // Clears the per-w tables for the next chunk, writing them to `out` if given.
  void drain(std::uint64_t n, ChunkSummary* out) {
    std::sort(touched.begin(), touched.end());
    const std::uint64_t blocks = (n + kCrcBlock - 1) / kCrcBlock;
    if (out != nullptr) {
      out->crc_pad = static_cast<std::uint32_t>(blocks * kCrcBlock - n);
      out->marker_positions.resize(touched.size());
      out->marker_counts.resize(touched.size());
      out->marker_crc_terms.resize(touched.size());
    }
    for (std::size_t k = 0; k < touched.size(); ++k) {
      const std::uint16_t w = touched[k];
      Mark& m = marks[w];
      if (out != nullptr) {
        out->marker_positions[k] = w;
        out->marker_counts[k] = wide_counts[w] + counts[w];
        out->marker_crc_terms[k] = m.stamp == blocks ? m.q : mul_mod(m.q, block_power(blocks - m.stamp), hard);
      }
      m = Mark{};
      counts[w] = 0;
      wide_counts[w] = 0;
    }
    touched.clear();
  }

  std::size_t slice;
  bool hard;
  std::vector<std::uint8_t> dict1, dict2;
  std::array<std::vector<std::uint8_t>, 2> a, b;  // two slices per pass: the window may span both
  // Per window position: the kCrcBlock block Q_w was last updated in (0:
  // never) and Q_w relative to that block's end (eight to a cache line, and
  // markers come in runs of consecutive w: copied strings); H[w] in 32 bits
  // apart, added into 64 bits before it could wrap. 12 bytes per position
  // where the marker loop runs stay in cache beside the slices better than
  // 16 (2 % faster on prose).
  struct Mark {
    std::uint32_t stamp = 0;
    std::uint32_t q = 0;
  };
  std::vector<Mark> marks;
  std::vector<std::uint32_t> counts;
  std::vector<std::uint64_t> wide_counts;
  void fold_counts() noexcept {
    for (const std::uint16_t w : touched) {
      wide_counts[w] += counts[w];
      counts[w] = 0;
    }
  }
  std::vector<std::uint16_t> touched;
  std::vector<std::uint32_t> pow_in_block;
  std::vector<std::uint32_t> block_pow;
  std::array<std::uint32_t, 48> block_pow_big{};
  std::uint64_t newlines = 0;
  std::uint64_t markers = 0;
  std::uint64_t last_marker_end = 0;  // output position after the last marker
  bool stray_pair = false;            // the passes differed in a way no window explains
#ifdef JUGGLE_HAVE_ISAL
  StopInflater pass1, pass2;
#endif
};

ChunkWorkspace::ChunkWorkspace(std::size_t slice) : impl_(std::make_unique<Impl>(slice)) {}
ChunkWorkspace::~ChunkWorkspace() = default;

ChunkStatus summarize_chunk(std::span<const std::uint8_t> data, std::uint64_t start_bit, std::uint64_t stop_bit,
                            ChunkWorkspace& workspace, ChunkSummary& out, const std::atomic<bool>* cancel) {
  out.start_bit = start_bit;
  out.end_bit = start_bit;
  out.final_block = false;
  out.size = 0;
  out.literal_newlines = 0;
  out.marker_bytes = 0;
#ifndef JUGGLE_HAVE_ISAL
  (void)data;
  (void)stop_bit;
  (void)workspace;
  (void)cancel;
  return ChunkStatus::unsupported;
#else
  ChunkWorkspace::Impl& w = *workspace.impl_;
  w.newlines = 0;
  w.markers = 0;
  w.stray_pair = false;
  if (!w.pass1.begin(data, start_bit, stop_bit, w.dict1, true) ||
      !w.pass2.begin(data, start_bit, stop_bit, w.dict2, false))
    return ChunkStatus::bad_data;

  std::uint64_t n = 0;
  int cur = 0;
  std::size_t cur_len = 0;
  std::size_t prev_len = 0;
  bool mismatch = false;
  // Once the last kWindowSize output bytes hold no marker, no later byte can
  // copy the unknown window: pass 2 stops and pass 1 goes on alone.
  bool single = false;
  std::uint64_t folded = 0;  // output when the counts were last folded
  w.last_marker_end = 0;
  for (;;) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
      w.drain(n, nullptr);
      return ChunkStatus::cancelled;
    }
    const std::size_t na = w.pass1.fill(w.a[cur].data(), w.slice);
    if (single) {
      w.newlines += count_newlines(w.a[cur].data(), na);
    } else {
      const std::size_t nb = w.pass2.fill(w.b[cur].data(), w.slice);
      if (na != nb) {
        mismatch = true;  // both passes decode the same bits: only an error can part them
        break;
      }
      w.scan(w.a[cur].data(), w.b[cur].data(), na, n);
    }
    n += na;
    if (n - folded >= (std::uint64_t{1} << 31)) {  // no count can have reached 2^32
      w.fold_counts();
      folded = n;
    }
    if (!single && n - w.last_marker_end >= kWindowSize) single = true;
    cur_len = na;
    if (w.pass1.done() || na == 0) break;
    prev_len = na;
    cur ^= 1;
    cur_len = 0;
  }
  bool final1 = false;
  bool final2 = false;
  std::uint64_t end2 = 0;
  ChunkStatus status = w.pass1.verdict(out.end_bit, final1);
  if (!single) {
    const ChunkStatus status2 = w.pass2.done() ? w.pass2.verdict(end2, final2) : ChunkStatus::bad_data;
    if (status2 != status || end2 != out.end_bit) status = ChunkStatus::bad_data;
  }
  if (mismatch || w.stray_pair) status = ChunkStatus::bad_data;
  if (status != ChunkStatus::ok && status != ChunkStatus::final_before_stop) {
    w.drain(n, nullptr);
    return status;
  }

  out.final_block = final1;
  out.size = n;
  out.literal_newlines = w.newlines;
  out.marker_bytes = w.markers;
  out.crc_dummy = w.pass1.crc();
  w.drain(n, &out);
  // The outgoing window: the last kWindowSize output positions, older ones
  // taken from the incoming window.
  out.window_out.resize(kWindowSize);
  const std::uint64_t cur_begin = n - cur_len;
  const std::uint64_t prev_begin = cur_begin - prev_len;
  for (std::size_t j = 0; j < kWindowSize; ++j) {
    if (n + j < kWindowSize) {
      out.window_out[j] = static_cast<WindowSymbol>(kMarkerFlag | (j + n));
      continue;
    }
    const std::uint64_t idx = n + j - kWindowSize;
    std::uint8_t va = 0;
    std::uint8_t vb = 0;
    if (idx >= cur_begin) {
      va = w.a[cur][idx - cur_begin];
      vb = single ? va : w.b[cur][idx - cur_begin];
    } else {
      va = w.a[cur ^ 1][idx - prev_begin];
      vb = single ? va : w.b[cur ^ 1][idx - prev_begin];
    }
    out.window_out[j] = va == vb ? WindowSymbol{va} : static_cast<WindowSymbol>(kMarkerFlag | marker_of(va, vb));
  }
  return status;
#endif
}

ChunkTotals resolve_summary(const ChunkSummary& summary, std::span<const std::uint8_t> window_in,
                            std::span<std::uint8_t> window_out) {
  ChunkTotals totals;
  totals.size = summary.size;
  totals.newlines = summary.literal_newlines;
  const bool hard = cpu_has_clmul();
  // Group the Q_w by the byte the true window adds to pass 1's (e_w).
  std::array<std::uint32_t, 256> by_delta{};
  for (std::size_t k = 0; k < summary.marker_positions.size(); ++k) {
    const std::uint16_t w = summary.marker_positions[k];
    const std::uint8_t v = window_in[w];
    if (v == '\n') totals.newlines += summary.marker_counts[k];
    by_delta[static_cast<std::uint8_t>(v ^ dummy1(w))] ^= summary.marker_crc_terms[k];
  }
  std::uint32_t correction = 0;
  for (unsigned v = 1; v < 256; ++v)
    if (by_delta[v] != 0) correction ^= mul_mod(kCrcTable[v], by_delta[v], hard);
  // Strip the padding: multiply by x^(-8 crc_pad), by squaring x^-8.
  std::uint32_t inverse = div_x8(kOne);
  for (std::uint32_t e = summary.crc_pad; e != 0; e >>= 1) {
    if (e & 1u) correction = mul_mod(correction, inverse, hard);
    inverse = mul_mod(inverse, inverse, hard);
  }
  totals.crc32 = summary.crc_dummy ^ correction;
  for (std::size_t j = 0; j < kWindowSize && j < summary.window_out.size(); ++j) {
    const WindowSymbol s = summary.window_out[j];
    window_out[j] = (s & kMarkerFlag) ? window_in[s & 0x7FFF] : static_cast<std::uint8_t>(s);
  }
  return totals;
}

// ---- Resolved bytes.

struct ResolvedChunkReader::Impl {
#ifdef JUGGLE_HAVE_ISAL
  StopInflater inflater;
#endif
  std::vector<std::uint8_t> window;
  bool opened = false;
  std::uint64_t end_bit = 0;
  bool final_block = false;
};

ResolvedChunkReader::ResolvedChunkReader() : impl_(std::make_unique<Impl>()) {}
ResolvedChunkReader::~ResolvedChunkReader() = default;

ChunkStatus ResolvedChunkReader::open(std::span<const std::uint8_t> data, std::uint64_t start_bit,
                                      std::uint64_t stop_bit, std::span<const std::uint8_t> window) {
  impl_->opened = false;
  impl_->end_bit = start_bit;
  impl_->final_block = false;
#ifndef JUGGLE_HAVE_ISAL
  (void)data;
  (void)stop_bit;
  (void)window;
  return ChunkStatus::unsupported;
#else
  if (window.size() > kWindowSize) return ChunkStatus::bad_data;
  impl_->window.assign(window.begin(), window.end());
  if (!impl_->inflater.begin(data, start_bit, stop_bit, impl_->window, true)) return ChunkStatus::bad_data;
  impl_->opened = true;
  return ChunkStatus::ok;
#endif
}

ChunkStatus ResolvedChunkReader::read(std::span<std::uint8_t> out, std::size_t& produced) {
  produced = 0;
#ifndef JUGGLE_HAVE_ISAL
  (void)out;
  return ChunkStatus::unsupported;
#else
  if (!impl_->opened) return ChunkStatus::bad_data;
  if (out.empty()) return ChunkStatus::ok;
  StopInflater& inf = impl_->inflater;
  if (!inf.done()) produced = inf.fill(out.data(), out.size());
  if (produced > 0) {
    // Report an error with the bytes before it; the end verdict comes with 0.
    if (inf.done()) {
      const ChunkStatus s = inf.verdict(impl_->end_bit, impl_->final_block);
      if (s == ChunkStatus::bad_data) return s;
    }
    return ChunkStatus::ok;
  }
  return inf.verdict(impl_->end_bit, impl_->final_block);
#endif
}

std::uint64_t ResolvedChunkReader::end_bit() const noexcept { return impl_->end_bit; }
bool ResolvedChunkReader::final_block() const noexcept { return impl_->final_block; }
std::uint32_t ResolvedChunkReader::crc32() const noexcept {
#ifdef JUGGLE_HAVE_ISAL
  return impl_->inflater.crc();
#else
  return 0;
#endif
}

}  // namespace juggle::gzip
