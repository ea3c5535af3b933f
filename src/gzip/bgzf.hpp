// BGZF member boundaries: where a blocked gzip file may be cut without
// decoding it.
//
// BGZF (bgzip, and the BAM, tabix and VCF tools built on htslib) writes a
// file as many gzip members of at most 64 KiB of data each, and says in each
// member's header how long the member is (the extra subfield "BC": BSIZE =
// member size - 1). Hopping from header to header therefore finds every
// member start by reading a few bytes per member: a file's members can be
// dealt out in ranges, each range decoded by the ordinary sequential
// decoder, and the results joined in order. Nothing here trusts BSIZE for
// correctness: a range is decoded member by member as gzip would, and the
// caller checks that each range ended exactly where it was told to (see
// count/gzip_line_counter.hpp); a lying BSIZE only costs the split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace juggle::gzip {

// Bytes from a member's start that always hold its BGZF header: the fixed
// gzip header (10 bytes), XLEN (2) and an extra field of up to 64 bytes
// (htslib writes 6: the BC subfield alone).
inline constexpr std::size_t kBgzfHeaderPeek = 12 + 64;

// The size in bytes of the gzip member whose header starts `header`, when
// that header is a BGZF one (gzip magic, deflate, FEXTRA, a "BC" subfield of
// length 2 inside an extra field that `header` holds whole); nullopt for
// anything else.
[[nodiscard]] std::optional<std::uint32_t> bgzf_member_size(std::span<const std::uint8_t> header) noexcept;

// Reads up to dst.size() bytes at `offset`; returns how many it read (fewer
// only at the end of the file), or -1 on an error.
using ReadAt = std::function<std::ptrdiff_t(std::uint64_t offset, std::span<std::uint8_t> dst)>;
// A ReadAt over an open file descriptor (pread); `fd` must outlive it.
[[nodiscard]] ReadAt pread_at(int fd);

// Cuts a file of `size` bytes into ranges of whole BGZF members of at least
// `range_bytes` each (the last range ends at `size` and also takes whatever
// follows the last BGZF header found: a plain gzip member, garbage, a cut
// member; its decoder judges that). Returns the ranges' first offsets,
// ascending, starting with 0; empty when the file does not start with a
// BGZF member or when the cut would give one range.
[[nodiscard]] std::vector<std::uint64_t> bgzf_range_starts(const ReadAt& read_at, std::uint64_t size,
                                                           std::uint64_t range_bytes);

}  // namespace juggle::gzip
