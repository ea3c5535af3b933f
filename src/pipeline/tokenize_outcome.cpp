#include "pipeline/tokenize_outcome.hpp"


#include <algorithm>
#include <tuple>

#include "parallel/collectives.hpp"
#include "parallel/shared_file.hpp"
#include "pipeline/input_failure.hpp"
#include "pipeline/shared_temporary.hpp"
#include "results/output_path.hpp"
#include "results/rates.hpp"

namespace juggle::pipeline {
std::string failure_reason(const files::InputFile& input, const TokenizeFile& file) {
  return failure_reason(input, file.status, file.sys_errno);
}

std::string warning_of(const TokenizeFile& file) {
  return file.trailing_garbage != 0 ? gzip::kTrailingGarbageWarning : "";
}

void aggregate_files(const HomeInputs& home, const std::vector<PieceRecord>& records, TokenizeOutcome& out) {
  out.files.assign(home.inputs.size(), TokenizeFile{});
  for (std::size_t i = 0; i < home.inputs.size(); ++i)
    if (!home.inputs[i].problem.empty()) out.files[i].status = gzip::GzipStatus::read_error;
  std::vector<const PieceRecord*> by_piece;
  for (const PieceRecord& r : records) by_piece.push_back(&r);
  std::sort(by_piece.begin(), by_piece.end(), [](const PieceRecord* a, const PieceRecord* b) {
    return a->file != b->file ? a->file < b->file : a->begin < b->begin;
  });
  for (const PieceRecord* r : by_piece) {  // input order, a file's first piece first
    TokenizeFile& f = out.files.at(r->file - home.first);
    if (f.pieces++ == 0) {
      f.rank = r->rank;
      f.thread = r->thread;
    }
    f.gzip = r->gzip;
    f.seconds += r->seconds;
    f.bytes_in += r->decode.bytes_in;
    if (r->decode.trailing_garbage) f.trailing_garbage = 1;
    if (r->decode.status == gzip::GzipStatus::ok) {
      f.text += r->text;
      out.totals.text += r->text;
    } else if (!failed(f)) {
      f.status = r->decode.status;
      f.sys_errno = r->decode.sys_errno;
    }
  }
  out.totals.files = out.files.size();
  for (const TokenizeFile& f : out.files) out.totals.failed += failed(f) ? 1 : 0;
}

void sum_totals_over_ranks(TokenizeTotals& t) {
  std::uint64_t sums[] = {t.files, t.failed, t.text.bytes, t.text.words, t.text.invalid_bytes};
  parallel::sum_over_ranks(sums);
  std::tie(t.files, t.failed, t.text.bytes, t.text.words, t.text.invalid_bytes) =
      std::tie(sums[0], sums[1], sums[2], sums[3], sums[4]);
}

std::string write_csv(const VocabularyRows& rows, int rank, const std::string& path, bool force) {
  SharedTemporary temp(path, rank);
  if (!temp.problem().empty()) return path + ": " + temp.problem();
  // Words never hold commas, quotes or newlines (all separate words): no quoting needed.
  std::string text = rank == 0 ? "word,count\n" : "";
  for (const tokenize::WordCount& w : rows.words) {
    text += w.word;
    text += ',';
    text += std::to_string(w.count);
    text += '\n';
  }
  std::string why = parallel::write_in_rank_order(temp.path(), text);
  if (!why.empty()) why = path + ": " + why;
  std::string().swap(text);
  if (why.empty() && rank == 0) {
    try {
      (void)results::publish(temp.path(), path, force, false);
      temp.published();
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  return parallel::agree_on_failure(why);
}

results::Table tokenize_file_table(const TokenizeOutcome& o) {
  using results::Column;
  using results::column_of;
  const auto& rows = o.files;
  std::vector<std::string> paths, statuses, errors, warnings;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    paths.push_back(o.home.inputs.at(i).path);
    statuses.emplace_back(gzip::status_name(rows[i].status));
    errors.push_back(failure_reason(o.home.inputs[i], rows[i]));
    warnings.push_back(warning_of(rows[i]));
  }
  results::Table files{"tokenize/files", {}};
  auto& cols = files.columns;
  cols.emplace_back("path", Column(std::move(paths)));
  cols.emplace_back("bytes", Column(column_of<std::uint64_t>(rows, [](const TokenizeFile& f) { return f.text.bytes; })));
  cols.emplace_back("words", Column(column_of<std::uint64_t>(rows, [](const TokenizeFile& f) { return f.text.words; })));
  cols.emplace_back("invalid_bytes", Column(column_of<std::uint64_t>(
                                         rows, [](const TokenizeFile& f) { return f.text.invalid_bytes; })));
  cols.emplace_back("bytes_in", Column(column_of<std::uint64_t>(rows, [](const TokenizeFile& f) { return f.bytes_in; })));
  cols.emplace_back("rank", Column(column_of<std::int32_t>(rows, [](const TokenizeFile& f) { return f.rank; })));
  cols.emplace_back("thread", Column(column_of<std::int32_t>(rows, [](const TokenizeFile& f) { return f.thread; })));
  cols.emplace_back("seconds", Column(column_of<double>(rows, [](const TokenizeFile& f) { return f.seconds; })));
  cols.emplace_back("pieces", Column(column_of<std::uint32_t>(rows, [](const TokenizeFile& f) { return f.pieces; })));
  cols.emplace_back("gzip", Column(column_of<std::uint8_t>(rows, [](const TokenizeFile& f) { return f.gzip; })));
  cols.emplace_back("status", Column(std::move(statuses)));
  cols.emplace_back("error", Column(std::move(errors)));
  cols.emplace_back("warning", Column(std::move(warnings)));
  return files;
}

results::ResultsContent tokenize_results(const TokenizeOutcome& o) {
  using results::Column;
  results::ResultsContent c;
  c.steps = {kTokenizeStep};
  c.root.emplace_back("fold", std::int64_t{o.rule.fold ? 1 : 0});
  c.root.emplace_back("ascii_only", std::int64_t{o.rule.ascii_only ? 1 : 0});
  c.root.emplace_back("chunk_size", o.chunk_size);
  for (const RankSummary& r : o.ranks) c.ranks.push_back(rank_record(r));

  // The vocabulary's group (its rows are written by the ranks that hold
  // them, publish_results), present even when no vocabulary is stored.
  c.tables.push_back({results::kVocabularyTable, {}});

  const RankStats rs = rank_stats(o.ranks);
  const TokenizeTotals& t = o.totals;
  c.attribute_groups.push_back(
      {"tokenize/total",
       {
           {"files", t.files},
           {"failed", t.failed},
           {"bytes", t.text.bytes},
           {"words", t.text.words},
           {"distinct_words", t.distinct},
           {"invalid_bytes", t.text.invalid_bytes},
           {"stored_words", o.vocab.total_rows},
           {"vocab_hash", t.checksum},
           {"wall_seconds", o.wall_seconds},
           {"mb_per_s", results::per_second(static_cast<double>(t.text.bytes) / 1e6, o.wall_seconds)},
           {"words_per_s", results::per_second(static_cast<double>(t.text.words), o.wall_seconds)},
           {"busy_seconds_max", rs.slowest},
           {"busy_seconds_mean", rs.mean},
           {"imbalance", rs.imbalance},
       }});
  return c;
}

}  // namespace juggle::pipeline
