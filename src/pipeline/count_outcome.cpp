#include "pipeline/count_outcome.hpp"

#include <zlib.h>

#include <cstring>

#include "pipeline/input_failure.hpp"
#include "results/rates.hpp"

namespace juggle::pipeline {
namespace {

// `later` := `earlier` followed by `later`, CountTotals by CountTotals.
void combine_totals(const char* earlier, char* later, std::size_t items) {
  for (std::size_t i = 0; i < items; ++i) {
    CountTotals a, b;
    std::memcpy(&a, earlier + i * sizeof a, sizeof a);
    std::memcpy(&b, later + i * sizeof b, sizeof b);
    a.files += b.files;
    a.failed += b.failed;
    a.warnings += b.warnings;
    a.lines += b.lines;
    a.bytes_in += b.bytes_in;
    a.crc32 = static_cast<std::uint32_t>(crc32_combine64(a.crc32, b.crc32, static_cast<z_off64_t>(b.bytes_out)));
    a.bytes_out += b.bytes_out;
    std::memcpy(later + i * sizeof a, &a, sizeof a);
  }
}

}  // namespace

bool failed(const FileRecord& record) noexcept { return record.count.status != gzip::GzipStatus::ok; }

CountTotals totals_over_ranks(const std::vector<FileRecord>& records) {
  CountTotals t;
  t.crc32 = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  for (const FileRecord& r : records) {
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
    t.crc32 =
        static_cast<std::uint32_t>(crc32_combine64(t.crc32, r.count.crc32, static_cast<z_off64_t>(r.count.bytes_out)));
  }
  std::vector<char> item(sizeof t);
  std::memcpy(item.data(), &t, sizeof t);
  parallel::all_reduce_in_order(item, sizeof t, combine_totals);
  std::memcpy(&t, item.data(), sizeof t);
  return t;
}

std::string failure_reason(const files::InputFile& input, const FileRecord& record) {
  return failure_reason(input, record.count.status, record.count.sys_errno);
}

namespace {

// This rank's rows of count/files.
results::Table file_table(const CountOutcome& o) {
  using results::Column;
  using results::column_of;
  results::Table files{"count/files", {}};
  auto& cols = files.columns;
  const auto& rows = o.records;
  std::vector<std::string> paths, errors;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    paths.push_back(o.home.inputs.at(i).path);
    errors.push_back(failure_reason(o.home.inputs[i], rows[i]));
  }
  cols.emplace_back("path", Column(std::move(paths)));
  cols.emplace_back("lines", Column(column_of<std::uint64_t>(rows, [](const FileRecord& r) { return r.count.lines; })));
  cols.emplace_back("bytes_in",
                    Column(column_of<std::uint64_t>(rows, [](const FileRecord& r) { return r.count.bytes_in; })));
  cols.emplace_back("bytes_out",
                    Column(column_of<std::uint64_t>(rows, [](const FileRecord& r) { return r.count.bytes_out; })));
  cols.emplace_back("rank", Column(column_of<std::int32_t>(rows, [](const FileRecord& r) { return r.rank; })));
  cols.emplace_back("thread", Column(column_of<std::int32_t>(rows, [](const FileRecord& r) { return r.thread; })));
  cols.emplace_back("seconds", Column(column_of<double>(rows, [](const FileRecord& r) { return r.seconds; })));
  cols.emplace_back("status", Column(column_of<std::string>(rows, [](const FileRecord& r) {
                      return std::string(gzip::status_name(r.count.status));
                    })));
  cols.emplace_back("error", Column(std::move(errors)));
  cols.emplace_back("warning", Column(column_of<std::string>(rows, [](const FileRecord& r) {
                      return std::string(r.count.trailing_garbage ? gzip::kTrailingGarbageWarning : "");
                    })));
  cols.emplace_back("crc32", Column(column_of<std::uint32_t>(rows, [](const FileRecord& r) { return r.count.crc32; })));
  cols.emplace_back("members",
                    Column(column_of<std::uint32_t>(rows, [](const FileRecord& r) { return r.count.members; })));
  cols.emplace_back("unterminated", Column(column_of<std::uint8_t>(
                                        rows, [](const FileRecord& r) { return r.count.unterminated ? 1 : 0; })));
  cols.emplace_back("trailing_bytes",
                    Column(column_of<std::uint64_t>(rows, [](const FileRecord& r) { return r.count.trailing_bytes; })));
  cols.emplace_back("pieces", Column(column_of<std::uint32_t>(rows, [](const FileRecord& r) { return r.pieces; })));
  cols.emplace_back("split", Column(column_of<std::string>(rows, [](const FileRecord& r) {
                      return std::string(file_split_name(r.split));
                    })));
  return files;
}

// Rank 0's part: decoder, ranks, count/ranks, count/total.
results::ResultsContent count_results(const CountOutcome& o) {
  using results::Column;
  results::ResultsContent c;
  c.steps = {kCountStep};
  c.root.emplace_back("inflate_backend", std::string(gzip::backend_name(o.backend)));
  c.root.emplace_back("inflate_version", std::string(gzip::backend_version(o.backend)));
  c.root.emplace_back("zlib_version", std::string(gzip::backend_version(gzip::InflateBackend::zlib)));

  for (const RankSummary& r : o.ranks) c.ranks.push_back(rank_record(r));

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
  const CountTotals& sums = o.totals;
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
           {"mb_per_s", results::per_second(static_cast<double>(sums.bytes_out) / 1e6, o.wall_seconds)},
           {"lines_per_s", results::per_second(static_cast<double>(sums.lines), o.wall_seconds)},
           {"busy_seconds_max", rs.slowest},
           {"busy_seconds_mean", rs.mean},
           {"imbalance", rs.imbalance},
       }});
  return c;
}

}  // namespace

StageReport count_report(const CountOutcome& outcome) {
  StageReport report;
  report.status = outcome.totals.failed > 0 ? kExitSomeFailed : kExitOk;
  if (outcome.world.rank == 0) report.content = count_results(outcome);
  report.file_rows.push_back(file_table(outcome));
  return report;
}

}  // namespace juggle::pipeline
