#include "cli/tokenize_report.hpp"

#include <cstdio>

#include "cli/no_inputs.hpp"
#include "cli/stage_summary.hpp"
#include "cli/units.hpp"
#include "files/name_list.hpp"

namespace juggle::cli {
namespace {

std::string hex64(std::uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

}  // namespace

void print_tokenize_problems(const TokenizeOutcome& out, std::ostream& err, Verbosity verbosity) {
  const pipeline::FileRows<TokenizeFile>& rows = out.shown;
  for (std::size_t i = 0; i < rows.records.size(); ++i) {
    const TokenizeFile& f = rows.records[i];
    const files::InputFile& input = rows.inputs.at(i);
    if (pipeline::failed(f))
      err << "juggle: " << files::message_name(input.path) << ": " << pipeline::failure_reason(input, f) << '\n';
    else if (f.trailing_garbage != 0 && verbosity != Verbosity::quiet)
      err << "juggle: " << files::message_name(input.path) << ": warning: " << pipeline::warning_of(f) << '\n';
  }
  err.flush();
}

void print_tokenize_per_file(const TokenizeOutcome& out, std::ostream& os) {
  const pipeline::FileRows<TokenizeFile>& rows = out.shown;
  for (std::size_t i = 0; i < rows.records.size(); ++i) {
    const TokenizeFile& f = rows.records[i];
    if (pipeline::failed(f))
      os << kFailedMark << " (" << pipeline::failure_reason(rows.inputs.at(i), f) << ") ";
    else
      os << f.text.words << ' ';
    os << rows.inputs.at(i).path << '\n';
  }
}

void print_tokenize_summary(const TokenizeOutcome& out, const pipeline::RunContext& run, const TokenizeCliOptions& o,
                            std::ostream& os) {
  const TokenizeTotals& t = out.totals;
  const pipeline::RankStats rs = pipeline::rank_stats(out.ranks);
  os << "tokenize: " << with_commas(t.files) << " files, " << with_commas(t.text.words) << " words, "
     << with_commas(t.distinct) << " distinct, " << binary_size(t.text.bytes) << " of text, "
     << with_commas(t.text.invalid_bytes) << " invalid bytes";
  if (t.failed > 0) os << "; " << t.failed << " failed (not in totals)";
  os << '\n';
  os << "layout: " << run.world.size << (run.world.size == 1 ? " rank" : " ranks") << " x " << run.threads
     << (run.threads == 1 ? " thread" : " threads") << ", rule " << (o.ascii ? "ascii" : "unicode") << ", fold "
     << (o.no_fold ? "off" : "on") << '\n';
  os << "time: wall " << fixed(out.wall_seconds, 3) << " s; tokenize per rank: slowest " << fixed(rs.slowest, 3)
     << " s (rank " << rs.slowest_rank << "), mean " << fixed(rs.mean, 3) << " s, imbalance "
     << fixed(100 * rs.imbalance, 1) << " %\n";
  os << "rate: " << fixed(per_second(static_cast<double>(t.text.bytes) / 1e6, out.wall_seconds), 1) << " MB/s, "
     << fixed(per_second(static_cast<double>(t.text.words) / 1e6, out.wall_seconds), 2) << " M words/s\n";
  os << "check: words=" << t.text.words << " distinct=" << t.distinct << " bytes=" << t.text.bytes
     << " vocab_hash=" << hex64(t.checksum) << " failed=" << t.failed << '\n';
  os << "top " << out.top.size() << " words:\n";
  for (const tokenize::WordCount& w : out.top) os << w.count << ' ' << w.word << '\n';
}

JsonObject tokenize_summary_json(const TokenizeOutcome& out, const pipeline::RunContext& run,
                                 const TokenizeCliOptions& o) {
  const TokenizeTotals& t = out.totals;
  JsonObject check;
  check.number("words", t.text.words).number("distinct", t.distinct).number("bytes", t.text.bytes);
  check.text("vocab_hash", hex64(t.checksum)).number("failed", t.failed);
  std::vector<JsonObject> top;
  for (const tokenize::WordCount& w : out.top)
    top.push_back(JsonObject().text("word", w.word).number("count", w.count));
  JsonObject json;
  json.text("command", "tokenize").number("files", t.files).number("failed", t.failed);
  json.number("words", t.text.words).number("distinct", t.distinct).number("bytes", t.text.bytes);
  json.number("invalid_bytes", t.text.invalid_bytes);
  json.number("ranks", run.world.size).number("threads", run.threads);
  json.text("rule", o.ascii ? "ascii" : "unicode").number("fold", !o.no_fold);
  json.number("wall_seconds", out.wall_seconds)
      .object("rank_seconds", rank_seconds_json(pipeline::rank_stats(out.ranks)));
  json.number("mb_per_s", per_second(static_cast<double>(t.text.bytes) / 1e6, out.wall_seconds));
  json.number("m_words_per_s", per_second(static_cast<double>(t.text.words) / 1e6, out.wall_seconds));
  return json.object("check", check).array("top", top);
}

namespace {

// Rank 0's part: what the user sees, and the stage's part of the results file.
pipeline::StageReport present_on_root(const TokenizeOutcome& out, const pipeline::RunContext& run,
                                      const TokenizeCliOptions& o, const std::optional<std::string>& csv_failure,
                                      Io io, std::optional<JsonObject>* json) {
  const bool quiet = io.verbosity == Verbosity::quiet;
  const bool as_json = o.present.json() && json != nullptr;
  if (!quiet) warn_if_no_inputs(out.totals.files, io.err);
  print_tokenize_problems(out, io.err, io.verbosity);
  if (o.present.per_file) print_tokenize_per_file(out, io.out);
  if (as_json) {
    *json = tokenize_summary_json(out, run, o);
  } else if (!quiet) {
    print_tokenize_summary(out, run, o, io.out);
    if (io.verbosity == Verbosity::verbose) print_ranks(out.ranks, io.out);
  }
  int status = out.totals.failed > 0 ? kExitSomeFailed : kExitOk;
  const bool csv_written = csv_failure && csv_failure->empty();
  if (csv_failure && !csv_written) {
    io.err << "juggle: " << *csv_failure << '\n';
    status = kExitOutput;
  } else if (csv_written && !as_json && !quiet) {
    io.out << "csv: " << o.csv << '\n';
  }
  if (as_json) {
    if (csv_written)
      (*json)->text("csv", o.csv);
    else
      (*json)->null("csv");
  }
  return {status, pipeline::tokenize_results(out), {}, {}};
}

}  // namespace

pipeline::StageReport present_tokenize(TokenizeOutcome out, const pipeline::RunContext& run,
                                       const TokenizeCliOptions& o, bool replace_csv, Io io,
                                       std::optional<JsonObject>* json) {
  std::optional<std::string> csv_failure;
  if (!o.csv.empty()) csv_failure = pipeline::write_csv(out.vocab, run.world.rank, o.csv, replace_csv);
  pipeline::StageReport report;
  if (run.world.rank == 0) report = present_on_root(out, run, o, csv_failure, io, json);
  report.file_rows.push_back(pipeline::tokenize_file_table(out));
  if (out.vocab_stored) report.vocabulary = pipeline::RankVocabulary{std::move(out.vocab), std::move(out.vocab_before)};
  return report;
}

}  // namespace juggle::cli
