#include "pipeline/tokenize_outcome.hpp"


#include <algorithm>

#include "parallel/collectives.hpp"
#include "parallel/shared_file.hpp"
#include "pipeline/shared_temporary.hpp"
#include "results/output_path.hpp"
#include "results/rates.hpp"

namespace juggle::pipeline {
void aggregate_files(const std::vector<files::InputFile>& inputs, const std::vector<PieceRecord>& records,
                     TokenizeOutcome& out) {
  out.files.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    out.files[i].path = inputs[i].path;
    if (!inputs[i].problem.empty()) {
      out.files[i].status = std::string(gzip::status_name(gzip::GzipStatus::read_error));
      out.files[i].error = inputs[i].problem;
    }
  }
  std::vector<const PieceRecord*> by_piece;
  for (const PieceRecord& r : records) by_piece.push_back(&r);
  std::sort(by_piece.begin(), by_piece.end(), [](const PieceRecord* a, const PieceRecord* b) {
    return a->file != b->file ? a->file < b->file : a->begin < b->begin;
  });
  for (const PieceRecord* r : by_piece) {  // input order, a file's first piece first
    TokenizeFile& f = out.files.at(r->file);
    if (f.pieces++ == 0) {
      f.rank = r->rank;
      f.thread = r->thread;
    }
    f.gzip = r->gzip != 0;
    f.seconds += r->seconds;
    f.bytes_in += r->decode.bytes_in;
    if (r->decode.trailing_garbage) f.warning = gzip::kTrailingGarbageWarning;
    if (r->decode.status == gzip::GzipStatus::ok) {
      f.text += r->text;
      out.totals.text += r->text;
    } else if (f.error.empty()) {
      f.status = std::string(gzip::status_name(r->decode.status));
      f.error = gzip::status_message(r->decode.status, r->decode.sys_errno);
    }
  }
  out.totals.files = out.files.size();
  for (const TokenizeFile& f : out.files) out.totals.failed += f.error.empty() ? 0 : 1;
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

results::ResultsContent tokenize_results(const TokenizeOutcome& o) {
  using results::Column;
  results::ResultsContent c;
  c.steps = {kTokenizeStep};
  c.root.emplace_back("fold", std::int64_t{o.rule.fold ? 1 : 0});
  c.root.emplace_back("ascii_only", std::int64_t{o.rule.ascii_only ? 1 : 0});
  c.root.emplace_back("chunk_size", o.chunk_size);
  for (const RankSummary& r : o.ranks) c.ranks.push_back(rank_record(r));

  // The vocabulary's rows are written by the ranks that hold them
  // (publish_results); its group comes first, as in every results file.
  c.tables.push_back({results::kVocabularyTable, {}});

  results::Table files{"tokenize/files", {}};
  auto& cols = files.columns;
  cols.emplace_back("path",
                    Column(results::column_of<std::string>(o.files, [](const TokenizeFile& f) { return f.path; })));
  cols.emplace_back(
      "bytes", Column(results::column_of<std::uint64_t>(o.files, [](const TokenizeFile& f) { return f.text.bytes; })));
  cols.emplace_back(
      "words", Column(results::column_of<std::uint64_t>(o.files, [](const TokenizeFile& f) { return f.text.words; })));
  cols.emplace_back("invalid_bytes", Column(results::column_of<std::uint64_t>(
                                         o.files, [](const TokenizeFile& f) { return f.text.invalid_bytes; })));
  cols.emplace_back(
      "bytes_in", Column(results::column_of<std::uint64_t>(o.files, [](const TokenizeFile& f) { return f.bytes_in; })));
  cols.emplace_back("rank",
                    Column(results::column_of<std::int32_t>(o.files, [](const TokenizeFile& f) { return f.rank; })));
  cols.emplace_back("thread",
                    Column(results::column_of<std::int32_t>(o.files, [](const TokenizeFile& f) { return f.thread; })));
  cols.emplace_back("seconds",
                    Column(results::column_of<double>(o.files, [](const TokenizeFile& f) { return f.seconds; })));
  cols.emplace_back("pieces",
                    Column(results::column_of<std::uint32_t>(o.files, [](const TokenizeFile& f) { return f.pieces; })));
  cols.emplace_back(
      "gzip", Column(results::column_of<std::uint8_t>(o.files, [](const TokenizeFile& f) { return f.gzip ? 1 : 0; })));
  cols.emplace_back("status",
                    Column(results::column_of<std::string>(o.files, [](const TokenizeFile& f) { return f.status; })));
  cols.emplace_back("error",
                    Column(results::column_of<std::string>(o.files, [](const TokenizeFile& f) { return f.error; })));
  cols.emplace_back("warning",
                    Column(results::column_of<std::string>(o.files, [](const TokenizeFile& f) { return f.warning; })));
  c.tables.push_back(std::move(files));

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
