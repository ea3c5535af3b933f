// Building gzip inputs in memory for tests: well-formed members with any
// header options, and the damaged variants a counter must diagnose.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gzip/bgzf.hpp"

namespace juggle::test {

using Bytes = std::vector<std::uint8_t>;

struct HeaderOptions {
  std::string extra;    // FEXTRA payload
  std::string name;     // FNAME (no NUL inside)
  std::string comment;  // FCOMMENT
  bool header_crc = false;
  bool corrupt_header_crc = false;
  std::uint8_t method = 8;
  std::uint8_t extra_flags = 0;  // OR-ed into FLG (e.g. reserved bits)
};

// Raw deflate of `text` at `level`.
[[nodiscard]] Bytes deflate_raw(std::string_view text, int level = 6);

// One gzip member: header (per options), deflate data, CRC-32, ISIZE.
[[nodiscard]] Bytes gzip_member(std::string_view text, int level = 6, const HeaderOptions& header = {});

// `text` as bgzip writes it: one member per `block` bytes of text (at most
// 65,280), each with the BGZF extra subfield BC = member size - 1, then
// BGZF's end-of-file marker (an empty member).
[[nodiscard]] Bytes bgzf(std::string_view text, std::size_t block = 65280, int level = 6);

[[nodiscard]] Bytes concat(std::initializer_list<Bytes> parts);
// Reads `data` as a file (gzip/bgzf.hpp's ReadAt); `data` must outlive it.
[[nodiscard]] gzip::ReadAt reader_of(const Bytes& data);
[[nodiscard]] Bytes as_bytes(std::string_view text);
[[nodiscard]] std::uint32_t crc32_of(std::string_view text);
[[nodiscard]] std::uint64_t newlines_in(std::string_view text);

// Deterministic text of about `bytes` bytes with varied line lengths.
[[nodiscard]] std::string sample_text(std::size_t bytes, std::uint64_t seed);

}  // namespace juggle::test
