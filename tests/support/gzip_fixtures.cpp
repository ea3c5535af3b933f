#include "gzip_fixtures.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace juggle::test {
namespace {

void put_le32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

}  // namespace

Bytes deflate_raw(std::string_view text, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  Bytes out(deflateBound(&zs, text.size()) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

Bytes gzip_member(std::string_view text, int level, const HeaderOptions& h) {
  Bytes out = {0x1f, 0x8b, h.method};
  std::uint8_t flags = h.extra_flags;
  if (!h.extra.empty()) flags |= 0x04;
  if (!h.name.empty()) flags |= 0x08;
  if (!h.comment.empty()) flags |= 0x10;
  if (h.header_crc) flags |= 0x02;
  out.push_back(flags);
  put_le32(out, 0);  // MTIME
  out.push_back(0);  // XFL
  out.push_back(3);  // OS: Unix
  if (!h.extra.empty()) {
    out.push_back(static_cast<std::uint8_t>(h.extra.size() & 0xff));
    out.push_back(static_cast<std::uint8_t>(h.extra.size() >> 8));
    out.insert(out.end(), h.extra.begin(), h.extra.end());
  }
  for (const std::string* s : {&h.name, &h.comment}) {
    if (s->empty()) continue;
    out.insert(out.end(), s->begin(), s->end());
    out.push_back(0);
  }
  if (h.header_crc) {
    auto crc = static_cast<std::uint32_t>(crc32(0L, out.data(), static_cast<uInt>(out.size())));
    if (h.corrupt_header_crc) crc ^= 1;
    out.push_back(static_cast<std::uint8_t>(crc & 0xff));
    out.push_back(static_cast<std::uint8_t>((crc >> 8) & 0xff));
  }
  const Bytes data = deflate_raw(text, level);
  out.insert(out.end(), data.begin(), data.end());
  put_le32(out, crc32_of(text));
  put_le32(out, static_cast<std::uint32_t>(text.size()));
  return out;
}

gzip::ReadAt reader_of(const Bytes& data) {
  return [&data](std::uint64_t offset, std::span<std::uint8_t> dst) -> std::ptrdiff_t {
    if (offset >= data.size()) return 0;
    const std::size_t n = std::min<std::size_t>(dst.size(), data.size() - offset);
    std::memcpy(dst.data(), data.data() + offset, n);
    return static_cast<std::ptrdiff_t>(n);
  };
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes as_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

std::uint32_t crc32_of(std::string_view text) {
  return static_cast<std::uint32_t>(
      crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.data()), text.size()));
}

std::uint64_t newlines_in(std::string_view text) {
  return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

std::string sample_text(std::size_t bytes, std::uint64_t seed) {
  std::string out;
  out.reserve(bytes + 128);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  while (out.size() < bytes) {
    const std::uint64_t r = next();
    const std::size_t len = (r % 100 == 0) ? 5000 + next() % 70000 : next() % 90;
    for (std::size_t i = 0; i < len; ++i) out += static_cast<char>('a' + next() % 26);
    out += (r % 17 == 0) ? "\r\n" : "\n";
  }
  return out;
}

Bytes bgzf(std::string_view text, std::size_t block, int level) {
  Bytes out;
  const auto member = [&](std::string_view part) {
    // Header 10 + XLEN 2 + subfield 6, the deflate data, CRC-32 and ISIZE.
    const std::size_t size = 18 + deflate_raw(part, level).size() + 8;
    const std::string bsize{static_cast<char>((size - 1) & 0xff), static_cast<char>((size - 1) >> 8)};
    const Bytes m = gzip_member(part, level, {.extra = std::string("BC\x02\x00", 4) + bsize});
    out.insert(out.end(), m.begin(), m.end());
  };
  for (std::size_t at = 0; at < text.size(); at += block) member(text.substr(at, block));
  member({});
  return out;
}

}  // namespace juggle::test
