#include "count/range_join.hpp"

#include <zlib.h>

namespace juggle::count {

std::optional<LineCount> join_ranges(std::span<const LineCount> ranges) {
  if (ranges.empty()) return std::nullopt;
  LineCount file;
  file.crc32 = static_cast<std::uint32_t>(::crc32(0L, Z_NULL, 0));
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const LineCount& r = ranges[i];
    const bool last = i + 1 == ranges.size();
    if (r.status != gzip::GzipStatus::ok || (!last && r.trailing_bytes != 0)) return std::nullopt;
    file.lines += r.lines;
    file.bytes_in += r.bytes_in;
    file.bytes_out += r.bytes_out;
    file.members += r.members;
    file.crc32 =
        static_cast<std::uint32_t>(::crc32_combine64(file.crc32, r.crc32, static_cast<z_off64_t>(r.bytes_out)));
    if (r.bytes_out > 0) file.unterminated = r.unterminated;
  }
  file.trailing_bytes = ranges.back().trailing_bytes;
  file.trailing_garbage = ranges.back().trailing_garbage;
  return file;
}

}  // namespace juggle::count
