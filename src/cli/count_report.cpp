#include "cli/count_report.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "cli/units.hpp"
#include "results/results_file.hpp"
#include "results/run_metadata.hpp"

namespace juggle::cli {
namespace {

constexpr const char* kTrailingWarning = "decompression OK, trailing garbage ignored";

std::string hex32(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", v);
  return text;
}

template <class T, class F>
std::vector<T> column(const CountOutcome& o, F get) {
  return results::column_of<T>(o.records, get);
}

}  // namespace

results::ResultsContent count_results(const CountOutcome& o, const CountTotals& sums) {
  using results::Column;
  results::ResultsContent c;
  c.steps = {"count"};
  c.root.emplace_back("inflate_backend", std::string(gzip::backend_name(o.backend)));
  c.root.emplace_back("inflate_version", std::string(gzip::backend_version(o.backend)));
  c.root.emplace_back("zlib_version", std::string(gzip::backend_version(gzip::InflateBackend::zlib)));

  c.events = o.events;
  for (const RankSummary& r : o.ranks) c.ranks.push_back({r.rank, r.hostname, r.wtime_offset});

  results::Table files{"count/files", {}};
  auto& cols = files.columns;
  cols.emplace_back("path", Column(column<std::string>(o, [&](const FileRecord& r) { return o.inputs[r.index].path; })));
  cols.emplace_back("lines", Column(column<std::uint64_t>(o, [](const FileRecord& r) { return r.count.lines; })));
  cols.emplace_back("bytes_in", Column(column<std::uint64_t>(o, [](const FileRecord& r) { return r.count.bytes_in; })));
  cols.emplace_back("bytes_out", Column(column<std::uint64_t>(o, [](const FileRecord& r) { return r.count.bytes_out; })));
  cols.emplace_back("rank", Column(column<std::int32_t>(o, [](const FileRecord& r) { return r.rank; })));
  cols.emplace_back("thread", Column(column<std::int32_t>(o, [](const FileRecord& r) { return r.thread; })));
  cols.emplace_back("seconds", Column(column<double>(o, [](const FileRecord& r) { return r.seconds; })));
  cols.emplace_back("status", Column(column<std::string>(o, [](const FileRecord& r) {
                      return std::string(gzip::status_name(r.count.status));
                    })));
  cols.emplace_back("error", Column(column<std::string>(o, [&](const FileRecord& r) { return failure_reason(o, r); })));
  cols.emplace_back("warning", Column(column<std::string>(o, [](const FileRecord& r) {
                      return std::string(r.count.trailing_garbage ? kTrailingWarning : "");
                    })));
  cols.emplace_back("crc32", Column(column<std::uint32_t>(o, [](const FileRecord& r) { return r.count.crc32; })));
  cols.emplace_back("members", Column(column<std::uint32_t>(o, [](const FileRecord& r) { return r.count.members; })));
  cols.emplace_back("unterminated",
                    Column(column<std::uint8_t>(o, [](const FileRecord& r) { return r.count.unterminated ? 1 : 0; })));
  cols.emplace_back("trailing_bytes",
                    Column(column<std::uint64_t>(o, [](const FileRecord& r) { return r.count.trailing_bytes; })));
  c.tables.push_back(std::move(files));

  results::Table ranks{"count/ranks", {}};
  std::vector<std::int32_t> rank_ids;
  std::vector<double> busy;
  for (const RankSummary& r : o.ranks) {
    rank_ids.push_back(r.rank);
    busy.push_back(r.busy_seconds);
  }
  ranks.columns.emplace_back("rank", Column(std::move(rank_ids)));
  ranks.columns.emplace_back("busy_seconds", Column(std::move(busy)));
  c.tables.push_back(std::move(ranks));

  const RankStats rs = rank_stats(o.ranks);
  c.attribute_groups.push_back(
      {"count/total",
       {
           {"files", sums.files},
           {"failed", sums.failed},
           {"warnings", sums.warnings},
           {"lines", sums.lines},
           {"bytes_in", sums.bytes_in},
           {"bytes_out", sums.bytes_out},
           {"crc32", std::uint64_t{sums.crc32}},
           {"wall_seconds", o.wall_seconds},
           {"mb_per_s", per_second(static_cast<double>(sums.bytes_out) / 1e6, o.wall_seconds)},
           {"lines_per_s", per_second(static_cast<double>(sums.lines), o.wall_seconds)},
           {"busy_seconds_max", rs.slowest},
           {"busy_seconds_mean", rs.mean},
           {"imbalance", rs.imbalance},
       }});
  return c;
}

void print_problems(const CountOutcome& o, std::ostream& err) {
  for (const FileRecord& r : o.records) {
    const std::string& path = o.inputs[r.index].path;
    if (failed(r))
      err << "juggle: " << path << ": " << failure_reason(o, r) << '\n';
    else if (r.count.trailing_garbage)
      err << "juggle: " << path << ": warning: " << kTrailingWarning << '\n';
  }
  err.flush();
}

void print_per_file(const CountOutcome& o, std::ostream& out) {
  for (const FileRecord& r : o.records) out << r.count.lines << ' ' << o.inputs[r.index].path << '\n';
}

void print_summary(const CountOutcome& o, const CountTotals& sums, std::ostream& out) {
  const RankStats rs = rank_stats(o.ranks);
  out << "count: " << with_commas(sums.files) << " files, " << with_commas(sums.lines) << " lines, "
      << binary_size(sums.bytes_out) << " decompressed from " << binary_size(sums.bytes_in) << " gzip";
  if (sums.failed > 0) out << "; " << sums.failed << " failed (not in totals)";
  if (sums.warnings > 0) out << "; " << sums.warnings << " with warnings";
  out << '\n';
  out << "layout: " << o.world.size << (o.world.size == 1 ? " rank" : " ranks") << " x " << o.threads
      << (o.threads == 1 ? " thread" : " threads") << ", inflate " << gzip::backend_name(o.backend) << ' '
      << gzip::backend_version(o.backend) << '\n';
  out << "time: wall " << fixed(o.wall_seconds, 3) << " s; count per rank: slowest " << fixed(rs.slowest, 3)
      << " s (rank " << rs.slowest_rank << "), mean " << fixed(rs.mean, 3) << " s, imbalance "
      << fixed(100 * rs.imbalance, 1) << " %\n";
  out << "rate: " << fixed(per_second(static_cast<double>(sums.bytes_out) / 1e6, o.wall_seconds), 1)
      << " MB/s decompressed, " << fixed(per_second(static_cast<double>(sums.lines) / 1e6, o.wall_seconds), 2)
      << " M lines/s\n";
  out << "check: lines=" << sums.lines << " bytes_out=" << sums.bytes_out << " crc32=" << hex32(sums.crc32)
      << " failed=" << sums.failed << '\n';
}

}  // namespace juggle::cli
