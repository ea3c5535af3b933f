#include "cli/count_outcome.hpp"

#include <zlib.h>

namespace juggle::cli {

bool failed(const FileRecord& record) noexcept { return record.count.status != gzip::GzipStatus::ok; }

CountTotals totals(const CountOutcome& outcome) {
  CountTotals t;
  t.crc32 = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  for (const FileRecord& r : outcome.records) {
    ++t.files;
    t.bytes_in += r.count.bytes_in;
    if (failed(r)) {
      ++t.failed;
      continue;
    }
    if (r.count.trailing_garbage) ++t.warnings;
    t.lines += r.count.lines;
    t.bytes_out += r.count.bytes_out;
    // In input order, as `zcat FILES | gzip | tail -c 8` would see the data.
    t.crc32 = static_cast<std::uint32_t>(
        crc32_combine64(t.crc32, r.count.crc32, static_cast<z_off64_t>(r.count.bytes_out)));
  }
  return t;
}

std::string failure_reason(const CountOutcome& outcome, const FileRecord& record) {
  if (!failed(record)) return "";
  const files::InputFile& input = outcome.inputs[record.index];
  if (!input.problem.empty()) return input.problem;
  return gzip::status_message(record.count.status, record.count.sys_errno);
}

}  // namespace juggle::cli
