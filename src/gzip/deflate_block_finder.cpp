#include "gzip/deflate_block_finder.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace juggle::gzip {
namespace {

static_assert(std::endian::native == std::endian::little, "the bit loads below assume a little-endian machine");

// Eight bytes from pos on, zero past the end of the buffer.
inline std::uint64_t load64(const std::uint8_t* p, std::size_t size, std::size_t pos) noexcept {
  std::uint64_t v = 0;
  if (pos + 8 <= size) {
    std::memcpy(&v, p + pos, 8);
    return v;
  }
  for (std::size_t i = 0; i < 8 && pos + i < size; ++i) v |= std::uint64_t{p[pos + i]} << (8 * i);
  return v;
}

// At least 57 bits from bit offset `bit` on.
inline std::uint64_t peek57(const std::uint8_t* p, std::size_t size, std::uint64_t bit) noexcept {
  return load64(p, size, static_cast<std::size_t>(bit / 8)) >> (bit % 8);
}

// Kraft contributions (in units of 2^-7) of four 3-bit code-length-code lengths.
constexpr std::array<std::uint16_t, 4096> make_kraft4() {
  std::array<std::uint16_t, 4096> t{};
  for (unsigned v = 0; v < 4096; ++v) {
    unsigned sum = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned len = (v >> (3 * i)) & 7;
      if (len != 0) sum += 1u << (7 - len);
    }
    t[v] = static_cast<std::uint16_t>(sum);
  }
  return t;
}
constexpr std::array<std::uint16_t, 4096> kKraft4 = make_kraft4();

// The order in which code-length-code lengths are sent (RFC 1951, 3.2.7).
constexpr std::array<std::uint8_t, 19> kClOrder = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// Bounds-checked LSB-first bit reader for the full header check.
class BitReader {
 public:
  BitReader(std::span<const std::uint8_t> data, std::uint64_t bit) noexcept
      : p_(data.data()), size_(data.size()), size_bits_(std::uint64_t{data.size()} * 8), pos_(bit) {}
  // n <= 16. Past the end: returns 0 and sets overrun().
  std::uint32_t bits(unsigned n) noexcept {
    const std::uint32_t v = peek(n);
    pos_ += n;
    if (pos_ > size_bits_) overrun_ = true;
    return v;
  }
  [[nodiscard]] std::uint32_t peek(unsigned n) const noexcept {
    return static_cast<std::uint32_t>(peek57(p_, size_, pos_) & ((std::uint64_t{1} << n) - 1));
  }
  void skip(unsigned n) noexcept {
    pos_ += n;
    if (pos_ > size_bits_) overrun_ = true;
  }
  [[nodiscard]] bool overrun() const noexcept { return overrun_; }

 private:
  const std::uint8_t* p_;
  std::size_t size_;
  std::uint64_t size_bits_;
  std::uint64_t pos_;
  bool overrun_ = false;
};

// Bit-reversal of the low `len` bits.
inline unsigned reverse_bits(unsigned code, unsigned len) noexcept {
  unsigned r = 0;
  for (unsigned i = 0; i < len; ++i) r |= ((code >> i) & 1u) << (len - 1 - i);
  return r;
}

// Kraft sum of code lengths in units of 2^-15; counts nonzero lengths.
inline std::uint32_t kraft15(const std::uint8_t* lens, unsigned n, unsigned& used) noexcept {
  std::uint32_t sum = 0;
  used = 0;
  for (unsigned i = 0; i < n; ++i) {
    if (lens[i] != 0) {
      sum += std::uint32_t{1} << (15 - lens[i]);
      ++used;
    }
  }
  return sum;
}

}  // namespace

bool dynamic_header_plausible(std::span<const std::uint8_t> data, std::uint64_t bit) noexcept {
  BitReader in(data, bit);
  if (in.bits(1) != 0) return false;  // final blocks are not split points
  if (in.bits(2) != 2) return false;
  const unsigned hlit = in.bits(5);
  const unsigned hdist = in.bits(5);
  const unsigned hclen = in.bits(4);
  if (hlit > 29 || hdist > 29) return false;

  // Code-length code: lengths, completeness, a 7-bit decode table.
  std::array<std::uint8_t, 19> cl_len{};
  for (unsigned i = 0; i < hclen + 4; ++i) cl_len[kClOrder[i]] = static_cast<std::uint8_t>(in.bits(3));
  if (in.overrun()) return false;
  std::array<unsigned, 8> count{};
  unsigned cl_kraft = 0;
  for (const std::uint8_t len : cl_len) {
    ++count[len];
    if (len != 0) cl_kraft += 1u << (7 - len);
  }
  if (cl_kraft != 128) return false;
  // Canonical codes (RFC 1951, 3.2.2).
  std::array<unsigned, 8> next{};
  count[0] = 0;
  for (unsigned len = 1, code = 0; len < 8; ++len) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  std::array<std::uint8_t, 128> table_sym{};
  std::array<std::uint8_t, 128> table_len{};
  for (unsigned sym = 0; sym < 19; ++sym) {
    const unsigned len = cl_len[sym];
    if (len == 0) continue;
    const unsigned rev = reverse_bits(next[len]++, len);
    for (unsigned fill = rev; fill < 128; fill += 1u << len) {
      table_sym[fill] = static_cast<std::uint8_t>(sym);
      table_len[fill] = static_cast<std::uint8_t>(len);
    }
  }

  // Literal/length and distance code lengths, run-length coded together.
  const unsigned nlit = hlit + 257;
  const unsigned ndist = hdist + 1;
  const unsigned total = nlit + ndist;
  std::array<std::uint8_t, 286 + 30> lens{};
  unsigned i = 0;
  std::uint32_t lit_kraft = 0;  // over-subscription ends the check early
  while (i < total) {
    const unsigned look = in.peek(7);
    const unsigned sym = table_sym[look];
    in.skip(table_len[look]);
    if (sym < 16) {
      if (sym != 0 && i < nlit) {
        lit_kraft += std::uint32_t{1} << (15 - sym);
        if (lit_kraft > (1u << 15)) return false;
      }
      lens[i++] = static_cast<std::uint8_t>(sym);
      continue;
    }
    unsigned repeat = 0;
    std::uint8_t value = 0;
    if (sym == 16) {
      if (i == 0) return false;
      value = lens[i - 1];
      repeat = 3 + in.bits(2);
    } else if (sym == 17) {
      repeat = 3 + in.bits(3);
    } else {
      repeat = 11 + in.bits(7);
    }
    if (i + repeat > total) return false;
    for (unsigned k = 0; k < repeat; ++k) lens[i++] = value;
  }
  if (in.overrun()) return false;
  if (lens[256] == 0) return false;  // no end-of-block code
  unsigned used = 0;
  if (kraft15(lens.data(), nlit, used) != (1u << 15)) return false;
  const std::uint32_t dist_kraft = kraft15(lens.data() + nlit, ndist, used);
  if (used == 0) return true;                      // no distance codes: a literals-only block
  if (used == 1) return dist_kraft == (1u << 14);  // one code of one bit
  return dist_kraft == (1u << 15);
}

