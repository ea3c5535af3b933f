#include "gzip/bgzf.hpp"

#include <sys/types.h>
#include <unistd.h>

namespace juggle::gzip {
namespace {

constexpr std::uint8_t kFlagExtra = 0x04;

std::uint16_t le16(const std::uint8_t* p) noexcept { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

}  // namespace

ReadAt pread_at(int fd) {
  return [fd](std::uint64_t offset, std::span<std::uint8_t> dst) -> std::ptrdiff_t {
    return ::pread(fd, dst.data(), dst.size(), static_cast<off_t>(offset));
  };
}

std::optional<std::uint32_t> bgzf_member_size(std::span<const std::uint8_t> header) noexcept {
  if (header.size() < 12) return std::nullopt;
  if (header[0] != 0x1f || header[1] != 0x8b || header[2] != 8 || (header[3] & kFlagExtra) == 0) return std::nullopt;
  const std::size_t xlen = le16(&header[10]);
  if (header.size() < 12 + xlen) return std::nullopt;
  // Subfields: SI1 SI2 LEN(2) data[LEN].
  for (std::size_t at = 12; at + 4 <= 12 + xlen;) {
    const std::size_t len = le16(&header[at + 2]);
    if (at + 4 + len > 12 + xlen) return std::nullopt;
    if (header[at] == 'B' && header[at + 1] == 'C' && len == 2) return std::uint32_t{le16(&header[at + 4])} + 1;
    at += 4 + len;
  }
  return std::nullopt;
}

std::vector<std::uint64_t> bgzf_range_starts(const ReadAt& read_at, std::uint64_t size, std::uint64_t range_bytes) {
  std::vector<std::uint64_t> starts;
  std::uint8_t header[kBgzfHeaderPeek];
  std::uint64_t at = 0;
  std::uint64_t range_start = 0;
  while (at < size) {
    const std::ptrdiff_t n = read_at(at, header);
    if (n <= 0) break;
    const std::optional<std::uint32_t> member = bgzf_member_size(std::span(header, static_cast<std::size_t>(n)));
    if (!member || at + *member > size) break;  // the rest goes to the last range
    if (at == 0) starts.push_back(0);
    if (at - range_start >= range_bytes) {
      starts.push_back(at);
      range_start = at;
    }
    at += *member;
  }
  // A last range shorter than half a range joins the one before it.
  if (starts.size() > 1 && size - starts.back() < range_bytes / 2) starts.pop_back();
  if (starts.size() < 2) starts.clear();
  return starts;
}

}  // namespace juggle::gzip
