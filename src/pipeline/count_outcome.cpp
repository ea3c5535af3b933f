#include "pipeline/count_outcome.hpp"

#include <zlib.h>

#include "results/rates.hpp"

namespace juggle::pipeline {

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
    t.crc32 =
        static_cast<std::uint32_t>(crc32_combine64(t.crc32, r.count.crc32, static_cast<z_off64_t>(r.count.bytes_out)));
  }
  return t;
}

std::string failure_reason(const CountOutcome& outcome, const FileRecord& record) {
  if (!failed(record)) return "";
  const files::InputFile& input = outcome.inputs[record.index];
  if (!input.problem.empty()) return input.problem;
  return gzip::status_message(record.count.status, record.count.sys_errno);
}

results::ResultsContent count_results(const CountOutcome& o, const CountTotals& sums) {
  using results::Column;
  results::ResultsContent c;
  c.steps = {kCountStep};
  c.root.emplace_back("inflate_backend", std::string(gzip::backend_name(o.backend)));
  c.root.emplace_back("inflate_version", std::string(gzip::backend_version(o.backend)));
  c.root.emplace_back("zlib_version", std::string(gzip::backend_version(gzip::InflateBackend::zlib)));

  for (const RankSummary& r : o.ranks) c.ranks.push_back(rank_record(r));

  results::Table files{"count/files", {}};
  auto& cols = files.columns;
  cols.emplace_back("path", Column(results::column_of<std::string>(
                                o.records, [&](const FileRecord& r) { return o.inputs[r.index].path; })));
  cols.emplace_back(
      "lines", Column(results::column_of<std::uint64_t>(o.records, [](const FileRecord& r) { return r.count.lines; })));
  cols.emplace_back("bytes_in", Column(results::column_of<std::uint64_t>(
                                    o.records, [](const FileRecord& r) { return r.count.bytes_in; })));
  cols.emplace_back("bytes_out", Column(results::column_of<std::uint64_t>(
                                     o.records, [](const FileRecord& r) { return r.count.bytes_out; })));
  cols.emplace_back("rank",
                    Column(results::column_of<std::int32_t>(o.records, [](const FileRecord& r) { return r.rank; })));
  cols.emplace_back("thread",
                    Column(results::column_of<std::int32_t>(o.records, [](const FileRecord& r) { return r.thread; })));
  cols.emplace_back("seconds",
                    Column(results::column_of<double>(o.records, [](const FileRecord& r) { return r.seconds; })));
  cols.emplace_back("status", Column(results::column_of<std::string>(o.records, [](const FileRecord& r) {
                      return std::string(gzip::status_name(r.count.status));
                    })));
  cols.emplace_back("error", Column(results::column_of<std::string>(
                                 o.records, [&](const FileRecord& r) { return failure_reason(o, r); })));
  cols.emplace_back("warning", Column(results::column_of<std::string>(o.records, [](const FileRecord& r) {
                      return std::string(r.count.trailing_garbage ? gzip::kTrailingGarbageWarning : "");
                    })));
  cols.emplace_back(
      "crc32", Column(results::column_of<std::uint32_t>(o.records, [](const FileRecord& r) { return r.count.crc32; })));
  cols.emplace_back("members", Column(results::column_of<std::uint32_t>(
                                   o.records, [](const FileRecord& r) { return r.count.members; })));
  cols.emplace_back("unterminated", Column(results::column_of<std::uint8_t>(
                                        o.records, [](const FileRecord& r) { return r.count.unterminated ? 1 : 0; })));
  cols.emplace_back("trailing_bytes", Column(results::column_of<std::uint64_t>(
                                          o.records, [](const FileRecord& r) { return r.count.trailing_bytes; })));
  cols.emplace_back("pieces",
                    Column(results::column_of<std::uint32_t>(o.records, [](const FileRecord& r) { return r.pieces; })));
  cols.emplace_back("split", Column(results::column_of<std::string>(o.records, [](const FileRecord& r) {
                      return std::string(file_split_name(r.split));
                    })));
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
           {"mb_per_s", results::per_second(static_cast<double>(sums.bytes_out) / 1e6, o.wall_seconds)},
           {"lines_per_s", results::per_second(static_cast<double>(sums.lines), o.wall_seconds)},
           {"busy_seconds_max", rs.slowest},
           {"busy_seconds_mean", rs.mean},
           {"imbalance", rs.imbalance},
       }});
  return c;
}

StageReport count_report(const CountOutcome& outcome, const CountTotals& sums) {
  return {sums.failed > 0 ? kExitSomeFailed : kExitOk, count_results(outcome, sums), {}};
}

}  // namespace juggle::pipeline