bool stored_header_plausible(std::span<const std::uint8_t> data, std::uint64_t bit) noexcept {
  if (bit % 8 != 5) return false;
  const std::uint64_t byte = (bit + 3) / 8;  // LEN starts here
  if (byte < 1 || byte + 4 > data.size()) return false;
  if ((data[byte - 1] & 0xE0) != 0) return false;  // BFINAL 0, BTYPE 00
  const unsigned len = data[byte] | (unsigned{data[byte + 1]} << 8);
  const unsigned nlen = data[byte + 2] | (unsigned{data[byte + 3]} << 8);
  return len == (~nlen & 0xFFFFu);
}

std::optional<BlockCandidate> find_block_start(std::span<const std::uint8_t> data, std::uint64_t begin_bit,
                                               std::uint64_t end_bit) noexcept {
  const std::uint8_t* p = data.data();
  const std::size_t size = data.size();
  const std::uint64_t size_bits = std::uint64_t{size} * 8;
  if (end_bit > size_bits) end_bit = size_bits;
  if (begin_bit >= end_bit) return std::nullopt;

  // Windows of 32 bit positions starting at a multiple of 32 bits (4 bytes).
  for (std::uint64_t window = begin_bit & ~std::uint64_t{31}; window < end_bit; window += 32) {
    const std::size_t byte = static_cast<std::size_t>(window / 8);
    const std::uint64_t x = load64(p, size, byte);
    // Position i passes when bit i = 0 (BFINAL), bits i+1,i+2 = 0,1 (BTYPE 2),
    // HLIT (bits i+3..i+7) < 30 and HDIST (bits i+8..i+12) < 30.
    const std::uint64_t hlit_big = (x >> 4) & (x >> 5) & (x >> 6) & (x >> 7);
    const std::uint64_t hdist_big = (x >> 9) & (x >> 10) & (x >> 11) & (x >> 12);
    std::uint64_t dyn = ~x & ~(x >> 1) & (x >> 2) & ~hlit_big & ~hdist_big & 0xFFFFFFFFu;
    // Stored blocks whose LEN starts at byte + k (k = 1..4): header at bit
    // 8k - 3 of this window, in the top three bits of byte + k - 1.
    std::uint64_t stored = 0;
    const std::uint64_t y = load64(p, size, byte + 1);
    for (unsigned k = 1; k <= 4; ++k) {
      const std::uint64_t len_nlen = y >> (8 * (k - 1));
      if (((len_nlen ^ (len_nlen >> 16)) & 0xFFFFu) == 0xFFFFu && ((x >> (8 * (k - 1))) & 0xE0u) == 0 &&
          byte + k + 4 <= size)
        stored |= std::uint64_t{1} << (8 * k - 3);
    }
    std::uint64_t any = dyn | stored;
    if (any == 0) continue;
    // Clip to [begin_bit, end_bit).
    std::uint64_t keep = 0xFFFFFFFFu;
    if (window < begin_bit) keep &= ~((std::uint64_t{1} << (begin_bit - window)) - 1);
    if (end_bit - window < 32) keep &= (std::uint64_t{1} << (end_bit - window)) - 1;
    any &= keep;
    while (any != 0) {
      const unsigned i = static_cast<unsigned>(std::countr_zero(any));
      any &= any - 1;
      const std::uint64_t bit = window + i;
      if ((stored >> i) & 1u) return BlockCandidate{bit, BlockKind::stored};
      // HCLEN is in x (i + 17 <= 49 bits); the code-length code lengths follow.
      const unsigned n = static_cast<unsigned>((x >> (i + 13)) & 15) + 4;
      const std::uint64_t v = peek57(p, size, bit + 17) & ((std::uint64_t{1} << (3 * n)) - 1);
      const unsigned kraft = kKraft4[v & 0xfff] + kKraft4[(v >> 12) & 0xfff] + kKraft4[(v >> 24) & 0xfff] +
                             kKraft4[(v >> 36) & 0xfff] + kKraft4[(v >> 48) & 0xfff];
      if (kraft == 128 && dynamic_header_plausible(data, bit)) return BlockCandidate{bit, BlockKind::dynamic};
    }
  }
  return std::nullopt;
}

}  // namespace juggle::gzip
