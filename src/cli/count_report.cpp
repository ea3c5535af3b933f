#include "cli/count_report.hpp"

#include <cstdio>

#include "cli/no_inputs.hpp"
#include "cli/stage_summary.hpp"
#include "cli/units.hpp"
#include "files/name_list.hpp"

namespace juggle::cli {
namespace {

std::string hex32(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", v);
  return text;
}

}  // namespace

void print_problems(const CountOutcome& o, std::ostream& err, Verbosity verbosity) {
  const pipeline::FileRows<FileRecord>& rows = o.shown;
  for (std::size_t i = 0; i < rows.records.size(); ++i) {
    const FileRecord& r = rows.records[i];
    const files::InputFile& input = rows.inputs.at(i);
    if (failed(r))
      err << "juggle: " << files::message_name(input.path) << ": " << failure_reason(input, r) << '\n';
    else if (r.count.trailing_garbage && verbosity != Verbosity::quiet)
      err << "juggle: " << files::message_name(input.path) << ": warning: " << gzip::kTrailingGarbageWarning << '\n';
  }
  err.flush();
}

void print_per_file(const CountOutcome& o, std::ostream& out) {
  const pipeline::FileRows<FileRecord>& rows = o.shown;
  for (std::size_t i = 0; i < rows.records.size(); ++i) {
    const FileRecord& r = rows.records[i];
    if (failed(r))
      out << kFailedMark << " (" << failure_reason(rows.inputs.at(i), r) << ") ";
    else
      out << r.count.lines << ' ';
    out << rows.inputs.at(i).path << '\n';
  }
}

void print_summary(const CountOutcome& o, const CountTotals& sums, std::ostream& out) {
  const pipeline::RankStats rs = pipeline::rank_stats(o.ranks);
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

JsonObject summary_json(const CountOutcome& o, const CountTotals& sums) {
  const pipeline::RankStats rs = pipeline::rank_stats(o.ranks);
  JsonObject check;
  check.number("lines", sums.lines).number("bytes_out", sums.bytes_out).text("crc32", hex32(sums.crc32));
  check.number("failed", sums.failed);
  JsonObject json;
  json.text("command", "count").number("files", sums.files).number("failed", sums.failed);
  json.number("warnings", sums.warnings).number("lines", sums.lines);
  json.number("bytes_in", sums.bytes_in).number("bytes_out", sums.bytes_out);
  json.number("ranks", o.world.size).number("threads", o.threads);
  json.text("inflate", gzip::backend_name(o.backend)).text("inflate_version", gzip::backend_version(o.backend));
  json.number("wall_seconds", o.wall_seconds).object("rank_seconds", rank_seconds_json(rs));
  json.number("mb_per_s", per_second(static_cast<double>(sums.bytes_out) / 1e6, o.wall_seconds));
  json.number("m_lines_per_s", per_second(static_cast<double>(sums.lines) / 1e6, o.wall_seconds));
  return json.object("check", check);
}

pipeline::StageReport present_count(const CountOutcome& outcome, const PresentOptions& present, Io io,
                                    std::optional<JsonObject>* json) {
  if (outcome.world.rank != 0) return pipeline::count_report(outcome);
  const bool quiet = io.verbosity == Verbosity::quiet;
  if (!quiet) warn_if_no_inputs(outcome.totals.files, io.err);
  const CountTotals& sums = outcome.totals;
  print_problems(outcome, io.err, io.verbosity);
  if (present.per_file) print_per_file(outcome, io.out);
  if (present.json() && json != nullptr) {
    *json = summary_json(outcome, sums);
  } else if (!quiet) {
    print_summary(outcome, sums, io.out);
    if (io.verbosity == Verbosity::verbose) print_ranks(outcome.ranks, io.out);
  }
  return pipeline::count_report(outcome);
}

}  // namespace juggle::cli
