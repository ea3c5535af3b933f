#include "deflate_streams.hpp"

#include <zlib.h>

#include <array>
#include <stdexcept>

namespace juggle::test {
namespace {

struct XorShift {
  std::uint64_t x;
  std::uint64_t operator()() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
};

}  // namespace

std::string prose_text(std::size_t bytes, std::uint64_t seed) {
  static constexpr std::array<std::string_view, 48> words = {
      "the",   "of",     "and",   "to",    "a",    "in",    "that",  "he",     "was",    "it",      "his",     "with",
      "as",    "had",    "for",   "her",   "not",  "but",   "at",    "on",     "which",  "she",     "by",      "from",
      "they",  "were",   "all",   "have",  "this", "upon",  "whale", "ship",   "sea",    "captain", "prince",  "war",
      "peace", "letter", "house", "night", "said", "would", "could", "little", "before", "after",   "nothing", "great"};
  static constexpr std::array<std::string_view, 6> marks = {",", ".", ";", "!", "?", " --"};
  XorShift next{seed * 0x9E3779B97F4A7C15ull + 7};
  std::string out;
  out.reserve(bytes + 128);
  std::size_t line = 0;
  bool capital = true;
  while (out.size() < bytes) {
    std::string word(words[next() % words.size()]);
    if (capital) word[0] = static_cast<char>(word[0] - 'a' + 'A');
    capital = false;
    out += word;
    line += word.size();
    const std::uint64_t r = next() % 16;
    if (r == 0) {
      const std::string_view m = marks[next() % marks.size()];
      out += m;
      capital = m == "." || m == "!" || m == "?";
    }
    if (line > 50 + next() % 30) {
      out += (next() % 9 == 0) ? "\n\n" : "\n";
      line = 0;
    } else {
      out += ' ';
      ++line;
    }
  }
  return out;
}

std::string repetitive_text(std::size_t bytes) {
  const std::string_view para = "All work and no play makes Jack a dull boy.\nAll work and no play.\n";
  std::string out;
  out.reserve(bytes + para.size());
  while (out.size() < bytes) out += para;
  return out;
}

std::string random_bytes(std::size_t bytes, std::uint64_t seed) {
  XorShift next{seed * 0x9E3779B97F4A7C15ull + 3};
  std::string out(bytes, '\0');
  for (char& c : out) c = static_cast<char>(next() >> 56);
  return out;
}

std::string base64_text(std::size_t bytes, std::uint64_t seed) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  XorShift next{seed * 0x9E3779B97F4A7C15ull + 11};
  std::string out;
  out.reserve(bytes + 80);
  while (out.size() < bytes) {
    for (int i = 0; i < 76; ++i) out += alphabet[next() >> 58];
    out += '\n';
  }
  return out;
}

Bytes deflate_parts(const std::vector<DeflatePart>& parts) {
  z_stream zs{};
  if (deflateInit2(&zs, parts.empty() ? 6 : parts[0].level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::size_t total = 0;
  for (const DeflatePart& p : parts) total += p.text.size();
  Bytes out(deflateBound(&zs, total) + 1024 * (parts.size() + 1));
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0 && deflateParams(&zs, parts[i].level, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("deflateParams");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(parts[i].text.data()));
    zs.avail_in = static_cast<uInt>(parts[i].text.size());
    const bool last = i + 1 == parts.size();
    const int rc = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
    if (last ? rc != Z_STREAM_END : rc != Z_OK) throw std::runtime_error("deflate");
    if (zs.avail_in != 0) throw std::runtime_error("deflate: output buffer too small");
  }
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<TrueBoundary> true_boundaries(const Bytes& deflate) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) throw std::runtime_error("inflateInit2");
  std::vector<TrueBoundary> found;
  auto block_at = [&](std::uint64_t bit) {
    TrueBoundary b;
    b.bit = bit;
    const auto bits = [&](std::uint64_t at, unsigned n) {
      unsigned v = 0;
      for (unsigned i = 0; i < n; ++i) v |= ((deflate[(at + i) / 8] >> ((at + i) % 8)) & 1u) << i;
      return v;
    };
    b.final = bits(bit, 1) != 0;
    b.type = bits(bit + 1, 2);
    return b;
  };
  found.push_back(block_at(0));
  std::vector<std::uint8_t> sink(1 << 20);
  zs.next_in = const_cast<Bytef*>(deflate.data());
  zs.avail_in = static_cast<uInt>(deflate.size());
  for (;;) {
    zs.next_out = sink.data();
    zs.avail_out = static_cast<uInt>(sink.size());
    const int rc = inflate(&zs, Z_BLOCK);
    if (rc == Z_STREAM_END) {
      const std::uint64_t bit = 8 * static_cast<std::uint64_t>(zs.total_in) - (zs.data_type & 7);
      found.push_back(TrueBoundary{bit, false, 3});
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::runtime_error("inflate");
    if ((zs.data_type & 128) != 0) {
      const std::uint64_t bit = 8 * static_cast<std::uint64_t>(zs.total_in) - (zs.data_type & 7);
      if (bit == found.back().bit) continue;
      if (found.back().final) {  // the final block ended: the stream's end
        found.push_back(TrueBoundary{bit, false, 3});
        break;
      }
      found.push_back(block_at(bit));
    }
  }
  inflateEnd(&zs);
  return found;
}

}  // namespace juggle::test
